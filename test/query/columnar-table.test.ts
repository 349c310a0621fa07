import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ARCHIVE_BUCKET, ORG_IDENTITY } from './support/fixture-stacks';
import { StandInArchive } from './support/stand-in-archive';
import { CloudTrailTable, ColumnarTrailTable, ColumnarTrailTableProps, InsightsTable } from '../../src/query';

function tableStack(props: Partial<ColumnarTrailTableProps> = {}) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '999999999999', region: 'us-east-1' } });
  const archive = new StandInArchive(stack, 'Archive', {
    identity: ORG_IDENTITY, bucketName: ARCHIVE_BUCKET, keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc',
  });
  const raw = new CloudTrailTable(stack, 'Events', { identity: ORG_IDENTITY, archive, accounts: ['111111111111'] });
  const columnar = new ColumnarTrailTable(stack, 'Columnar', { source: raw, ...props });
  return { stack, archive, raw, columnar };
}

describe('bucket and key', () => {
  const { stack } = tableStack();
  const template = Template.fromStack(stack);

  test('SSE-KMS with a rotating, retained key; public access blocked; TLS only; retained', () => {
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain' });
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
      DeletionPolicy: 'Retain',
    });
    expect(JSON.stringify(template.findResources('AWS::S3::BucketPolicy'))).toContain('"aws:SecureTransport":"false"');
  });

  test('deletes are allowed: no Object Lock, and replaced files expire a day after they become noncurrent', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: Match.absent(),
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ Id: 'expire-replaced-files', NoncurrentVersionExpiration: { NoncurrentDays: 1 }, ExpirationInDays: Match.absent() }),
          Match.objectLike({ ExpiredObjectDeleteMarker: true }),
        ],
      },
    });
  });

  test('no Glue table in the template: the conversion creates the Iceberg table with Athena DDL', () => {
    template.resourceCountIs('AWS::Glue::Table', 1);
    template.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'events' }) });
  });

  test('server access logs when a bucket is given', () => {
    const logged = tableStack({ accessLogsBucket: undefined });
    Template.fromStack(logged.stack).hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: Match.absent() });
    const withLogs = new Stack(new App(), 'Logs', { env: { account: '999999999999', region: 'us-east-1' } });
    const archive = new StandInArchive(withLogs, 'Archive', { identity: ORG_IDENTITY, bucketName: ARCHIVE_BUCKET, keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc' });
    const raw = new CloudTrailTable(withLogs, 'Events', { identity: ORG_IDENTITY, archive, accounts: ['111111111111'] });
    new ColumnarTrailTable(withLogs, 'Columnar', { source: raw, accessLogsBucket: s3.Bucket.fromBucketName(withLogs, 'L', 'access-logs') });
    Template.fromStack(withLogs).hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: 'access-logs', LogFilePrefix: 'columnar-trail-table/' },
    });
  });
});

describe('names', () => {
  test('the source\'s database, the source\'s table name with _columnar, a folder of its own', () => {
    const { stack, columnar } = tableStack();
    expect(columnar.qualifiedName).toBe('"cloudtrail_org_trail"."events_columnar"');
    expect(stack.resolve(columnar.location)).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: stack.getLogicalId(columnar.bucket.node.defaultChild as s3.CfnBucket) }, '/cloudtrail_org_trail/events_columnar/']],
    });
    expect(columnar.createTableSql()).toContain('CREATE TABLE IF NOT EXISTS cloudtrail_org_trail.events_columnar (');
  });

  test('tableName and snapshotRetention can be set', () => {
    const { columnar } = tableStack({ tableName: 'events_iceberg', snapshotRetention: Duration.days(2), removalPolicy: RemovalPolicy.RETAIN });
    expect(columnar.qualifiedName).toBe('"cloudtrail_org_trail"."events_iceberg"');
    expect(columnar.createTableSql()).toContain("'vacuum_max_snapshot_age_seconds'='172800'");
  });

  test.each<[string, Partial<ColumnarTrailTableProps>, string]>([
    ['table name', { tableName: 'Events-Copy' }, 'tableName "Events-Copy" must be 1-255 lowercase letters, digits or underscores'],
    ['snapshot retention', { snapshotRetention: Duration.minutes(10) }, 'snapshotRetention "10 minutes" must be at least 1 hour'],
    ['duplicate name', { tableName: 'events' }, 'events'],
  ])('rejects a bad %s', (_, props, message) => {
    expect(() => tableStack(props)).toThrow(message);
  });

  test('rejects an Insights table as source', () => {
    const { stack, archive } = tableStack();
    const insights = new InsightsTable(stack, 'Insights', { identity: ORG_IDENTITY, archive, accounts: ['111111111111'] });
    expect(() => new ColumnarTrailTable(stack, 'Bad', { source: insights })).toThrow(/source .* must be a table of the trail's events/);
  });
});

describe('grants', () => {
  const statementsOf = (grant: (c: ColumnarTrailTable, role: iam.IGrantable) => void) => {
    const { stack, columnar } = tableStack();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    grant(columnar, role);
    return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  };

  test('grantRead: the table definition, the objects, the key through S3; nothing written', () => {
    const statements = statementsOf((c, r) => c.grantRead(r));
    const actions = statements.flatMap(s => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['glue:GetTable', 's3:GetObject', 'kms:Decrypt']));
    expect(actions.some((a: string) => /Put|Delete|Create|Update|GenerateDataKey/.test(a))).toBe(false);
    const key = statements.find(s => [s.Action].flat().includes('kms:Decrypt'));
    expect(key.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
    expect(JSON.stringify(statements.find(s => [s.Action].flat().includes('glue:GetTable')).Resource))
      .toContain(':table/cloudtrail_org_trail/events_columnar');
  });

  test('grantReadWrite: deletes only under the table\'s folder, Glue writes only on the columnar table', () => {
    const statements = statementsOf((c, r) => c.grantReadWrite(r));
    const objects = statements.find(s => [s.Action].flat().includes('s3:DeleteObject'));
    expect(JSON.stringify(objects.Resource)).toContain('/cloudtrail_org_trail/events_columnar/*');
    const glue = statements.find(s => [s.Action].flat().includes('glue:UpdateTable'));
    expect(JSON.stringify(glue.Resource)).not.toContain(':table/cloudtrail_org_trail/events"');
    expect(JSON.stringify(glue.Resource)).toContain(':table/cloudtrail_org_trail/events_columnar');
  });
});
