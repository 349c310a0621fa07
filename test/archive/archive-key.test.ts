import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { TrailArchiveKey, TrailArchiveKeyProps } from '../../src/archive/archive-key';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { KEY_DESTRUCTION_ACTIONS, KEY_UPDATE_ACTIONS, PROTECTED_KEY_ACTIONS } from '../../src/private/protected-actions';

const ORG = TrailIdentity.organization({
  trailName: 'org-trail',
  organizationId: 'o-a1b2c3d4e5',
  managementAccount: '111111111111',
  homeRegion: 'us-east-1',
});
const ACCOUNT = TrailIdentity.account({ trailName: 'account-trail', account: '444444444444', homeRegion: 'us-east-1' });
const SECURITY = { account: '555555555555', region: 'us-east-1' };
const LOG_ARCHIVE_ACCOUNT = '333333333333';

function keyStack(props: Partial<TrailArchiveKeyProps> = {}) {
  const stack = new Stack(new App(), 'Security', { env: SECURITY });
  const archiveKey = new TrailArchiveKey(stack, 'ArchiveKey', { writers: [ORG], ...props });
  const template = Template.fromStack(stack);
  const statements: any[] = (Object.values(template.findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy.Statement;
  return { stack, archiveKey, template, statements };
}

const sid = (statements: any[], name: string) => statements.find((s) => s.Sid === name);

test('a rotating, retained key with the shared CloudTrail writer statements for every writer', () => {
  const { template, statements } = keyStack({ writers: [ORG, ACCOUNT] });
  template.hasResource('AWS::KMS::Key', {
    Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
  });
  expect(sid(statements, 'CloudTrailEncrypt0')).toMatchObject({
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'kms:GenerateDataKey*',
    Condition: {
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111111111111:trail/*' },
      StringEquals: { 'aws:SourceArn': ORG.trailArn },
    },
  });
  expect(sid(statements, 'CloudTrailEncrypt1').Condition.StringEquals).toEqual({ 'aws:SourceArn': ACCOUNT.trailArn });
  expect(sid(statements, 'CloudTrailDescribeDecrypt1').Action).toEqual(['kms:DescribeKey', 'kms:Decrypt']);
});

test('key destruction is denied to all but break-glass, key-policy changes to all but it and its own deployment role; manual grants are denied', () => {
  const breakGlass = 'arn:aws:iam::555555555555:role/KeyBreakGlass';
  const { statements } = keyStack({ breakGlassPrincipalArns: [breakGlass] });
  const destruction = sid(statements, 'DenyKeyDestructionExceptBreakGlass');
  expect(destruction).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: [...KEY_DESTRUCTION_ACTIONS] });
  expect(destruction.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [breakGlass] } });
  const update = sid(statements, 'DenyKeyPolicyChangesExceptDeployment');
  expect(update).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: [...KEY_UPDATE_ACTIONS] });
  expect(update.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([breakGlass, {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::555555555555:role/cdk-hnb659fds-cfn-exec-role-555555555555-us-east-1']],
  }]);
  expect([...destruction.Action, ...update.Action].sort()).toEqual([...PROTECTED_KEY_ACTIONS].sort());
  expect(sid(statements, 'DenyGrantsNotForAwsResources')).toBeDefined();
});

test('reader accounts decrypt only through S3 in the key\'s region and only CloudTrail data keys', () => {
  const { statements } = keyStack({ readerAccounts: [LOG_ARCHIVE_ACCOUNT] });
  expect(sid(statements, 'ArchiveReadersDecrypt')).toEqual({
    Sid: 'ArchiveReadersDecrypt',
    Effect: 'Allow',
    Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${LOG_ARCHIVE_ACCOUNT}:root`]] } },
    Action: 'kms:Decrypt',
    Resource: '*',
    Condition: {
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': ['arn:aws:cloudtrail:*:111111111111:trail/*'] },
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    },
  });
  expect(sid(keyStack().statements, 'ArchiveReadersDecrypt')).toBeUndefined();
});

test('alias and ARN', () => {
  const { archiveKey, template, stack } = keyStack({ keyAlias: 'alias/org-trail-logs' });
  template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/org-trail-logs' });
  expect(stack.resolve(archiveKey.keyArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ArchiveKey/), 'Arn'] });
});

test('validation names the property', () => {
  expect(() => keyStack({ writers: [] })).toThrow('writers must not be empty');
  expect(() => keyStack({ writers: [ORG, ORG] })).toThrow('writers contains');
  expect(() => keyStack({ readerAccounts: ['3333'] })).toThrow('readerAccounts[0] "3333" must be a 12-digit AWS account id');
  expect(() => keyStack({ readerAccounts: [LOG_ARCHIVE_ACCOUNT, LOG_ARCHIVE_ACCOUNT] })).toThrow('readerAccounts contains "333333333333" more than once');
  expect(() => keyStack({ keyAlias: 'alias/aws/logs' })).toThrow('keyAlias "alias/aws/logs" must be "alias/"');
  expect(() => keyStack({ breakGlassPrincipalArns: ['BreakGlass'] })).toThrow('breakGlassPrincipalArns[0] "BreakGlass" must be the exact ARN of an IAM role');
});

test('a removal policy other than RETAIN warns', () => {
  const { stack } = keyStack({ removalPolicy: RemovalPolicy.DESTROY });
  Annotations.fromStack(stack).hasWarning('/Security/ArchiveKey', Match.stringLikeRegexp('removalPolicy is destroy.*archive:keyNotRetained'));
});
