import { DetectionDefinition } from './catalog';
import { PROTECTED_KEY_ACTIONS } from '../../private/protected-actions';
import { fail, isUnresolved, validateAccount, validatePattern } from '../../private/validation';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';
import { DetectionForwardingNames as Names } from '../forwarding-names';

/**
 * The pipeline-tampering detections: changes to the parts that record, keep, forward and report the audit
 * trail. Each is written once as a list of clauses (service, event names, the request field that names the
 * resource and how it is matched), from which both the EventBridge pattern and the CloudWatch Logs metric
 * filter are generated, so the alert on the central bus and the alarm on the organization trail's log group
 * (which no member account can switch off) can never disagree.
 */

/** How a clause recognizes its resource in the request. */
interface NameMatch {
  /** Path below `requestParameters`. */
  readonly field: string;
  readonly exact?: readonly string[];
  readonly prefix?: readonly string[];
  readonly suffix?: readonly string[];
  /** EventBridge `wildcard` patterns (`*` for any run of characters); the metric filter takes them as they are. */
  readonly wildcard?: readonly string[];
  /**
   * The request field holds a list (`alarmNames`). EventBridge matches a list on any element. A CloudWatch Logs
   * filter can only select one position, so the filter tests the first element and fires on every call that names
   * a second one: a batch with a decoy first name cannot slip a protected name past it, at the cost of an alarm
   * on every batch call of these operations.
   */
  readonly list?: boolean;
}

interface Clause {
  readonly eventSource: string;
  /**
   * The calls that count. Without a list, every write call (`readOnly` false) that names the resource counts:
   * used for the fixed-name forwarding resources, whose names nothing else carries.
   */
  readonly eventNames?: readonly string[];
  /** With no `eventNames`: write calls that do not count (the writes the service itself makes). */
  readonly exceptEventNames?: readonly string[];
  /** The resource named in the request; absent for `accounts`-scoped clauses. */
  readonly name?: NameMatch;
  /** Only calls in these accounts (`recipientAccountId`). */
  readonly accounts?: readonly string[];
}

const API_CALL = 'AWS API Call via CloudTrail';
/** The pipeline spans services: every clause is an AWS event, which EventBridge refuses from customers' PutEvents. */
const AWS_SOURCE = [{ prefix: 'aws.' }];

function pattern(clauses: readonly Clause[], extra: Array<{ [key: string]: any }> = []): { [key: string]: any } {
  const detail = (c: Clause) => {
    const d: { [key: string]: any } = c.eventNames
      ? { eventSource: [c.eventSource], eventName: [...c.eventNames] }
      : { eventSource: [c.eventSource], readOnly: [false] };
    if (!c.eventNames && c.exceptEventNames) d.eventName = [{ 'anything-but': [...c.exceptEventNames] }];
    if (c.accounts) d.recipientAccountId = [...c.accounts];
    if (c.name) {
      const matchers = [
        ...(c.name.exact ?? []),
        ...(c.name.prefix ?? []).map(prefix => ({ prefix })),
        ...(c.name.suffix ?? []).map(suffix => ({ suffix })),
        ...(c.name.wildcard ?? []).map(wildcard => ({ wildcard })),
      ];
      d.requestParameters = nest(c.name.field, matchers);
    }
    return d;
  };
  const apiCalls = { 'source': AWS_SOURCE, 'detail-type': [API_CALL], 'detail': clauses.length === 1 ? detail(clauses[0]) : { $or: clauses.map(detail) } };
  return extra.length === 0 ? apiCalls : { $or: [apiCalls, ...extra] };
}

function nest(path: string, leaf: unknown[]): { [key: string]: any } {
  const keys = path.split('.');
  let node: any = leaf;
  for (const key of keys.reverse()) node = { [key]: node };
  return node;
}

function metricFilter(clauses: readonly Clause[]): string {
  const quote = (v: string) => `"${v}"`;
  const any = (terms: string[]) => terms.length === 1 ? terms[0] : `(${terms.join(' || ')})`;
  const clause = (c: Clause) => {
    const terms = [`($.eventSource = ${c.eventSource})`,
      c.eventNames ? any(c.eventNames.map(n => `($.eventName = ${quote(n)})`)) : '($.readOnly IS FALSE)'];
    if (!c.eventNames) (c.exceptEventNames ?? []).forEach(n => terms.push(`($.eventName != ${quote(n)})`));
    if (c.accounts) terms.push(any(c.accounts.map(a => `($.recipientAccountId = ${quote(a)})`)));
    if (c.name) {
      const field = `$.requestParameters.${c.name.field}`;
      const selector = c.name.list ? `${field}[0]` : field;
      terms.push(any([
        ...(c.name.exact ?? []).map(v => `(${selector} = ${quote(v)})`),
        ...(c.name.prefix ?? []).map(v => `(${selector} = ${quote(`${v}*`)})`),
        ...(c.name.suffix ?? []).map(v => `(${selector} = ${quote(`*${v}`)})`),
        ...(c.name.wildcard ?? []).map(v => `(${selector} = ${quote(v)})`),
        // Any second element: names are never empty, so this holds exactly when the list has two or more.
        ...(c.name.list ? [`(${field}[1] != "")`] : []),
      ]));
    }
    return `(${terms.join(' && ')})`;
  };
  return `{ ${clauses.map(clause).join(' || ')} }`;
}

/** What every pipeline detection shares: always on, and about impairing the defenses that watch the account. */
const PIPELINE_FIELDS = {
  tier: DetectionTier.DEFAULT,
  tactic: DetectionTactic.DEFENSE_EVASION,
  techniques: ['T1562.008', 'T1562.001'],
  rationale: 'An attacker who can silence the trail, the archive or the alerts acts unseen afterwards; the pipeline ' +
    'that records and reports must report changes to itself first.',
  falsePositives: 'Deployments of the stacks that own these resources (CloudFormation execution roles) and the ' +
    'break-glass role. They are rare and worth a look each time; exclude a deployment role with `withExclusions` ' +
    'only if another control reviews its changes.',
} as const;

/** CloudWatch Logs' limit for a filter pattern. */
const MAX_FILTER_LENGTH = 1024;

function define(def: Omit<DetectionDefinition, 'eventPattern' | 'metricFilterPattern'> & {
  clauses: readonly Clause[];
  extraPatterns?: Array<{ [key: string]: any }>;
}): DetectionDefinition {
  // Every clause is a write management event, which the forwarding rule forwards anyway; what a detection
  // matches beyond that (data events, S3 notifications) it names in `forwardingPattern`.
  const filter = metricFilter(def.clauses);
  if (filter.length > MAX_FILTER_LENGTH) {
    fail(undefined, 'resources', def.id, `name more resources than the ${MAX_FILTER_LENGTH}-character metric filter of ${def.id} can ` +
      `hold (it would be ${filter.length}); name fewer, or use prefixes`);
  }
  const { clauses, extraPatterns, ...rest } = def;
  return { ...rest, eventPattern: pattern(clauses, extraPatterns), metricFilterPattern: filter };
}

const ALARM_CHANGES_BY_LIST = ['DeleteAlarms', 'DisableAlarmActions'];
const ALARM_CHANGES_BY_NAME = ['PutMetricAlarm', 'SetAlarmState'];

function alarmClauses(prefixes: readonly string[], accounts?: readonly string[]): Clause[] {
  return prefixes.length === 0 ? [] : [
    { eventSource: 'monitoring.amazonaws.com', eventNames: ALARM_CHANGES_BY_LIST, accounts, name: { field: 'alarmNames', prefix: prefixes, list: true } },
    { eventSource: 'monitoring.amazonaws.com', eventNames: ALARM_CHANGES_BY_NAME, accounts, name: { field: 'alarmName', prefix: prefixes } },
  ];
}

/**
 * Every write call naming the topics or their subscriptions: deletion, attributes and policy, permissions, data
 * protection, and subscriptions added (a stranger's endpoint reading the alerts), removed or redirected.
 */
function topicClauses(arns: readonly string[]): Clause[] {
  return [
    { eventSource: 'sns.amazonaws.com', name: { field: 'topicArn', exact: arns } },
    // A subscription ARN is the topic ARN followed by ":<id>".
    { eventSource: 'sns.amazonaws.com', name: { field: 'subscriptionArn', prefix: arns.map(a => `${a}:`) } },
  ];
}

/** The forwarding rule, its targets, its role and the role's policy, and the heartbeat's role. */
export function forwardingTamperingDefinition(): DetectionDefinition {
  return define({
    id: 'PIPELINE-FORWARDING-TAMPERING',
    title: 'Detection forwarding tampered with',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    description:
      'A write call on what forwards detection events to the central bus, in any account: the forwarding rule deleted, ' +
      'disabled, re-patterned or re-targeted; the forwarding or heartbeat role\'s trust, policies or boundary changed ' +
      'or the role deleted; the forwarding policy given a new version, a new default version or deleted (tagging ' +
      'included). Matched by the fixed names of ' +
      '`DetectionForwardingNames`. Failed attempts match too (the organization guardrails deny them). The management ' +
      'account\'s trail log group carries the same metric filter: a member that silences its own forwarding is still ' +
      'reported there.',
    clauses: [
      { eventSource: 'events.amazonaws.com', name: { field: 'name', exact: [Names.RULE_NAME] } },
      { eventSource: 'events.amazonaws.com', name: { field: 'rule', exact: [Names.RULE_NAME] } },
      // The heartbeat role's name starts with the forwarding role's prefix.
      { eventSource: 'iam.amazonaws.com', name: { field: 'roleName', prefix: [Names.ROLE_NAME_PREFIX] } },
      // CreatePolicyVersion, SetDefaultPolicyVersion, DeletePolicyVersion, DeletePolicy name the policy by ARN.
      { eventSource: 'iam.amazonaws.com', name: { field: 'policyArn', wildcard: [`arn:*:iam::*:policy/${Names.POLICY_NAME_PREFIX}*`] } },
      { eventSource: 'iam.amazonaws.com', name: { field: 'policyName', prefix: [Names.POLICY_NAME_PREFIX] } },
    ],
  });
}

/**
 * The SQS message calls that are not writes: receiving and hiding messages (a drain is receive, then delete;
 * DeleteMessage is a write and matches with every other write naming the queue). They are data events: the trail
 * records them only with a data-event selector for the queue (`OrganizationTrail` adds one for the forwarding
 * dead-letter queues). Batch calls authorize as their single forms.
 */
const QUEUE_MESSAGE_READS = ['ReceiveMessage', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch'];

/**
 * The prefix the forwarding health alarms (`ALARM_NAME_PREFIX`) and the heartbeat alarms
 * (`HEARTBEAT_ALARM_NAME_PREFIX`) share: one clause watches both, which keeps the metric filter short.
 */
const HEALTH_ALARM_PREFIX = 'cloudtrail-governance-';
if (![Names.ALARM_NAME_PREFIX, Names.HEARTBEAT_ALARM_NAME_PREFIX].every(p => p.startsWith(HEALTH_ALARM_PREFIX))) {
  throw new Error('the health alarm prefixes must share HEALTH_ALARM_PREFIX');
}

/** What reports that forwarding fails: the dead-letter queue, the events it keeps, and the health alarms. */
export function forwardingHealthTamperingDefinition(): DetectionDefinition {
  const queueUrl = { field: 'queueUrl', suffix: [`/${Names.DEAD_LETTER_QUEUE_NAME}`] };
  return define({
    id: 'PIPELINE-FORWARDING-HEALTH-TAMPERING',
    title: 'Forwarding dead-letter queue or health alarms tampered with',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    techniques: ['T1562.008', 'T1070'],
    visibility: 'Receiving, hiding and deleting messages are SQS data events: they are recorded only by a trail with a ' +
      'data-event selector for the queue (`OrganizationTrail` and `AccountTrail` add one for the forwarding dead-letter ' +
      'queues unless `recordForwardingQueueMessages` is false).',
    description:
      'The dead-letter queue that keeps the detection events an account could not forward, in any account: deleted, ' +
      'purged, re-policed or re-keyed (management events), its messages received, deleted or hidden (SQS data ' +
      'events, which `OrganizationTrail` records for this queue name), or moved out with a redrive. Draining the ' +
      'queue erases the evidence that forwarding failed. The forwarding health alarms and the heartbeat alarms ' +
      '(names starting `cloudtrail-governance-`) deleted, disabled or ' +
      'overwritten (tagging included; a batch call naming two or more alarms always matches in the metric filter, ' +
      'which can only read the first name). Failed attempts match too (the organization guardrails deny them). The ' +
      'management account\'s trail log group carries the same metric filter.',
    clauses: [
      { eventSource: 'sqs.amazonaws.com', name: queueUrl },
      { eventSource: 'sqs.amazonaws.com', eventNames: QUEUE_MESSAGE_READS, name: queueUrl },
      // A redrive (StartMessageMoveTask) names its source queue by ARN.
      { eventSource: 'sqs.amazonaws.com', name: { field: 'sourceArn', suffix: [`:${Names.DEAD_LETTER_QUEUE_NAME}`] } },
      // The forwarding health alarms of every account and the heartbeat alarms of the security account.
      { eventSource: 'monitoring.amazonaws.com', name: { field: 'alarmNames', prefix: [HEALTH_ALARM_PREFIX], list: true } },
      { eventSource: 'monitoring.amazonaws.com', name: { field: 'alarmName', prefix: [HEALTH_ALARM_PREFIX] } },
    ],
    dataEventsNeeded: true,
    // Beyond management writes: the message calls, which are data events (ReceiveMessage is also read-only).
    forwardingPattern: {
      source: ['aws.sqs'],
      detail: { eventCategory: ['Data'], requestParameters: { queueUrl: [{ suffix: `/${Names.DEAD_LETTER_QUEUE_NAME}` }] } },
    },
  });
}

/** The forwarder StackSet, its stack instances, and the stacks they create in member accounts. */
export function stackSetTamperingDefinition(stackSetName: string = Names.STACK_SET_NAME): DetectionDefinition {
  return define({
    id: 'PIPELINE-STACKSET-TAMPERING',
    title: 'Detection forwarder StackSet tampered with',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    description:
      `A write call on the StackSet "${stackSetName}" that installs the forwarding rule everywhere (updated, ` +
      'deleted, stack instances removed or overridden, an operation stopped), or on the stack it creates in a ' +
      'member account (deleted or updated outside the StackSet). Failed attempts match too. The management ' +
      'account\'s own StackSet updates match as well: expected, and worth seeing.',
    clauses: [
      { eventSource: 'cloudformation.amazonaws.com', name: { field: 'stackSetName', exact: [stackSetName], prefix: [`${stackSetName}:`] } },
      { eventSource: 'cloudformation.amazonaws.com', name: { field: 'stackName', prefix: [`StackSet-${stackSetName}-`] } },
    ],
  });
}

/** The AWS Organizations settings the organization trail and the forwarding StackSet depend on. */
export function organizationTamperingDefinition(): DetectionDefinition {
  return define({
    id: 'PIPELINE-ORGANIZATION-TAMPERING',
    title: 'Organization trust for the audit trail changed',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    description:
      'Trusted access of CloudTrail or CloudFormation StackSets disabled or enabled in AWS Organizations, or a ' +
      'delegated administrator registered or deregistered for them: disabling trusted access stops the ' +
      'organization trail or the forwarder StackSet from reaching member accounts. Policy changes (service and ' +
      'resource control policies) are CIS-4.15. These calls run in the management account, where the trail and ' +
      'its log group live.',
    clauses: [{
      eventSource: 'organizations.amazonaws.com',
      eventNames: ['DisableAWSServiceAccess', 'EnableAWSServiceAccess', 'RegisterDelegatedAdministrator',
        'DeregisterDelegatedAdministrator'],
      name: { field: 'servicePrincipal', exact: ['cloudtrail.amazonaws.com', 'member.org.stacksets.cloudformation.amazonaws.com'] },
    }],
  });
}

/**
 * The resources of one CloudTrail setup that the resource-scoped pipeline detections watch.
 */
export interface PipelineResourceNames {
  readonly archiveBucketNames: readonly string[];
  readonly archiveKeyAccounts: readonly string[];
  readonly trailNames: readonly string[];
  readonly logGroupNames: readonly string[];
  readonly alarmNamePrefixes: readonly string[];
  readonly alertTopicArns: readonly string[];
  readonly centralBusArns: readonly string[];
}

/** The key calls the archive guardrails deny, as CloudTrail names them: the same list, so the two cannot disagree. */
const KEY_TAMPERING_EVENTS = PROTECTED_KEY_ACTIONS.map(a => a.slice('kms:'.length));

/** The log bucket's configuration, its log objects, and the KMS keys of the account that holds the archive key. */
export function archiveTamperingDefinition(names: PipelineResourceNames): DetectionDefinition | undefined {
  const buckets = names.archiveBucketNames;
  const accounts = names.archiveKeyAccounts;
  if (buckets.length === 0 && accounts.length === 0) return undefined;
  const objectDeleted = {
    'source': ['aws.s3'],
    'detail-type': ['Object Deleted'],
    'detail': { bucket: { name: [...buckets] }, reason: ['DeleteObject'] },
  };
  return define({
    id: 'PIPELINE-ARCHIVE-TAMPERING',
    title: 'Audit log archive tampered with',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    techniques: ['T1562.008', 'T1070', 'T1485'],
    description:
      `Log bucket${buckets.length === 1 ? '' : 's'} ${buckets.join(', ') || '(none named)'}: any write call but ` +
      'CloudTrail\'s PutObject: its policy, lifecycle, versioning, access logging, encryption, Object Lock, replication, ' +
      'ownership, public access block, tags or event notifications changed, the bucket deleted, or log objects ' +
      'deleted, or their retention or legal hold changed (S3 data events the trail records for the archive alone, ' +
      'and the bucket\'s own "Object Deleted" EventBridge ' +
      `notifications, lifecycle expirations excepted). KMS keys of account${accounts.length === 1 ? '' : 's'} ` +
      `${accounts.join(', ') || '(none named)'}, which hold the archive key: deletion scheduled, disabled, key ` +
      'policy replaced, rotation disabled or aliases moved. Failed attempts match too. Deployments of the ' +
      'archive stack itself (a key policy update) match as well: expected, and worth seeing.',
    clauses: [
      ...(buckets.length > 0 ? [
        // Every write naming the bucket but CloudTrail's own log delivery (PutObject, which the bucket policy
        // refuses to anyone else): configuration changes, deletion, and the object calls the trail records for the
        // archive alone (DeleteObject, DeleteObjects, PutObjectRetention, PutObjectLegalHold).
        { eventSource: 's3.amazonaws.com', exceptEventNames: ['PutObject'], name: { field: 'bucketName', exact: buckets } },
      ] : []),
      ...(accounts.length > 0 ? [{ eventSource: 'kms.amazonaws.com', eventNames: KEY_TAMPERING_EVENTS, accounts }] : []),
    ],
    extraPatterns: buckets.length > 0 ? [objectDeleted] : [],
    dataEventsNeeded: buckets.length > 0,
    // Beyond management writes: the object calls on the log buckets (data events) and their own notifications.
    forwardingPattern: buckets.length > 0 ? {
      $or: [
        { source: ['aws.s3'], detail: { eventCategory: ['Data'], requestParameters: { bucketName: [...buckets] } } },
        objectDeleted,
      ],
    } : undefined,
  });
}

/** The trails and their CloudWatch Logs groups and metric filters. */
export function trailTamperingDefinition(names: PipelineResourceNames): DetectionDefinition | undefined {
  const { trailNames, logGroupNames } = names;
  const clauses: Clause[] = [
    ...(trailNames.length > 0 ? [{
      eventSource: 'cloudtrail.amazonaws.com',
      eventNames: ['StopLogging', 'DeleteTrail', 'UpdateTrail'],
      // A trail is named by its name or its ARN.
      name: { field: 'name', exact: trailNames, suffix: trailNames.map(n => `:trail/${n}`) },
    }, {
      // The selector calls name the trail in `trailName`, not `name`.
      eventSource: 'cloudtrail.amazonaws.com',
      eventNames: ['PutEventSelectors', 'PutInsightSelectors'],
      name: { field: 'trailName', exact: trailNames, suffix: trailNames.map(n => `:trail/${n}`) },
    }] : []),
    ...(logGroupNames.length > 0 ? [{
      eventSource: 'logs.amazonaws.com',
      eventNames: ['DeleteLogGroup', 'PutRetentionPolicy', 'DisassociateKmsKey', 'DeleteMetricFilter', 'PutMetricFilter',
        'DeleteSubscriptionFilter', 'PutSubscriptionFilter', 'PutDataProtectionPolicy'],
      name: { field: 'logGroupName', exact: logGroupNames },
    }] : []),
  ];
  if (clauses.length === 0) return undefined;
  return define({
    id: 'PIPELINE-TRAIL-TAMPERING',
    title: 'Trail or its log group tampered with',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    description:
      'Trail: logging stopped, deleted, updated or its selectors changed. Its CloudWatch Logs group: deleted, ' +
      'retention changed, key removed, metric or subscription filters deleted or replaced. Failed attempts match ' +
      'too. Deployments of the stack that owns them match as well: expected, and worth seeing.',
    clauses,
  });
}

/** The alarms that guard the pipeline and the topics alerts go to. */
export function alertingTamperingDefinition(names: PipelineResourceNames): DetectionDefinition | undefined {
  const { alarmNamePrefixes, alertTopicArns } = names;
  const clauses: Clause[] = [
    ...alarmClauses(alarmNamePrefixes),
    ...(alertTopicArns.length > 0 ? topicClauses(alertTopicArns) : []),
  ];
  if (clauses.length === 0) return undefined;
  return define({
    id: 'PIPELINE-ALERTING-TAMPERING',
    title: 'Alarms or alerts topic tampered with',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    description:
      'Alarms whose names start with the given prefixes: deleted, their actions disabled, overwritten or forced to ' +
      'a state. Alerts topics: deleted, re-configured or re-policed, subscriptions added, removed or changed. Failed ' +
      'attempts match too. Deployments of the stacks that own them match as well: expected, and worth seeing.',
    clauses,
  });
}

const BUS_ARN = /^arn:(aws[a-z-]*):events:([a-z0-9-]+):(\d{12}):event-bus\/([/.\-_A-Za-z0-9]{1,256})$/;

/**
 * The central detection buses, the rules on them, and what `ForwardingHeartbeat` keeps in the bus's account (its
 * log group, metric filter, alarms and the forwarding health topics).
 */
export function centralBusTamperingDefinition(names: PipelineResourceNames): DetectionDefinition | undefined {
  const buses = names.centralBusArns.map(arn => {
    const m = BUS_ARN.exec(arn)!;
    return { arn, account: m[3], name: m[4] };
  });
  if (buses.length === 0) return undefined;
  const accounts = [...new Set(buses.map(b => b.account))];
  return define({
    id: 'PIPELINE-CENTRAL-BUS-TAMPERING',
    title: 'Central detection bus tampered with',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    description:
      `Central bus${buses.length === 1 ? '' : 'es'} ${buses.map(b => b.name).join(', ')} of account${accounts.length === 1 ? '' : 's'} ` +
      `${accounts.join(', ')}: its resource policy changed (PutPermission, RemovePermission), the bus deleted or ` +
      'updated, or any rule on it created, changed, disabled, deleted or re-targeted. Failed attempts match too. ' +
      'Deployments of the security stack match as well: expected, and worth seeing.',
    clauses: [
      // Rules and targets on a custom bus, and the bus's permissions, name the bus in `eventBusName` (name or ARN).
      { eventSource: 'events.amazonaws.com', accounts, name: { field: 'eventBusName', exact: [...buses.map(b => b.name), ...buses.map(b => b.arn)] } },
      { eventSource: 'events.amazonaws.com', eventNames: ['DeleteEventBus', 'UpdateEventBus'], accounts, name: { field: 'name', exact: buses.map(b => b.name) } },
    ],
  });
}

/** The CloudWatch Logs resource policies that let the central bus write the heartbeats (`<rule name>-delivery`). */
const HEARTBEAT_DELIVERY_POLICY_PREFIX = 'cloudtrail-governance-heartbeat';

/**
 * What `ForwardingHeartbeat` and `ForwardingHealthTopic` keep in the security account, by their fixed names: the
 * heartbeat log group and its metric filter, the heartbeat alarms, the forwarding health topics.
 */
export function centralHealthTamperingDefinition(): DetectionDefinition {
  return define({
    id: 'PIPELINE-CENTRAL-HEALTH-TAMPERING',
    title: 'Forwarding heartbeat or health topic tampered with',
    severity: DetectionSeverity.CRITICAL,
    ...PIPELINE_FIELDS,
    description:
      'In any account (by the fixed names of `DetectionForwardingNames`): the heartbeat log groups, their metric ' +
      'filters or delivery policies deleted or changed, the forwarding health topics deleted, re-policed or their ' +
      'subscriptions removed (the heartbeat alarms are PIPELINE-FORWARDING-HEALTH-TAMPERING). Failed attempts match too. ' +
      'Deployments of the security stack match as well: expected, and worth seeing.',
    // Every write naming them: their names are the library's own, so nothing else carries them.
    clauses: [
      // Both heartbeat log groups (`...-heartbeats` and `...-heartbeats-unmonitored`), and their delivery policies.
      { eventSource: 'logs.amazonaws.com', name: { field: 'logGroupName', prefix: [Names.HEARTBEAT_LOG_GROUP_NAME] } },
      { eventSource: 'logs.amazonaws.com', name: { field: 'policyName', prefix: [HEARTBEAT_DELIVERY_POLICY_PREFIX] } },
      { eventSource: 'sns.amazonaws.com', name: { field: 'topicArn', suffix: [`:${Names.HEALTH_TOPIC_NAME}`] } },
      { eventSource: 'sns.amazonaws.com', name: { field: 'subscriptionArn', wildcard: [`*:${Names.HEALTH_TOPIC_NAME}:*`] } },
    ],
  });
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const ALARM_PREFIX = /^[\x20-\x7e]{1,200}$/;
const TRAIL_NAME = /^[A-Za-z0-9._-]{3,128}$/;

/** Validates the names: they are compared offline, so they must be literal. */
export function validatePipelineNames(names: PipelineResourceNames): void {
  const literal = (prop: string, values: readonly string[]) => values.forEach((v, i) => {
    if (isUnresolved(v)) fail(undefined, `${prop}[${i}]`, v, 'must be a literal value: detection patterns are compared offline and cannot hold tokens');
  });
  const each = (prop: string, values: readonly string[], check: (p: string, v: string) => void) => {
    literal(prop, values);
    values.forEach((v, i) => check(`${prop}[${i}]`, v));
    if (new Set(values).size !== values.length) fail(undefined, prop, values.join(', '), 'must not name a value twice');
  };
  each('archiveBucketNames', names.archiveBucketNames, (p, v) => validatePattern(undefined, p, v, BUCKET_NAME, 'must be an S3 bucket name'));
  each('archiveKeyAccounts', names.archiveKeyAccounts, (p, v) => validateAccount(undefined, p, v));
  each('trailNames', names.trailNames, (p, v) => validatePattern(undefined, p, v, TRAIL_NAME, 'must be a CloudTrail trail name'));
  each('logGroupNames', names.logGroupNames, (p, v) => validatePattern(undefined, p, v, LOG_GROUP_NAME, 'must be a CloudWatch Logs log group name'));
  each('alarmNamePrefixes', names.alarmNamePrefixes, (p, v) => validatePattern(undefined, p, v, ALARM_PREFIX, 'must be 1-200 printable ASCII characters'));
  each('centralBusArns', names.centralBusArns, (p, v) => validatePattern(undefined, p, v, BUS_ARN,
    'must be an event bus ARN (arn:<partition>:events:<region>:<account>:event-bus/<name>), such as CentralDetectionBus.arnFor(...)'));
  each('alertTopicArns', names.alertTopicArns, (p, v) => validatePattern(undefined, p, v, TOPIC_ARN,
    'must be an SNS topic ARN such as arn:aws:sns:us-east-1:111111111111:security-alerts'));
}

/** The pipeline detections with fixed names, part of the built-in catalog. */

export const PIPELINE_DEFINITIONS: readonly DetectionDefinition[] = [
  forwardingTamperingDefinition(),
  forwardingHealthTamperingDefinition(),
  centralHealthTamperingDefinition(),
  stackSetTamperingDefinition(),
  organizationTamperingDefinition(),
];
