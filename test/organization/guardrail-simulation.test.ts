import { DetectionForwardingNames } from '../../src';
import { DEPLOYMENT_ROLE_ARN, deployedPolicies, guardrailProps, managementStack } from './support/guardrails-fixture';
import {
  BUCKET_UPDATE_ACTIONS, KEY_DESTRUCTION_ACTIONS, KEY_UPDATE_ACTIONS, PROTECTED_BUCKET_ACTIONS, PROTECTED_KEY_ACTIONS, PROTECTED_OBJECT_ACTIONS,
} from '../../src/private/protected-actions';
import {
  archiveStacks, LOG_ARCHIVE_ACCOUNT, SECURITY_ACCOUNT, LOG_BUCKET, LOG_KEY_ARN, MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, ORG_TRAIL, orgLogKey, TLS,
} from '../policy/support/fixtures';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from '../policy/support/policy-harness';

/** What an account administrator holds. */
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const REGION = 'eu-west-1';
const MEMBER_ADMIN = `arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`;
const STACK_SET_EXEC = `arn:aws:iam::${MEMBER_ACCOUNT}:role/stacksets-exec-6a1f3e0c9b8d7e6f5a4b3c2d1e0f9a8b`;
const MEMBER_BREAK_GLASS = `arn:aws:iam::${MEMBER_ACCOUNT}:role/break-glass`;
const ARCHIVE_ADMIN = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/Admin`;
const ARCHIVE_ROOT = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:root`;
const ARCHIVE_BREAK_GLASS = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/break-glass`;
/** A key policy that leaves the key to the account's IAM policies, so that only the RCP can stop its admin. */
const KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

const N = DetectionForwardingNames;
const BREAK_GLASS_ARN_FOR = (account: string) => `arn:aws:iam::${account}:role/break-glass`;
const RULE = `arn:aws:events:${REGION}:${MEMBER_ACCOUNT}:rule/${N.RULE_NAME}`;
const ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/${N.ROLE_NAME_PREFIX}${REGION}`;
const QUEUE = `arn:aws:sqs:${REGION}:${MEMBER_ACCOUNT}:${N.DEAD_LETTER_QUEUE_NAME}`;
const ALARM = `arn:aws:cloudwatch:${REGION}:${MEMBER_ACCOUNT}:alarm:${N.ALARM_NAME_PREFIX}failed-invocations`;
const POLICY = `arn:aws:iam::${MEMBER_ACCOUNT}:policy/${N.POLICY_NAME_PREFIX}${REGION}`;
const HEARTBEAT_ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/${N.HEARTBEAT_ROLE_NAME_PREFIX}${REGION}`;
const SCHEDULE = `arn:aws:scheduler:${REGION}:${MEMBER_ACCOUNT}:schedule/default/${N.HEARTBEAT_SCHEDULE_NAME}`;
/** What a stack update of the archive may change (the deployment role's only exemption). */
const UPDATE_ACTIONS: readonly string[] = [...BUCKET_UPDATE_ACTIONS, ...KEY_UPDATE_ACTIONS];
const STACK = `arn:aws:cloudformation:${REGION}:${MEMBER_ACCOUNT}:stack/StackSet-${N.STACK_SET_NAME}-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d`;

/** Every change to the forwarding pipeline the SCP must stop, with the resource it is made on. */
const PIPELINE_CHANGES: [string, string][] = [
  ...['events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets'].map((a): [string, string] => [a, RULE]),
  ...['iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy',
    'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:UpdateRole',
    'iam:PassRole', 'iam:CreateRole'].map((a): [string, string] => [a, ROLE]),
  ...['iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PassRole'].map((a): [string, string] => [a, HEARTBEAT_ROLE]),
  // A deny-all version made default cuts the role off as surely as detaching the policy.
  ...['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy', 'iam:CreatePolicy']
    .map((a): [string, string] => [a, POLICY]),
  ...['sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes', 'sqs:AddPermission', 'sqs:RemovePermission',
    // Draining the queue message by message (batch calls authorize as these), or moving the messages out.
    'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:StartMessageMoveTask']
    .map((a): [string, string] => [a, QUEUE]),
  ...['scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'].map((a): [string, string] => [a, SCHEDULE]),
  ...['cloudwatch:DeleteAlarms', 'cloudwatch:DisableAlarmActions', 'cloudwatch:PutMetricAlarm', 'cloudwatch:SetAlarmState']
    .map((a): [string, string] => [a, ALARM]),
  ...['cloudformation:DeleteStack', 'cloudformation:UpdateStack', 'cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet',
    'cloudformation:ContinueUpdateRollback'].map((a): [string, string] => [a, STACK]),
];

const BUCKET = `arn:aws:s3:::${LOG_BUCKET}`;
const LOG_OBJECT = `${BUCKET}/${orgLogKey(MEMBER_ACCOUNT)}`;
/** Every destructive archive action the RCP must stop, with the resource it is made on. */
const ARCHIVE_CHANGES: [string, string][] = [
  ...PROTECTED_OBJECT_ACTIONS.map((a): [string, string] => [a, LOG_OBJECT]),
  ...PROTECTED_BUCKET_ACTIONS.map((a): [string, string] => [a, BUCKET]),
  ...PROTECTED_KEY_ACTIONS.map((a): [string, string] => [a, LOG_KEY_ARN]),
];

let scp: PolicyDocument;
let rcp: PolicyDocument;
/** The guardrails with break-glass roles in the member and log-archive accounts. */
let memberScp: PolicyDocument;
let archiveRcp: PolicyDocument;

beforeAll(() => {
  ({ scp, rcp } = deployedPolicies(managementStack()));
  ({ scp: memberScp, rcp: archiveRcp } = deployedPolicies(managementStack(guardrailProps({
    breakGlassPrincipalArns: [MEMBER_BREAK_GLASS, ARCHIVE_BREAK_GLASS],
  }))));
});

/** A principal of the member account acting on its own account's pipeline, under `scps`. */
async function member(principal: string, action: string, resource: string, scps?: PolicyDocument[]) {
  return evaluate({
    principal,
    action,
    resource,
    resourceAccount: MEMBER_ACCOUNT,
    identityPolicies: [ADMIN],
    context: { 'aws:PrincipalArn': principal, 'aws:PrincipalIsAWSService': 'false' },
    serviceControlPolicies: scps,
  });
}

/** A principal acting on the archive, under `rcps`; the key carries a policy that trusts the account's IAM. */
async function archive(principal: string, action: string, resource: string, rcps?: PolicyDocument[], extra: Partial<AccessRequest> = {}) {
  return evaluate({
    principal,
    action,
    resource,
    resourceAccount: LOG_ARCHIVE_ACCOUNT,
    identityPolicies: [ADMIN],
    resourcePolicy: resource.startsWith('arn:aws:kms:') ? KEY_POLICY : undefined,
    context: { 'aws:PrincipalArn': principal, 'aws:PrincipalIsAWSService': 'false' },
    resourceControlPolicies: rcps,
    ...extra,
  });
}

describe('service control policy: the forwarding pipeline in a member account', () => {
  test.each(PIPELINE_CHANGES)('a member admin with *:* may %s on %s without the SCP, and is denied with it', async (action, resource) => {
    expect((await member(MEMBER_ADMIN, action, resource)).decision).toBe('Allowed');
    const guarded = await member(MEMBER_ADMIN, action, resource, [scp]);
    expect(guarded.decision).toBe('ExplicitlyDenied');
    expect(guarded.deniedBy).toEqual(['DenyForwardingPipelineChanges']);
  });

  test.each(PIPELINE_CHANGES)('the StackSet execution role may %s on %s', async (action, resource) => {
    expect((await member(STACK_SET_EXEC, action, resource, [scp])).decision).toBe('Allowed');
  });

  test.each(PIPELINE_CHANGES)('a break-glass role may %s on %s', async (action, resource) => {
    expect((await member(MEMBER_BREAK_GLASS, action, resource, [memberScp])).decision).toBe('Allowed');
  });

  test('a role merely named like the execution role in its path is not exempt', async () => {
    const impostor = `arn:aws:iam::${MEMBER_ACCOUNT}:role/ops/stacksets-exec-1`;
    expect((await member(impostor, 'events:DeleteRule', RULE, [scp])).decision).toBe('ExplicitlyDenied');
  });

  test('a role named like a break-glass role of another account is not exempt', async () => {
    expect((await member(`arn:aws:iam::${MEMBER_ACCOUNT}:role/break-glass`, 'events:DeleteRule', RULE, [scp])).decision)
      .toBe('ExplicitlyDenied');
  });

  test('the forwarding rule is protected in every region and account', async () => {
    const other = `arn:aws:events:ap-southeast-2:${LOG_ARCHIVE_ACCOUNT}:rule/${N.RULE_NAME}`;
    const result = await evaluate({
      principal: ARCHIVE_ADMIN,
      action: 'events:DisableRule',
      resource: other,
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      identityPolicies: [ADMIN],
      context: { 'aws:PrincipalArn': ARCHIVE_ADMIN, 'aws:PrincipalIsAWSService': 'false' },
      serviceControlPolicies: [scp],
    });
    expect(result.decision).toBe('ExplicitlyDenied');
  });

  test.each([
    ['events:DeleteRule', `arn:aws:events:${REGION}:${MEMBER_ACCOUNT}:rule/team-rule`],
    ['events:PutTargets', `arn:aws:events:${REGION}:${MEMBER_ACCOUNT}:rule/team-rule`],
    ['iam:DeleteRole', `arn:aws:iam::${MEMBER_ACCOUNT}:role/team-role`],
    ['sqs:PurgeQueue', `arn:aws:sqs:${REGION}:${MEMBER_ACCOUNT}:team-queue`],
    ['cloudwatch:DeleteAlarms', `arn:aws:cloudwatch:${REGION}:${MEMBER_ACCOUNT}:alarm:team-alarm`],
    ['cloudformation:DeleteStack', `arn:aws:cloudformation:${REGION}:${MEMBER_ACCOUNT}:stack/team-stack/1a2b3c4d`],
    ['s3:GetObject', 'arn:aws:s3:::team-bucket/report.csv'],
  ])('an unrelated %s on %s stays allowed', async (action, resource) => {
    expect((await member(MEMBER_ADMIN, action, resource, [scp])).decision).toBe('Allowed');
  });

  test.each([
    ['iam:CreateRole', `arn:aws:iam::${MEMBER_ACCOUNT}:role/stacksets-exec-mine`],
    ['iam:UpdateAssumeRolePolicy', STACK_SET_EXEC],
    ['iam:AttachRolePolicy', STACK_SET_EXEC],
  ])('a member admin may not take over the execution role: %s on %s', async (action, resource) => {
    expect((await member(MEMBER_ADMIN, action, resource)).decision).toBe('Allowed');
    expect((await member(MEMBER_ADMIN, action, resource, [scp])).deniedBy).toEqual(['DenyExemptRoleChanges']);
  });

  test.each(['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRole'])('a member admin may not %s on a break-glass role', async (action) => {
    expect((await member(MEMBER_ADMIN, action, MEMBER_BREAK_GLASS, [memberScp])).deniedBy).toEqual(['DenyExemptRoleChanges']);
  });

  test('a member admin may not create a role under the break-glass name (before it exists)', async () => {
    const result = await member(MEMBER_ADMIN, 'iam:CreateRole', MEMBER_BREAK_GLASS, [memberScp]);
    expect(result.deniedBy).toEqual(['DenyExemptRoleChanges']);
  });

  test('the log-archive admin may not rewrite the trust of the archive deployment role', async () => {
    const result = await evaluate({
      principal: ARCHIVE_ADMIN,
      action: 'iam:UpdateAssumeRolePolicy',
      resource: DEPLOYMENT_ROLE_ARN,
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      identityPolicies: [ADMIN],
      context: { 'aws:PrincipalArn': ARCHIVE_ADMIN, 'aws:PrincipalIsAWSService': 'false' },
      serviceControlPolicies: [scp],
    });
    expect(result.deniedBy).toEqual(['DenyExemptRoleChanges']);
  });

  test.each(['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors'])(
    'the SCP denies a CloudTrail delegated administrator %s on an organization trail it names, and only then', async (action) => {
      const delegated = `arn:aws:iam::${SECURITY_ACCOUNT}:role/Admin`;
      const trailScp = deployedPolicies(managementStack(guardrailProps({ organizationTrailArns: [ORG_TRAIL.trailArn] }))).scp;
      const request = (scps: PolicyDocument[]) => evaluate({
        principal: delegated,
        action,
        resource: ORG_TRAIL.trailArn,
        resourceAccount: MANAGEMENT_ACCOUNT,
        identityPolicies: [ADMIN],
        context: { 'aws:PrincipalArn': delegated, 'aws:PrincipalIsAWSService': 'false' },
        serviceControlPolicies: scps,
      });
      // The simulator has no model of CloudTrail's delegated-administrator access to the management account's
      // trail (it sees a cross-account call without a resource policy), so only the SCP's own verdict is compared.
      expect((await request([scp])).deniedBy).toEqual([]);
      const guarded = await request([trailScp]);
      expect(guarded.decision).toBe('ExplicitlyDenied');
      expect(guarded.deniedBy).toEqual(['DenyOrganizationTrailChanges']);
    });

  test('tagging the forwarding role stays allowed: nothing authorizes by its tags', async () => {
    expect((await member(MEMBER_ADMIN, 'iam:TagRole', ROLE, [scp])).decision).toBe('Allowed');
  });
});

describe('service control policy: the alerting in the security account', () => {
  const BUS_ARN = `arn:aws:events:us-east-1:${SECURITY_ACCOUNT}:event-bus/security-detections`;
  const ALERTS = `arn:aws:sns:us-east-1:${SECURITY_ACCOUNT}:security-alerts`;
  const SECURITY_ADMIN = `arn:aws:iam::${SECURITY_ACCOUNT}:role/Admin`;
  const SECURITY_DEPLOY = `arn:aws:iam::${SECURITY_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${SECURITY_ACCOUNT}-us-east-1`;
  const SECURITY_BREAK_GLASS = `arn:aws:iam::${SECURITY_ACCOUNT}:role/break-glass`;
  const CHANGES: [string, string][] = [
    ...['events:DeleteEventBus', 'events:UpdateEventBus'].map((a): [string, string] => [a, BUS_ARN]),
    // PutPermission and RemovePermission take no resource ARN (they apply to "*"): denied to the account's principals.
    ...['events:PutPermission', 'events:RemovePermission'].map((a): [string, string] => [a, '*']),
    ...['events:DisableRule', 'events:DeleteRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets']
      .map((a): [string, string] => [a, `arn:aws:events:us-east-1:${SECURITY_ACCOUNT}:rule/security-detections/CloudTrailSecurityAlertsCIS43`]),
    ...['sns:DeleteTopic', 'sns:SetTopicAttributes', 'sns:RemovePermission'].map((a): [string, string] => [a, ALERTS]),
    ...['sns:SetTopicAttributes', 'sns:DeleteTopic'].map((a): [string, string] => [a, `arn:aws:sns:eu-west-1:${SECURITY_ACCOUNT}:${N.HEALTH_TOPIC_NAME}`]),
    ...['cloudwatch:DeleteAlarms', 'cloudwatch:DisableAlarmActions', 'cloudwatch:SetAlarmState']
      .map((a): [string, string] => [a, `arn:aws:cloudwatch:us-east-1:${SECURITY_ACCOUNT}:alarm:${N.HEARTBEAT_ALARM_NAME_PREFIX}${MEMBER_ACCOUNT}`]),
    ...['logs:DeleteLogGroup', 'logs:DeleteMetricFilter', 'logs:PutMetricFilter']
      .map((a): [string, string] => [a, `arn:aws:logs:us-east-1:${SECURITY_ACCOUNT}:log-group:${N.HEARTBEAT_LOG_GROUP_NAME}`]),
  ];
  let alertingScp: PolicyDocument;
  let bothScps: PolicyDocument[];
  beforeAll(() => {
    let pipelineScp: PolicyDocument;
    let alerting: PolicyDocument | undefined;
    ({ scp: pipelineScp, alerting } = deployedPolicies(managementStack(guardrailProps({
      centralBusArns: [BUS_ARN],
      alertTopicArns: [ALERTS],
      alertingDeploymentRoleArns: [SECURITY_DEPLOY],
      breakGlassPrincipalArns: [BREAK_GLASS_ARN_FOR(SECURITY_ACCOUNT)],
    }))));
    alertingScp = alerting!;
    bothScps = [pipelineScp, alertingScp];
  });
  const inSecurity = (principal: string, action: string, resource: string, scps?: PolicyDocument[]) => evaluate({
    principal,
    action,
    resource,
    resourceAccount: SECURITY_ACCOUNT,
    identityPolicies: [ADMIN],
    context: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': principal.split(':')[4], 'aws:PrincipalIsAWSService': 'false' },
    serviceControlPolicies: scps,
  });

  test.each(CHANGES)('the security admin may %s on %s without the SCP, and is denied with it', async (action, resource) => {
    expect((await inSecurity(SECURITY_ADMIN, action, resource)).decision).toBe('Allowed');
    const denied = await inSecurity(SECURITY_ADMIN, action, resource, [alertingScp]);
    expect(denied.decision).toBe('ExplicitlyDenied');
    expect(denied.deniedBy).toEqual([resource === '*' ? 'DenyAlertingPolicyChanges' : 'DenyAlertingChanges']);
  });

  test.each(CHANGES)('the security stack\'s deployment role and break-glass may %s on %s', async (action, resource) => {
    expect((await inSecurity(SECURITY_DEPLOY, action, resource, [alertingScp])).decision).toBe('Allowed');
    expect((await inSecurity(SECURITY_BREAK_GLASS, action, resource, [alertingScp])).decision).toBe('Allowed');
  });

  test('the security deployment role is not exempt from the forwarding pipeline statement', async () => {
    const rule = `arn:aws:events:us-east-1:${SECURITY_ACCOUNT}:rule/${N.RULE_NAME}`;
    expect((await inSecurity(SECURITY_DEPLOY, 'events:DisableRule', rule, bothScps)).decision).toBe('ExplicitlyDenied');
  });

  test('the bus policy statement binds the security account only: a member account keeps its own bus permissions', async () => {
    const result = await evaluate({
      principal: MEMBER_ADMIN,
      action: 'events:PutPermission',
      resource: '*',
      resourceAccount: MEMBER_ACCOUNT,
      identityPolicies: [ADMIN],
      context: { 'aws:PrincipalArn': MEMBER_ADMIN, 'aws:PrincipalAccount': MEMBER_ACCOUNT, 'aws:PrincipalIsAWSService': 'false' },
      serviceControlPolicies: [alertingScp],
    });
    expect(result.decision).toBe('Allowed');
  });

  test('other rules, topics and alarms of the security account stay allowed', async () => {
    for (const [action, resource] of [
      ['events:DisableRule', `arn:aws:events:us-east-1:${SECURITY_ACCOUNT}:rule/app-bus/nightly`],
      ['sns:DeleteTopic', `arn:aws:sns:us-east-1:${SECURITY_ACCOUNT}:builds`],
      ['cloudwatch:DeleteAlarms', `arn:aws:cloudwatch:us-east-1:${SECURITY_ACCOUNT}:alarm:api-latency`],
    ]) expect([action, (await inSecurity(SECURITY_ADMIN, action, resource, [alertingScp])).decision]).toEqual([action, 'Allowed']);
  });
});

describe('resource control policy: the archive bucket and key', () => {
  test.each(ARCHIVE_CHANGES)('the log-archive admin with *:* may %s on %s without the RCP, and is denied with it', async (action, resource) => {
    expect((await archive(ARCHIVE_ADMIN, action, resource)).decision).toBe('Allowed');
    const guarded = await archive(ARCHIVE_ADMIN, action, resource, [rcp]);
    expect(guarded.decision).toBe('ExplicitlyDenied');
    expect(guarded.deniedBy).toEqual([UPDATE_ACTIONS.includes(action) ? 'DenyArchiveConfigurationChanges' : 'DenyArchiveDestruction']);
  });

  test.each(['s3:DeleteBucketPolicy', 's3:PutBucketPolicy'])('the log-archive root user is denied %s, the one S3 lets it do over a bucket policy', async (action) => {
    expect((await archive(ARCHIVE_ROOT, action, BUCKET, [rcp])).decision).toBe('ExplicitlyDenied');
  });

  test('a management-account principal is denied too: RCPs bind every caller of a member-account resource', async () => {
    const admin = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/Admin`;
    const result = await archive(admin, 's3:DeleteObject', LOG_OBJECT, [rcp], {
      resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: admin }, Action: 's3:*', Resource: `${BUCKET}/*` }] },
    });
    expect(result.decision).toBe('ExplicitlyDenied');
  });

  // The deployment role keeps only what an update of the archive's stack makes; never object destruction, bucket
  // deletion, or key deletion, disabling or rotation off.
  test.each(ARCHIVE_CHANGES.filter(([a]) => UPDATE_ACTIONS.includes(a)))('the archive deployment role may %s on %s', async (action, resource) => {
    expect((await archive(DEPLOYMENT_ROLE_ARN, action, resource, [rcp])).decision).toBe('Allowed');
  });

  test.each(ARCHIVE_CHANGES.filter(([a]) => !UPDATE_ACTIONS.includes(a)))('the archive deployment role is denied %s on %s', async (action, resource) => {
    const denied = await archive(DEPLOYMENT_ROLE_ARN, action, resource, [rcp]);
    expect(denied.decision).toBe('ExplicitlyDenied');
    expect(denied.deniedBy).toEqual(['DenyArchiveDestruction']);
  });

  test.each(ARCHIVE_CHANGES)('a break-glass role may %s on %s', async (action, resource) => {
    expect((await archive(ARCHIVE_BREAK_GLASS, action, resource, [archiveRcp])).decision).toBe('Allowed');
  });

  test('a principal that does not say whether it is an AWS service is denied', async () => {
    const result = await archive(ARCHIVE_ADMIN, 's3:DeleteObjectVersion', LOG_OBJECT, [rcp], { context: { 'aws:PrincipalArn': ARCHIVE_ADMIN } });
    expect(result.decision).toBe('ExplicitlyDenied');
  });

  test.each([
    ['s3:GetObject', LOG_OBJECT],
    ['s3:ListBucket', BUCKET],
    ['s3:GetBucketPolicy', BUCKET],
    ['kms:Decrypt', LOG_KEY_ARN],
    ['kms:EnableKeyRotation', LOG_KEY_ARN],
    ['s3:DeleteObject', 'arn:aws:s3:::team-bucket/report.csv'],
    ['kms:ScheduleKeyDeletion', `arn:aws:kms:us-east-1:${LOG_ARCHIVE_ACCOUNT}:key/11111111-2222-4333-8444-555555555555`],
  ])('an unrelated %s on %s stays allowed', async (action, resource) => {
    expect((await archive(ARCHIVE_ADMIN, action, resource, [rcp])).decision).toBe('Allowed');
  });
});

describe('resource control policy: CloudTrail delivery', () => {
  let bucketPolicy: PolicyDocument;

  beforeAll(() => {
    const stacks = archiveStacks();
    bucketPolicy = new DeployedStack(stacks.stack).bucketPolicy(stacks.archive.bucket);
  });

  test('CloudTrail delivering a member account log file through the archive bucket policy is allowed under the RCP', async () => {
    const result = await evaluate({
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:PutObject',
      resource: LOG_OBJECT,
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      context: { ...TLS, 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': ORG_TRAIL.trailArn, 'aws:PrincipalIsAWSService': 'true' },
      resourcePolicy: bucketPolicy,
      resourceControlPolicies: [rcp],
    });
    expect(result.decision).toBe('Allowed');
    expect(result.deniedBy).toEqual([]);
  });

  test('CloudTrail delivery stays allowed even when the request does not say it comes from a service', async () => {
    const result = await evaluate({
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:PutObject',
      resource: LOG_OBJECT,
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      context: { ...TLS, 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': ORG_TRAIL.trailArn },
      resourcePolicy: bucketPolicy,
      resourceControlPolicies: [rcp],
    });
    expect(result.decision).toBe('Allowed');
  });

  test('a service principal is never denied a protected action by the RCP', async () => {
    const result = await evaluate({
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:GetBucketAcl',
      resource: BUCKET,
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      context: { ...TLS, 'aws:SourceArn': ORG_TRAIL.trailArn, 'aws:PrincipalIsAWSService': 'true' },
      resourcePolicy: bucketPolicy,
      resourceControlPolicies: [rcp],
    });
    expect(result.decision).toBe('Allowed');
  });

  test('CloudTrail using the archive key is not denied by the RCP', async () => {
    const result = await evaluate({
      principal: 'cloudtrail.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: LOG_KEY_ARN,
      resourceAccount: LOG_ARCHIVE_ACCOUNT,
      context: { 'aws:SourceArn': ORG_TRAIL.trailArn, 'aws:PrincipalIsAWSService': 'true' },
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' }],
      },
      resourceControlPolicies: [rcp],
    });
    expect(result.decision).toBe('Allowed');
  });
});

describe('resource control policy: the keys of the archive key\'s account, by ARN', () => {
  // An RCP relies only on what AWS documents for it: the key is named by ARN (`key/*` of the account), not by
  // `kms:ResourceAliases`, which KMS documents for IAM policies.
  let byAccount: PolicyDocument;
  const KEY_WITHOUT_ID_KNOWN = `arn:aws:kms:eu-west-1:${LOG_ARCHIVE_ACCOUNT}:key/0f0e0d0c-0b0a-4908-8706-050403020100`;
  beforeAll(() => {
    ({ rcp: byAccount } = deployedPolicies(managementStack(guardrailProps({
      archiveBucketNames: [], archiveKeyArns: [], archiveKeyAccounts: [LOG_ARCHIVE_ACCOUNT],
    }))));
  });

  test('names no condition key but the documented global ones', () => {
    const keys = byAccount.Statement.flatMap((st: any) => Object.values(st.Condition ?? {}).flatMap((c: any) => Object.keys(c)));
    expect([...new Set(keys)].sort()).toEqual(['aws:PrincipalArn', 'aws:PrincipalIsAWSService']);
  });

  test.each(PROTECTED_KEY_ACTIONS.map(a => [a]))('the log-archive admin is denied %s on any key of the account', async (action) => {
    const denied = await archive(ARCHIVE_ADMIN, action, KEY_WITHOUT_ID_KNOWN, [byAccount]);
    expect(denied.decision).toBe('ExplicitlyDenied');
  });

  test('a key of another account is not touched', async () => {
    const other = await evaluate({
      principal: `arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`,
      action: 'kms:ScheduleKeyDeletion',
      resource: `arn:aws:kms:eu-west-1:${MEMBER_ACCOUNT}:key/0f0e0d0c-0b0a-4908-8706-050403020100`,
      resourceAccount: MEMBER_ACCOUNT,
      identityPolicies: [ADMIN],
      resourcePolicy: { ...KEY_POLICY, Statement: [{ ...KEY_POLICY.Statement[0], Principal: { AWS: `arn:aws:iam::${MEMBER_ACCOUNT}:root` } }] },
      context: { 'aws:PrincipalArn': `arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`, 'aws:PrincipalIsAWSService': 'false' },
      resourceControlPolicies: [byAccount],
    });
    expect(other.decision).toBe('Allowed');
  });

  test.each(KEY_UPDATE_ACTIONS.map(a => [a]))('the deployment role may still %s', async (action) => {
    expect((await archive(DEPLOYMENT_ROLE_ARN, action, KEY_WITHOUT_ID_KNOWN, [byAccount])).decision).toBe('Allowed');
  });

  test.each(KEY_DESTRUCTION_ACTIONS.map(a => [a]))('the deployment role is denied %s', async (action) => {
    expect((await archive(DEPLOYMENT_ROLE_ARN, action, KEY_WITHOUT_ID_KNOWN, [byAccount])).decision).toBe('ExplicitlyDenied');
  });
});
