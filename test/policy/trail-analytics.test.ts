import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from './support/policy-harness';
import { CloudTrailTable, TrailAnalytics, TrailArchive } from '../../src';
import {
  ACCESS_LOG_BUCKET, LOG_ARCHIVE_ACCOUNT, LOG_BUCKET, MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, ORG_TRAIL, orgLogKey, TLS,
} from './support/fixtures';

const INVESTIGATOR = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/investigator`;
const WORKGROUP = `arn:aws:athena:us-east-1:${LOG_ARCHIVE_ACCOUNT}:workgroup/org-trail-forensics`;

let deployed: DeployedStack;
let investigatorPolicies: PolicyDocument[];
let resultsBucket: string;
let resultsBucketPolicy: PolicyDocument;
let resultsKeyArn: string;
let resultsKeyPolicy: PolicyDocument;
let tableName: string;
let archive: { bucketPolicy: PolicyDocument; keyArn: string; keyPolicy: PolicyDocument; accessLogPolicy: PolicyDocument };

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'Forensics', { env: { account: LOG_ARCHIVE_ACCOUNT, region: 'us-east-1' } });
  const trailArchive = new TrailArchive(stack, 'Archive', {
    writers: [ORG_TRAIL], bucketName: LOG_BUCKET, accessLogsBucketName: ACCESS_LOG_BUCKET,
  });
  const table = new CloudTrailTable(stack, 'Events', {
    identity: ORG_TRAIL, archive: trailArchive, accounts: [MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT],
  });
  const analytics = new TrailAnalytics(stack, 'Analytics', { table });
  const investigator = new iam.Role(stack, 'Investigator', { roleName: 'investigator', assumedBy: new iam.AccountRootPrincipal() });
  analytics.grantQuery(investigator);

  tableName = `${table.databaseName}/${table.tableName}`;
  deployed = new DeployedStack(stack);
  investigatorPolicies = deployed.identityPolicies(investigator);
  resultsBucket = deployed.arnOf(analytics.resultsBucket);
  resultsBucketPolicy = deployed.bucketPolicy(analytics.resultsBucket);
  resultsKeyArn = deployed.arnOf(analytics.resultsKey);
  resultsKeyPolicy = deployed.keyPolicy(analytics.resultsKey);
  archive = {
    bucketPolicy: deployed.bucketPolicy(trailArchive.bucket),
    keyArn: deployed.arnOf(trailArchive.key),
    keyPolicy: deployed.keyPolicy(trailArchive.key),
    accessLogPolicy: deployed.bucketPolicy(trailArchive.accessLogsBucket!),
  };
});

async function asInvestigator(request: Omit<AccessRequest, 'principal' | 'identityPolicies' | 'resourceAccount'>): Promise<string> {
  return (await evaluate({ principal: INVESTIGATOR, identityPolicies: investigatorPolicies, resourceAccount: LOG_ARCHIVE_ACCOUNT, ...request }))
    .decision;
}

describe('TrailAnalytics.grantQuery: Athena and Glue', () => {
  test('StartQueryExecution and GetQueryResults in the forensics workgroup are allowed', async () => {
    expect(await asInvestigator({ action: 'athena:StartQueryExecution', resource: WORKGROUP })).toBe('Allowed');
    expect(await asInvestigator({ action: 'athena:GetQueryResults', resource: WORKGROUP })).toBe('Allowed');
  });

  test('StartQueryExecution in another workgroup is denied', async () => {
    expect(await asInvestigator({ action: 'athena:StartQueryExecution', resource: WORKGROUP.replace('org-trail-forensics', 'primary') }))
      .toBe('ImplicitlyDenied');
  });

  test('changing or deleting the workgroup is denied', async () => {
    for (const action of ['athena:UpdateWorkGroup', 'athena:DeleteWorkGroup']) {
      expect(await asInvestigator({ action, resource: WORKGROUP })).toBe('ImplicitlyDenied');
    }
  });

  test('reading the table definition is allowed, changing it is denied', async () => {
    const table = `arn:aws:glue:us-east-1:${LOG_ARCHIVE_ACCOUNT}:table/${tableName}`;
    expect(await asInvestigator({ action: 'glue:GetTable', resource: table })).toBe('Allowed');
    expect(await asInvestigator({ action: 'glue:GetPartitions', resource: table })).toBe('Allowed');
    expect(await asInvestigator({ action: 'glue:UpdateTable', resource: table })).toBe('ImplicitlyDenied');
  });
});

describe('TrailAnalytics.grantQuery: query results', () => {
  const results = (action: string, key: string) =>
    asInvestigator({ action, resource: `${resultsBucket}/${key}`, context: TLS, resourcePolicy: resultsBucketPolicy });
  const resultsKey = (action: string, context: { [key: string]: string }) =>
    asInvestigator({ action, resource: resultsKeyArn, context, resourcePolicy: resultsKeyPolicy });

  test('reading and writing under results/ is allowed', async () => {
    expect(await results('s3:GetObject', 'results/0f1e2d3c.csv')).toBe('Allowed');
    expect(await results('s3:PutObject', 'results/0f1e2d3c.csv')).toBe('Allowed');
  });

  test('writing outside results/ is denied', async () => {
    expect(await results('s3:PutObject', 'other/0f1e2d3c.csv')).toBe('ImplicitlyDenied');
  });

  test('deleting results is denied', async () => {
    expect(await results('s3:DeleteObject', 'results/0f1e2d3c.csv')).toBe('ImplicitlyDenied');
  });

  test('the results key may be used through S3 in the region', async () => {
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      expect(await resultsKey(action, { 'kms:ViaService': 's3.us-east-1.amazonaws.com' })).toBe('Allowed');
    }
  });

  test('the results key may not be used directly or through another region or service', async () => {
    expect(await resultsKey('kms:Decrypt', {})).toBe('ImplicitlyDenied');
    expect(await resultsKey('kms:Decrypt', { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(await resultsKey('kms:Decrypt', { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' })).toBe('ImplicitlyDenied');
  });
});

describe('TrailAnalytics.grantQuery: the archive', () => {
  test('reading an organization log file and decrypting it is allowed', async () => {
    expect(await asInvestigator({
      action: 's3:GetObject', resource: `arn:aws:s3:::${LOG_BUCKET}/${orgLogKey(MEMBER_ACCOUNT)}`, context: TLS, resourcePolicy: archive.bucketPolicy,
    })).toBe('Allowed');
    expect(await asInvestigator({
      action: 'kms:Decrypt',
      resource: archive.keyArn,
      resourcePolicy: archive.keyPolicy,
      context: { 'kms:EncryptionContext:aws:cloudtrail:arn': ORG_TRAIL.trailArn, 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    })).toBe('Allowed');
    // Only through S3: a data key taken out of an object is not decrypted directly.
    expect(await asInvestigator({
      action: 'kms:Decrypt',
      resource: archive.keyArn,
      resourcePolicy: archive.keyPolicy,
      context: { 'kms:EncryptionContext:aws:cloudtrail:arn': ORG_TRAIL.trailArn },
    })).toBe('ImplicitlyDenied');
  });

  test('writing to the archive is denied', async () => {
    expect(await asInvestigator({
      action: 's3:PutObject', resource: `arn:aws:s3:::${LOG_BUCKET}/${orgLogKey(MEMBER_ACCOUNT)}`, context: TLS, resourcePolicy: archive.bucketPolicy,
    })).toBe('ImplicitlyDenied');
  });
});

describe('server access logs of the results bucket', () => {
  const logDelivery = async (key: string, sourceBucket: string) => (await evaluate({
    principal: 'logging.s3.amazonaws.com',
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${ACCESS_LOG_BUCKET}/${key}`,
    resourceAccount: LOG_ARCHIVE_ACCOUNT,
    context: { ...TLS, 'aws:SourceArn': sourceBucket, 'aws:SourceAccount': LOG_ARCHIVE_ACCOUNT },
    resourcePolicy: archive.accessLogPolicy,
  })).decision;

  test('the results bucket may deliver under athena-query-results/', async () => {
    expect(await logDelivery('athena-query-results/2026-11-23-09-05-12-0A1B2C3D4E5F6A7B', resultsBucket)).toBe('Allowed');
  });

  test('the results bucket may not deliver under the log bucket\'s access-logs/ prefix', async () => {
    expect(await logDelivery('access-logs/2026-11-23-09-05-12-0A1B2C3D4E5F6A7B', resultsBucket)).toBe('ImplicitlyDenied');
  });

  test('the log bucket may not deliver under athena-query-results/', async () => {
    expect(await logDelivery('athena-query-results/2026-11-23-09-05-12-0A1B2C3D4E5F6A7B', `arn:aws:s3:::${LOG_BUCKET}`)).toBe('ImplicitlyDenied');
  });
});
