import * as iam from 'aws-cdk-lib/aws-iam';
import { DetectionForwardingNames } from '../detection/forwarding-names';
import {
  BUCKET_DESTRUCTION_ACTIONS, BUCKET_UPDATE_ACTIONS, KEY_DESTRUCTION_ACTIONS, KEY_UPDATE_ACTIONS, PROTECTED_OBJECT_ACTIONS,
} from '../private/protected-actions';

/**
 * The name pattern of the execution role that service-managed StackSets create in every target account
 * (`stacksets-exec-<hash>`, per the CloudFormation StackSets user guide). The forwarder's stack instances
 * are created, updated and deleted through it, so the forwarding guardrail must let it through.
 */
export const STACK_SET_EXECUTION_ROLE_NAME_PATTERN = 'stacksets-exec-*';

/** What the service control policy needs to know. */
export interface ForwardingGuardrailInput {
  readonly partition: string;
  readonly stackSetName: string;
  /** Principal ARNs (aws:PrincipalArn) the policy lets through besides the StackSet execution role. */
  readonly exemptPrincipalArns: string[];
  /** Role ARNs that other policies exempt (the archive's deployment roles): their definition is guarded too. */
  readonly trustedRoleArns: string[];
  /** Organization trails to keep a CloudTrail delegated administrator from stopping or narrowing. */
  readonly organizationTrailArns: string[];
  /** The central detection buses whose policy, rules and neighbouring health resources are guarded. */
  readonly centralBusArns: string[];
  /** The alerts topics (SecurityAlerts) guarded with the buses. */
  readonly alertTopicArns: string[];
  /** Prefixes of the security account's own alarm names (SecurityAlerts' health alarms) guarded with the buses. */
  readonly alertingAlarmNamePrefixes: string[];
  /** Roles that deploy the security stack, exempt from the alerting statement only. */
  readonly alertingDeploymentRoleArns: string[];
}

/** What the resource control policy needs to know. */
export interface ArchiveGuardrailInput {
  readonly partition: string;
  readonly bucketNames: string[];
  readonly keyArns: string[];
  /** Accounts whose every KMS key is protected (for keys whose id is not known before deployment). */
  readonly keyAccounts: string[];
  /** Exempt from everything: the break-glass roles. */
  readonly breakGlassArns: string[];
  /** Exempt from the configuration changes a stack update makes, and only those. */
  readonly deploymentRoleArns: string[];
}

/**
 * Changes to the forwarding rule that stop or redirect forwarding: deleting or disabling it, rewriting its
 * pattern (PutRule) or its targets. PutRule also covers creating a rule under the fixed name in a region the
 * StackSet has not reached yet, which would make that stack instance fail.
 */
const RULE_ACTIONS = ['events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets'];

/**
 * Changes that would let someone act as an exempt role: creating a role under an exempt name, or rewriting an
 * exempt role's trust, policies or boundary. The StackSets service creates and maintains its execution role
 * through a service-linked role, which SCPs do not bind.
 */
const EXEMPT_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateAssumeRolePolicy',
  // Attach, Detach, Put and DeleteRolePolicy (and GetRolePolicy, a read these roles never need from anyone else):
  // written as patterns to leave room in the 5,120 characters.
  'iam:*RolePolicy',
  // Put and DeleteRolePermissionsBoundary.
  'iam:*RolePermissionsBoundary',
];

/**
 * Changes to the forwarding roles: whoever controls the role's policies, trust or boundary controls whether
 * events reach the central bus. CreateRole keeps the name from being taken before the stack instance creates
 * it; PassRole keeps the role's PutEvents permission from being lent to another rule. Tagging is left
 * allowed: nothing in the pipeline authorizes by the role's tags.
 */
const ROLE_ACTIONS = [...EXEMPT_ROLE_ACTIONS, 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:PassRole'];

/**
 * Changes to the forwarding and heartbeat roles' customer managed policies: a new version made default with a
 * deny-all document cuts the role off as surely as detaching it, and CreatePolicy keeps the name from being taken.
 * `CreatePolicy*` is CreatePolicy and CreatePolicyVersion, `DeletePolicy*` DeletePolicy and DeletePolicyVersion.
 */
const POLICY_ACTIONS = ['iam:CreatePolicy*', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy*'];

/** Stopping or rewriting the heartbeat schedule (the heartbeat's absence alarms anyway; this keeps it from being faked off). */
const SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'];

/**
 * Labelling the heartbeat parameter's oldest version: Parameter Store keeps 100 versions and deletes the oldest
 * on each write, unless it has a label, when the write fails (ParameterMaxVersionLimitExceeded).
 */
const PARAMETER_ACTIONS = ['ssm:LabelParameterVersion'];
/**
 * Stopping, deleting or narrowing an organization trail. Member accounts cannot change an organization trail
 * at all, except an account registered as CloudTrail delegated administrator: this is for that account.
 */
const TRAIL_ACTIONS = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors'];

/**
 * Changes to the forwarding dead-letter queue: deleting or purging the events it kept, draining it message by
 * message (receive, then delete; hiding them with a visibility change; batch calls authorize as these), moving them
 * out with a redrive, changing its retention, key or policy (SetQueueAttributes) or its legacy permissions, or
 * taking its name first. Nobody but break-glass needs to read it: its depth is a metric.
 */
const QUEUE_ACTIONS = ['sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes', 'sqs:AddPermission',
  'sqs:RemovePermission', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:StartMessageMoveTask'];

/** The central bus: its policy, the bus itself and the rules and targets on it. */
const BUS_ACTIONS = ['events:DeleteEventBus', 'events:UpdateEventBus'];

/**
 * The bus's resource policy, and the CloudWatch Logs resource policies that let the bus write the heartbeats. These
 * actions take no resource ARN (the Service Authorization Reference lists no resource type for them), so they are
 * denied to every principal of the buses' accounts (`aws:PrincipalAccount`) but the exempt ones: in a security
 * account that holds only the alerting, no one else needs them.
 */
const ACCOUNT_POLICY_ACTIONS = ['events:PutPermission', 'events:RemovePermission', 'logs:PutResourcePolicy', 'logs:DeleteResourcePolicy'];

/** The alerts and health topics: deleting, re-policing, re-keying, and removing or redirecting subscriptions. */
const TOPIC_ACTIONS = ['sns:DeleteTopic', 'sns:SetTopicAttributes', 'sns:AddPermission', 'sns:RemovePermission',
  'sns:PutDataProtectionPolicy', 'sns:Unsubscribe', 'sns:SetSubscriptionAttributes'];

/** The heartbeat log groups and their metric filters. */
const LOG_GROUP_ACTIONS = ['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DisassociateKmsKey', 'logs:DeleteMetricFilter',
  'logs:PutMetricFilter'];

/** Silencing the forwarding health alarms: deleting, muting, rewriting or forcing their state. */
const ALARM_ACTIONS = ['cloudwatch:DeleteAlarms', 'cloudwatch:DisableAlarmActions', 'cloudwatch:PutMetricAlarm', 'cloudwatch:SetAlarmState'];

/**
 * Changing the forwarder's stack instances outside the StackSet: deleting them, updating them directly or
 * through a change set, resuming a failed rollback with skipped resources, or changing their stack policy
 * or termination protection.
 */
const STACK_ACTIONS = [
  'cloudformation:DeleteStack',
  'cloudformation:UpdateStack',
  'cloudformation:CreateChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:ContinueUpdateRollback',
  'cloudformation:SetStackPolicy',
  'cloudformation:UpdateTerminationProtection',
];

/**
 * The service control policy's statements. Both deny to every principal of the accounts the policy is attached
 * to, except the StackSet execution role and the exempt principals: the first, changes to the forwarding
 * pipeline, by the fixed names of `DetectionForwardingNames` in any account and region; the second, taking
 * over the exempt roles themselves (and the roles the resource control policy exempts).
 */
export function forwardingGuardrailStatements(input: ForwardingGuardrailInput): iam.PolicyStatement[] {
  const p = input.partition;
  const executionRole = `arn:${p}:iam::*:role/${STACK_SET_EXECUTION_ROLE_NAME_PATTERN}`;
  const exempt = [executionRole, ...input.exemptPrincipalArns];
  const deny = (sid: string, actions: string[], resources: string[]) => new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    actions,
    resources,
    conditions: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
  });
  const n = DetectionForwardingNames;
  // One statement for the whole pipeline: each action only ever applies to its own kind of resource, so the
  // joined lists deny exactly what five statements would, while the exempt list is written once instead of
  // five times, leaving room in the 5,120 characters for more break-glass roles.
  return [
    deny('DenyForwardingPipelineChanges', [...RULE_ACTIONS, ...ROLE_ACTIONS, ...POLICY_ACTIONS, ...QUEUE_ACTIONS, ...ALARM_ACTIONS,
      ...SCHEDULE_ACTIONS, ...PARAMETER_ACTIONS, ...STACK_ACTIONS], [
      `arn:${p}:events:*:*:rule/${n.RULE_NAME}`,
      `arn:${p}:iam::*:role/${n.ROLE_NAME_PREFIX}*`,
      `arn:${p}:iam::*:policy/${n.POLICY_NAME_PREFIX}*`,
      `arn:${p}:sqs:*:*:${n.DEAD_LETTER_QUEUE_NAME}`,
      `arn:${p}:cloudwatch:*:*:alarm:${n.ALARM_NAME_PREFIX}*`,
      `arn:${p}:scheduler:*:*:schedule/default/${n.HEARTBEAT_SCHEDULE_NAME}`,
      `arn:${p}:ssm:*:*:parameter${n.HEARTBEAT_PARAMETER_NAME}`,
      `arn:${p}:cloudformation:*:*:stack/StackSet-${input.stackSetName}-*/*`,
    ]),
    // PassRole stays out: the archive's deployment role is passed to CloudFormation on every deployment.
    deny('DenyExemptRoleChanges', EXEMPT_ROLE_ACTIONS, [...new Set([...exempt, ...input.trustedRoleArns, ...input.alertingDeploymentRoleArns])]),
    ...(input.organizationTrailArns.length > 0 ? [deny('DenyOrganizationTrailChanges', TRAIL_ACTIONS, input.organizationTrailArns)] : []),
  ];
}

/**
 * The statements of the alerting service control policy (a policy of its own, so the pipeline policy keeps its
 * 5,120 characters): the security account's side of the alert path, exempting the StackSet execution role, the
 * break-glass roles and the security stack's deployment roles.
 */
export function alertingGuardrailStatements(input: ForwardingGuardrailInput): iam.PolicyStatement[] {
  if (input.centralBusArns.length === 0) return [];
  const executionRole = `arn:${input.partition}:iam::*:role/${STACK_SET_EXECUTION_ROLE_NAME_PATTERN}`;
  return alertingStatements(input.partition, input, [executionRole, ...input.exemptPrincipalArns, ...input.alertingDeploymentRoleArns]);
}

/**
 * The security account's side of the alert path: the central buses (policy, rules, targets), the alerts topics,
 * and what `ForwardingHeartbeat` and `ForwardingHealthTopic` keep there, by their fixed names. Its deployment role
 * is exempt here, and nowhere else.
 */
function alertingStatements(p: string, input: ForwardingGuardrailInput, exempt: string[]): iam.PolicyStatement[] {
  const n = DetectionForwardingNames;
  const buses = input.centralBusArns.map(arn => {
    const [, , , region, account, resource] = arn.split(':');
    return { region, account, name: resource.slice('event-bus/'.length), arn };
  });
  const accounts = [...new Set(buses.map(b => b.account))];
  return [new iam.PolicyStatement({
    sid: 'DenyAlertingChanges',
    effect: iam.Effect.DENY,
    actions: [...BUS_ACTIONS, ...RULE_ACTIONS, ...TOPIC_ACTIONS, ...ALARM_ACTIONS, ...LOG_GROUP_ACTIONS],
    resources: [
      ...buses.map(b => b.arn),
      ...buses.map(b => `arn:${p}:events:${b.region}:${b.account}:rule/${b.name}/*`),
      ...input.alertTopicArns,
      ...accounts.map(a => `arn:${p}:sns:*:${a}:${n.HEALTH_TOPIC_NAME}`),
      ...accounts.flatMap(a => [n.HEARTBEAT_ALARM_NAME_PREFIX, ...input.alertingAlarmNamePrefixes].map(prefix => `arn:${p}:cloudwatch:*:${a}:alarm:${prefix}*`)),
      ...accounts.map(a => `arn:${p}:logs:*:${a}:log-group:${n.HEARTBEAT_LOG_GROUP_NAME}*`),
    ],
    conditions: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
  }), new iam.PolicyStatement({
    sid: 'DenyAlertingPolicyChanges',
    effect: iam.Effect.DENY,
    actions: ACCOUNT_POLICY_ACTIONS,
    resources: ['*'],
    conditions: { StringEquals: { 'aws:PrincipalAccount': accounts }, ArnNotLike: { 'aws:PrincipalArn': exempt } },
  })];
}

/**
 * The resource control policy's statements: destroying or unlocking the archive's log objects, deleting its buckets
 * or their policies, and destroying or disabling the archive keys is denied to every principal but break-glass; the
 * configuration changes a stack update makes (bucket policy, lifecycle, key policy...) to every principal but
 * break-glass and the deployment roles. AWS service principals (`aws:PrincipalIsAWSService`, which AWS's own RCP
 * examples use) are never denied, so CloudTrail's delivery is untouched; the `IfExists` form denies a request that
 * does not say. Keys are named by ARN, or by account (`arn:<partition>:kms:*:<account>:key/*`) where the id is not
 * known yet: an RCP may rely only on what AWS documents for it, and `kms:ResourceAliases` is documented for IAM
 * policies.
 */
export function archiveGuardrailStatements(input: ArchiveGuardrailInput): iam.PolicyStatement[] {
  const p = input.partition;
  const buckets = input.bucketNames.map((b) => `arn:${p}:s3:::${b}`);
  const objects = input.bucketNames.map((b) => `arn:${p}:s3:::${b}/*`);
  const keys = [...input.keyArns, ...input.keyAccounts.map((a) => `arn:${p}:kms:*:${a}:key/*`)];
  const hasBuckets = buckets.length > 0;
  const hasKeys = keys.length > 0;
  const deny = (sid: string, actions: readonly string[], resources: string[], exempt: string[]) => new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    principals: [new iam.StarPrincipal()],
    actions: [...actions],
    resources,
    conditions: {
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      ...(exempt.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': exempt } } : {}),
    },
  });
  // One statement per exemption set: object actions only apply to object ARNs, bucket actions to bucket ARNs and key
  // actions to key ARNs, so joining them denies exactly what separate statements would.
  const statements: iam.PolicyStatement[] = [];
  const destruction = [
    ...(hasBuckets ? [...PROTECTED_OBJECT_ACTIONS, ...BUCKET_DESTRUCTION_ACTIONS] : []),
    ...(hasKeys ? KEY_DESTRUCTION_ACTIONS : []),
  ];
  if (destruction.length > 0) {
    statements.push(deny('DenyArchiveDestruction', destruction, [...buckets, ...objects, ...keys], input.breakGlassArns));
  }
  const configuration = [...(hasBuckets ? BUCKET_UPDATE_ACTIONS : []), ...(hasKeys ? KEY_UPDATE_ACTIONS : [])];
  if (configuration.length > 0) {
    statements.push(deny('DenyArchiveConfigurationChanges', configuration, [...buckets, ...keys],
      [...new Set([...input.breakGlassArns, ...input.deploymentRoleArns])]));
  }
  return statements;
}
