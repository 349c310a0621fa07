import {
  ACCOUNT_TRAIL, archiveStacks, ArchiveStacks, AUDITOR_ROLE_ARN, LOG_ARCHIVE_ACCOUNT, LOG_BUCKET, MANAGEMENT_ACCOUNT,
  MEMBER_ACCOUNT, ORG_TRAIL, orgLogKey, OUTSIDE_ACCOUNT, READER_ROLE, ROGUE_TRAIL_ARN, STANDALONE_ACCOUNT, TLS,
} from './support/fixtures';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from './support/policy-harness';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
const CONTEXT_KEY = 'kms:EncryptionContext:aws:cloudtrail:arn';
const READER_ARN = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/${READER_ROLE}`;
const ADMIN_ARN = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:user/key-admin`;
/** An identity policy that allows every KMS action: what an administrator, or a principal of another account, may hold. */
const KMS_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

let stacks: ArchiveStacks;
let keyArn: string;
let keyPolicy: PolicyDocument;
let bucketPolicy: PolicyDocument;
let readerPolicies: PolicyDocument[];

beforeAll(() => {
  stacks = archiveStacks();
  const archive = new DeployedStack(stacks.stack);
  keyArn = archive.arnOf(stacks.archive.key);
  keyPolicy = archive.keyPolicy(stacks.archive.key);
  bucketPolicy = archive.bucketPolicy(stacks.archive.bucket);
  readerPolicies = archive.identityPolicies(stacks.reader);
});

function onKey(request: Omit<AccessRequest, 'resource' | 'resourceAccount' | 'resourcePolicy'>) {
  return evaluate({ resource: keyArn, resourceAccount: LOG_ARCHIVE_ACCOUNT, resourcePolicy: keyPolicy, ...request });
}

async function decideOnKey(request: Omit<AccessRequest, 'resource' | 'resourceAccount' | 'resourcePolicy'>): Promise<string> {
  return (await onKey(request)).decision;
}

/** The trail ARN CloudTrail puts in the encryption context: any trail of `account`. */
function contextArn(account: string, trail = 'org-trail', region = 'us-east-1'): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${trail}`;
}

describe('key policy: CloudTrail encrypting log files', () => {
  test('GenerateDataKey with the writer account in the encryption context and the trail ARN is allowed', async () => {
    const result = await onKey({
      principal: CLOUDTRAIL,
      action: 'kms:GenerateDataKey',
      context: { [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT), 'aws:SourceArn': ORG_TRAIL.trailArn },
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['CloudTrailEncrypt0'], deniedBy: [] });
  });

  test('GenerateDataKey with a trail of another account in the encryption context is denied', async () => {
    expect(await decideOnKey({
      principal: CLOUDTRAIL,
      action: 'kms:GenerateDataKey',
      context: { [CONTEXT_KEY]: contextArn(MEMBER_ACCOUNT), 'aws:SourceArn': ORG_TRAIL.trailArn },
    })).toBe('ImplicitlyDenied');
  });

  test('GenerateDataKey for another trail of the writer account (aws:SourceArn) is denied', async () => {
    expect(await decideOnKey({
      principal: CLOUDTRAIL,
      action: 'kms:GenerateDataKey',
      context: { [CONTEXT_KEY]: ROGUE_TRAIL_ARN, 'aws:SourceArn': ROGUE_TRAIL_ARN },
    })).toBe('ImplicitlyDenied');
  });

  test('GenerateDataKey without an encryption context is denied', async () => {
    expect(await decideOnKey({ principal: CLOUDTRAIL, action: 'kms:GenerateDataKey', context: { 'aws:SourceArn': ORG_TRAIL.trailArn } }))
      .toBe('ImplicitlyDenied');
  });

  test('GenerateDataKey without aws:SourceArn is denied', async () => {
    expect(await decideOnKey({ principal: CLOUDTRAIL, action: 'kms:GenerateDataKey', context: { [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT) } }))
      .toBe('ImplicitlyDenied');
  });

  test('DescribeKey with the trail ARN is allowed', async () => {
    const result = await onKey({ principal: CLOUDTRAIL, action: 'kms:DescribeKey', context: { 'aws:SourceArn': ORG_TRAIL.trailArn } });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['CloudTrailDescribeDecrypt0'], deniedBy: [] });
  });

  test('DescribeKey without aws:SourceArn or for another trail is denied', async () => {
    expect(await decideOnKey({ principal: CLOUDTRAIL, action: 'kms:DescribeKey', context: {} })).toBe('ImplicitlyDenied');
    expect(await decideOnKey({ principal: CLOUDTRAIL, action: 'kms:DescribeKey', context: { 'aws:SourceArn': ROGUE_TRAIL_ARN } }))
      .toBe('ImplicitlyDenied');
  });

  test('Decrypt (S3 Bucket Keys) with the trail ARN is allowed', async () => {
    expect(await decideOnKey({ principal: CLOUDTRAIL, action: 'kms:Decrypt', context: { 'aws:SourceArn': ORG_TRAIL.trailArn } }))
      .toBe('Allowed');
  });

  test('Decrypt for another trail is denied', async () => {
    expect(await decideOnKey({ principal: CLOUDTRAIL, action: 'kms:Decrypt', context: { 'aws:SourceArn': ROGUE_TRAIL_ARN } }))
      .toBe('ImplicitlyDenied');
  });

  test('CloudTrail may not manage the key', async () => {
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKey']) {
      expect(await decideOnKey({ principal: CLOUDTRAIL, action, context: { 'aws:SourceArn': ORG_TRAIL.trailArn } }))
        .toBe('ExplicitlyDenied');
    }
  });
});

describe('key policy: the second writer (account trail)', () => {
  const accountTrailContext = contextArn(STANDALONE_ACCOUNT, 'account-trail', 'eu-west-1');

  test('GenerateDataKey with its own account and ARN is allowed by its own statement', async () => {
    const result = await onKey({
      principal: CLOUDTRAIL,
      action: 'kms:GenerateDataKey',
      context: { [CONTEXT_KEY]: accountTrailContext, 'aws:SourceArn': ACCOUNT_TRAIL.trailArn },
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['CloudTrailEncrypt1'], deniedBy: [] });
  });

  test("GenerateDataKey with its ARN but the organization trail's encryption context is denied", async () => {
    expect(await decideOnKey({
      principal: CLOUDTRAIL,
      action: 'kms:GenerateDataKey',
      context: { [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT), 'aws:SourceArn': ACCOUNT_TRAIL.trailArn },
    })).toBe('ImplicitlyDenied');
  });

  test("GenerateDataKey with the organization trail's ARN but its encryption context is denied", async () => {
    expect(await decideOnKey({
      principal: CLOUDTRAIL,
      action: 'kms:GenerateDataKey',
      context: { [CONTEXT_KEY]: accountTrailContext, 'aws:SourceArn': ORG_TRAIL.trailArn },
    })).toBe('ImplicitlyDenied');
  });
});

describe('key policy: other principals', () => {
  test('a principal of another account with kms:* in its own policy cannot decrypt', async () => {
    expect(await decideOnKey({
      principal: `arn:aws:iam::${OUTSIDE_ACCOUNT}:role/admin`,
      action: 'kms:Decrypt',
      context: { [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT) },
      identityPolicies: [KMS_ALL],
    })).toBe('ImplicitlyDenied');
  });

  test('kms:CreateGrant by a user, not for an AWS resource, is explicitly denied', async () => {
    const result = await onKey({
      principal: ADMIN_ARN,
      action: 'kms:CreateGrant',
      context: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      identityPolicies: [KMS_ALL],
    });
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(result.deniedBy).toEqual(['DenyGrantsNotForAwsResources']);
  });

  test('kms:CreateGrant by a user without the GrantIsForAWSResource key is explicitly denied', async () => {
    expect(await decideOnKey({
      principal: ADMIN_ARN, action: 'kms:CreateGrant', context: { 'aws:PrincipalIsAWSService': 'false' }, identityPolicies: [KMS_ALL],
    })).toBe('ExplicitlyDenied');
  });

  test('kms:CreateGrant by a user for an AWS resource is allowed (IAM policy and the account statement)', async () => {
    expect(await decideOnKey({
      principal: ADMIN_ARN,
      action: 'kms:CreateGrant',
      context: { 'kms:GrantIsForAWSResource': 'true', 'aws:PrincipalIsAWSService': 'false' },
      identityPolicies: [KMS_ALL],
    })).toBe('Allowed');
  });
});

describe('reader (archive.grantRead, same account)', () => {
  const asReader = (request: Omit<AccessRequest, 'principal' | 'identityPolicies' | 'resourceAccount'>) =>
    evaluate({ principal: READER_ARN, identityPolicies: readerPolicies, resourceAccount: LOG_ARCHIVE_ACCOUNT, ...request });
  const VIA_S3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
  const decrypt = async (context: { [key: string]: string }) =>
    (await asReader({ action: 'kms:Decrypt', resource: keyArn, context: { ...VIA_S3, ...context }, resourcePolicy: keyPolicy })).decision;
  const s3 = async (action: string, key: string, context: { [key: string]: string } = TLS) =>
    (await asReader({ action, resource: `arn:aws:s3:::${LOG_BUCKET}/${key}`, context, resourcePolicy: bucketPolicy })).decision;

  test('kms:Decrypt with the CloudTrail encryption context of the organization trail is allowed', async () => {
    const result = await asReader({
      action: 'kms:Decrypt', resource: keyArn, context: { [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT), ...VIA_S3 }, resourcePolicy: keyPolicy,
    });
    expect(result.decision).toBe('Allowed');
    // The identity policy and the key policy's account statement together; no CloudTrail statement.
    expect(result.allowedBy).toEqual(['(no sid)', '(no sid)']);
  });

  test('kms:Decrypt with the encryption context of the account trail is allowed', async () => {
    expect(await decrypt({ [CONTEXT_KEY]: contextArn(STANDALONE_ACCOUNT, 'account-trail', 'eu-west-1') })).toBe('Allowed');
  });

  test('kms:Decrypt outside S3 (a data key lifted from an object, decrypted directly) is denied', async () => {
    expect((await asReader({
      action: 'kms:Decrypt', resource: keyArn, context: { [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT) }, resourcePolicy: keyPolicy,
    })).decision).toBe('ImplicitlyDenied');
  });

  test('kms:Decrypt without an encryption context is denied', async () => {
    expect(await decrypt({})).toBe('ImplicitlyDenied');
  });

  test('kms:Decrypt with the encryption context of a trail of a non-writer account is denied', async () => {
    expect(await decrypt({ [CONTEXT_KEY]: contextArn(MEMBER_ACCOUNT) })).toBe('ImplicitlyDenied');
  });

  test('kms:Decrypt with another service\'s encryption context is denied', async () => {
    expect(await decrypt({ 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::${LOG_BUCKET}` })).toBe('ImplicitlyDenied');
  });

  test('the reader cannot encrypt or generate data keys', async () => {
    for (const action of ['kms:Encrypt', 'kms:GenerateDataKey']) {
      expect((await asReader({ action, resource: keyArn, context: { [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT) }, resourcePolicy: keyPolicy }))
        .decision).toBe('ImplicitlyDenied');
    }
  });

  test('s3:GetObject of an organization log file is allowed', async () => {
    expect(await s3('s3:GetObject', orgLogKey(MEMBER_ACCOUNT))).toBe('Allowed');
  });

  test('s3:GetObject of a management-account and an account-trail log file is allowed', async () => {
    expect(await s3('s3:GetObject', `AWSLogs/${MANAGEMENT_ACCOUNT}/CloudTrail/us-east-1/2026/11/23/x.json.gz`)).toBe('Allowed');
    expect(await s3('s3:GetObject', `AWSLogs/${STANDALONE_ACCOUNT}/CloudTrail/eu-west-1/2026/11/23/x.json.gz`)).toBe('Allowed');
  });

  test('s3:GetObject outside the log paths is denied', async () => {
    expect(await s3('s3:GetObject', 'private/notes.txt')).toBe('ImplicitlyDenied');
    expect(await s3('s3:GetObject', `AWSLogs/${MEMBER_ACCOUNT}/CloudTrail/us-east-1/2026/11/23/x.json.gz`)).toBe('ImplicitlyDenied');
  });

  test('s3:PutObject and s3:DeleteObject on a log file are denied', async () => {
    expect(await s3('s3:PutObject', orgLogKey(MEMBER_ACCOUNT))).toBe('ImplicitlyDenied');
    expect(await s3('s3:DeleteObject', orgLogKey(MEMBER_ACCOUNT))).toBe('ExplicitlyDenied');
  });

  test('s3:ListBucket is allowed', async () => {
    expect((await asReader({ action: 's3:ListBucket', resource: `arn:aws:s3:::${LOG_BUCKET}`, context: TLS, resourcePolicy: bucketPolicy }))
      .decision).toBe('Allowed');
  });

  test('s3:GetObject over plain HTTP is explicitly denied', async () => {
    expect(await s3('s3:GetObject', orgLogKey(MEMBER_ACCOUNT), { 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
  });
});

describe('reader of another account (archive.grantRead)', () => {
  let shared: DeployedStack;
  beforeAll(() => {
    shared = new DeployedStack(stacks.crossAccountStack);
  });
  const auditorDecrypt = async (context: { [key: string]: string }, viaS3 = true) => (await evaluate({
    principal: AUDITOR_ROLE_ARN,
    action: 'kms:Decrypt',
    resource: shared.arnOf(stacks.crossAccountArchive.key),
    resourceAccount: LOG_ARCHIVE_ACCOUNT,
    context: viaS3 ? { 'kms:ViaService': 's3.us-east-1.amazonaws.com', ...context } : context,
    identityPolicies: [KMS_ALL],
    resourcePolicy: shared.keyPolicy(stacks.crossAccountArchive.key),
  })).decision;

  // A key-policy statement naming the key's own ARN would make the key depend on itself.
  test('granting read to a role of another account leaves the log-archive stack deployable', () => {
    let error: unknown;
    try {
      new DeployedStack(stacks.crossAccountStack);
    } catch (e) {
      error = e;
    }
    expect(String(error ?? '')).not.toMatch(/dependency cycle: ArchiveKey\w+ -> ArchiveKey\w+/);
  });

  test('the role of another account may decrypt with the CloudTrail encryption context', async () => {
    expect(await auditorDecrypt({ [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT) })).toBe('Allowed');
  });

  // The key policy itself must carry the encryption-context condition: the grantee's own account controls
  // its identity policies, not the archive owner.
  test('the role of another account may not decrypt outside S3', async () => {
    expect(await auditorDecrypt({ [CONTEXT_KEY]: contextArn(MANAGEMENT_ACCOUNT) }, false)).toBe('ImplicitlyDenied');
  });

  test('the role of another account may not decrypt without the CloudTrail encryption context', async () => {
    expect(await auditorDecrypt({})).toBe('ImplicitlyDenied');
  });

  test('the role of another account may not decrypt under another service\'s encryption context', async () => {
    expect(await auditorDecrypt({ 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::${LOG_BUCKET}` })).toBe('ImplicitlyDenied');
  });
});
