import * as path from 'path';
import { App, Aws, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { expandTemplate, glueTables, GlueTableDefinition, projectedPartition, walk } from './support/athena-emulator';
import {
  ACCOUNT_IDENTITY, ARCHIVE_BUCKET, FIXTURE_ROOT, fixtureStack, FixtureStack, LISTED_REGIONS, MANAGEMENT_ACCOUNT,
  ORG_IDENTITY, WORKLOAD_ACCOUNT,
} from './support/fixture-stacks';
import { StandInArchive } from './support/stand-in-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { CloudTrailSchema, CloudTrailTable, InsightsTable, TrailTableProps } from '../../src/query';

let org: FixtureStack;
let account: FixtureStack;
let orgTables: GlueTableDefinition[];
let accountTables: GlueTableDefinition[];

beforeAll(() => {
  org = fixtureStack(ORG_IDENTITY, { accounts: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT], regions: LISTED_REGIONS });
  account = fixtureStack(ACCOUNT_IDENTITY);
  orgTables = glueTables(org.template);
  accountTables = glueTables(account.template);
});

const tableNamed = (tables: GlueTableDefinition[], name: string) => tables.find(t => t.name === name)!;

/** A stack with the stand-in archive, for tables built with their own props. */
function tableStack(identity: TrailIdentity = ORG_IDENTITY) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '999999999999', region: 'us-east-1' } });
  const archive = new StandInArchive(stack, 'Archive', {
    identity, bucketName: ARCHIVE_BUCKET, keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc',
  });
  const build = (props: Partial<TrailTableProps> = {}, id = 'Events') =>
    new CloudTrailTable(stack, id, { identity, archive, ...props });
  return { stack, archive, build };
}

describe('S3 layout', () => {
  test('organization trail: account, region and day folders below the organization folder and key prefix', () => {
    const events = tableNamed(orgTables, 'events');
    expect(events.parameters['storage.location.template'])
      .toBe('s3://archive-bucket/org-trail/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${day}');
    expect(events.partitionKeys).toEqual([
      { name: 'account', type: 'string' }, { name: 'region', type: 'string' }, { name: 'day', type: 'string' },
    ]);
    Template.fromJSON(org.template).hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'events',
        StorageDescriptor: { Location: 's3://archive-bucket/org-trail/AWSLogs/o-a1b2c3d4e5/' },
      },
    });
  });

  test('organization trail Insights: the CloudTrail-Insight folder', () => {
    expect(tableNamed(orgTables, 'insights').parameters['storage.location.template'])
      .toBe('s3://archive-bucket/org-trail/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail-Insight/${region}/${day}');
  });

  test('account trail without prefix: region and day folders below the account folder, no account partition', () => {
    const events = tableNamed(accountTables, 'events');
    expect(events.parameters['storage.location.template'])
      .toBe('s3://archive-bucket/AWSLogs/444444444444/CloudTrail/${region}/${day}');
    expect(events.partitionKeys.map(k => k.name)).toEqual(['region', 'day']);
    expect(events.parameters['projection.account.type']).toBeUndefined();
    expect(tableNamed(accountTables, 'insights').parameters['storage.location.template'])
      .toBe('s3://archive-bucket/AWSLogs/444444444444/CloudTrail-Insight/${region}/${day}');
  });

  test('account trail with a key prefix keeps the prefix', () => {
    const identity = TrailIdentity.account({
      trailName: 'main', account: '444444444444', homeRegion: 'eu-west-1', s3KeyPrefix: 'audit/trails',
    });
    const table = tableStack(identity).build();
    expect(table.locationTemplate).toBe('s3://archive-bucket/audit/trails/AWSLogs/444444444444/CloudTrail/${region}/${day}');
    expect(table.location).toBe('s3://archive-bucket/audit/trails/AWSLogs/444444444444/CloudTrail/');
  });
});

describe('storage.location.template against the fixture logs', () => {
  // CloudTrail names each file <account>_<CloudTrail|CloudTrail-Insight>_<region>_<yyyyMMdd>T<HHmm>Z_<id>;
  // the partition values come from that name, independently of the template under test.
  const FILE_NAME = /^(\d{12})_(CloudTrail|CloudTrail-Insight)_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T\d{4}Z_[0-9A-F]{16}\.json$/;
  const logFiles = () => walk(FIXTURE_ROOT)
    .map(f => path.relative(FIXTURE_ROOT, f).split(path.sep).join('/'))
    .filter(key => FILE_NAME.test(path.posix.basename(key)));

  test.each([
    ['organization', 'org-trail/'],
    ['account', 'AWSLogs/444444444444/'],
  ])('%s trail: expanding the template with each file\'s account, region and day gives exactly its folder', (kind, root) => {
    const tables = kind === 'organization' ? orgTables : accountTables;
    const files = logFiles().filter(key => key.startsWith(root));
    expect(files.length).toBeGreaterThan(kind === 'organization' ? 10 : 1);
    for (const key of files) {
      const [, acct, folder, region, yyyy, mm, dd] = FILE_NAME.exec(path.posix.basename(key))!;
      const table = tableNamed(tables, folder === 'CloudTrail' ? 'events' : 'insights');
      const expanded = expandTemplate(table.parameters['storage.location.template'],
        { account: acct, region, day: `${yyyy}/${mm}/${dd}` });
      expect(expanded).toBe(`s3://${ARCHIVE_BUCKET}/${path.posix.dirname(key)}`);
    }
  });

  test('projection reaches the listed accounts and regions, never the unlisted ones or the digest files', () => {
    const keys = walk(FIXTURE_ROOT).map(f => `${path.relative(FIXTURE_ROOT, f).split(path.sep).join('/')}.gz`);
    const reached = (table: GlueTableDefinition) => keys.filter(k => projectedPartition(table, ARCHIVE_BUCKET, k));
    const events = reached(tableNamed(orgTables, 'events'));
    expect(events).toHaveLength(8);
    expect(events.every(k => /\/(111111111111|222222222222)\/CloudTrail\/(us-east-1|eu-west-1)\//.test(k))).toBe(true);
    expect(reached(tableNamed(orgTables, 'insights'))).toHaveLength(3);
    expect(keys.filter(k => k.includes('CloudTrail-Digest'))).toHaveLength(1);
    expect([...events, ...reached(tableNamed(orgTables, 'insights'))].some(k => k.includes('Digest'))).toBe(false);
  });
});

describe('table definition', () => {
  test('reads CloudTrail files the way AWS\'s table does, with the library\'s schema', () => {
    Template.fromJSON(org.template).hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'events',
        TableType: 'EXTERNAL_TABLE',
        Parameters: Match.objectLike({ classification: 'cloudtrail', has_encrypted_data: false }),
        StorageDescriptor: {
          InputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
    const columns = (schema: glue.Column[]) => schema.map(c => ({ name: c.name, type: c.type.inputString }));
    expect(tableNamed(orgTables, 'events').columns).toEqual(columns(CloudTrailSchema.eventColumns()));
    expect(tableNamed(orgTables, 'insights').columns).toEqual(columns(CloudTrailSchema.insightsColumns()));
  });

  test('projects days from the start day to today, one folder per day', () => {
    expect(tableNamed(orgTables, 'events').parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.range': '2013/11/01,NOW',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
    });
    const stack = tableStack();
    stack.build({ projectionStartDay: '2023/02/28' });
    Template.fromStack(stack.stack).hasResourceProperties('AWS::Glue::Table', {
      TableInput: { Parameters: Match.objectLike({ 'projection.day.range': '2023/02/28,NOW' }) },
    });
  });

  test('projects the listed accounts and regions as enums', () => {
    expect(tableNamed(orgTables, 'events').parameters).toMatchObject({
      'projection.account.type': 'enum',
      'projection.account.values': '111111111111,222222222222',
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1,eu-west-1',
    });
  });

  test('by default projects every region of the home region\'s partition', () => {
    const regions = (homeRegion: string) => {
      const identity = TrailIdentity.account({ trailName: 'main', account: '444444444444', homeRegion });
      return tableStack(identity).build().regions;
    };
    const commercial = regions('eu-west-1');
    expect(commercial).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1']));
    expect(commercial.some(r => r.startsWith('cn-') || r.startsWith('us-gov-'))).toBe(false);
    expect(commercial).toEqual([...commercial].sort());
    expect(regions('cn-north-1')).toEqual(['cn-north-1', 'cn-northwest-1']);
    expect(regions('us-gov-west-1')).toEqual(['us-gov-east-1', 'us-gov-west-1']);
  });

  test.each(['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1'])(
    'by default projects exactly region-info\'s regions of the partition of %s, opt-in regions included', (homeRegion) => {
      const identity = TrailIdentity.account({ trailName: 'main', account: '444444444444', homeRegion });
      const { stack, build } = tableStack(identity);
      const table = build();
      const partition = RegionInfo.get(homeRegion).partition;
      const expected = RegionInfo.regions.filter(r => r.partition === partition).map(r => r.name).sort();
      expect(table.regions).toEqual(expected);
      Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
        TableInput: { Parameters: Match.objectLike({ 'projection.region.values': expected.join(',') }) },
      });
      if (partition === 'aws') {
        const optIn = RegionInfo.regions.filter(r => r.partition === 'aws' && r.isOptInRegion).map(r => r.name);
        expect(optIn.length).toBeGreaterThan(0);
        expect(table.regions).toEqual(expect.arrayContaining(optIn));
      }
    });

  test('the Insights table projects the same default regions', () => {
    const { stack, archive } = tableStack();
    const insights = new InsightsTable(stack, 'Insights', { identity: ORG_IDENTITY, archive });
    expect(insights.regions).toEqual(RegionInfo.regions.filter(r => r.partition === 'aws').map(r => r.name).sort());
  });

  test('allowedRegions narrows the projection to exactly the listed regions, in their order', () => {
    const { stack, build } = tableStack();
    const table = build({ allowedRegions: ['eu-central-1', 'us-east-1', 'af-south-1'] });
    expect(table.regions).toEqual(['eu-central-1', 'us-east-1', 'af-south-1']);
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
      TableInput: { Parameters: Match.objectLike({ 'projection.region.values': 'eu-central-1,us-east-1,af-south-1' }) },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('globalRegionNotProjected'))).toEqual([]);
  });

  test('the deprecated regions prop still narrows the projection', () => {
    expect(tableStack().build({ regions: ['us-east-1', 'eu-west-1'] }).regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  test.each<[string, Partial<TrailTableProps>, string]>([
    ['allowedRegions', { allowedRegions: ['eu-west-1'] }, 'allowedRegions leaves out us-east-1'],
    ['regions', { regions: ['eu-west-1'] }, 'regions leaves out us-east-1'],
  ])('%s without the global services\' region warns that their events cannot be queried', (_, props, message) => {
    const { stack, build } = tableStack();
    build(props);
    const found = Annotations.fromStack(stack).findWarning('/Stack/Events',
      Match.stringLikeRegexp('cdk-cloudtrail-governance:query:globalRegionNotProjected'));
    expect(found).toHaveLength(1);
    expect(found[0].entry.data).toContain(message);
  });

  test.each<[string, string, string]>([
    ['a China region for a trail in aws', 'cn-north-1', 'the aws-cn partition'],
    ['a GovCloud region for a trail in aws', 'us-gov-west-1', 'the aws-us-gov partition'],
  ])('allowedRegions refuses %s', (_, region, partition) => {
    expect(() => tableStack().build({ allowedRegions: ['us-east-1', region] })).toThrow(
      `allowedRegions[1] "${region}" is in ${partition}, but the trail's home region us-east-1 is in aws: a trail records only ` +
      'the regions of its own partition');
  });

  test('a region of the aws partition is refused for a trail in China', () => {
    const identity = TrailIdentity.account({ trailName: 'main', account: '444444444444', homeRegion: 'cn-north-1' });
    expect(() => tableStack(identity).build({ allowedRegions: ['cn-north-1', 'eu-west-1'] }))
      .toThrow('allowedRegions[1] "eu-west-1" is in the aws partition, but the trail\'s home region cn-north-1 is in aws-cn');
  });

  test('allowedRegions and the deprecated regions cannot both be set', () => {
    expect(() => tableStack().build({ allowedRegions: ['us-east-1'], regions: ['us-east-1'] }))
      .toThrow('regions must not be set together with allowedRegions: regions is the former name of allowedRegions');
  });

  test('listed accounts warn that an account joining later is invisible until redeployed, and point at the columnar table', () => {
    const found = Annotations.fromStack(org.stack).findWarning('*',
      Match.stringLikeRegexp('cdk-cloudtrail-governance:query:accountProjectionFixed'));
    expect(found.map(w => w.id).sort()).toEqual([`/${org.stack.stackName}/Events`, `/${org.stack.stackName}/Insights`].sort());
    expect(found[0].entry.data).toContain('an account that joins the organization later is invisible to every query until it is ' +
      'added to accounts and the stack is redeployed');
    expect(found[0].entry.data).toContain('the columnar table (ColumnarTrailTable)');
    const { stack, build } = tableStack();
    build();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('accountProjectionFixed'))).toEqual([]);
  });

  test('without accounts, the account partition is injected, queries must name it, and a warning says so', () => {
    const { stack, build } = tableStack();
    const table = build();
    expect(table.requiresAccountFilter).toBe(true);
    expect(table.accounts).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
      TableInput: { Parameters: Match.objectLike({ 'projection.account.type': 'injected' }) },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Events',
      Match.stringLikeRegexp('account partition of events is injected.*every query must filter on account'));
  });

  test('with accounts listed, no account filter is required and there is no injected-partition warning', () => {
    expect(org.table.requiresAccountFilter).toBe(false);
    expect(org.table.accounts).toEqual([MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT]);
    expect(Annotations.fromStack(org.stack).findWarning('*', Match.stringLikeRegexp('query:accountPartitionInjected'))).toEqual([]);
    expect(account.table.requiresAccountFilter).toBe(false);
  });
});

describe('database', () => {
  test('events and Insights tables share one database named after the trail', () => {
    const template = Template.fromJSON(org.template);
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'cloudtrail_org_trail' } });
    expect(org.table.database).toBe(org.insights.database);
    expect(org.table.qualifiedName).toBe('"cloudtrail_org_trail"."events"');
    expect(org.insights.qualifiedName).toBe('"cloudtrail_org_trail"."insights"');
    Template.fromJSON(account.template).hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'cloudtrail_account_trail' }),
    });
  });

  test('databaseName and tableName override the defaults; a given database is used as is', () => {
    const { stack, build } = tableStack();
    build({ databaseName: 'forensics', tableName: 'org_events' });
    const database = new glue.Database(stack, 'Existing', { databaseName: 'existing_db' });
    const table = build({ database, tableName: 'ct' }, 'Other');
    expect(table.database).toBe(database);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Glue::Database', 2);
    template.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'org_events' }) });
    template.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'ct' }) });
  });

  test('the database is retained with the stack', () => {
    Template.fromJSON(org.template).hasResource('AWS::Glue::Database', { DeletionPolicy: 'Retain' });
  });
});

describe('validation', () => {
  test.each<[string, Partial<TrailTableProps>, string]>([
    ['tableName', { tableName: 'Events-Table' }, 'tableName "Events-Table" must be 1-255 lowercase letters, digits or underscores'],
    ['databaseName', { databaseName: 'my-db' }, 'databaseName "my-db" must be 1-255 lowercase letters, digits or underscores'],
    ['projectionStartDay format', { projectionStartDay: '2024-01-01' },
      'projectionStartDay "2024-01-01" must be a calendar day written yyyy/MM/dd, such as 2024/01/31'],
    ['projectionStartDay calendar', { projectionStartDay: '2023/02/29' }, 'projectionStartDay "2023/02/29" must be a calendar day'],
    ['regions empty', { regions: [] }, 'regions must not be empty'],
    ['allowedRegions empty', { allowedRegions: [] }, 'allowedRegions must not be empty'],
    ['allowedRegions value', { allowedRegions: ['us-east-1', 'mars-1'] }, 'allowedRegions[1] "mars-1" must be an AWS region code such as us-east-1'],
    ['allowedRegions duplicate', { allowedRegions: ['us-east-1', 'us-east-1'] }, 'allowedRegions contains "us-east-1" more than once'],
    ['regions value', { regions: ['us-east-1', 'mars-1'] }, 'regions[1] "mars-1" must be an AWS region code such as us-east-1'],
    ['regions duplicate', { regions: ['us-east-1', 'us-east-1'] }, 'regions contains "us-east-1" more than once'],
    ['accounts value', { accounts: ['12345'] }, 'accounts[0] "12345" must be a 12-digit AWS account id'],
    ['accounts duplicate', { accounts: ['111111111111', '111111111111'] }, 'accounts contains "111111111111" more than once'],
    ['accounts empty', { accounts: [] }, 'accounts must not be empty'],
  ])('rejects a bad %s', (_, props, message) => {
    expect(() => tableStack().build(props)).toThrow(message);
  });

  test('rejects accounts for an account trail', () => {
    expect(() => tableStack(ACCOUNT_IDENTITY).build({ accounts: ['444444444444'] }))
      .toThrow('accounts must not be set for an account trail');
  });

  test('rejects databaseName together with database', () => {
    const { stack, build } = tableStack();
    const database = new glue.Database(stack, 'Db', { databaseName: 'db' });
    expect(() => build({ database, databaseName: 'other' })).toThrow('databaseName must not be set together with database');
  });

  test('needs databaseName when the trail name is a token', () => {
    const identity = TrailIdentity.account({ trailName: Lazy.string({ produce: () => 'main' }), account: '444444444444', homeRegion: 'us-east-1' });
    expect(() => tableStack(identity).build()).toThrow('databaseName (or database) must be given when the trailName is a token');
    expect(tableStack(identity).build({ databaseName: 'main' }).qualifiedName).toBe('"main"."events"');
  });

  test('needs allowedRegions when the home region is a token', () => {
    const identity = TrailIdentity.account({ trailName: 'main', account: '444444444444', homeRegion: Aws.REGION });
    expect(() => tableStack(identity).build()).toThrow('allowedRegions must be given when the trail\'s homeRegion is a token');
    expect(tableStack(identity).build({ allowedRegions: ['us-east-1'] }).regions).toEqual(['us-east-1']);
    expect(tableStack(identity).build({ regions: ['us-east-1'] }).regions).toEqual(['us-east-1']);
  });
});

describe('grantRead', () => {
  test('grants the table definition and delegates log access to the archive', () => {
    const { stack, build, archive } = tableStack();
    const table = build({ accounts: ['111111111111'] });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const archiveGrant = jest.spyOn(archive, 'grantRead');
    table.grantRead(role);
    expect(archiveGrant).toHaveBeenCalledWith(role);
    const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const policy = JSON.stringify(Object.values(statements)[0]);
    expect(policy).toContain('"glue:GetDatabase","glue:GetTable","glue:GetPartitions"');
    expect(policy).toContain(':catalog');
    expect(policy).toContain(':database/cloudtrail_org_trail');
    expect(policy).toContain(':table/cloudtrail_org_trail/events');
    expect(policy).toContain('"kms:EncryptionContext:aws:cloudtrail:arn"');
  });
});

test('InsightsTable is a table of its own kind', () => {
  const { stack, archive } = tableStack();
  const insights = new InsightsTable(stack, 'Insights', { identity: ORG_IDENTITY, archive, accounts: ['111111111111'] });
  expect(insights.tableName).toBe('insights');
  expect(insights.locationTemplate).toContain('/CloudTrail-Insight/');
});
