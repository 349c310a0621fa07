import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expandTemplate, glueTables, projectedPartition, walk } from './support/athena-emulator';
import { ArchiveWriter, at } from './support/digest-chain';
import {
  ACCOUNT_IDENTITY, ARCHIVE_BUCKET, LISTED_REGIONS, MANAGEMENT_ACCOUNT, ORG_IDENTITY, STANDALONE_ACCOUNT, WORKLOAD_ACCOUNT,
} from './support/fixture-stacks';
import { StandInArchive } from './support/stand-in-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { CloudTrailTable, DigestTable, DigestTableProps } from '../../src/query';

/** A stack with the stand-in archive, for digest and events tables built with their own props. */
function tableStack(identity: TrailIdentity = ORG_IDENTITY) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '999999999999', region: 'us-east-1' } });
  const archive = new StandInArchive(stack, 'Archive', {
    identity, bucketName: ARCHIVE_BUCKET, keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc',
  });
  const digests = (props: Partial<DigestTableProps> = {}, id = 'Digests') => new DigestTable(stack, id, { identity, archive, ...props });
  const events = (props: Partial<DigestTableProps> = {}, id = 'Events') => new CloudTrailTable(stack, id, { identity, archive, ...props });
  return { stack, archive, digests, events };
}

const LISTED = { accounts: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT], allowedRegions: LISTED_REGIONS };

function tableParameters(stack: Stack, name: string): { [key: string]: string } {
  return glueTables(Template.fromStack(stack).toJSON()).find(t => t.name === name)!.parameters;
}

describe('S3 layout and projection', () => {
  test('organization trail: the CloudTrail-Digest folders, with the projection of the events table, exactly', () => {
    const { stack, digests, events } = tableStack();
    const table = digests(LISTED);
    events(LISTED);
    expect(tableParameters(stack, 'digests')).toEqual({
      'classification': 'json',
      'has_encrypted_data': false,
      'storage.location.template': 's3://archive-bucket/org-trail/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail-Digest/${region}/${day}',
      'projection.enabled': 'true',
      'projection.account.type': 'enum',
      'projection.account.values': '111111111111,222222222222',
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1,eu-west-1',
      'projection.day.type': 'date',
      'projection.day.range': '2013/11/01,NOW',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
    });
    const { 'classification': _c, 'storage.location.template': _t, ...projection } = tableParameters(stack, 'digests');
    const { 'classification': _ec, 'storage.location.template': _et, ...eventsProjection } = tableParameters(stack, 'events');
    expect(projection).toEqual(eventsProjection);
    expect(table.location).toBe('s3://archive-bucket/org-trail/AWSLogs/o-a1b2c3d4e5/');
    expect(table.partitionColumns).toEqual(['account', 'region', 'day']);
  });

  test('injected account partition: as the events table, with its warning', () => {
    const { stack, digests } = tableStack();
    const table = digests({ allowedRegions: LISTED_REGIONS, projectionStartDay: '2024/01/31' });
    expect(table.requiresAccountFilter).toBe(true);
    expect(tableParameters(stack, 'digests')).toMatchObject({
      'projection.account.type': 'injected', 'projection.day.range': '2024/01/31,NOW',
    });
    expect(tableParameters(stack, 'digests')['projection.account.values']).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Stack/Digests',
      Match.stringLikeRegexp('cdk-cloudtrail-governance:query:accountPartitionInjected'));
  });

  test('account trail: region and day folders below the account folder, no account partition', () => {
    const { stack, digests } = tableStack(ACCOUNT_IDENTITY);
    const table = digests({ allowedRegions: ['us-east-1'] });
    expect(table.locationTemplate).toBe('s3://archive-bucket/AWSLogs/444444444444/CloudTrail-Digest/${region}/${day}');
    expect(table.partitionColumns).toEqual(['region', 'day']);
    expect(tableParameters(stack, 'digests')['projection.account.type']).toBeUndefined();
    expect(() => digests({ accounts: ['111122223333'] }, 'Other')).toThrow(/accounts must not be set for an account trail/);
  });

  test('the template reaches exactly the digest files CloudTrail writes, never the log files beside them', () => {
    const { stack, digests } = tableStack();
    digests(LISTED);
    const definition = glueTables(Template.fromStack(stack).toJSON()).find(t => t.name === 'digests')!;
    const archive = new ArchiveWriter(ORG_IDENTITY, ARCHIVE_BUCKET);
    try {
      archive.hours(WORKLOAD_ACCOUNT, 'eu-west-1', at('2024-05-01T22:31:07Z'), 3);
      archive.hours('333333333333', 'eu-west-1', at('2024-05-01T22:31:07Z'), 1);
      const keys = walk(archive.dir).map(f => f.slice(archive.dir.length + 1).split(/[\\/]/).join('/'));
      const reached = keys.filter(k => projectedPartition(definition, ARCHIVE_BUCKET, k));
      expect(reached).toHaveLength(3);
      for (const key of reached) {
        // The folder is the day the digest's hour ends, as the file name says.
        const [, account, region, end] = /\/(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_org-trail_us-east-1_(\d{8})T\d{6}Z\.json\.gz$/.exec(key)!;
        const day = `${end.slice(0, 4)}/${end.slice(4, 6)}/${end.slice(6, 8)}`;
        expect(projectedPartition(definition, ARCHIVE_BUCKET, key)).toEqual({ account, region, day });
        expect(`s3://${ARCHIVE_BUCKET}/${key}`).toBe(`${expandTemplate(definition.parameters['storage.location.template'],
          { account, region, day })}/${key.split('/').pop()}`);
      }
      expect(reached.map(k => projectedPartition(definition, ARCHIVE_BUCKET, k)!.day)).toEqual(['2024/05/01', '2024/05/02', '2024/05/02']);
    } finally {
      archive.cleanUp();
    }
  });
});

describe('table definition', () => {
  test('one row per digest file: text input, the Hive JSON SerDe, the digest fields as typed columns', () => {
    const { stack, digests } = tableStack();
    digests(LISTED);
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'digests',
        TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: {
          Location: 's3://archive-bucket/org-trail/AWSLogs/o-a1b2c3d4e5/',
          InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
    const definition = glueTables(Template.fromStack(stack).toJSON()).find(t => t.name === 'digests')!;
    expect(definition.columns).toEqual([
      ...['awsaccountid', 'digeststarttime', 'digestendtime', 'digests3bucket', 'digests3object', 'digestpublickeyfingerprint',
        'digestsignaturealgorithm', 'newesteventtime', 'oldesteventtime', 'previousdigests3bucket', 'previousdigests3object',
        'previousdigesthashvalue', 'previousdigesthashalgorithm', 'previousdigestsignature'].map(name => ({ name, type: 'string' })),
      {
        name: 'logfiles',
        type: 'array<struct<s3bucket:string,s3object:string,hashvalue:string,hashalgorithm:string,newesteventtime:string,oldesteventtime:string>>',
      },
    ]);
    expect(definition.partitionKeys).toEqual(['account', 'region', 'day'].map(name => ({ name, type: 'string' })));
  });

  test('shares the trail\'s database with the events table, whichever is built first', () => {
    for (const order of [['digests', 'events'], ['events', 'digests']]) {
      const s = tableStack();
      const [first, second] = order.map(kind => kind === 'digests' ? s.digests(LISTED) : s.events(LISTED));
      expect(first.database).toBe(second.database);
      Template.fromStack(s.stack).resourceCountIs('AWS::Glue::Database', 1);
    }
    const { digests } = tableStack();
    expect(digests(LISTED).qualifiedName).toBe('"cloudtrail_org_trail"."digests"');
  });

  test('tableName, databaseName and database as for the events table', () => {
    const { stack, digests } = tableStack();
    expect(digests({ ...LISTED, databaseName: 'forensics', tableName: 'org_digests' }).qualifiedName).toBe('"forensics"."org_digests"');
    const database = new glue.Database(stack, 'Existing', { databaseName: 'existing_db' });
    expect(digests({ ...LISTED, database }, 'Other').database).toBe(database);
    expect(() => digests({ tableName: 'Digests!' }, 'Bad')).toThrow('tableName "Digests!" must be 1-255 lowercase letters, digits or underscores');
    expect(() => digests({ database, databaseName: 'x' }, 'Both')).toThrow(/databaseName must not be set together with database/);
    digests(LISTED, 'First');
    expect(() => digests(LISTED, 'Clash')).toThrow(/names the same Glue table as CloudTrail digest files of trail org-trail \(Stack\/First\)/);
  });

  test('refuses props that are not an identity and an archive', () => {
    const { stack, archive } = tableStack();
    expect(() => new DigestTable(stack, 'NoIdentity', { archive } as any)).toThrow(/identity undefined must be a TrailIdentity/);
    expect(() => new DigestTable(stack, 'NoArchive', { identity: ORG_IDENTITY } as any)).toThrow(/archive undefined must be an ITrailArchive/);
  });
});

describe('the events table\'s region and account rules', () => {
  /** What each table makes of the same props: regions, warning ids, or the error. */
  function outcome(kind: 'digests' | 'events', props: Partial<DigestTableProps>, identity: TrailIdentity = ORG_IDENTITY) {
    const s = tableStack(identity);
    try {
      const table = kind === 'digests' ? s.digests(props, 'Table') : s.events(props, 'Table');
      const warnings = Annotations.fromStack(s.stack).findWarning('*', Match.anyValue())
        .map(w => String(w.entry.data).match(/cdk-cloudtrail-governance:[A-Za-z:]+/)?.[0]).sort();
      return { regions: table.regions, accounts: table.accounts, warnings };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  const CHINA = TrailIdentity.account({ trailName: 'main', account: STANDALONE_ACCOUNT, homeRegion: 'cn-north-1' });
  test.each<[string, Partial<DigestTableProps>, TrailIdentity]>([
    ['defaults', {}, ORG_IDENTITY],
    ['allowedRegions', { allowedRegions: ['eu-west-1', 'us-east-1'] }, ORG_IDENTITY],
    ['allowedRegions without the global services\' region', { allowedRegions: ['eu-west-1'] }, ORG_IDENTITY],
    ['the deprecated regions', { regions: ['eu-west-1'] }, ORG_IDENTITY],
    ['both region props', { allowedRegions: ['us-east-1'], regions: ['us-east-1'] }, ORG_IDENTITY],
    ['an unknown region', { allowedRegions: ['us-east-1', 'xx-nowhere-9'] }, ORG_IDENTITY],
    ['a region of another partition', { allowedRegions: ['cn-north-1', 'eu-west-1'] }, CHINA],
    ['listed accounts', { accounts: [MANAGEMENT_ACCOUNT] }, ORG_IDENTITY],
    ['a repeated account', { accounts: [MANAGEMENT_ACCOUNT, MANAGEMENT_ACCOUNT] }, ORG_IDENTITY],
  ])('%s: the digest table projects, warns and fails as the events table does', (_name, props, identity) => {
    const digests = outcome('digests', props, identity);
    expect(digests).toEqual(outcome('events', props, identity));
    expect(digests).not.toEqual({ error: expect.stringMatching(/is not a function|Cannot read/) });
  });
});

describe('grants and imports', () => {
  test('grantRead: the table definition and the archive\'s grantRead', () => {
    const { stack, digests } = tableStack();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    digests(LISTED).grantRead(role);
    const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const actions = Object.values<any>(statements).flatMap(p => p.Properties.PolicyDocument.Statement.map((s: any) => s.Action));
    expect(actions).toEqual([
      ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'], 's3:GetObject', ['s3:ListBucket', 's3:GetBucketLocation'], 'kms:Decrypt',
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
          Resource: Match.arrayWith([
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:us-east-1:999999999999:table/cloudtrail_org_trail/digests']] },
          ]),
        })]),
      },
    });
  });

  test('fromTableAttributes describes a table built elsewhere', () => {
    const { stack, archive } = tableStack();
    const imported = DigestTable.fromTableAttributes(stack, 'Imported', {
      identity: ORG_IDENTITY, archive, databaseName: 'cloudtrail_org_trail', regions: LISTED_REGIONS,
    });
    expect(imported.qualifiedName).toBe('"cloudtrail_org_trail"."digests"');
    expect(imported.requiresAccountFilter).toBe(true);
    expect(imported.regions).toEqual(LISTED_REGIONS);
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    imported.grantReadDefinition(role);
    Template.fromStack(stack).resourceCountIs('AWS::Glue::Table', 0);
    expect(() => DigestTable.fromTableAttributes(stack, 'Bad', { identity: ORG_IDENTITY, archive } as any))
      .toThrow(/databaseName undefined must be given/);
  });
});
