import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TrailArchive } from '../../src/archive/trail-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';

const ORG = TrailIdentity.organization({
  trailName: 'org-trail',
  organizationId: 'o-a1b2c3d4e5',
  managementAccount: '111111111111',
  homeRegion: 'us-east-1',
});
const ORG_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';
const LOG_ARCHIVE = { account: '333333333333', region: 'us-east-1' };

function archiveStack(props: Partial<ConstructorParameters<typeof TrailArchive>[2]> = {}) {
  const stack = new Stack(new App(), 'LogArchive', { env: LOG_ARCHIVE });
  const archive = new TrailArchive(stack, 'Archive', { writers: [ORG], ...props });
  return { stack, archive, template: Template.fromStack(stack) };
}

function bucketPolicyStatements(template: Template, bucketLogicalIdPrefix: string): any[] {
  const policies = template.findResources('AWS::S3::BucketPolicy');
  const entry = Object.values(policies).find((p: any) => p.Properties.Bucket.Ref.startsWith(bucketLogicalIdPrefix));
  return (entry as any).Properties.PolicyDocument.Statement;
}

function keyStatements(template: Template): any[] {
  const keys = Object.values(template.findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  return (keys[0] as any).Properties.KeyPolicy.Statement;
}

describe('log bucket', () => {
  const { template } = archiveStack();

  test('encrypted with its own rotating key and S3 Bucket Keys, versioned, private, ACLs disabled', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
        }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'access-logs/' },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('buckets and key are retained', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      const resources = Object.values(template.findResources(type));
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) {
        expect(r).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    }
  });

  test('bucket policy: CloudTrail ACL check and write, scoped to the trail ARN and both log paths', () => {
    const statements = bucketPolicyStatements(template, 'ArchiveBucket');
    const aclCheck = statements.find((s) => s.Sid === 'CloudTrailAclCheck0');
    expect(aclCheck).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Condition: { StringEquals: { 'aws:SourceArn': ORG_ARN } },
    });
    const write = statements.find((s) => s.Sid === 'CloudTrailWrite0');
    expect(write).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: { StringEquals: { 'aws:SourceArn': ORG_ARN, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    });
    const paths = write.Resource.map((r: any) => r['Fn::Join'][1][1]);
    expect(paths).toEqual(['/AWSLogs/111111111111/*', '/AWSLogs/o-a1b2c3d4e5/*']);
  });

  test('bucket policy denies plain HTTP and TLS below 1.2', () => {
    const statements = bucketPolicyStatements(template, 'ArchiveBucket');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
  });

  test('no CloudTrail statement without aws:SourceArn', () => {
    const all = [...bucketPolicyStatements(template, 'ArchiveBucket'), ...keyStatements(template)];
    const cloudtrailStatements = all.filter((s) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
    expect(cloudtrailStatements).toHaveLength(4);
    for (const s of cloudtrailStatements) {
      expect(s.Condition.StringEquals['aws:SourceArn']).toBe(ORG_ARN);
    }
  });

  test('key policy: GenerateDataKey limited by encryption context and source ARN', () => {
    const encrypt = keyStatements(template).find((s) => s.Sid === 'CloudTrailEncrypt0');
    expect(encrypt).toEqual({
      Sid: 'CloudTrailEncrypt0',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111111111111:trail/*' },
        StringEquals: { 'aws:SourceArn': ORG_ARN },
      },
    });
    const describe = keyStatements(template).find((s) => s.Sid === 'CloudTrailDescribeDecrypt0');
    expect(describe).toMatchObject({
      Action: ['kms:DescribeKey', 'kms:Decrypt'],
      Condition: { StringEquals: { 'aws:SourceArn': ORG_ARN } },
    });
  });

  test('default lifecycle: 7-year retention, Glacier IR after 90 days for objects over 128 KiB, noncurrent kept as long', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
        Rules: [
          {
            Id: 'trail-log-retention',
            Status: 'Enabled',
            ExpirationInDays: 2557,
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
            NoncurrentVersionExpiration: { NoncurrentDays: 2557 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
          { Id: 'expired-delete-markers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
        ],
      },
    });
  });
});

describe('access-log bucket', () => {
  const { template } = archiveStack();

  test('SSE-S3 (the only encryption S3 server access logging delivers to), private, TLS only, expiring', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Id: 'access-log-retention', ExpirationInDays: 365 })]),
      },
    });
  });

  test('only the S3 logging service may write, and only for the log bucket', () => {
    const statements = bucketPolicyStatements(template, 'ArchiveAccessLogsBucket');
    const delivery = statements.find((s) => s.Sid === 'S3ServerAccessLogsDelivery');
    expect(delivery).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^ArchiveBucket/), 'Arn'] } },
        StringEquals: { 'aws:SourceAccount': '333333333333' },
      },
    });
  });
});

describe('writers', () => {
  test('key prefix is respected in every path', () => {
    const prefixed = TrailIdentity.organization({
      trailName: 'org-trail',
      organizationId: 'o-a1b2c3d4e5',
      managementAccount: '111111111111',
      homeRegion: 'us-east-1',
      s3KeyPrefix: 'ct',
    });
    const { template } = archiveStack({ writers: [prefixed] });
    const write = bucketPolicyStatements(template, 'ArchiveBucket').find((s) => s.Sid === 'CloudTrailWrite0');
    expect(write.Resource.map((r: any) => r['Fn::Join'][1][1])).toEqual(['/ct/AWSLogs/111111111111/*', '/ct/AWSLogs/o-a1b2c3d4e5/*']);
  });

  test('each writer gets statements scoped to its own ARN and path', () => {
    const acct = TrailIdentity.account({ trailName: 'local', account: '333333333333', homeRegion: 'us-east-1' });
    const { template } = archiveStack({ writers: [ORG, acct] });
    const write1 = bucketPolicyStatements(template, 'ArchiveBucket').find((s) => s.Sid === 'CloudTrailWrite1');
    expect(write1.Condition.StringEquals['aws:SourceArn']).toBe('arn:aws:cloudtrail:us-east-1:333333333333:trail/local');
    expect(write1.Resource['Fn::Join'][1][1]).toBe('/AWSLogs/333333333333/*');
    const encrypt1 = keyStatements(template).find((s) => s.Sid === 'CloudTrailEncrypt1');
    expect(encrypt1.Condition.StringLike['kms:EncryptionContext:aws:cloudtrail:arn']).toBe('arn:aws:cloudtrail:*:333333333333:trail/*');
  });

  test('rejects no writers and duplicate writers', () => {
    expect(() => archiveStack({ writers: [] })).toThrow('writers must not be empty');
    expect(() => archiveStack({ writers: [ORG, ORG] })).toThrow(`writers contains "${ORG_ARN}" more than once`);
  });
});

describe('grantRead', () => {
  test('reads the trails\' log objects and decrypts with the CloudTrail encryption context only', () => {
    const stack = new Stack(new App(), 'LogArchive', { env: LOG_ARCHIVE });
    const archive = new TrailArchive(stack, 'Archive', { writers: [ORG] });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    archive.grantRead(role);
    const statements = (Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as any)
      .Properties.PolicyDocument.Statement;
    const getObject = statements.find((s: any) => s.Action === 's3:GetObject');
    expect(getObject.Resource.map((r: any) => r['Fn::Join'][1][1])).toEqual(['/AWSLogs/111111111111/*', '/AWSLogs/o-a1b2c3d4e5/*']);
    expect(statements.find((s: any) => Array.isArray(s.Action) && s.Action.includes('s3:ListBucket'))).toBeDefined();
    const decrypt = statements.find((s: any) => s.Action === 'kms:Decrypt');
    expect(decrypt.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': ['arn:aws:cloudtrail:*:111111111111:trail/*'] },
    });
    expect(statements.some((s: any) => [s.Action].flat().some((a: string) => a === 's3:*' || a === 'kms:*'))).toBe(false);
  });

  test('a reader of another account gets a key-policy statement with the encryption-context condition', () => {
    const stack = new Stack(new App(), 'LogArchive', { env: LOG_ARCHIVE });
    const archive = new TrailArchive(stack, 'Archive', { writers: [ORG] });
    const auditor = iam.Role.fromRoleArn(stack, 'Auditor', 'arn:aws:iam::444444444444:role/auditor');
    archive.grantRead(auditor);
    const template = Template.fromStack(stack); // throws on a dependency cycle
    const decrypt = keyStatements(template).find((s: any) => s.Action === 'kms:Decrypt'
      && JSON.stringify(s.Principal).includes('444444444444'));
    expect(decrypt.Resource).toBe('*');
    expect(decrypt.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': ['arn:aws:cloudtrail:*:111111111111:trail/*'] },
    });
    const getObject = bucketPolicyStatements(template, 'ArchiveBucket').find((s: any) => s.Action === 's3:GetObject'
      && JSON.stringify(s.Principal).includes('444444444444'));
    expect(getObject).toBeDefined();
  });

  test('imported archive: grantRead without writers covers AWSLogs/ of any trail', () => {
    const stack = new Stack(new App(), 'Analytics', { env: LOG_ARCHIVE });
    const archive = TrailArchive.fromAttributes(stack, 'Archive', {
      bucketName: 'org-cloudtrail-logs',
      keyArn: 'arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    archive.grantRead(role);
    const statements = (Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as any)
      .Properties.PolicyDocument.Statement;
    const getObject = statements.find((s: any) => s.Action === 's3:GetObject');
    expect(JSON.stringify(getObject.Resource)).toContain('/AWSLogs/*');
    const decrypt = statements.find((s: any) => s.Action === 'kms:Decrypt');
    expect(decrypt.Resource).toBe('arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(JSON.stringify(decrypt.Condition.StringLike['kms:EncryptionContext:aws:cloudtrail:arn'])).toContain(':cloudtrail:*:*:trail/*');
    expect(archive.bucket.bucketName).toBe('org-cloudtrail-logs');
  });
});

describe('object lock and removal policy', () => {
  test('object lock in compliance mode', () => {
    const { template } = archiveStack({ objectLock: { mode: s3.ObjectLockMode.COMPLIANCE, retention: Duration.days(365) } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
    });
  });

  test('a removal policy other than RETAIN warns', () => {
    const { stack } = archiveStack({ removalPolicy: RemovalPolicy.DESTROY });
    Annotations.fromStack(stack).hasWarning('/LogArchive/Archive', Match.stringLikeRegexp('removalPolicy is destroy'));
  });
});

describe('key alias', () => {
  test('creates the alias', () => {
    const { template } = archiveStack({ keyAlias: 'alias/cloudtrail-archive' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/cloudtrail-archive' });
  });
  test.each(['cloudtrail', 'alias/aws/cloudtrail', 'alias/with space'])('rejects %s', (keyAlias) => {
    expect(() => archiveStack({ keyAlias })).toThrow(`keyAlias ${JSON.stringify(keyAlias)} must be "alias/" followed by`);
  });
});

describe('hardening', () => {
  const { template } = archiveStack();

  test('both buckets send object events to EventBridge (no custom resource)', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(2);
    for (const b of buckets as any[]) {
      expect(b.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    }
    expect(template.findResources('AWS::Lambda::Function')).toEqual({});
  });

  test('the key denies grants that are not for AWS resources', () => {
    const deny = keyStatements(template).find((s) => s.Sid === 'DenyGrantsNotForAwsResources');
    expect(deny).toEqual({
      Sid: 'DenyGrantsNotForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });
});
