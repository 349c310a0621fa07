import { App, Stack } from 'aws-cdk-lib';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from './support/policy-harness';
import { AccountTrail, OrganizationTrail, TrailArchive, TrailBase } from '../../src';
import {
  ACCOUNT_TRAIL, importedArchive, MANAGEMENT_ACCOUNT, ORG_TRAIL, ORGANIZATION_ID,
  STANDALONE_ACCOUNT,
} from './support/fixtures';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

/** The delivery role, its policies and the log-group key of one trail, as deployed. */
interface Delivery {
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocument;
  readonly rolePolicies: PolicyDocument[];
  readonly keyArn: string;
  readonly keyPolicy: PolicyDocument;
}

let org: Delivery;
let account: Delivery;

function delivery(stack: Stack, trail: TrailBase): Delivery {
  const deployed = new DeployedStack(stack);
  const role = trail.node.findChild('LogsDeliveryRole');
  return {
    roleArn: deployed.arnOf(role),
    trustPolicy: deployed.trustPolicy(role),
    rolePolicies: deployed.identityPolicies(role),
    keyArn: deployed.arnOf(trail.logGroupKey!),
    keyPolicy: deployed.keyPolicy(trail.logGroupKey!),
  };
}

beforeAll(() => {
  const app = new App();
  const management = new Stack(app, 'OrganizationTrail', { env: { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' } });
  const archive = importedArchive(management);
  const orgTrail = new OrganizationTrail(management, 'Trail', { identity: ORG_TRAIL, archive, cloudWatchLogs: {} });

  const standalone = new Stack(app, 'AccountTrail', { env: { account: STANDALONE_ACCOUNT, region: 'eu-west-1' } });
  const localArchive = new TrailArchive(standalone, 'Archive', {
    writers: [ACCOUNT_TRAIL], bucketName: 'account-trail-logs', accessLogsBucketName: 'account-trail-access-logs',
  });
  const accountTrail = new AccountTrail(standalone, 'Trail', { identity: ACCOUNT_TRAIL, archive: localArchive, cloudWatchLogs: {} });

  org = delivery(management, orgTrail);
  account = delivery(standalone, accountTrail);
});

function assume(target: Delivery, principal: string, context: { [key: string]: string }, extra: Partial<AccessRequest> = {}) {
  return evaluate({
    principal,
    action: 'sts:AssumeRole',
    resource: target.roleArn,
    resourceAccount: target.roleArn.split(':')[4],
    context,
    resourcePolicy: target.trustPolicy,
    ...extra,
  });
}

async function asDeliveryRole(target: Delivery, action: string, resource: string): Promise<string> {
  return (await evaluate({
    principal: `${target.roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/CloudTrailDelivery`,
    action,
    resource,
    resourceAccount: resource.split(':')[4],
    identityPolicies: target.rolePolicies,
  })).decision;
}

const ORG_GROUP = `arn:aws:logs:us-east-1:${MANAGEMENT_ACCOUNT}:log-group:/aws/cloudtrail/org-trail`;
const ACCOUNT_GROUP = `arn:aws:logs:eu-west-1:${STANDALONE_ACCOUNT}:log-group:/aws/cloudtrail/account-trail`;

describe('delivery role trust policy (organization trail)', () => {
  // The CloudTrail user guide: "The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount"
  // (cloudtrail-required-policy-for-cloudwatch-logs.html). A condition on them could deny CloudTrail's own request.
  test('CloudTrail may assume it, with no aws:SourceArn or aws:SourceAccount condition', async () => {
    expect((await assume(org, CLOUDTRAIL, {})).decision).toBe('Allowed');
    expect((await assume(org, CLOUDTRAIL, { 'aws:SourceArn': ORG_TRAIL.trailArn })).decision).toBe('Allowed');
    expect(org.trustPolicy.Statement.map((st) => st.Condition)).toEqual([undefined]);
  });

  test('another service may not assume it, even with the trail ARN', async () => {
    expect((await assume(org, 'logs.amazonaws.com', { 'aws:SourceArn': ORG_TRAIL.trailArn })).decision).toBe('ImplicitlyDenied');
  });

  test('a role of the same account with sts:AssumeRole on * may not assume it', async () => {
    expect((await assume(org, `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/admin`, {}, {
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }],
    })).decision).toBe('ImplicitlyDenied');
  });
});

describe('delivery role policy (organization trail)', () => {
  test('CreateLogStream and PutLogEvents on a stream of the trail\'s group are allowed', async () => {
    for (const stream of [`${MANAGEMENT_ACCOUNT}_CloudTrail_us-east-1`, `${ORGANIZATION_ID}_${MANAGEMENT_ACCOUNT}_CloudTrail_us-east-1`]) {
      expect(await asDeliveryRole(org, 'logs:CreateLogStream', `${ORG_GROUP}:log-stream:${stream}`)).toBe('Allowed');
      expect(await asDeliveryRole(org, 'logs:PutLogEvents', `${ORG_GROUP}:log-stream:${stream}`)).toBe('Allowed');
    }
  });

  test('PutLogEvents on a stream of another group is denied', async () => {
    const other = `arn:aws:logs:us-east-1:${MANAGEMENT_ACCOUNT}:log-group:/aws/lambda/payments:log-stream:x`;
    expect(await asDeliveryRole(org, 'logs:PutLogEvents', other)).toBe('ImplicitlyDenied');
  });

  test('PutLogEvents on a group whose name starts with the trail group\'s name is denied', async () => {
    expect(await asDeliveryRole(org, 'logs:PutLogEvents', `${ORG_GROUP}-copy:log-stream:x`)).toBe('ImplicitlyDenied');
  });

  test('PutLogEvents on the same group name in another region is denied', async () => {
    expect(await asDeliveryRole(org, 'logs:PutLogEvents', `${ORG_GROUP.replace('us-east-1', 'eu-west-1')}:log-stream:x`))
      .toBe('ImplicitlyDenied');
  });

  test('the role cannot delete, read or reconfigure the group', async () => {
    for (const action of ['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteLogStream', 'logs:GetLogEvents']) {
      const resource = action === 'logs:DeleteLogStream' || action === 'logs:GetLogEvents' ? `${ORG_GROUP}:log-stream:x` : ORG_GROUP;
      expect(await asDeliveryRole(org, action, resource)).toBe('ImplicitlyDenied');
    }
  });
});

describe('log-group key policy (organization trail)', () => {
  const onKey = async (principal: string, action: string, context: { [key: string]: string }) => (await evaluate({
    principal, action, resource: org.keyArn, resourceAccount: MANAGEMENT_ACCOUNT, context, resourcePolicy: org.keyPolicy,
  })).decision;
  const groupContext = { 'kms:EncryptionContext:aws:logs:arn': ORG_GROUP };

  test('CloudWatch Logs of the home region may encrypt and decrypt for the trail\'s group', async () => {
    for (const action of ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom']) {
      expect(await onKey('logs.us-east-1.amazonaws.com', action, groupContext)).toBe('Allowed');
    }
  });

  test('CloudWatch Logs may not use it for another group', async () => {
    expect(await onKey('logs.us-east-1.amazonaws.com', 'kms:GenerateDataKey',
      { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${MANAGEMENT_ACCOUNT}:log-group:/aws/lambda/payments` }))
      .toBe('ImplicitlyDenied');
  });

  test('CloudWatch Logs may not use it without an encryption context', async () => {
    expect(await onKey('logs.us-east-1.amazonaws.com', 'kms:Decrypt', {})).toBe('ImplicitlyDenied');
  });

  test('CloudWatch Logs of another region may not use it', async () => {
    expect(await onKey('logs.eu-west-1.amazonaws.com', 'kms:GenerateDataKey', groupContext)).toBe('ImplicitlyDenied');
  });

  test('CloudTrail may not use it directly', async () => {
    expect(await onKey(CLOUDTRAIL, 'kms:GenerateDataKey', groupContext)).toBe('ImplicitlyDenied');
  });

  test('a user creating a grant not for an AWS resource is explicitly denied', async () => {
    expect((await evaluate({
      principal: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:user/key-admin`,
      action: 'kms:CreateGrant',
      resource: org.keyArn,
      resourceAccount: MANAGEMENT_ACCOUNT,
      context: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
      resourcePolicy: org.keyPolicy,
    })).decision).toBe('ExplicitlyDenied');
  });
});

describe('account trail delivery (eu-west-1)', () => {
  test('CloudTrail may assume the role, which writes to the account trail\'s group only', async () => {
    expect((await assume(account, CLOUDTRAIL, {})).decision).toBe('Allowed');
    expect((await assume(account, 'logs.amazonaws.com', {})).decision).toBe('ImplicitlyDenied');
  });

  test('the role writes to its own group only', async () => {
    expect(await asDeliveryRole(account, 'logs:PutLogEvents', `${ACCOUNT_GROUP}:log-stream:${STANDALONE_ACCOUNT}_CloudTrail_eu-west-1`))
      .toBe('Allowed');
    expect(await asDeliveryRole(account, 'logs:PutLogEvents',
      `arn:aws:logs:eu-west-1:${STANDALONE_ACCOUNT}:log-group:/aws/cloudtrail/org-trail:log-stream:x`)).toBe('ImplicitlyDenied');
  });

  test('the log-group key serves CloudWatch Logs of eu-west-1 for its group', async () => {
    const onKey = async (principal: string, group: string) => (await evaluate({
      principal,
      action: 'kms:GenerateDataKey',
      resource: account.keyArn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { 'kms:EncryptionContext:aws:logs:arn': group },
      resourcePolicy: account.keyPolicy,
    })).decision;
    expect(await onKey('logs.eu-west-1.amazonaws.com', ACCOUNT_GROUP)).toBe('Allowed');
    expect(await onKey('logs.us-east-1.amazonaws.com', ACCOUNT_GROUP)).toBe('ImplicitlyDenied');
  });
});
