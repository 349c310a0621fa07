import {
  ACCESS_LOG_BUCKET, ACCOUNT_TRAIL, archiveStacks, AUDITOR_ROLE_ARN, LOG_ARCHIVE_ACCOUNT, LOG_BUCKET, MANAGEMENT_ACCOUNT,
  MEMBER_ACCOUNT, ORG_TRAIL, ORGANIZATION_ID, orgLogKey, OUTSIDE_ACCOUNT, PREFIXED_LOG_BUCKET, ROGUE_TRAIL_ARN, SHARED_LOG_BUCKET,
  STANDALONE_ACCOUNT, TLS,
} from './support/fixtures';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from './support/policy-harness';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
const BUCKET_OWNER_FULL_CONTROL = { 's3:x-amz-acl': 'bucket-owner-full-control' };
/** An identity policy that allows every S3 action: what a principal of another account may give itself. */
const S3_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };

let logBucketPolicy: PolicyDocument;
let accessLogBucketPolicy: PolicyDocument;
let prefixedBucketPolicy: PolicyDocument;
let sharedBucketPolicy: PolicyDocument;

beforeAll(() => {
  const stacks = archiveStacks();
  const archive = new DeployedStack(stacks.stack);
  logBucketPolicy = archive.bucketPolicy(stacks.archive.bucket);
  accessLogBucketPolicy = archive.bucketPolicy(stacks.archive.accessLogsBucket!);
  prefixedBucketPolicy = new DeployedStack(stacks.prefixedStack).bucketPolicy(stacks.prefixedArchive.bucket);
  sharedBucketPolicy = new DeployedStack(stacks.crossAccountStack).bucketPolicy(stacks.crossAccountArchive.bucket);
});

function object(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** CloudTrail delivering a log file the way it does: over TLS, with the ACL header and its trail's ARN. */
function delivery(key: string, overrides: Partial<AccessRequest> = {}, bucket = LOG_BUCKET): Promise<string> {
  return decide({
    principal: CLOUDTRAIL,
    action: 's3:PutObject',
    resource: object(bucket, key),
    context: { ...TLS, ...BUCKET_OWNER_FULL_CONTROL, 'aws:SourceArn': ORG_TRAIL.trailArn },
    ...overrides,
  }, bucket === PREFIXED_LOG_BUCKET ? prefixedBucketPolicy : logBucketPolicy);
}

async function decide(request: Omit<AccessRequest, 'resourceAccount'>, policy: PolicyDocument): Promise<string> {
  return (await evaluate({ resourceAccount: LOG_ARCHIVE_ACCOUNT, resourcePolicy: policy, ...request })).decision;
}

describe('log bucket: organization trail delivery', () => {
  test('a log file of a member account, with the trail ARN, the ACL header and TLS 1.3, is allowed', async () => {
    const result = await evaluate({
      principal: CLOUDTRAIL,
      action: 's3:PutObject',
      resource: object(LOG_BUCKET, orgLogKey(MEMBER_ACCOUNT)),
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      context: { ...TLS, ...BUCKET_OWNER_FULL_CONTROL, 'aws:SourceArn': ORG_TRAIL.trailArn },
      resourcePolicy: logBucketPolicy,
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['CloudTrailWrite0'], deniedBy: [] });
  });

  test('the same file from another trail of the management account is denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), {
      context: { ...TLS, ...BUCKET_OWNER_FULL_CONTROL, 'aws:SourceArn': ROGUE_TRAIL_ARN },
    })).toBe('ImplicitlyDenied');
  });

  test('the same file without aws:SourceArn is denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), { context: { ...TLS, ...BUCKET_OWNER_FULL_CONTROL } }))
      .toBe('ImplicitlyDenied');
  });

  test('the same file without the x-amz-acl header is denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), { context: { ...TLS, 'aws:SourceArn': ORG_TRAIL.trailArn } }))
      .toBe('ImplicitlyDenied');
  });

  test('the same file with another canned ACL is denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), {
      context: { ...TLS, 's3:x-amz-acl': 'private', 'aws:SourceArn': ORG_TRAIL.trailArn },
    })).toBe('ImplicitlyDenied');
  });

  test('a log file under the management account path AWSLogs/<management account>/ is allowed', async () => {
    expect(await delivery(`AWSLogs/${MANAGEMENT_ACCOUNT}/CloudTrail/us-east-1/2026/11/23/x.json.gz`)).toBe('Allowed');
  });

  test('a digest file under the organization path is allowed', async () => {
    expect(await delivery(`AWSLogs/${ORGANIZATION_ID}/${MANAGEMENT_ACCOUNT}/CloudTrail-Digest/us-east-1/2026/11/23/` +
      `${MANAGEMENT_ACCOUNT}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261123T090000Z.json.gz`)).toBe('Allowed');
  });

  test('an object outside AWSLogs/ is denied', async () => {
    expect(await delivery('x.json.gz')).toBe('ImplicitlyDenied');
    expect(await delivery(`other/AWSLogs/${ORGANIZATION_ID}/${MEMBER_ACCOUNT}/x.json.gz`)).toBe('ImplicitlyDenied');
  });

  test("another organization's path is denied", async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT).replace(ORGANIZATION_ID, 'o-zz9yy8xx7w'))).toBe('ImplicitlyDenied');
  });

  test("the account trail's path is denied to the organization trail", async () => {
    expect(await delivery(`AWSLogs/${STANDALONE_ACCOUNT}/CloudTrail/eu-west-1/2026/11/23/x.json.gz`))
      .toBe('ImplicitlyDenied');
  });

  test('delivery over plain HTTP is explicitly denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), {
      context: { 'aws:SecureTransport': 'false', ...BUCKET_OWNER_FULL_CONTROL, 'aws:SourceArn': ORG_TRAIL.trailArn },
    })).toBe('ExplicitlyDenied');
  });

  test('delivery over TLS 1.1 is explicitly denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), {
      context: { ...TLS, 's3:TlsVersion': '1.1', ...BUCKET_OWNER_FULL_CONTROL, 'aws:SourceArn': ORG_TRAIL.trailArn },
    })).toBe('ExplicitlyDenied');
  });

  test('delivery over TLS 1.2 is allowed', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), {
      context: { ...TLS, 's3:TlsVersion': '1.2', ...BUCKET_OWNER_FULL_CONTROL, 'aws:SourceArn': ORG_TRAIL.trailArn },
    })).toBe('Allowed');
  });

  test('GetBucketAcl with the trail ARN is allowed', async () => {
    const result = await evaluate({
      principal: CLOUDTRAIL,
      action: 's3:GetBucketAcl',
      resource: `arn:aws:s3:::${LOG_BUCKET}`,
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      context: { ...TLS, 'aws:SourceArn': ORG_TRAIL.trailArn },
      resourcePolicy: logBucketPolicy,
    });
    expect(result.decision).toBe('Allowed');
    expect(result.allowedBy).toEqual(['CloudTrailAclCheck0']);
  });

  test('GetBucketAcl without aws:SourceArn is denied', async () => {
    expect(await decide({ principal: CLOUDTRAIL, action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${LOG_BUCKET}`, context: TLS },
      logBucketPolicy)).toBe('ImplicitlyDenied');
  });

  test('GetBucketAcl for another trail is denied', async () => {
    expect(await decide({
      principal: CLOUDTRAIL,
      action: 's3:GetBucketAcl',
      resource: `arn:aws:s3:::${LOG_BUCKET}`,
      context: { ...TLS, 'aws:SourceArn': ROGUE_TRAIL_ARN },
    }, logBucketPolicy)).toBe('ImplicitlyDenied');
  });

  test('CloudTrail may not read or delete log files', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), { action: 's3:GetObject', context: { ...TLS, 'aws:SourceArn': ORG_TRAIL.trailArn } }))
      .toBe('ImplicitlyDenied');
    // Deleting is denied outright by the archive's protection, to services as to everyone else.
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), { action: 's3:DeleteObject', context: { ...TLS, 'aws:SourceArn': ORG_TRAIL.trailArn } }))
      .toBe('ExplicitlyDenied');
  });
});

describe('log bucket: second writer (account trail)', () => {
  const accountContext = { ...TLS, ...BUCKET_OWNER_FULL_CONTROL, 'aws:SourceArn': ACCOUNT_TRAIL.trailArn };
  const accountKey = `AWSLogs/${STANDALONE_ACCOUNT}/CloudTrail/eu-west-1/2026/11/23/x.json.gz`;

  test('its own path with its own ARN is allowed by its own statement', async () => {
    const result = await evaluate({
      principal: CLOUDTRAIL,
      action: 's3:PutObject',
      resource: object(LOG_BUCKET, accountKey),
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      context: accountContext,
      resourcePolicy: logBucketPolicy,
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['CloudTrailWrite1'], deniedBy: [] });
  });

  test("the organization's path is denied to it", async () => {
    expect(await delivery(orgLogKey(STANDALONE_ACCOUNT), { context: accountContext })).toBe('ImplicitlyDenied');
  });

  test("the management account's path is denied to it", async () => {
    expect(await delivery(`AWSLogs/${MANAGEMENT_ACCOUNT}/CloudTrail/eu-west-1/2026/11/23/x.json.gz`, { context: accountContext }))
      .toBe('ImplicitlyDenied');
  });

  test('its path with the organization trail ARN is denied', async () => {
    expect(await delivery(accountKey)).toBe('ImplicitlyDenied');
  });

  test('GetBucketAcl with its ARN is allowed', async () => {
    expect(await decide({
      principal: CLOUDTRAIL,
      action: 's3:GetBucketAcl',
      resource: `arn:aws:s3:::${LOG_BUCKET}`,
      context: { ...TLS, 'aws:SourceArn': ACCOUNT_TRAIL.trailArn },
    }, logBucketPolicy)).toBe('Allowed');
  });
});

describe('log bucket with key prefix org-trail', () => {
  test('a member account log file under the prefix is allowed', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT, 'org-trail/'), {}, PREFIXED_LOG_BUCKET)).toBe('Allowed');
  });

  test('the management account path under the prefix is allowed', async () => {
    expect(await delivery(`org-trail/AWSLogs/${MANAGEMENT_ACCOUNT}/CloudTrail/us-east-1/2026/11/23/x.json.gz`, {},
      PREFIXED_LOG_BUCKET)).toBe('Allowed');
  });

  test('the unprefixed path is denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT), {}, PREFIXED_LOG_BUCKET)).toBe('ImplicitlyDenied');
  });

  test('another prefix is denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT, 'other-trail/'), {}, PREFIXED_LOG_BUCKET)).toBe('ImplicitlyDenied');
  });

  test('without the ACL header under the prefix is denied', async () => {
    expect(await delivery(orgLogKey(MEMBER_ACCOUNT, 'org-trail/'), {
      context: { ...TLS, 'aws:SourceArn': ORG_TRAIL.trailArn },
    }, PREFIXED_LOG_BUCKET)).toBe('ImplicitlyDenied');
  });
});

describe('log bucket: everyone else', () => {
  test('an anonymous s3:GetObject of a log file is denied', async () => {
    expect(await decide({ principal: 'anonymous', action: 's3:GetObject', resource: object(LOG_BUCKET, orgLogKey(MEMBER_ACCOUNT)), context: TLS },
      logBucketPolicy)).toBe('ImplicitlyDenied');
  });

  test('an anonymous s3:PutObject is denied', async () => {
    expect(await decide({
      principal: 'anonymous',
      action: 's3:PutObject',
      resource: object(LOG_BUCKET, orgLogKey(MEMBER_ACCOUNT)),
      context: { ...TLS, ...BUCKET_OWNER_FULL_CONTROL },
    }, logBucketPolicy)).toBe('ImplicitlyDenied');
  });

  test('a role of another account with s3:* in its own policy cannot read a log file', async () => {
    expect(await decide({
      principal: `arn:aws:iam::${OUTSIDE_ACCOUNT}:role/admin`,
      action: 's3:GetObject',
      resource: object(LOG_BUCKET, orgLogKey(MEMBER_ACCOUNT)),
      context: TLS,
      identityPolicies: [S3_ALL],
    }, logBucketPolicy)).toBe('ImplicitlyDenied');
  });

  test('a role of another account granted read (grantRead) may read a log file', async () => {
    const result = await evaluate({
      principal: AUDITOR_ROLE_ARN,
      action: 's3:GetObject',
      resource: object(SHARED_LOG_BUCKET, orgLogKey(MEMBER_ACCOUNT)),
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      context: TLS,
      identityPolicies: [S3_ALL],
      resourcePolicy: sharedBucketPolicy,
    });
    expect(result.decision).toBe('Allowed');
  });

  test('the role of another account granted read may not read outside the log paths', async () => {
    expect(await decide({
      principal: AUDITOR_ROLE_ARN,
      action: 's3:GetObject',
      resource: object(SHARED_LOG_BUCKET, 'private/notes.txt'),
      context: TLS,
      identityPolicies: [S3_ALL],
    }, sharedBucketPolicy)).toBe('ImplicitlyDenied');
  });

  test('the role of another account granted read may not write or delete', async () => {
    for (const action of ['s3:PutObject', 's3:DeleteObject']) {
      expect(await decide({
        principal: AUDITOR_ROLE_ARN,
        action,
        resource: object(SHARED_LOG_BUCKET, orgLogKey(MEMBER_ACCOUNT)),
        context: TLS,
        identityPolicies: [S3_ALL],
      }, sharedBucketPolicy)).not.toBe('Allowed');
    }
  });
});

describe('access-log bucket', () => {
  const logDelivery = (key: string, context: { [key: string]: string }) => decide({
    principal: 'logging.s3.amazonaws.com',
    action: 's3:PutObject',
    resource: object(ACCESS_LOG_BUCKET, key),
    context: { ...TLS, ...context },
  }, accessLogBucketPolicy);
  const fromLogBucket = { 'aws:SourceArn': `arn:aws:s3:::${LOG_BUCKET}`, 'aws:SourceAccount': LOG_ARCHIVE_ACCOUNT };
  const accessLogKey = 'access-logs/2026-11-23-09-05-12-0A1B2C3D4E5F6A7B';

  test('S3 server access logs of the log bucket under access-logs/ are allowed', async () => {
    expect(await logDelivery(accessLogKey, fromLogBucket)).toBe('Allowed');
  });

  test('outside access-logs/ is denied', async () => {
    expect(await logDelivery('2026-11-23-09-05-12-0A1B2C3D4E5F6A7B', fromLogBucket)).toBe('ImplicitlyDenied');
    expect(await logDelivery('other/access-logs/x', fromLogBucket)).toBe('ImplicitlyDenied');
  });

  test('logs of another bucket are denied', async () => {
    expect(await logDelivery(accessLogKey, { ...fromLogBucket, 'aws:SourceArn': 'arn:aws:s3:::someone-elses-bucket' }))
      .toBe('ImplicitlyDenied');
  });

  test('a source bucket of another account is denied', async () => {
    expect(await logDelivery(accessLogKey, { ...fromLogBucket, 'aws:SourceAccount': OUTSIDE_ACCOUNT })).toBe('ImplicitlyDenied');
  });

  test('without aws:SourceArn and aws:SourceAccount is denied', async () => {
    expect(await logDelivery(accessLogKey, {})).toBe('ImplicitlyDenied');
  });

  test('CloudTrail may not write to it', async () => {
    expect(await decide({
      principal: CLOUDTRAIL,
      action: 's3:PutObject',
      resource: object(ACCESS_LOG_BUCKET, orgLogKey(MEMBER_ACCOUNT)),
      context: { ...TLS, ...BUCKET_OWNER_FULL_CONTROL, 'aws:SourceArn': ORG_TRAIL.trailArn },
    }, accessLogBucketPolicy)).toBe('ImplicitlyDenied');
  });

  test('access logs delivered over plain HTTP are explicitly denied', async () => {
    expect(await logDelivery(accessLogKey, { ...fromLogBucket, 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
  });
});
