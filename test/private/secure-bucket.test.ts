import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { enableEventBridgeNotifications, enableServerAccessLogging, hardenedBucket } from '../../src/private/secure';
import { DeployedStack, evaluate } from '../policy/support/policy-harness';

const ACCOUNT = '111111111111';
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;
const S3_READ = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

function newStack(name = 'Stack', app = new App()) {
  return new Stack(app, name, { env: { account: ACCOUNT, region: 'eu-west-1' } });
}

describe('hardenedBucket', () => {
  test('blocks public access, disables ACLs, versions, and is retained by default', () => {
    const stack = newStack();
    hardenedBucket(stack, 'Bucket', { bucketName: 'data-bucket' });
    Template.fromStack(stack).hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketName: 'data-bucket',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('SSE-S3 without a key, SSE-KMS with a Bucket Key with one', () => {
    const stack = newStack();
    hardenedBucket(stack, 'Plain', {});
    const key = new kms.Key(stack, 'Key');
    hardenedBucket(stack, 'Encrypted', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
        }],
      },
    });
  });

  test('takes the removal policy it is given', () => {
    const stack = newStack();
    hardenedBucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  });

  describe('bucket policy: transport', () => {
    let bucketArn: string;
    let bucketPolicy: any;
    beforeAll(() => {
      const stack = newStack();
      const bucket = hardenedBucket(stack, 'Bucket', { bucketName: 'data-bucket' });
      const deployed = new DeployedStack(stack);
      bucketArn = deployed.arnOf(bucket);
      bucketPolicy = deployed.bucketPolicy(bucket);
    });
    const read = (context: { [key: string]: string }) => evaluate({
      principal: READER,
      action: 's3:GetObject',
      resource: `${bucketArn}/some/object`,
      resourceAccount: ACCOUNT,
      resourcePolicy: bucketPolicy,
      identityPolicies: [S3_READ],
      context,
    });

    test('a read over TLS 1.2 or later is allowed', async () => {
      expect((await read({ 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' })).decision).toBe('Allowed');
      expect((await read({ 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' })).decision).toBe('Allowed');
    });

    test('a read without TLS is denied', async () => {
      expect((await read({ 'aws:SecureTransport': 'false', 's3:TlsVersion': '1.2' })).decision).toBe('ExplicitlyDenied');
    });

    test('a read over TLS 1.1 is denied', async () => {
      expect((await read({ 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.1' })).decision).toBe('ExplicitlyDenied');
    });
  });
});

describe('enableServerAccessLogging', () => {
  test('logs under the prefix and lets only the logging service write it for this bucket and account', async () => {
    const stack = newStack();
    const target = hardenedBucket(stack, 'Logs', { bucketName: 'access-logs' });
    const source = hardenedBucket(stack, 'Source', { bucketName: 'source-bucket' });
    enableServerAccessLogging(source, target, { prefix: 'source/', sid: 'AccessLogs' });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'source-bucket',
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: 'source/' },
    });

    const deployed = new DeployedStack(stack);
    const put = (context: { [key: string]: string }, key = 'source/log-object') => evaluate({
      principal: 'logging.s3.amazonaws.com',
      action: 's3:PutObject',
      resource: `${deployed.arnOf(target)}/${key}`,
      resourceAccount: ACCOUNT,
      resourcePolicy: deployed.bucketPolicy(target),
      context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', ...context },
    });
    const fromSource = { 'aws:SourceArn': deployed.arnOf(source), 'aws:SourceAccount': ACCOUNT };
    expect(await put(fromSource)).toEqual({ decision: 'Allowed', allowedBy: ['AccessLogs'], deniedBy: [] });
    expect((await put(fromSource, 'elsewhere/log-object')).decision).toBe('ImplicitlyDenied');
    expect((await put({ ...fromSource, 'aws:SourceArn': 'arn:aws:s3:::other-bucket' })).decision).toBe('ImplicitlyDenied');
    expect((await put({ ...fromSource, 'aws:SourceAccount': '222222222222' })).decision).toBe('ImplicitlyDenied');
  });

  test('a target in another stack is not named back in the source condition (no cross-stack cycle)', () => {
    const app = new App();
    const logsStack = newStack('Logs', app);
    const target = hardenedBucket(logsStack, 'Logs', { bucketName: 'access-logs' });
    const stack = newStack('Source', app);
    const source = hardenedBucket(stack, 'Source', { bucketName: 'source-bucket' });
    enableServerAccessLogging(source, target, { prefix: 'source/' });
    Template.fromStack(logsStack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectEquals({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: Match.anyValue(),
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        })]),
      },
    });
  });
});

test('enableEventBridgeNotifications turns on EventBridge delivery on the L1, without a custom resource', () => {
  const stack = newStack();
  const bucket = hardenedBucket(stack, 'Bucket', {});
  enableEventBridgeNotifications(bucket);
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::S3::Bucket', {
    NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
  });
  template.resourceCountIs('Custom::S3BucketNotifications', 0);
  expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual([]);
});
