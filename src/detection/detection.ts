import {
  CustomDetectionProps, DetectionEventKind, DetectionExclusions, DetectionSeverity, DetectionTactic, DetectionTier,
} from './detection-types';
import { PipelineTamperingProps } from './pipeline-tampering';
import { CIS_DEFINITIONS, DetectionDefinition } from './private/catalog';
import { ALL_DEFINITIONS } from './private/catalog-all';
import {
  alertingTamperingDefinition, archiveTamperingDefinition, centralBusTamperingDefinition, trailTamperingDefinition, validatePipelineNames,
} from './private/catalog-pipeline';
import {
  ExclusionLists, excludeFromMetricFilter, excludeFromPattern, mergeExclusions, validateExclusions,
} from './private/exclusions';
import {
  detailEventSources, patternLength, pinsAwsSource, validateEventPatternShape,
} from './private/patterns';
import { BuiltIns } from '../private/built-ins';
import { EventPatternMatcher } from '../private/event-pattern-matcher';
import { fail, validateEnum, validatePattern, ValidationError } from '../private/validation';

export * from './detection-types';

const CUSTOM_ID = /^(?!CIS-)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CUSTOM_ID_RULE = 'must be 1-64 letters, digits, ".", "_" or "-", start with a letter or digit, and not ' +
  'start with "CIS-" (reserved for the benchmark\'s controls)';
const GLOBAL_EVENT_SOURCES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'organizations.amazonaws.com',
  'signin.amazonaws.com']);
const GLOBAL_SOURCES = new Set(['aws.iam', 'aws.sts', 'aws.organizations', 'aws.signin']);
const BUILT_IN = new BuiltIns<DetectionDefinition, Detection>(ALL_DEFINITIONS);
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;

interface DetectionState extends DetectionDefinition {
  readonly exclusions?: ExclusionLists;
  readonly sourcePinned?: boolean;
  /** The detection before exclusions, from which merged exclusions are rendered again. */
  readonly baseline?: DetectionState;
}

/**
 * Something dangerous to alert on: an EventBridge event pattern over the events CloudTrail delivers,
 * with an id, a title, a severity and, for CIS controls, the benchmark's CloudWatch Logs metric-filter pattern.
 *
 * The built-in catalog covers the CIS AWS Foundations Benchmark monitoring controls 4.1-4.15
 * (`Detection.CIS_4_1` ... `Detection.CIS_4_15`), CloudTrail tampering, security services being disabled,
 * S3 public access, CloudTrail Insights, and threat detections by MITRE ATT&CK tactic (defense evasion,
 * credential access, persistence and privilege escalation, exfiltration, execution and lateral movement,
 * discovery, impact). Each has a tier: `Detection.defaultTier()` (high confidence) or
 * `Detection.huntingTier()` (noisier, opt-in). Every built-in pattern pins `source` to the AWS source(s) it is
 * about, so forged events cannot fire it. `Detection.custom` defines your own; `withExclusions` tunes one.
 */
export class Detection {
  /** CIS 4.1: unauthorized API calls. */
  public static readonly CIS_4_1 = Detection.builtIn('CIS-4.1');
  /** CIS 4.2: console sign-in without MFA. */
  public static readonly CIS_4_2 = Detection.builtIn('CIS-4.2');
  /** CIS 4.3: root account usage, any activity of the root user. */
  public static readonly CIS_4_3 = Detection.builtIn('CIS-4.3');
  /** CIS 4.4: IAM policy changes. */
  public static readonly CIS_4_4 = Detection.builtIn('CIS-4.4');
  /** CIS 4.5: CloudTrail configuration changes. */
  public static readonly CIS_4_5 = Detection.builtIn('CIS-4.5');
  /** CIS 4.6: console authentication failures. */
  public static readonly CIS_4_6 = Detection.builtIn('CIS-4.6');
  /** CIS 4.7: KMS keys disabled or scheduled for deletion. */
  public static readonly CIS_4_7 = Detection.builtIn('CIS-4.7');
  /** CIS 4.8: S3 bucket policy changes. */
  public static readonly CIS_4_8 = Detection.builtIn('CIS-4.8');
  /** CIS 4.9: AWS Config configuration changes. */
  public static readonly CIS_4_9 = Detection.builtIn('CIS-4.9');
  /** CIS 4.10: security group changes. */
  public static readonly CIS_4_10 = Detection.builtIn('CIS-4.10');
  /** CIS 4.11: network ACL changes. */
  public static readonly CIS_4_11 = Detection.builtIn('CIS-4.11');
  /** CIS 4.12: network gateway changes. */
  public static readonly CIS_4_12 = Detection.builtIn('CIS-4.12');
  /** CIS 4.13: route table changes. */
  public static readonly CIS_4_13 = Detection.builtIn('CIS-4.13');
  /** CIS 4.14: VPC changes. */
  public static readonly CIS_4_14 = Detection.builtIn('CIS-4.14');
  /** CIS 4.15: AWS Organizations changes. */
  public static readonly CIS_4_15 = Detection.builtIn('CIS-4.15');
  /** Root account activity of any kind; the same detection as `CIS_4_3`. */
  public static readonly ROOT_ACTIVITY = Detection.CIS_4_3;
  /** CloudTrail logging stopped, trails deleted or updated, event or Insights selectors changed. */
  public static readonly CLOUDTRAIL_TAMPERING = Detection.builtIn('CLOUDTRAIL-TAMPERING');
  /** GuardDuty detector deleted, or an account disconnected from GuardDuty's administrator. */
  public static readonly GUARDDUTY_DISABLED = Detection.builtIn('GUARDDUTY-DISABLED');
  /** Security Hub disabled, standards disabled, or an account disconnected from its administrator. */
  public static readonly SECURITY_HUB_DISABLED = Detection.builtIn('SECURITYHUB-DISABLED');
  /** AWS Config recording stopped or deleted. */
  public static readonly CONFIG_RECORDER_STOPPED = Detection.builtIn('CONFIG-RECORDER-STOPPED');
  /** S3 Block Public Access removed or weakened, for a bucket or the account. */
  public static readonly S3_PUBLIC_ACCESS_BLOCK_REMOVED = Detection.builtIn('S3-PUBLIC-ACCESS-BLOCK-REMOVED');
  /** A bucket policy or ACL that makes a bucket public. */
  public static readonly S3_BUCKET_MADE_PUBLIC = Detection.builtIn('S3-BUCKET-MADE-PUBLIC');
  /** CloudTrail Insights events (unusual API call or error rates). */
  public static readonly CLOUDTRAIL_INSIGHT = Detection.builtIn('CLOUDTRAIL-INSIGHT');
  /** VPC flow logs deleted. */
  public static readonly VPC_FLOW_LOGS_DELETED = Detection.builtIn('VPC-FLOW-LOGS-DELETED');
  /** Route 53 Resolver query logging deleted. */
  public static readonly DNS_QUERY_LOGGING_DELETED = Detection.builtIn('DNS-QUERY-LOGGING-DELETED');
  /** CloudWatch log group, metric filter or alarm deleted. */
  public static readonly CLOUDWATCH_LOGGING_DELETED = Detection.builtIn('CLOUDWATCH-LOGGING-DELETED');
  /** IAM Access Analyzer deleted. */
  public static readonly ACCESS_ANALYZER_DELETED = Detection.builtIn('ACCESS-ANALYZER-DELETED');
  /** Account left or was removed from the organization. */
  public static readonly ACCOUNT_LEFT_ORGANIZATION = Detection.builtIn('ACCOUNT-LEFT-ORGANIZATION');
  /** Security group opened to the internet outside CloudFormation. */
  public static readonly SECURITY_GROUP_OPEN_TO_INTERNET = Detection.builtIn('SECURITY-GROUP-OPEN-TO-INTERNET');
  /** Secrets retrieved in bulk (BatchGetSecretValue). */
  public static readonly SECRETS_BATCH_RETRIEVED = Detection.builtIn('SECRETS-BATCH-RETRIEVED');
  /** SecureString parameters read in batches with decryption. */
  public static readonly SSM_PARAMETERS_DECRYPTED_IN_BATCH = Detection.builtIn('SSM-PARAMETERS-DECRYPTED-IN-BATCH');
  /** Windows administrator password retrieved (GetPasswordData). */
  public static readonly EC2_PASSWORD_DATA_RETRIEVED = Detection.builtIn('EC2-PASSWORD-DATA-RETRIEVED');
  /** EC2 instance credentials used to enumerate IAM or the account. */
  public static readonly INSTANCE_CREDENTIALS_RECON = Detection.builtIn('INSTANCE-CREDENTIALS-RECON');
  /** EC2 instance credentials delivered by IMDSv1. */
  public static readonly INSTANCE_CREDENTIALS_IMDSV1 = Detection.builtIn('INSTANCE-CREDENTIALS-IMDSV1');
  /** Access key created for another IAM user. */
  public static readonly IAM_ACCESS_KEY_FOR_OTHER_USER = Detection.builtIn('IAM-ACCESS-KEY-FOR-OTHER-USER');
  /** Console password created or changed for another IAM user. */
  public static readonly IAM_LOGIN_PROFILE_FOR_OTHER_USER = Detection.builtIn('IAM-LOGIN-PROFILE-FOR-OTHER-USER');
  /** Role trust policy changed outside CloudFormation. */
  public static readonly IAM_ROLE_TRUST_POLICY_CHANGED = Detection.builtIn('IAM-ROLE-TRUST-POLICY-CHANGED');
  /** Administrator policy attached. */
  public static readonly IAM_ADMIN_POLICY_ATTACHED = Detection.builtIn('IAM-ADMIN-POLICY-ATTACHED');
  /** Older IAM policy version made the default. */
  public static readonly IAM_POLICY_VERSION_SET_DEFAULT = Detection.builtIn('IAM-POLICY-VERSION-SET-DEFAULT');
  /** IAM Roles Anywhere trust anchor or profile created or changed. */
  public static readonly ROLES_ANYWHERE_TRUST_CHANGED = Detection.builtIn('ROLES-ANYWHERE-TRUST-CHANGED');
  /** Federation token issued (GetFederationToken). */
  public static readonly STS_FEDERATION_TOKEN = Detection.builtIn('STS-FEDERATION-TOKEN');
  /** Lambda function made invocable by another account or everyone. */
  public static readonly LAMBDA_EXPOSED = Detection.builtIn('LAMBDA-EXPOSED');
  /** Lambda layer shared with another account or everyone. */
  public static readonly LAMBDA_LAYER_SHARED = Detection.builtIn('LAMBDA-LAYER-SHARED');
  /** Lambda function code, layers or role replaced. */
  public static readonly LAMBDA_CODE_REPLACED = Detection.builtIn('LAMBDA-CODE-REPLACED');
  /** EC2 instance user data modified. */
  public static readonly EC2_USER_DATA_MODIFIED = Detection.builtIn('EC2-USER-DATA-MODIFIED');
  /** EKS cluster access granted outside CloudFormation. */
  public static readonly EKS_CLUSTER_ACCESS_GRANTED = Detection.builtIn('EKS-CLUSTER-ACCESS-GRANTED');
  /** EBS snapshot shared with another account or made public. */
  public static readonly EBS_SNAPSHOT_SHARED = Detection.builtIn('EBS-SNAPSHOT-SHARED');
  /** AMI shared with another account or made public. */
  public static readonly AMI_SHARED = Detection.builtIn('AMI-SHARED');
  /** RDS or Aurora snapshot shared with another account or made public. */
  public static readonly RDS_SNAPSHOT_SHARED = Detection.builtIn('RDS-SNAPSHOT-SHARED');
  /** Bucket policy grants access to named AWS principals. */
  public static readonly S3_BUCKET_POLICY_AWS_PRINCIPAL = Detection.builtIn('S3-BUCKET-POLICY-AWS-PRINCIPAL');
  /** Bucket policy grants access to a whole AWS account. */
  public static readonly S3_BUCKET_POLICY_ACCOUNT_GRANT = Detection.builtIn('S3-BUCKET-POLICY-ACCOUNT-GRANT');
  /** Bucket replication to another account. */
  public static readonly S3_REPLICATION_CROSS_ACCOUNT = Detection.builtIn('S3-REPLICATION-CROSS-ACCOUNT');
  /** SSH key pushed with EC2 Instance Connect. */
  public static readonly EC2_INSTANCE_CONNECT_KEY_PUSHED = Detection.builtIn('EC2-INSTANCE-CONNECT-KEY-PUSHED');
  /** EC2 serial console access enabled. */
  public static readonly EC2_SERIAL_CONSOLE_ENABLED = Detection.builtIn('EC2-SERIAL-CONSOLE-ENABLED');
  /** Systems Manager command sent or session started. */
  public static readonly SSM_COMMAND_OR_SESSION = Detection.builtIn('SSM-COMMAND-OR-SESSION');
  /** EC2 instance user data read. */
  public static readonly EC2_USER_DATA_READ = Detection.builtIn('EC2-USER-DATA-READ');
  /** Whole IAM configuration read (GetAccountAuthorizationDetails). */
  public static readonly IAM_AUTHORIZATION_DETAILS_READ = Detection.builtIn('IAM-AUTHORIZATION-DETAILS-READ');
  /** Email sending capacity probed (SES). */
  public static readonly SES_RECONNAISSANCE = Detection.builtIn('SES-RECONNAISSANCE');
  /** Bucket lifecycle rule that expires objects within a week. */
  public static readonly S3_LIFECYCLE_EXPIRES_QUICKLY = Detection.builtIn('S3-LIFECYCLE-EXPIRES-QUICKLY');
  /** Bucket default encryption or objects re-encrypted with a KMS key. */
  public static readonly S3_ENCRYPTION_KEY_CHANGED = Detection.builtIn('S3-ENCRYPTION-KEY-CHANGED');
  /** GPU or accelerator instances launched. */
  public static readonly EC2_ACCELERATED_INSTANCES_LAUNCHED = Detection.builtIn('EC2-ACCELERATED-INSTANCES-LAUNCHED');
  /** Bedrock model access requested or logging removed. */
  public static readonly BEDROCK_MODEL_ACCESS_CHANGED = Detection.builtIn('BEDROCK-MODEL-ACCESS-CHANGED');
  /** Generative AI model invoked. */
  public static readonly BEDROCK_MODEL_INVOKED = Detection.builtIn('BEDROCK-MODEL-INVOKED');
  /** Objects deleted in bulk (DeleteObjects). */
  public static readonly S3_OBJECTS_DELETED_IN_BULK = Detection.builtIn('S3-OBJECTS-DELETED-IN-BULK');
  /**
   * The forwarding rule, its targets, its role or the role's policy (or the heartbeat role) changed, in any account
   * (matched by `DetectionForwardingNames`).
   */
  public static readonly PIPELINE_FORWARDING_TAMPERING = Detection.builtIn('PIPELINE-FORWARDING-TAMPERING');
  /**
   * The forwarding dead-letter queue changed, its messages read, deleted or moved, or the forwarding health alarms
   * changed, in any account. The message calls are SQS data events, which `OrganizationTrail` records for the queue.
   */
  public static readonly PIPELINE_FORWARDING_HEALTH_TAMPERING = Detection.builtIn('PIPELINE-FORWARDING-HEALTH-TAMPERING');
  /** The heartbeat log group, metric filter or alarms, or the forwarding health topics changed (security account). */
  public static readonly PIPELINE_CENTRAL_HEALTH_TAMPERING = Detection.builtIn('PIPELINE-CENTRAL-HEALTH-TAMPERING');
  /** The forwarder StackSet, its stack instances or the stacks they create changed. */
  public static readonly PIPELINE_STACKSET_TAMPERING = Detection.builtIn('PIPELINE-STACKSET-TAMPERING');
  /** CloudTrail's or CloudFormation StackSets' trusted access or delegated administrator changed in AWS Organizations. */
  public static readonly PIPELINE_ORGANIZATION_TAMPERING = Detection.builtIn('PIPELINE-ORGANIZATION-TAMPERING');
  /**
   * A forwarding rule's health alarm (failed invocations, dead-lettered events) went into ALARM in some account and
   * region: that account's detection events are not all reaching the central bus.
   */
  public static readonly FORWARDING_HEALTH = Detection.builtIn('FORWARDING-HEALTH');

  /**
   * The CIS AWS Foundations Benchmark monitoring controls 4.1-4.15, in order.
   */
  public static cis(): Detection[] {
    return CIS_DEFINITIONS.map(def => Detection.builtIn(def.id));
  }

  /**
   * Every built-in detection of both tiers, in catalog order: the CIS controls, the original tampering and
   * exposure detections, then the threat detections by tactic. Prefer `defaultTier()` for alerting and add
   * hunting detections one by one, tuned with `withExclusions`.
   */
  public static all(): Detection[] {
    return ALL_DEFINITIONS.map(def => Detection.builtIn(def.id));
  }

  /**
   * The built-in detections of the default tier (high confidence), in catalog order: what `SecurityAlerts`,
   * `DetectionForwarder`, `DetectionForwardingRule` and `CloudTrailBaseline` use unless given a list.
   */
  public static defaultTier(): Detection[] {
    return Detection.all().filter(d => d.tier === DetectionTier.DEFAULT);
  }

  /**
   * The built-in detections of the hunting tier (noisier, opt-in), in catalog order.
   */
  public static huntingTier(): Detection[] {
    return Detection.all().filter(d => d.tier === DetectionTier.HUNTING);
  }

  /**
   * The built-in detections of a tactic, both tiers, in catalog order.
   *
   * @param tactic the tactic
   */
  public static ofTactic(tactic: DetectionTactic): Detection[] {
    // Required: undefined would select the detections without a tactic.
    validateEnum(undefined, 'tactic', tactic ?? null, DetectionTactic);
    return Detection.all().filter(d => d.tactic === tactic);
  }

  /**
   * The built-in detection with the given id (`CIS-4.3`, `CLOUDTRAIL-TAMPERING`, ...).
   *
   * @param id a built-in detection id
   */
  public static fromId(id: string): Detection {
    const found = BUILT_IN.get(id, def => new Detection(def));
    if (!found) {
      fail(undefined, 'id', id, `must be the id of a built-in detection: ${BUILT_IN.ids.join(', ')}`);
    }
    return found;
  }

  /**
   * The built-in pipeline-tampering detections, which match the library's fixed names in every account: forwarding,
   * forwarding health, the forwarder StackSet, the organization's trusted access, and the central health resources.
   * Part of the default tier.
   */
  public static pipelineBuiltIns(): Detection[] {
    return [Detection.PIPELINE_FORWARDING_TAMPERING, Detection.PIPELINE_FORWARDING_HEALTH_TAMPERING,
      Detection.PIPELINE_STACKSET_TAMPERING, Detection.PIPELINE_ORGANIZATION_TAMPERING, Detection.PIPELINE_CENTRAL_HEALTH_TAMPERING];
  }

  /**
   * The pipeline-tampering detections scoped to one setup's resources (CRITICAL, default tier, each with a metric
   * filter for the organization trail's log group):
   * - `PIPELINE-ARCHIVE-TAMPERING`: the log buckets' configuration, their log objects deleted or unlocked, the
   *   archive key's account's keys destroyed or re-policed;
   * - `PIPELINE-TRAIL-TAMPERING`: the trails, their log groups and metric filters;
   * - `PIPELINE-ALERTING-TAMPERING`: the alarms that guard the pipeline and the alerts topics;
   * - `PIPELINE-CENTRAL-BUS-TAMPERING`: the central buses' policies, the buses themselves and every rule on them.
   *
   * Add them to the `SecurityAlerts` and forwarders' detections next to the built-in
   * fixed-name ones (`Detection.pipelineBuiltIns()`), and to
   * the management account's `CisAlarms`, whose log group no member account can switch off. A detection is left
   * out when none of its resources is named.
   */
  public static pipelineTampering(props: PipelineTamperingProps): Detection[] {
    const names = {
      archiveBucketNames: props.archiveBucketNames ?? [],
      archiveKeyAccounts: props.archiveKeyAccounts ?? [],
      trailNames: props.trailNames ?? [],
      logGroupNames: props.logGroupNames ?? [],
      alarmNamePrefixes: props.alarmNamePrefixes ?? [],
      alertTopicArns: props.alertTopicArns ?? [],
      centralBusArns: props.centralBusArns ?? [],
    };
    validatePipelineNames(names);
    const defs = [archiveTamperingDefinition(names), trailTamperingDefinition(names), alertingTamperingDefinition(names),
      centralBusTamperingDefinition(names)];
    if (defs.every(d => d === undefined)) {
      throw new ValidationError(undefined, 'pipelineTampering needs at least one resource: archiveBucketNames, archiveKeyAccounts, ' +
        'trailNames, logGroupNames, alarmNamePrefixes, alertTopicArns or centralBusArns');
    }
    return defs.filter((d): d is DetectionDefinition => d !== undefined).map(d => new Detection(d));
  }

  /**
   * A detection of your own.
   */
  public static custom(props: CustomDetectionProps): Detection {
    validatePattern(undefined, 'id', props.id, CUSTOM_ID, CUSTOM_ID_RULE);
    if (props.title.trim() === '' || props.title.length > 200) {
      fail(undefined, 'title', props.title, 'must be 1-200 characters');
    }
    validateEventPatternShape(undefined, 'eventPattern', props.eventPattern);
    const filter = props.metricFilterPattern;
    if (filter !== undefined && (filter.trim() === '' || filter.length > 1024)) {
      fail(undefined, 'metricFilterPattern', filter, 'must be 1-1024 characters (the CloudWatch Logs limit)');
    }
    const sourcePinned = pinsAwsSource(props.eventPattern);
    if (!sourcePinned && !props.allowForgeableSource) {
      fail(undefined, 'eventPattern', JSON.stringify(props.eventPattern).slice(0, 200), 'must pin `source` to AWS sources ' +
        '(such as ["aws.iam"], or [{"prefix": "aws."}] across services) in every branch, so that forged events ' +
        'cannot fire it; set allowForgeableSource to accept the risk');
    }
    for (const t of props.techniques ?? []) validatePattern(undefined, 'techniques', t, TECHNIQUE, 'must be a MITRE ATT&CK technique id such as T1098 or T1562.008');
    // Compared by value below and in every filter (defaultTier(), ofTactic()): a wrong-case value from an untyped
    // caller would silently become another tier or event kind.
    validateEnum(undefined, 'severity', props.severity ?? null, DetectionSeverity);
    validateEnum(undefined, 'tier', props.tier, DetectionTier);
    validateEnum(undefined, 'tactic', props.tactic, DetectionTactic);
    validateEnum(undefined, 'eventKind', props.eventKind, DetectionEventKind);
    return new Detection({
      id: props.id,
      title: props.title,
      severity: props.severity,
      description: props.description ?? props.title,
      cisControl: props.cisControl,
      eventPattern: props.eventPattern,
      metricFilterPattern: props.metricFilterPattern,
      includeReadOnlyEvents: props.includeReadOnlyEvents,
      globalServiceEvents: props.globalServiceEvents,
      insight: (props.eventKind ?? DetectionEventKind.CLOUDTRAIL_RECORD) === DetectionEventKind.INSIGHT,
      tier: props.tier ?? DetectionTier.HUNTING,
      tactic: props.tactic,
      techniques: props.techniques,
      rationale: props.rationale,
      falsePositives: props.falsePositives,
      dataEventsNeeded: props.dataEventsNeeded,
      sourcePinned,
    });
  }

  private static builtIn(id: string): Detection {
    const found = BUILT_IN.get(id, def => new Detection(def));
    if (!found) throw new Error(`no built-in detection "${id}" in the catalog`);
    return found;
  }

  /** Identifier, such as `CIS-4.3`; shown in brackets at the start of the rule description and in alerts. */
  public readonly id: string;

  /** Short title. */
  public readonly title: string;

  /** How serious the alert is. */
  public readonly severity: DetectionSeverity;

  /** What the detection looks for, including where its EventBridge pattern approximates a CIS filter. */
  public readonly description: string;

  /**
   * The CIS AWS Foundations Benchmark control the detection implements, such as `4.3`.
   *
   * @default - not a CIS control
   */
  public readonly cisControl?: string;

  /**
   * The CloudWatch Logs metric-filter pattern; for CIS controls, the benchmark's text verbatim.
   *
   * @default - none
   */
  public readonly metricFilterPattern?: string;

  /** Whether the rule must also receive read-only management events. */
  public readonly includeReadOnlyEvents: boolean;

  /** Whether the detection's events are delivered in us-east-1 only (IAM, STS, Organizations, sign-in). */
  public readonly globalServiceEvents: boolean;

  /** What the alerts are about. */
  public readonly eventKind: DetectionEventKind;

  /** The tier. */
  public readonly tier: DetectionTier;

  /**
   * The MITRE ATT&CK tactic.
   *
   * @default - none
   */
  public readonly tactic?: DetectionTactic;

  /** MITRE ATT&CK technique ids (may be empty). */
  public readonly techniques: string[];

  /** Why the activity is worth an alert. */
  public readonly rationale: string;

  /**
   * Legitimate activity that fires the detection too, and how to tune it.
   *
   * @default - none documented
   */
  public readonly falsePositives?: string;

  /** Whether the detection needs data events logged by the trail. */
  public readonly dataEventsNeeded: boolean;

  /**
   * What CloudTrail management events cannot show of the technique.
   *
   * @default - nothing noted
   */
  public readonly visibility?: string;

  /** Whether the pattern pins `source` to AWS sources, so that forged events cannot fire it. */
  public readonly sourcePinned: boolean;

  /** Principal ARNs excluded with `withExclusions` (empty when none). */
  public readonly excludedPrincipalArns: string[];

  /** Session issuer (role) ARNs excluded with `withExclusions` (empty when none). */
  public readonly excludedSessionIssuerArns: string[];

  /** Principal account ids excluded with `withExclusions` (empty when none). */
  public readonly excludedPrincipalAccounts: string[];

  private readonly pattern: { [key: string]: any };
  private readonly state: DetectionState;

  private constructor(def: DetectionState) {
    this.state = def;
    this.id = def.id;
    this.title = def.title;
    this.severity = def.severity;
    this.description = def.description;
    this.cisControl = def.cisControl;
    this.metricFilterPattern = def.metricFilterPattern;
    this.includeReadOnlyEvents = def.includeReadOnlyEvents ?? false;
    this.globalServiceEvents = def.globalServiceEvents ?? globalServiceEventsOf(def.eventPattern);
    this.eventKind = def.insight ? DetectionEventKind.INSIGHT : DetectionEventKind.CLOUDTRAIL_RECORD;
    this.tier = def.tier ?? DetectionTier.HUNTING;
    this.tactic = def.tactic;
    this.techniques = [...def.techniques ?? []];
    this.rationale = def.rationale ?? def.description;
    this.falsePositives = def.falsePositives;
    this.dataEventsNeeded = def.dataEventsNeeded ?? false;
    this.visibility = def.visibility;
    this.sourcePinned = def.sourcePinned ?? pinsAwsSource(def.eventPattern);
    this.excludedPrincipalArns = [...def.exclusions?.principalArns ?? []];
    this.excludedSessionIssuerArns = [...def.exclusions?.sessionIssuerArns ?? []];
    this.excludedPrincipalAccounts = [...def.exclusions?.principalAccounts ?? []];
    // A private deep copy: callers can neither change the catalog nor be changed by it.
    this.pattern = JSON.parse(JSON.stringify(def.eventPattern));
  }

  /**
   * The same detection (same id) that leaves out trusted principals, in its event pattern and its metric
   * filter. Exclusions add up when called again. A CIS control with exclusions no longer has the benchmark's
   * exact metric filter, which Security Hub's CloudWatch checks look for.
   *
   * @param exclusions the principals to leave out
   */
  public withExclusions(exclusions: DetectionExclusions): Detection {
    if (this.eventKind === DetectionEventKind.INSIGHT) {
      fail(undefined, 'exclusions', this.id, 'cannot apply to Insights detections, whose events have no calling principal');
    }
    const added = validateExclusions(exclusions);
    const base = this.state.exclusions ? this.state.baseline! : this.state;
    const merged = mergeExclusions(this.state.exclusions, added);
    const eventPattern = excludeFromPattern(base.eventPattern, merged);
    validateEventPatternShape(undefined, 'exclusions', eventPattern);
    return new Detection({
      ...base,
      eventPattern,
      metricFilterPattern: base.metricFilterPattern === undefined ? undefined
        : excludeFromMetricFilter(base.metricFilterPattern, merged),
      exclusions: merged,
      baseline: base,
    });
  }

  /** The EventBridge event pattern (a fresh copy on every read). */
  public get eventPattern(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.pattern));
  }

  /**
   * What the member accounts' forwarding rule matches for this detection: a superset of `eventPattern`, shorter
   * where the detection defines one.
   *
   * @internal
   */
  public get _forwardingPattern(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.state.forwardingPattern ?? this.pattern));
  }

  /** The length of the pattern as EventBridge counts it (its compact JSON text). */
  public get eventPatternLength(): number {
    return patternLength(this.pattern);
  }

  /** The rule description: `[<id>] <title>`. */
  public get ruleDescription(): string {
    return `[${this.id}] ${this.title}`;
  }

  /**
   * Whether the detection matches an EventBridge event (see `EventPatternMatcher`).
   *
   * @param candidate the event as EventBridge delivers it
   */
  public matches(candidate: { [key: string]: any }): boolean {
    return EventPatternMatcher.matches(this.pattern, candidate);
  }
}

/**
 * Whether a pattern matches only events of IAM, STS, Organizations or console sign-in, which EventBridge receives
 * in one region (us-east-1 in the commercial partition), read from the sources the pattern names. A pattern that
 * names no source cannot tell; its definition says so explicitly.
 */
function globalServiceEventsOf(pattern: { [key: string]: any }): boolean {
  const sources = detailEventSources(pattern) ?? [];
  const envelopeSources: unknown[] = Array.isArray(pattern.source) ? pattern.source : [];
  return (sources.length > 0 && sources.every(s => GLOBAL_EVENT_SOURCES.has(s)))
    || (envelopeSources.length > 0 && envelopeSources.every(s => typeof s === 'string' && GLOBAL_SOURCES.has(s)));
}
