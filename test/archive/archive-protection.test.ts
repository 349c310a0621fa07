import { App, DefaultStackSynthesizer, Duration, LegacyStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TrailArchive, TrailArchiveProps } from '../../src/archive/trail-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import {
  BUCKET_DESTRUCTION_ACTIONS, BUCKET_UPDATE_ACTIONS, KEY_DESTRUCTION_ACTIONS, KEY_UPDATE_ACTIONS, PROTECTED_BUCKET_ACTIONS,
  PROTECTED_KEY_ACTIONS, PROTECTED_OBJECT_ACTIONS,
} from '../../src/private/protected-actions';

const ORG = TrailIdentity.organization({
  trailName: 'org-trail',
  organizationId: 'o-a1b2c3d4e5',
  managementAccount: '111111111111',
  homeRegion: 'us-east-1',
});
const LOG_ARCHIVE = { account: '333333333333', region: 'us-east-1' };
const BREAK_GLASS = 'arn:aws:iam::333333333333:role/BreakGlass';
const EXEC_ROLE = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:role/cdk-hnb659fds-cfn-exec-role-333333333333-us-east-1']],
};

function archiveStack(props: Partial<TrailArchiveProps> = {}, stackProps: { synthesizer?: any } = {}) {
  const stack = new Stack(new App(), 'LogArchive', { env: LOG_ARCHIVE, ...stackProps });
  const archive = new TrailArchive(stack, 'Archive', { writers: [ORG], bucketName: 'org-trail-logs', ...props });
  return { stack, archive, template: Template.fromStack(stack) };
}

function statement(statements: any[], sid: string): any {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${statements.map((s) => s.Sid).join(', ')}`);
  return found;
}

function logBucketPolicy(template: Template, bucket = 'ArchiveBucket'): any[] {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
  const policy = policies.find((p) => JSON.stringify(p.Properties.Bucket).includes(bucket));
  return policy.Properties.PolicyDocument.Statement;
}

function accessLogBucketPolicy(template: Template): any[] {
  return logBucketPolicy(template, 'ArchiveAccessLogsBucket');
}

function keyPolicy(template: Template): any[] {
  return (Object.values(template.findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy.Statement;
}

describe('bucket policy protections', () => {
  const { template } = archiveStack({ breakGlassPrincipalArns: [BREAK_GLASS] });
  const statements = logBucketPolicy(template);

  test('object destruction is denied to all but the break-glass principals (never the deployment role)', () => {
    expect(statement(statements, 'DenyLogObjectDestruction')).toEqual({
      Sid: 'DenyLogObjectDestruction',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...PROTECTED_OBJECT_ACTIONS],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ArchiveBucket/), 'Arn'] }, '/*']] },
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS] } },
    });
  });

  test('what a stack update changes is denied to all but break-glass and the CloudFormation execution role', () => {
    const deny = statement(statements, 'DenyConfigurationChangesExceptDeployment');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ArchiveBucket/), 'Arn'] } });
    expect(deny.Action).toEqual([...BUCKET_UPDATE_ACTIONS]);
    expect(deny.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS, EXEC_ROLE] } });
  });

  test('deleting the bucket or its policy and setting an ACL are denied to all but break-glass (never the deployment role)', () => {
    const deny = statement(statements, 'DenyBucketDestructionExceptBreakGlass');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ArchiveBucket/), 'Arn'] } });
    expect(deny.Action).toEqual([...BUCKET_DESTRUCTION_ACTIONS]);
    expect(deny.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS] } });
  });

  test('the two configuration statements split the protected bucket actions exactly as stack updates need', () => {
    expect([...BUCKET_DESTRUCTION_ACTIONS].sort()).toEqual(['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketAcl']);
    expect([...BUCKET_UPDATE_ACTIONS].sort()).toEqual([
      's3:PutBucketLogging', 's3:PutBucketNotification', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketOwnershipControls',
      's3:PutBucketPolicy', 's3:PutBucketPublicAccessBlock', 's3:PutBucketVersioning', 's3:PutEncryptionConfiguration',
      's3:PutLifecycleConfiguration', 's3:PutReplicationConfiguration',
    ]);
    expect([...BUCKET_DESTRUCTION_ACTIONS, ...BUCKET_UPDATE_ACTIONS].sort()).toEqual([...PROTECTED_BUCKET_ACTIONS].sort());
  });

  test('both bucket policies are retained: the deployment role may not delete them', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
    expect(policies).toHaveLength(2);
    for (const policy of policies) expect(policy).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('only AWS services may write objects, with no exemption', () => {
    const deny = statement(statements, 'DenyWritesNotByAwsServices');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject' });
    expect(deny.Condition).toEqual({ Bool: { 'aws:PrincipalIsAWSService': 'false' } });
  });

  test('without break-glass principals, object destruction is denied to everybody', () => {
    const deny = statement(logBucketPolicy(archiveStack().template), 'DenyLogObjectDestruction');
    expect(deny.Condition).toBeUndefined();
  });
});

describe('access-log bucket protections', () => {
  const { template } = archiveStack({ breakGlassPrincipalArns: [BREAK_GLASS], accessLogsBucketName: 'org-trail-access-logs' });
  const statements = accessLogBucketPolicy(template);
  const bucketArn = { 'Fn::GetAtt': [expect.stringMatching(/^ArchiveAccessLogsBucket/), 'Arn'] };
  const objects = { 'Fn::Join': ['', [bucketArn, '/*']] };

  test('object destruction is denied to all but break-glass', () => {
    expect(statement(statements, 'DenyLogObjectDestruction')).toEqual({
      Sid: 'DenyLogObjectDestruction',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...PROTECTED_OBJECT_ACTIONS],
      Resource: objects,
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS] } },
    });
  });

  test('the same configuration split as the log bucket', () => {
    expect(statement(statements, 'DenyBucketDestructionExceptBreakGlass')).toMatchObject({
      Effect: 'Deny', Action: [...BUCKET_DESTRUCTION_ACTIONS], Resource: bucketArn, Condition: { ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS] } },
    });
    expect(statement(statements, 'DenyConfigurationChangesExceptDeployment')).toMatchObject({
      Effect: 'Deny', Action: [...BUCKET_UPDATE_ACTIONS], Resource: bucketArn, Condition: { ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS, EXEC_ROLE] } },
    });
  });

  test('only AWS services write, and the S3 logging service still may', () => {
    expect(statement(statements, 'DenyWritesNotByAwsServices')).toMatchObject({
      Effect: 'Deny', Action: 's3:PutObject', Resource: objects, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
    });
    expect(statement(statements, 'S3ServerAccessLogsDelivery')).toMatchObject({
      Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
    });
  });

  test('no Object Lock: S3 does not deliver server access logs to a bucket with it', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'org-trail-access-logs', ObjectLockEnabled: Match.absent(), ObjectLockConfiguration: Match.absent(),
    });
  });
});

describe('key policy protections', () => {
  const statements = keyPolicy(archiveStack({ breakGlassPrincipalArns: [BREAK_GLASS] }).template);

  test('key destruction is denied to all but break-glass (never the deployment role)', () => {
    const deny = statement(statements, 'DenyKeyDestructionExceptBreakGlass');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: [...KEY_DESTRUCTION_ACTIONS], Resource: '*' });
    expect(deny.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS] } });
    expect([...deny.Action].sort()).toEqual([
      'kms:DeleteImportedKeyMaterial', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:ScheduleKeyDeletion', 'kms:UpdatePrimaryRegion',
    ]);
  });

  test('key-policy and alias changes are denied to all but break-glass and the deployment role (lockout check passes)', () => {
    const deny = statement(statements, 'DenyKeyPolicyChangesExceptDeployment');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: [...KEY_UPDATE_ACTIONS], Resource: '*' });
    expect(deny.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS, EXEC_ROLE] } });
    expect([...deny.Action].sort()).toEqual(['kms:DeleteAlias', 'kms:PutKeyPolicy', 'kms:UpdateAlias']);
    expect([...KEY_DESTRUCTION_ACTIONS, ...KEY_UPDATE_ACTIONS].sort()).toEqual([...PROTECTED_KEY_ACTIONS].sort());
  });

  test('without break-glass principals, key destruction is denied to everybody', () => {
    expect(statement(keyPolicy(archiveStack().template), 'DenyKeyDestructionExceptBreakGlass').Condition).toBeUndefined();
  });
});

describe('the deployment role', () => {
  test('a custom qualifier and an env-agnostic stack are followed', () => {
    const stack = new Stack(new App(), 'S', { synthesizer: new DefaultStackSynthesizer({ qualifier: 'abc123' }) });
    new TrailArchive(stack, 'Archive', { writers: [ORG] });
    const deny = statement(keyPolicy(Template.fromStack(stack)), 'DenyKeyPolicyChangesExceptDeployment');
    expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' },
        ':role/cdk-abc123-cfn-exec-role-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
    }]);
  });

  test('deploymentRoleArn replaces the derived role', () => {
    const role = 'arn:aws:iam::333333333333:role/pipeline-deploy';
    const { template } = archiveStack({ deploymentRoleArn: role });
    expect(statement(keyPolicy(template), 'DenyKeyPolicyChangesExceptDeployment').Condition)
      .toEqual({ ArnNotLike: { 'aws:PrincipalArn': [role] } });
    expect(statement(logBucketPolicy(template), 'DenyConfigurationChangesExceptDeployment').Condition)
      .toEqual({ ArnNotLike: { 'aws:PrincipalArn': [role] } });
    expect(statement(logBucketPolicy(template), 'DenyBucketDestructionExceptBreakGlass').Condition).toBeUndefined();
  });

  test('another synthesizer without deploymentRoleArn warns', () => {
    const { stack } = archiveStack({}, { synthesizer: new LegacyStackSynthesizer() });
    Annotations.fromStack(stack).hasWarning('/LogArchive/Archive',
      Match.stringLikeRegexp('does not use the DefaultStackSynthesizer.*Set deploymentRoleArn.*archive:deploymentRoleUnknown'));
    const withRole = archiveStack({ deploymentRoleArn: 'arn:aws:iam::333333333333:role/deployer' }, { synthesizer: new LegacyStackSynthesizer() });
    Annotations.fromStack(withRole.stack).hasNoWarning('/LogArchive/Archive', Match.stringLikeRegexp('deploymentRoleUnknown'));
  });

  test('principal ARNs are validated: exact role ARNs only; a path passes', () => {
    expect(() => archiveStack({ breakGlassPrincipalArns: ['arn:aws:sts::333333333333:assumed-role/BreakGlass/alice'] })).toThrow(
      'breakGlassPrincipalArns[0] "arn:aws:sts::333333333333:assumed-role/BreakGlass/alice" must be the exact ARN of an IAM role');
    expect(() => archiveStack({ breakGlassPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] }))
      .toThrow('breakGlassPrincipalArns[0] "arn:aws:iam::*:role/BreakGlass" must be the exact ARN of an IAM role');
    expect(() => archiveStack({ breakGlassPrincipalArns: ['arn:aws:iam::333333333333:root'] })).toThrow('breakGlassPrincipalArns[0]');
    expect(() => archiveStack({ deploymentRoleArn: 'deployer' })).toThrow('deploymentRoleArn "deployer" must be the exact ARN of an IAM role');
    expect(() => archiveStack({
      breakGlassPrincipalArns: ['arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_BreakGlass_*'],
    })).toThrow('without "*" or "?"');
    expect(() => archiveStack({
      breakGlassPrincipalArns: ['arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_BreakGlass_0123456789abcdef'],
    })).not.toThrow();
  });
});

describe('a break-glass role of another account', () => {
  const OTHER = 'arn:aws:iam::444444444444:role/BreakGlass';

  test('is allowed in the bucket policy exactly what the denies exempt it from', () => {
    const statements = logBucketPolicy(archiveStack({ breakGlassPrincipalArns: [BREAK_GLASS, OTHER] }).template);
    expect(statement(statements, 'AllowOtherAccountBreakGlassObjects')).toEqual({
      Sid: 'AllowOtherAccountBreakGlassObjects',
      Effect: 'Allow',
      Principal: { AWS: OTHER },
      Action: [...PROTECTED_OBJECT_ACTIONS],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ArchiveBucket/), 'Arn'] }, '/*']] },
    });
    expect(statement(statements, 'AllowOtherAccountBreakGlassConfiguration')).toEqual({
      Sid: 'AllowOtherAccountBreakGlassConfiguration',
      Effect: 'Allow',
      Principal: { AWS: OTHER },
      Action: [...PROTECTED_BUCKET_ACTIONS],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ArchiveBucket/), 'Arn'] },
    });
  });

  test('gets no Allow in the key policy (KMS lets no other account administer a key)', () => {
    const statements = keyPolicy(archiveStack({ breakGlassPrincipalArns: [OTHER] }).template);
    expect(statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('444444444444'))).toEqual([]);
  });

  test('a role of the archive\'s own account gets no Allow: its own IAM policies decide', () => {
    const sids = logBucketPolicy(archiveStack({ breakGlassPrincipalArns: [BREAK_GLASS] }).template).map((s) => s.Sid);
    expect(sids).not.toContain('AllowOtherAccountBreakGlassObjects');
    expect(sids).not.toContain('AllowOtherAccountBreakGlassConfiguration');
  });

  test('in an env-agnostic stack, the Allow is limited to principals of other accounts', () => {
    const stack = new Stack(new App(), 'S');
    new TrailArchive(stack, 'Archive', { writers: [ORG], breakGlassPrincipalArns: [BREAK_GLASS] });
    const allow = statement(logBucketPolicy(Template.fromStack(stack)), 'AllowOtherAccountBreakGlassObjects');
    expect(allow.Principal).toEqual({ AWS: BREAK_GLASS });
    expect(allow.Condition).toEqual({ StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } });
  });
});

describe('object lock', () => {
  test('GOVERNANCE for 365 days by default', () => {
    archiveStack().template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'org-trail-logs',
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
    });
  });

  test('a retention shorter than a year shortens the default lock with it', () => {
    archiveStack({ retention: Duration.days(200), transitions: [] }).template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 200 } } },
    });
  });

  test('turning it off warns with an acknowledgeable id', () => {
    const { stack, template } = archiveStack({ objectLockEnabled: false });
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'org-trail-logs', ObjectLockEnabled: Match.absent() });
    Annotations.fromStack(stack).hasWarning('/LogArchive/Archive',
      Match.stringLikeRegexp('objectLockEnabled is false.*archive:objectLockDisabled'));
  });

  test('a lock together with objectLockEnabled: false is an error', () => {
    expect(() => archiveStack({
      objectLockEnabled: false, objectLock: { mode: s3.ObjectLockMode.COMPLIANCE, retention: Duration.days(30) },
    })).toThrow('objectLock "COMPLIANCE 30 days" cannot be set with objectLockEnabled: false');
  });

  test('a lock longer than the retention is an error', () => {
    expect(() => archiveStack({
      retention: Duration.days(400), objectLock: { mode: s3.ObjectLockMode.COMPLIANCE, retention: Duration.days(500) },
    })).toThrow('retention "400 days" must not end before objectLock.retention (500 days)');
  });
});

describe('noncurrent versions', () => {
  test('default to the retention', () => {
    archiveStack({ retention: Duration.days(1000) }).template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'trail-log-retention', NoncurrentVersionExpiration: { NoncurrentDays: 1000 } })]) },
    });
  });

  test('shorter than the retention is an error naming the rule', () => {
    expect(() => archiveStack({ noncurrentVersionExpiration: Duration.days(90) })).toThrow(
      'noncurrentVersionExpiration "90 days" must not be shorter than retention (2557 days)');
  });
});

describe('existing key (encryptionKey)', () => {
  const KEY_ARN = 'arn:aws:kms:us-east-1:555555555555:key/0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e';

  test('no key is created; the bucket encrypts with the given key', () => {
    const stack = new Stack(new App(), 'LogArchive', { env: LOG_ARCHIVE });
    const key = kms.Key.fromKeyArn(stack, 'SecurityKey', KEY_ARN);
    const archive = new TrailArchive(stack, 'Archive', { writers: [ORG], encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(archive.key.keyArn).toBe(KEY_ARN);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN }, BucketKeyEnabled: true }] },
    });
    // The bucket protections do not depend on owning the key.
    statement(logBucketPolicy(template), 'DenyLogObjectDestruction');
  });

  test('a key of another region or partition is an error naming encryptionKey', () => {
    const stack = new Stack(new App(), 'LogArchive', { env: LOG_ARCHIVE });
    const other = kms.Key.fromKeyArn(stack, 'Other', 'arn:aws:kms:eu-west-1:555555555555:key/0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e');
    expect(() => new TrailArchive(stack, 'Archive', { writers: [ORG], encryptionKey: other })).toThrow(
      'encryptionKey "arn:aws:kms:eu-west-1:555555555555:key/0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e" must be in the log bucket\'s region us-east-1, not eu-west-1');
    const china = kms.Key.fromKeyArn(stack, 'China', 'arn:aws-cn:kms:us-east-1:555555555555:key/0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e');
    expect(() => new TrailArchive(stack, 'Archive2', { writers: [ORG], encryptionKey: china }))
      .toThrow('must be in the log bucket\'s partition aws, not aws-cn');
  });

  test('keyAlias cannot be combined with encryptionKey', () => {
    const stack = new Stack(new App(), 'LogArchive', { env: LOG_ARCHIVE });
    const key = kms.Key.fromKeyArn(stack, 'SecurityKey', KEY_ARN);
    expect(() => new TrailArchive(stack, 'Archive', { writers: [ORG], encryptionKey: key, keyAlias: 'alias/logs' }))
      .toThrow('keyAlias "alias/logs" cannot be set with encryptionKey');
  });
});

describe('bucket policy size', () => {
  test('too many writers for 20 KB fail synthesis naming the props', () => {
    const writers = Array.from({ length: 60 }, (_, i) => TrailIdentity.account({
      trailName: `trail-${i}`, account: String(100000000000 + i), homeRegion: 'us-east-1',
    }));
    expect(() => archiveStack({ writers })).toThrow(/writers and breakGlassPrincipalArns make the log bucket policy about \d+ bytes; S3 allows at most 20480/);
    expect(() => archiveStack({ writers: writers.slice(0, 10) })).not.toThrow();
  });

  test('the access-log bucket policy is checked too', () => {
    const breakGlassPrincipalArns = Array.from({ length: 200 }, (_, i) => `arn:aws:iam::333333333333:role/break-glass-${i}`);
    expect(() => archiveStack({ breakGlassPrincipalArns })).toThrow(/make the access-log bucket policy about \d+ bytes; S3 allows at most 20480/);
  });
});
