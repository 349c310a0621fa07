import * as iam from 'aws-cdk-lib/aws-iam';
import { DetectionForwardingNames } from '../detection/forwarding-names';
import { PROTECTED_BUCKET_ACTIONS, PROTECTED_KEY_ACTIONS, PROTECTED_OBJECT_ACTIONS } from '../private/protected-actions';

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
}

/** What the resource control policy needs to know. */
export interface ArchiveGuardrailInput {
  readonly partition: string;
  readonly bucketNames: string[];
  readonly keyArns: string[];
  readonly keyAliasNames: string[];
  readonly exemptPrincipalArns: string[];
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
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
];

/**
 * Changes to the forwarding roles: whoever controls the role's policies, trust or boundary controls whether
 * events reach the central bus. CreateRole keeps the name from being taken before the stack instance creates
 * it; PassRole keeps the role's PutEvents permission from being lent to another rule. Tagging is left
 * allowed: nothing in the pipeline authorizes by the role's tags.
 */
const ROLE_ACTIONS = [...EXEMPT_ROLE_ACTIONS, 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:PassRole'];
/**
 * Stopping, deleting or narrowing an organization trail. Member accounts cannot change an organization trail
 * at all, except an account registered as CloudTrail delegated administrator: this is for that account.
 */
const TRAIL_ACTIONS = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors'];

/**
 * Changes to the forwarding dead-letter queue: deleting or purging the events it kept, changing its
 * retention, key or policy (SetQueueAttributes) or its legacy permissions, or taking its name first.
 */
const QUEUE_ACTIONS = ['sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes', 'sqs:AddPermission', 'sqs:RemovePermission'];

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
    deny('DenyForwardingPipelineChanges', [...RULE_ACTIONS, ...ROLE_ACTIONS, ...QUEUE_ACTIONS, ...ALARM_ACTIONS, ...STACK_ACTIONS], [
      `arn:${p}:events:*:*:rule/${n.RULE_NAME}`,
      `arn:${p}:iam::*:role/${n.ROLE_NAME_PREFIX}*`,
      `arn:${p}:sqs:*:*:${n.DEAD_LETTER_QUEUE_NAME}`,
      `arn:${p}:cloudwatch:*:*:alarm:${n.ALARM_NAME_PREFIX}*`,
      `arn:${p}:cloudformation:*:*:stack/StackSet-${input.stackSetName}-*/*`,
    ]),
    // PassRole stays out: the archive's deployment role is passed to CloudFormation on every deployment.
    deny('DenyExemptRoleChanges', EXEMPT_ROLE_ACTIONS, [...new Set([...exempt, ...input.trustedRoleArns])]),
    ...(input.organizationTrailArns.length > 0 ? [deny('DenyOrganizationTrailChanges', TRAIL_ACTIONS, input.organizationTrailArns)] : []),
  ];
}

/**
 * The resource control policy's statements: destroying, unlocking or re-policing the archive bucket, its
 * log objects and the archive key is denied to every principal except the exempt ones. AWS service
 * principals (`aws:PrincipalIsAWSService`) are never denied, so CloudTrail's delivery is untouched; the
 * `IfExists` form denies a request that does not say.
 */
export function archiveGuardrailStatements(input: ArchiveGuardrailInput): iam.PolicyStatement[] {
  const conditions: { [operator: string]: any } = { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } };
  if (input.exemptPrincipalArns.length > 0) {
    conditions.ArnNotLike = { 'aws:PrincipalArn': input.exemptPrincipalArns };
  }
  const p = input.partition;
  const resources = [
    ...input.bucketNames.map((b) => `arn:${p}:s3:::${b}`),
    ...input.bucketNames.map((b) => `arn:${p}:s3:::${b}/*`),
    ...input.keyArns,
  ];
  const actions = [
    ...(input.bucketNames.length > 0 ? [...PROTECTED_OBJECT_ACTIONS, ...PROTECTED_BUCKET_ACTIONS] : []),
    ...(input.keyArns.length > 0 ? PROTECTED_KEY_ACTIONS : []),
  ];
  // One statement, as in the service control policy: object actions only apply to object ARNs, bucket actions
  // to bucket ARNs and key actions to key ARNs, and the exempt list is written once.
  const statements = resources.length === 0 ? [] : [new iam.PolicyStatement({
    sid: 'DenyArchiveDestruction',
    effect: iam.Effect.DENY,
    principals: [new iam.StarPrincipal()],
    actions,
    resources,
    conditions,
  })];
  if (input.keyAliasNames.length > 0) {
    // A key's id is only known once it exists; its alias is known before. `kms:ResourceAliases` holds the aliases
    // of the key a request acts on, so this names the key by alias in every account the policy is attached to.
    statements.push(new iam.PolicyStatement({
      sid: 'DenyArchiveKeyDestructionByAlias',
      effect: iam.Effect.DENY,
      principals: [new iam.StarPrincipal()],
      actions: [...PROTECTED_KEY_ACTIONS],
      resources: [`arn:${p}:kms:*:*:key/*`],
      conditions: { ...conditions, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': input.keyAliasNames } },
    }));
  }
  return statements;
}
