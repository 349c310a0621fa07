import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  ACCOUNT_TRAIL, LOG_ARCHIVE_ACCOUNT, MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, ORG_TRAIL, orgLogKey, SECURITY_ACCOUNT, TLS,
} from './support/fixtures';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from './support/policy-harness';
import { TrailArchive, TrailArchiveKey } from '../../src';
import { BUCKET_DESTRUCTION_ACTIONS, BUCKET_UPDATE_ACTIONS, KEY_DESTRUCTION_ACTIONS, KEY_UPDATE_ACTIONS, PROTECTED_BUCKET_ACTIONS, PROTECTED_KEY_ACTIONS, PROTECTED_OBJECT_ACTIONS } from '../../src/private/protected-actions';

const BUCKET = 'protected-trail-logs';
const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
const CONTEXT_KEY = 'kms:EncryptionContext:aws:cloudtrail:arn';
const ADMIN = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/Admin`;
const BREAK_GLASS = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/BreakGlass`;
const EXEC_ROLE = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${LOG_ARCHIVE_ACCOUNT}-us-east-1`;
const SECURITY_ADMIN = `arn:aws:iam::${SECURITY_ACCOUNT}:role/Admin`;
const SECURITY_BREAK_GLASS = `arn:aws:iam::${SECURITY_ACCOUNT}:role/KeyBreakGlass`;
const SECURITY_EXEC_ROLE = `arn:aws:iam::${SECURITY_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${SECURITY_ACCOUNT}-us-east-1`;
const READER = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/log-reader`;
/** What an administrator of the account holds: everything. */
const ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
/**
 * The global keys AWS puts in every request of an IAM principal (the simulator leaves them to the caller):
 * the role's ARN, also for its sessions, and that it is no AWS service. CloudTrail's requests carry
 * `aws:PrincipalIsAWSService` true and no `aws:PrincipalArn`.
 */
const iamPrincipal = (arn: string) => ({ 'aws:PrincipalArn': arn, 'aws:PrincipalIsAWSService': 'false' });
const SERVICE = { 'aws:PrincipalIsAWSService': 'true' };
const LOG_OBJECT = `arn:aws:s3:::${BUCKET}/${orgLogKey(MEMBER_ACCOUNT)}`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const ACCESS_LOG_BUCKET_ARN = `arn:aws:s3:::${BUCKET}-access`;
/** A server access log object of the log bucket (`access-logs/` prefix, S3's default key format). */
const ACCESS_LOG_OBJECT = `${ACCESS_LOG_BUCKET_ARN}/access-logs/2026-11-23-09-05-12-0123456789ABCDEF`;
/** The statement that denies a protected bucket or key action to a principal exempt from neither. */
const bucketDeny = (action: string) =>
  BUCKET_DESTRUCTION_ACTIONS.includes(action) ? 'DenyBucketDestructionExceptBreakGlass' : 'DenyConfigurationChangesExceptDeployment';
const keyDeny = (action: string) =>
  KEY_DESTRUCTION_ACTIONS.includes(action) ? 'DenyKeyDestructionExceptBreakGlass' : 'DenyKeyPolicyChangesExceptDeployment';

let bucketPolicy: PolicyDocument;
let accessLogsPolicy: PolicyDocument;
let keyArn: string;
let keyPolicy: PolicyDocument;
let remoteKeyArn: string;
let remoteKeyPolicy: PolicyDocument;
let remoteBucketPolicy: PolicyDocument;
let readerPolicies: PolicyDocument[];

beforeAll(() => {
  const app = new App();
  const env = { account: LOG_ARCHIVE_ACCOUNT, region: 'us-east-1' };
  const stack = new Stack(app, 'ProtectedLogArchive', { env });
  const archive = new TrailArchive(stack, 'Archive', {
    writers: [ORG_TRAIL, ACCOUNT_TRAIL],
    bucketName: BUCKET,
    accessLogsBucketName: `${BUCKET}-access`,
    breakGlassPrincipalArns: [BREAK_GLASS],
  });
  const deployed = new DeployedStack(stack);
  bucketPolicy = deployed.bucketPolicy(archive.bucket);
  accessLogsPolicy = deployed.bucketPolicy(archive.accessLogsBucket!);
  keyArn = deployed.arnOf(archive.key);
  keyPolicy = deployed.keyPolicy(archive.key);

  // The key in a security account (AWS SRA), the bucket in the log-archive account.
  // Separate apps, as separate accounts deploy them: the archive stack imports the key by its ARN.
  const securityStack = new Stack(new App(), 'ArchiveKey', { env: { account: SECURITY_ACCOUNT, region: 'us-east-1' } });
  const archiveKey = new TrailArchiveKey(securityStack, 'ArchiveKey', {
    writers: [ORG_TRAIL],
    readerAccounts: [LOG_ARCHIVE_ACCOUNT],
    breakGlassPrincipalArns: [SECURITY_BREAK_GLASS],
  });
  const securityDeployed = new DeployedStack(securityStack);
  remoteKeyArn = securityDeployed.arnOf(archiveKey.key);
  remoteKeyPolicy = securityDeployed.keyPolicy(archiveKey.key);

  const remoteStack = new Stack(new App(), 'RemoteKeyLogArchive', { env });
  const remoteArchive = new TrailArchive(remoteStack, 'Archive', {
    writers: [ORG_TRAIL],
    bucketName: `${BUCKET}-remote-key`,
    accessLogsBucketName: `${BUCKET}-remote-key-access`,
    encryptionKey: kms.Key.fromKeyArn(remoteStack, 'Key', remoteKeyArn),
  });
  const reader = new iam.Role(remoteStack, 'Reader', { roleName: 'log-reader', assumedBy: new iam.AccountRootPrincipal() });
  remoteArchive.grantRead(reader);
  const remoteDeployed = new DeployedStack(remoteStack);
  remoteBucketPolicy = remoteDeployed.bucketPolicy(remoteArchive.bucket);
  readerPolicies = remoteDeployed.identityPolicies(reader);
});

function onBucket(request: Omit<AccessRequest, 'resourceAccount'>, policy = bucketPolicy) {
  return evaluate({ resourceAccount: LOG_ARCHIVE_ACCOUNT, resourcePolicy: policy, ...request });
}

function asPrincipal(principal: string, action: string, resource: string, extra: Record<string, string | string[]> = {}) {
  return onBucket({ principal, action, resource, context: { ...TLS, ...iamPrincipal(principal), ...extra }, identityPolicies: [ALL] });
}

function onKey(principal: string, action: string, context: Record<string, string | string[]> = iamPrincipal(principal)) {
  return evaluate({ principal, action, resource: keyArn, resourceAccount: LOG_ARCHIVE_ACCOUNT, resourcePolicy: keyPolicy, context, identityPolicies: principal.startsWith('arn:') ? [ALL] : [] });
}

function onRemoteKey(request: Omit<AccessRequest, 'resource' | 'resourceAccount' | 'resourcePolicy'>) {
  return evaluate({ resource: remoteKeyArn, resourceAccount: SECURITY_ACCOUNT, resourcePolicy: remoteKeyPolicy, ...request });
}

describe('an administrator of the log-archive account (*:*)', () => {
  test.each(PROTECTED_OBJECT_ACTIONS)('is denied %s on a log object', async (action) => {
    expect(await asPrincipal(ADMIN, action, LOG_OBJECT))
      .toEqual({ decision: 'ExplicitlyDenied', allowedBy: ['(no sid)'], deniedBy: ['DenyLogObjectDestruction'] });
  });

  test.each(PROTECTED_BUCKET_ACTIONS)('is denied %s on the log bucket', async (action) => {
    expect(await asPrincipal(ADMIN, action, BUCKET_ARN))
      .toEqual({ decision: 'ExplicitlyDenied', allowedBy: ['(no sid)'], deniedBy: [bucketDeny(action)] });
  });

  test.each(PROTECTED_KEY_ACTIONS)('is denied %s on the archive key', async (action) => {
    const result = await onKey(ADMIN, action);
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(result.deniedBy).toEqual([keyDeny(action)]);
  });

  test('may not put a forged log file under AWSLogs/, with or without the CloudTrail headers', async () => {
    const headers: Record<string, string>[] = [{}, { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': ORG_TRAIL.trailArn }];
    for (const extra of headers) {
      const result = await asPrincipal(ADMIN, 's3:PutObject', LOG_OBJECT, extra);
      expect(result.decision).toBe('ExplicitlyDenied');
      expect(result.deniedBy).toEqual(['DenyWritesNotByAwsServices']);
    }
  });

  test('still reads the logs and the bucket configuration', async () => {
    expect((await asPrincipal(ADMIN, 's3:GetObject', LOG_OBJECT)).decision).toBe('Allowed');
    expect((await asPrincipal(ADMIN, 's3:GetBucketPolicy', BUCKET_ARN)).decision).toBe('Allowed');
    expect((await onKey(ADMIN, 'kms:DescribeKey')).decision).toBe('Allowed');
  });
});

describe('the break-glass principal (*:*)', () => {
  test.each([...PROTECTED_OBJECT_ACTIONS])('is allowed %s on a log object', async (action) => {
    expect((await asPrincipal(BREAK_GLASS, action, LOG_OBJECT)).decision).toBe('Allowed');
  });

  test.each([...PROTECTED_BUCKET_ACTIONS])('is allowed %s on the log bucket', async (action) => {
    expect((await asPrincipal(BREAK_GLASS, action, BUCKET_ARN)).decision).toBe('Allowed');
  });

  test.each([...PROTECTED_KEY_ACTIONS])('is allowed %s on the archive key', async (action) => {
    expect((await onKey(BREAK_GLASS, action)).decision).toBe('Allowed');
  });

  test('is not exempt from the rule that only AWS services write log files', async () => {
    expect((await asPrincipal(BREAK_GLASS, 's3:PutObject', LOG_OBJECT)).deniedBy).toEqual(['DenyWritesNotByAwsServices']);
  });
});

describe('the CloudFormation execution role (stack updates)', () => {
  // Spelled out rather than taken from the lists, so that a change to the lists shows here.
  test.each([
    ['s3:PutBucketPolicy', BUCKET_ARN], ['s3:PutLifecycleConfiguration', BUCKET_ARN], ['kms:PutKeyPolicy', 'key'],
  ])('is allowed %s: stack updates need it (and KMS\'s lockout check, PutKeyPolicy)', async (action, resource) => {
    const result = resource === 'key' ? await onKey(EXEC_ROLE, action) : await asPrincipal(EXEC_ROLE, action, resource);
    expect(result).toMatchObject({ decision: 'Allowed', deniedBy: [] });
  });

  test.each([
    ['s3:DeleteBucket', BUCKET_ARN, 'DenyBucketDestructionExceptBreakGlass'],
    ['s3:DeleteBucketPolicy', BUCKET_ARN, 'DenyBucketDestructionExceptBreakGlass'],
    ['s3:PutBucketAcl', BUCKET_ARN, 'DenyBucketDestructionExceptBreakGlass'],
    ['s3:DeleteObject', LOG_OBJECT, 'DenyLogObjectDestruction'],
    ['s3:BypassGovernanceRetention', LOG_OBJECT, 'DenyLogObjectDestruction'],
    ['kms:ScheduleKeyDeletion', 'key', 'DenyKeyDestructionExceptBreakGlass'],
    ['kms:DisableKey', 'key', 'DenyKeyDestructionExceptBreakGlass'],
    ['kms:DisableKeyRotation', 'key', 'DenyKeyDestructionExceptBreakGlass'],
  ])('is denied %s: no stack update needs it', async (action, resource, sid) => {
    const result = resource === 'key' ? await onKey(EXEC_ROLE, action) : await asPrincipal(EXEC_ROLE, action, resource);
    expect(result).toMatchObject({ decision: 'ExplicitlyDenied', deniedBy: [sid] });
  });

  test.each([...BUCKET_UPDATE_ACTIONS])('can still %s', async (action) => {
    expect((await asPrincipal(EXEC_ROLE, action, BUCKET_ARN)).decision).toBe('Allowed');
  });

  test.each([...BUCKET_DESTRUCTION_ACTIONS])('cannot %s', async (action) => {
    expect((await asPrincipal(EXEC_ROLE, action, BUCKET_ARN)).deniedBy).toEqual(['DenyBucketDestructionExceptBreakGlass']);
  });

  test.each([...KEY_UPDATE_ACTIONS])('can still %s on the key', async (action) => {
    expect((await onKey(EXEC_ROLE, action)).decision).toBe('Allowed');
  });

  test.each([...KEY_DESTRUCTION_ACTIONS])('cannot %s on the key', async (action) => {
    expect((await onKey(EXEC_ROLE, action)).deniedBy).toEqual(['DenyKeyDestructionExceptBreakGlass']);
  });

  test.each([...PROTECTED_OBJECT_ACTIONS])('cannot %s: a stack update never needs to', async (action) => {
    expect((await asPrincipal(EXEC_ROLE, action, LOG_OBJECT)).deniedBy).toEqual(['DenyLogObjectDestruction']);
  });
});

describe('the access-log bucket (evidence of who read or tried to delete logs)', () => {
  const onAccessLogs = (principal: string, action: string, resource: string) => onBucket({
    principal, action, resource, context: { ...TLS, ...iamPrincipal(principal) }, identityPolicies: [ALL],
  }, accessLogsPolicy);

  test.each([...PROTECTED_OBJECT_ACTIONS])('an administrator (*:*) is denied %s on an access-log object', async (action) => {
    expect(await onAccessLogs(ADMIN, action, ACCESS_LOG_OBJECT))
      .toEqual({ decision: 'ExplicitlyDenied', allowedBy: ['(no sid)'], deniedBy: ['DenyLogObjectDestruction'] });
  });

  test.each([...PROTECTED_BUCKET_ACTIONS])('an administrator (*:*) is denied %s on the access-log bucket', async (action) => {
    expect(await onAccessLogs(ADMIN, action, ACCESS_LOG_BUCKET_ARN))
      .toEqual({ decision: 'ExplicitlyDenied', allowedBy: ['(no sid)'], deniedBy: [bucketDeny(action)] });
  });

  test('an administrator may not write (forge) an access log', async () => {
    expect((await onAccessLogs(ADMIN, 's3:PutObject', ACCESS_LOG_OBJECT)).deniedBy).toEqual(['DenyWritesNotByAwsServices']);
  });

  test('the S3 logging service still delivers the log bucket\'s access logs', async () => {
    const result = await onBucket({
      principal: 'logging.s3.amazonaws.com',
      action: 's3:PutObject',
      resource: ACCESS_LOG_OBJECT,
      context: { ...TLS, ...SERVICE, 'aws:SourceArn': BUCKET_ARN, 'aws:SourceAccount': LOG_ARCHIVE_ACCOUNT },
    }, accessLogsPolicy);
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['S3ServerAccessLogsDelivery'], deniedBy: [] });
  });

  test('the deployment role is allowed PutBucketPolicy and denied DeleteBucket and object deletion', async () => {
    expect((await onAccessLogs(EXEC_ROLE, 's3:PutBucketPolicy', ACCESS_LOG_BUCKET_ARN)).decision).toBe('Allowed');
    expect((await onAccessLogs(EXEC_ROLE, 's3:DeleteBucket', ACCESS_LOG_BUCKET_ARN)).deniedBy).toEqual(['DenyBucketDestructionExceptBreakGlass']);
    expect((await onAccessLogs(EXEC_ROLE, 's3:DeleteObject', ACCESS_LOG_OBJECT)).deniedBy).toEqual(['DenyLogObjectDestruction']);
  });

  test('the break-glass role keeps every protected action', async () => {
    for (const action of PROTECTED_OBJECT_ACTIONS) expect((await onAccessLogs(BREAK_GLASS, action, ACCESS_LOG_OBJECT)).decision).toBe('Allowed');
    for (const action of PROTECTED_BUCKET_ACTIONS) expect((await onAccessLogs(BREAK_GLASS, action, ACCESS_LOG_BUCKET_ARN)).decision).toBe('Allowed');
  });
});

describe('CloudTrail delivery is unaffected', () => {
  test('PutObject with the trail ARN and the ACL header', async () => {
    const result = await onBucket({
      principal: CLOUDTRAIL,
      action: 's3:PutObject',
      resource: LOG_OBJECT,
      context: { ...TLS, ...SERVICE, 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': ORG_TRAIL.trailArn },
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['CloudTrailWrite0'], deniedBy: [] });
  });

  test('GetBucketAcl with the trail ARN', async () => {
    expect((await onBucket({
      principal: CLOUDTRAIL,
      action: 's3:GetBucketAcl',
      resource: BUCKET_ARN,
      context: { ...TLS, ...SERVICE, 'aws:SourceArn': ACCOUNT_TRAIL.trailArn },
    })).decision).toBe('Allowed');
  });

  test('GenerateDataKey with the CloudTrail encryption context', async () => {
    const result = await onKey(CLOUDTRAIL, 'kms:GenerateDataKey', {
      ...SERVICE, [CONTEXT_KEY]: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT}:trail/org-trail`, 'aws:SourceArn': ORG_TRAIL.trailArn,
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['CloudTrailEncrypt0'], deniedBy: [] });
  });
});

describe('the key in a security account (TrailArchiveKey)', () => {
  test('CloudTrail encrypts with the writer\'s encryption context and trail ARN', async () => {
    expect((await onRemoteKey({
      principal: CLOUDTRAIL,
      action: 'kms:GenerateDataKey',
      context: { ...SERVICE, [CONTEXT_KEY]: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT}:trail/org-trail`, 'aws:SourceArn': ORG_TRAIL.trailArn },
    })).decision).toBe('Allowed');
  });

  test.each([...PROTECTED_KEY_ACTIONS])('an administrator of the security account is denied %s', async (action) => {
    const result = await onRemoteKey({ principal: SECURITY_ADMIN, action, context: iamPrincipal(SECURITY_ADMIN), identityPolicies: [ALL] });
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(result.deniedBy).toEqual([keyDeny(action)]);
  });

  test.each([...KEY_DESTRUCTION_ACTIONS])('its own deployment role is denied %s', async (action) => {
    const result = await onRemoteKey({ principal: SECURITY_EXEC_ROLE, action, context: iamPrincipal(SECURITY_EXEC_ROLE), identityPolicies: [ALL] });
    expect(result.deniedBy).toEqual(['DenyKeyDestructionExceptBreakGlass']);
  });

  test('its break-glass role and its own deployment role keep the key actions', async () => {
    for (const principal of [SECURITY_BREAK_GLASS, SECURITY_EXEC_ROLE]) {
      expect((await onRemoteKey({ principal, action: 'kms:PutKeyPolicy', context: iamPrincipal(principal), identityPolicies: [ALL] })).decision)
        .toBe('Allowed');
    }
  });

  test('an administrator of the log-archive account cannot manage it at all', async () => {
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy']) {
      expect((await onRemoteKey({ principal: ADMIN, action, context: iamPrincipal(ADMIN), identityPolicies: [ALL] })).decision)
        .not.toBe('Allowed');
    }
  });

  test('the log-archive reader (grantRead) decrypts CloudTrail logs through S3', async () => {
    const request = (context: Record<string, string>) => onRemoteKey({
      principal: READER,
      action: 'kms:Decrypt',
      identityPolicies: readerPolicies,
      context: { ...iamPrincipal(READER), [CONTEXT_KEY]: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT}:trail/org-trail`, ...context },
    });
    const viaS3 = await request({ 'kms:ViaService': 's3.us-east-1.amazonaws.com' });
    expect(viaS3.decision).toBe('Allowed');
    expect(viaS3.allowedBy).toContain('ArchiveReadersDecrypt');
    expect((await request({})).decision).not.toBe('Allowed');
  });

  test('the archive bucket still lets CloudTrail deliver and denies the log-archive admin', async () => {
    const object = `arn:aws:s3:::${BUCKET}-remote-key/${orgLogKey(MEMBER_ACCOUNT)}`;
    expect((await onBucket({
      principal: CLOUDTRAIL,
      action: 's3:PutObject',
      resource: object,
      context: { ...TLS, ...SERVICE, 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': ORG_TRAIL.trailArn },
    }, remoteBucketPolicy)).decision).toBe('Allowed');
    expect((await onBucket({
      principal: ADMIN, action: 's3:DeleteObjectVersion', resource: object, context: { ...TLS, ...iamPrincipal(ADMIN) }, identityPolicies: [ALL],
    }, remoteBucketPolicy)).deniedBy).toEqual(['DenyLogObjectDestruction']);
  });
});

describe('a break-glass role of another account (the security account)', () => {
  const CROSS_BREAK_GLASS = `arn:aws:iam::${SECURITY_ACCOUNT}:role/ArchiveBreakGlass`;
  let crossPolicy: PolicyDocument;

  beforeAll(() => {
    const stack = new Stack(new App(), 'CrossAccountBreakGlass', { env: { account: LOG_ARCHIVE_ACCOUNT, region: 'us-east-1' } });
    const archive = new TrailArchive(stack, 'Archive', {
      writers: [ORG_TRAIL],
      bucketName: BUCKET,
      accessLogsBucketName: `${BUCKET}-access`,
      breakGlassPrincipalArns: [BREAK_GLASS, CROSS_BREAK_GLASS],
    });
    crossPolicy = new DeployedStack(stack).bucketPolicy(archive.bucket);
  });

  const as = (principal: string, action: string, resource: string) => onBucket({
    principal, action, resource, context: { ...TLS, ...iamPrincipal(principal) }, identityPolicies: [ALL],
  }, crossPolicy);

  test.each([...PROTECTED_OBJECT_ACTIONS])('is allowed %s on a log object, by the bucket policy\'s Allow', async (action) => {
    const result = await as(CROSS_BREAK_GLASS, action, LOG_OBJECT);
    expect(result.decision).toBe('Allowed');
    expect(result.allowedBy).toContain('AllowOtherAccountBreakGlassObjects');
  });

  test.each([...PROTECTED_BUCKET_ACTIONS])('is allowed %s on the log bucket, by the bucket policy\'s Allow', async (action) => {
    const result = await as(CROSS_BREAK_GLASS, action, BUCKET_ARN);
    expect(result.decision).toBe('Allowed');
    expect(result.allowedBy).toContain('AllowOtherAccountBreakGlassConfiguration');
  });

  test.each([...PROTECTED_OBJECT_ACTIONS])('another role of that account (*:*) is denied %s on a log object', async (action) => {
    expect(await as(SECURITY_ADMIN, action, LOG_OBJECT)).toEqual({ decision: 'ExplicitlyDenied', allowedBy: ['(no sid)'], deniedBy: ['DenyLogObjectDestruction'] });
  });

  test.each([...PROTECTED_BUCKET_ACTIONS])('another role of that account (*:*) is denied %s on the log bucket', async (action) => {
    const result = await as(SECURITY_ADMIN, action, BUCKET_ARN);
    expect(result.decision).toBe('ExplicitlyDenied');
    // Only its own identity policy allows it; the bucket policy's Allow names the break-glass role alone.
    expect(result.allowedBy).toEqual(['(no sid)']);
    expect(result.deniedBy).toHaveLength(1);
  });

  test('gets nothing beyond what the denies exempt it from: no reads, no writes', async () => {
    expect((await as(CROSS_BREAK_GLASS, 's3:GetObject', LOG_OBJECT)).decision).not.toBe('Allowed');
    expect((await as(CROSS_BREAK_GLASS, 's3:PutObject', LOG_OBJECT)).deniedBy).toEqual(['DenyWritesNotByAwsServices']);
  });

  test('the break-glass role of the archive\'s own account is still allowed by its own IAM policies only', async () => {
    const result = await as(BREAK_GLASS, 's3:DeleteObjectVersion', LOG_OBJECT);
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['(no sid)'], deniedBy: [] });
  });
});
