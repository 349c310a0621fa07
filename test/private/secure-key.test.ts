import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { rotatingKey } from '../../src/private/secure';
import { DeployedStack, evaluate } from '../policy/support/policy-harness';

const ACCOUNT = '111111111111';
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/key-admin`;
/** An identity policy that allows every KMS action, as an administrator holds. */
const KMS_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

function keyStack(removalPolicy?: RemovalPolicy) {
  const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const key = rotatingKey(stack, 'Key', { description: 'Encrypts test data', removalPolicy });
  return { stack, key };
}

test('rotates yearly, keeps the description and is retained by default', () => {
  const { stack } = keyStack();
  const template = Template.fromStack(stack);
  template.hasResource('AWS::KMS::Key', {
    Properties: { EnableKeyRotation: true, Description: 'Encrypts test data' },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

test('takes the removal policy it is given', () => {
  const { stack } = keyStack(RemovalPolicy.DESTROY);
  Template.fromStack(stack).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
});

describe('key policy: grants', () => {
  let keyArn: string;
  let keyPolicy: any;
  beforeAll(() => {
    const { stack, key } = keyStack();
    const deployed = new DeployedStack(stack);
    keyArn = deployed.arnOf(key);
    keyPolicy = deployed.keyPolicy(key);
  });
  const createGrant = (context: { [key: string]: string }) => evaluate({
    principal: ADMIN,
    action: 'kms:CreateGrant',
    resource: keyArn,
    resourceAccount: ACCOUNT,
    resourcePolicy: keyPolicy,
    identityPolicies: [KMS_ALL],
    context,
  });

  test('an administrator cannot create a grant by hand', async () => {
    const result = await createGrant({ 'kms:GrantIsForAWSResource': 'false' });
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(result.deniedBy).toEqual(['DenyGrantsNotForAwsResources']);
  });

  test('a grant an AWS service creates for its resource is allowed', async () => {
    const result = await createGrant({ 'kms:GrantIsForAWSResource': 'true' });
    expect(result.decision).toBe('Allowed');
  });

  test('other key actions of the administrator are not denied', async () => {
    const result = await evaluate({
      principal: ADMIN,
      action: 'kms:Decrypt',
      resource: keyArn,
      resourceAccount: ACCOUNT,
      resourcePolicy: keyPolicy,
      identityPolicies: [KMS_ALL],
    });
    expect(result.decision).toBe('Allowed');
  });
});
