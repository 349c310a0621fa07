import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct, IConstruct } from 'constructs';
import {
  alertingGuardrailStatements, archiveGuardrailStatements, forwardingGuardrailStatements, STACK_SET_EXECUTION_ROLE_NAME_PATTERN,
} from './guardrail-statements';
import { regionDenyStatements, validateAllowedRegions, validateExemptActions } from './region-guardrail';
import { DetectionForwardingNames } from '../detection/forwarding-names';
import { partitionOfRegion, validateExemptRoleArn } from '../private/secure';
import { fail, isUnresolved, validateAccount, validateNonEmpty, validatePattern, validateUnique, ValidationError } from '../private/validation';

/**
 * Properties of OrganizationGuardrails.
 */
export interface OrganizationGuardrailsProps {
  /**
   * Where the service control policy is attached: the organization's root id (`r-...`), organizational unit
   * ids (`ou-...-...`) or member account ids (12 digits). Attach it where the `DetectionForwarder` deploys.
   * The management account is never bound by it, wherever it is attached.
   */
  readonly targetIds: string[];

  /**
   * Where the resource control policy is attached: root, OU or account ids, like `targetIds`. It must reach
   * the accounts that hold the archive bucket and the archive key.
   *
   * @default - the same targets as `targetIds`
   */
  readonly archiveTargetIds?: string[];

  /**
   * The archive buckets the resource control policy protects (`TrailArchive` bucket names, as given to
   * `TrailArchive.fromAttributes`).
   *
   * @default - no bucket; with no bucket and no key, no resource control policy is created
   */
  readonly archiveBucketNames?: string[];

  /**
   * The ARNs of the archive keys the resource control policy protects (`arn:<partition>:kms:<region>:<account>:key/<id>`).
   *
   * @default - no key; with no bucket and no key, no resource control policy is created
   */
  readonly archiveKeyArns?: string[];

  /**
   * Accounts whose every KMS key the resource control policy protects (`arn:<partition>:kms:*:<account>:key/*`), for
   * archive keys whose id is not known yet (it is assigned when the key is created). Use it for a log-archive account
   * that holds no other keys whose policy others must change: every key there is protected like the archive key.
   *
   * @default - no account: only the keys of `archiveKeyArns` are protected
   */
  readonly archiveKeyAccounts?: string[];

  /**
   * The ARNs of the roles that deploy the archive's stack in the account(s) holding the archive bucket and
   * key (for a CDK-bootstrapped account, `cdk-hnb659fds-cfn-exec-role-<account>-<region>`). The resource
   * control policy lets them through, so that the archive's own stack can keep updating its bucket policy,
   * lifecycle and key policy; the service control policy keeps other principals from rewriting their trust or
   * policies where it is attached. Whoever may pass such a role to CloudFormation can still change the
   * archive through it: keep that right (`iam:PassRole`) to the deployment pipeline. Each must be the exact ARN
   * of one role of the stack's partition: no `*` or `?`, no IAM user.
   *
   * @default - none: every change of the archive's protected settings must go through a break-glass role
   */
  readonly archiveDeploymentRoleArns?: string[];

  /**
   * The ARNs of the break-glass roles (`arn:<partition>:iam::<account>:role/<name>`) that both policies let
   * through: the only way to change the forwarding pipeline outside its StackSet, or the archive's protected
   * settings outside its stack. Each must be the exact ARN of one role of the stack's partition: no `*` or `?`
   * (a wildcard would let through every role whose name matches, and anyone who may create a role could name
   * one so), and no IAM user (`aws:PrincipalArn` of an assumed-role session is its role's ARN; a user is a
   * long-term credential, not a break-glass practice). The roles may be of any account: both policies only
   * deny, so an exemption needs no Allow. Where the service control policy is attached, nobody else may create
   * a role under these names or change their trust or policies.
   *
   * @default - none: a synth warning says so
   */
  readonly breakGlassPrincipalArns?: string[];

  /**
   * Organization trails (`TrailIdentity.trailArn`) that the service control policy keeps from being stopped,
   * deleted or narrowed (`StopLogging`, `DeleteTrail`, `UpdateTrail`, `PutEventSelectors`,
   * `PutInsightSelectors`). Only the management account and a CloudTrail delegated administrator can change an
   * organization trail; this binds the delegated administrator, a member account, where the policy is attached.
   *
   * @default - none: organization trails stay as AWS protects them, changeable by the management account and
   * the CloudTrail delegated administrator
   */
  readonly organizationTrailArns?: string[];

  /**
   * The central detection buses (`CentralDetectionBus.arnFor(...)`) whose resource policy, rules and targets a
   * second service control policy (`alertingServiceControlPolicy`) protects, together with `alertTopicArns` and, in the buses' accounts, the forwarding
   * health topics, the heartbeat alarms and the heartbeat log groups (by their fixed names).
   *
   * @default - none: the alerting in the security account is only detected (`PIPELINE-CENTRAL-BUS-TAMPERING`)
   */
  readonly centralBusArns?: string[];

  /**
   * The alerts and health topics of `SecurityAlerts` (give them fixed names) that the service control policy protects
   * from deletion, re-policing and unsubscription. Needs `centralBusArns`.
   *
   * @default - none
   */
  readonly alertTopicArns?: string[];

  /**
   * Prefixes of the names of the security account's own alarms to guard with the buses: `SecurityAlerts`'
   * `healthAlarmNamePrefix`. Needs `centralBusArns`.
   *
   * @default - none
   */
  readonly alertingAlarmNamePrefixes?: string[];

  /**
   * The roles that deploy the security stack (for a CDK-bootstrapped account,
   * `cdk-hnb659fds-cfn-exec-role-<account>-<region>`): exempt from the alerting statement only, so that stack can keep
   * updating its bus, rules, topics and alarms. Exact role ARNs, like `breakGlassPrincipalArns`.
   *
   * @default - none: changes to the alerting must go through a break-glass role (a warning says so when `centralBusArns` is set)
   */
  readonly alertingDeploymentRoleArns?: string[];

  /**
   * The name of the `DetectionForwarder` StackSet whose stack instances (`StackSet-<name>-<id>`) the service
   * control policy protects.
   *
   * @default DetectionForwardingNames.STACK_SET_NAME
   */
  readonly stackSetName?: string;

  /**
   * The service control policy's name (1-128 characters).
   *
   * @default 'cloudtrail-governance-forwarding-guardrail'
   */
  readonly serviceControlPolicyName?: string;

  /**
   * The alerting service control policy's name (1-128 characters). It is attached to `targetIds` with the other
   * one: a target holds at most 5 service control policies, AWS's FullAWSAccess among them.
   *
   * @default 'cloudtrail-governance-alerting-guardrail'
   */
  readonly alertingServiceControlPolicyName?: string;

  /**
   * The resource control policy's name (1-128 characters).
   *
   * @default 'cloudtrail-governance-archive-guardrail'
   */
  readonly resourceControlPolicyName?: string;

  /**
   * The regions principals of `targetIds` may use: a region-deny service control policy of its own (it does not
   * count against the forwarding policy's 5,120 characters) denies every action outside them (`aws:RequestedRegion`)
   * but the global services' that AWS's documented example exempts (IAM, Organizations, STS, CloudFront, Route 53,
   * Support, Budgets, ...). The break-glass roles, the StackSet execution role and the forwarding and heartbeat roles
   * are exempt. Pass the same list to the tables' `allowedRegions` and to `RegionActivityAlarm`, which reports the
   * activity elsewhere that this policy cannot stop (the management account, service-linked roles), and include every
   * region the `DetectionForwarder` forwards from. All regions must be in the stack's partition. It is attached to
   * `targetIds` with the other service control policies: a target holds at most 5, AWS's FullAWSAccess among them.
   *
   * @default - no region-deny policy
   */
  readonly allowedRegions?: string[];

  /**
   * Actions the region-deny policy lets through in every region, besides the AWS example's global services: the
   * global services your accounts use that the example does not name (AWS: it "might not include all of the latest
   * global AWS services or operations"). `service:action`, `*` wildcards in the action only. Needs `allowedRegions`.
   *
   * @default - none
   */
  readonly regionDenyExemptActions?: string[];

  /**
   * The region-deny policy's name (1-128 characters). Needs `allowedRegions`.
   *
   * @default 'cloudtrail-governance-region-deny'
   */
  readonly regionDenyPolicyName?: string;
}

/** The AWS Organizations maximum size of a service control policy and of a resource control policy, in characters. */
const ORGANIZATION_POLICY_MAX_CHARACTERS = 5120;

const TARGET_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;
const TARGET_RULE = 'must contain the root id (r-xxxx), organizational unit ids (ou-xxxx-xxxxxxxx) or 12-digit account ids';
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2,4}(-[a-z]+)+-\d{1,2}:\d{12}:key\/[A-Za-z0-9-]+$/;
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const ALARM_PREFIX = /^[\x20-\x29\x2b-\x3e\x40-\x7e]{1,200}$/;
const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:[a-z]{2,4}(-[a-z]+)+-\d{1,2}:\d{12}:trail\/[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;
/** The longest partition name: the size check assumes it so that the policy fits in every partition. */
const LONGEST_PARTITION = 'aws-us-gov';

/**
 * Organization guardrails for the CloudTrail pipeline, deployed in the organization's management account
 * (or an AWS Organizations delegated administrator for policies): a service control policy (SCP) that keeps
 * member-account principals from silencing the detection forwarding, and a resource control policy (RCP)
 * that keeps every principal from erasing or unlocking the log archive or destroying its key.
 *
 * The SCP denies, in every account and region it reaches, changes to the resources a `DetectionForwarder`
 * stack instance creates, named by `DetectionForwardingNames`: the forwarding rule, the forwarding and heartbeat
 * roles and their policies, the dead-letter queue and its messages, the forwarding alarms, the heartbeat schedule,
 * and the stack instances themselves. With `centralBusArns`, it also guards the security account's side: the bus,
 * its policy and rules, the alerts and health topics, and the heartbeat's log groups and alarms. The StackSet's own
 * execution role (`stacksets-exec-*`) and the break-glass roles are exempt (the security stack's deployment roles
 * from the security account's side only), and nobody else may create or rewrite a role under an exempt name. SCPs do not apply to principals of the management account, nor to service-linked
 * roles: neither is limited by this policy.
 *
 * The RCP denies the destructive archive actions (`s3:DeleteObject`, `s3:BypassGovernanceRetention`,
 * `s3:DeleteBucket`, `kms:ScheduleKeyDeletion`...) on the given buckets and keys to every principal, inside the
 * organization or not, the account's root user included, except the break-glass principals; and the changes a
 * stack update of the archive makes (`s3:PutBucketPolicy`, `kms:PutKeyPolicy`...) to all but break-glass and the
 * archive's deployment roles. It never denies AWS service principals, so CloudTrail keeps delivering.
 * RCPs do not apply to resources of the management account: keep the archive in a member account.
 *
 * With `allowedRegions`, a region-deny service control policy of its own denies every action outside those regions
 * but the global services' (AWS's region-deny example); `RegionActivityAlarm` reports what it cannot stop.
 *
 * Both policy types must be enabled on the organization's root before deployment; the policies are attached
 * by CloudFormation (`AWS::Organizations::Policy` `TargetIds`).
 */
export class OrganizationGuardrails extends Construct {
  /** The name pattern of the service-managed StackSet execution role the SCP lets through. */
  public static readonly STACK_SET_EXECUTION_ROLE_NAME_PATTERN = STACK_SET_EXECUTION_ROLE_NAME_PATTERN;

  /** The AWS Organizations maximum size of a service control policy and of a resource control policy, in characters. */
  public static readonly MAX_POLICY_CHARACTERS = ORGANIZATION_POLICY_MAX_CHARACTERS;

  /** The service control policy. */
  public readonly serviceControlPolicy: organizations.CfnPolicy;

  /** The service control policy's document. */
  public readonly serviceControlPolicyDocument: iam.PolicyDocument;

  /**
   * The alerting service control policy: the security account's side of the alert path.
   *
   * @default - none when `centralBusArns` is not given
   */
  public readonly alertingServiceControlPolicy?: organizations.CfnPolicy;

  /**
   * The alerting service control policy's document.
   *
   * @default - none when `centralBusArns` is not given
   */
  public readonly alertingServiceControlPolicyDocument?: iam.PolicyDocument;

  /** The resource control policy; undefined when no archive bucket or key is given. */
  public readonly resourceControlPolicy?: organizations.CfnPolicy;

  /** The resource control policy's document; undefined when no archive bucket or key is given. */
  public readonly resourceControlPolicyDocument?: iam.PolicyDocument;

  /**
   * The region-deny service control policy.
   *
   * @default - none when `allowedRegions` is not given
   */
  public readonly regionDenyPolicy?: organizations.CfnPolicy;

  /**
   * The region-deny policy's document.
   *
   * @default - none when `allowedRegions` is not given
   */
  public readonly regionDenyPolicyDocument?: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: OrganizationGuardrailsProps) {
    super(scope, id);
    validateTargets(this, 'targetIds', props.targetIds);
    if (props.archiveTargetIds !== undefined) validateTargets(this, 'archiveTargetIds', props.archiveTargetIds);
    const buckets = props.archiveBucketNames ?? [];
    buckets.forEach((b) => validatePattern(this, 'archiveBucketNames', b, BUCKET_NAME,
      'must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)'));
    validateUnique(this, 'archiveBucketNames', buckets, (b) => b);
    const keys = props.archiveKeyArns ?? [];
    keys.forEach((k) => validatePattern(this, 'archiveKeyArns', k, KEY_ARN,
      'must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>)'));
    validateUnique(this, 'archiveKeyArns', keys, (k) => k);
    const keyAccounts = props.archiveKeyAccounts ?? [];
    keyAccounts.forEach((a, i) => validateAccount(this, `archiveKeyAccounts[${i}]`, a));
    validateUnique(this, 'archiveKeyAccounts', keyAccounts, (a) => a);
    const deploymentRoles = props.archiveDeploymentRoleArns ?? [];
    validatePrincipals(this, 'archiveDeploymentRoleArns', deploymentRoles);
    const breakGlass = props.breakGlassPrincipalArns ?? [];
    validatePrincipals(this, 'breakGlassPrincipalArns', breakGlass);
    const buses = props.centralBusArns ?? [];
    buses.forEach((b) => validatePattern(this, 'centralBusArns', b, BUS_ARN,
      'must be an event bus ARN (arn:<partition>:events:<region>:<account>:event-bus/<name>), such as CentralDetectionBus.arnFor(...)'));
    validateUnique(this, 'centralBusArns', buses, (b) => b);
    const topics = props.alertTopicArns ?? [];
    topics.forEach((t) => validatePattern(this, 'alertTopicArns', t, TOPIC_ARN, 'must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>)'));
    validateUnique(this, 'alertTopicArns', topics, (t) => t);
    if (topics.length > 0 && buses.length === 0) {
      throw new ValidationError(this, 'alertTopicArns needs centralBusArns: the topics are guarded with the buses');
    }
    const alarmPrefixes = props.alertingAlarmNamePrefixes ?? [];
    alarmPrefixes.forEach((a) => validatePattern(this, 'alertingAlarmNamePrefixes', a, ALARM_PREFIX,
      'must be 1-200 printable ASCII characters without "*" or "?"'));
    validateUnique(this, 'alertingAlarmNamePrefixes', alarmPrefixes, (a) => a);
    if (alarmPrefixes.length > 0 && buses.length === 0) {
      throw new ValidationError(this, 'alertingAlarmNamePrefixes needs centralBusArns: the alarms are guarded with the buses');
    }
    const alertingRoles = props.alertingDeploymentRoleArns ?? [];
    validatePrincipals(this, 'alertingDeploymentRoleArns', alertingRoles);
    const trails = props.organizationTrailArns ?? [];
    trails.forEach((t) => validatePattern(this, 'organizationTrailArns', t, TRAIL_ARN,
      'must be a trail ARN (arn:<partition>:cloudtrail:<home region>:<account>:trail/<name>)'));
    validateUnique(this, 'organizationTrailArns', trails, (t) => t);
    const stackSetName = props.stackSetName ?? DetectionForwardingNames.STACK_SET_NAME;
    validatePattern(this, 'stackSetName', stackSetName, STACK_SET_NAME, 'must be 1-128 letters, digits and hyphens, starting with a letter');
    const scpName = props.serviceControlPolicyName ?? 'cloudtrail-governance-forwarding-guardrail';
    validatePolicyName(this, 'serviceControlPolicyName', scpName);
    const rcpName = props.resourceControlPolicyName ?? 'cloudtrail-governance-archive-guardrail';
    validatePolicyName(this, 'resourceControlPolicyName', rcpName);
    const allowedRegions = props.allowedRegions;
    if (allowedRegions !== undefined) validateAllowedRegions(this, 'allowedRegions', allowedRegions);
    const exemptActions = props.regionDenyExemptActions ?? [];
    validateExemptActions(this, 'regionDenyExemptActions', exemptActions);
    const regionDenyName = props.regionDenyPolicyName ?? 'cloudtrail-governance-region-deny';
    validatePolicyName(this, 'regionDenyPolicyName', regionDenyName);
    if (allowedRegions === undefined && (props.regionDenyExemptActions !== undefined || props.regionDenyPolicyName !== undefined)) {
      throw new ValidationError(this, 'regionDenyExemptActions and regionDenyPolicyName need allowedRegions: there is no region-deny policy');
    }

    const protectsArchive = buckets.length > 0 || keys.length > 0 || keyAccounts.length > 0;
    if (!protectsArchive && props.archiveTargetIds !== undefined) {
      throw new ValidationError(this, 'archiveTargetIds needs archiveBucketNames, archiveKeyArns or archiveKeyAccounts: there is no resource control policy to attach');
    }
    if (!protectsArchive && deploymentRoles.length > 0) {
      throw new ValidationError(this, 'archiveDeploymentRoleArns needs archiveBucketNames, archiveKeyArns or archiveKeyAccounts: there is no resource control policy to exempt them from');
    }

    const partition = Stack.of(this).partition;
    const pipeline = {
      stackSetName,
      exemptPrincipalArns: breakGlass,
      trustedRoleArns: deploymentRoles,
      organizationTrailArns: trails,
      centralBusArns: buses,
      alertTopicArns: topics,
      alertingAlarmNamePrefixes: alarmPrefixes,
      alertingDeploymentRoleArns: alertingRoles,
    };
    const scp = (p: string) => forwardingGuardrailStatements({ ...pipeline, partition: p });
    const alerting = (p: string) => alertingGuardrailStatements({ ...pipeline, partition: p });
    const rcp = (p: string) => archiveGuardrailStatements({
      partition: p, bucketNames: buckets, keyArns: keys, keyAccounts, breakGlassArns: breakGlass, deploymentRoleArns: deploymentRoles,
    });
    // An unresolved value has no length yet: the sizes are checked when every value in the documents is literal.
    const literal = [buckets, keys, keyAccounts, deploymentRoles, breakGlass, trails, buses, topics, alarmPrefixes, alertingRoles, [stackSetName]]
      .every((values) => !isUnresolved(values) && values.every((v) => !Token.isUnresolved(v)));
    if (literal) {
      validateSize(this, 'service control policy', scp(LONGEST_PARTITION),
        'breakGlassPrincipalArns, archiveDeploymentRoleArns, alertingDeploymentRoleArns and organizationTrailArns');
      if (buses.length > 0) {
        validateSize(this, 'alerting service control policy', alerting(LONGEST_PARTITION),
          'breakGlassPrincipalArns, centralBusArns, alertTopicArns, alertingAlarmNamePrefixes and alertingDeploymentRoleArns');
      }
      if (protectsArchive) {
        validateSize(this, 'resource control policy', rcp(LONGEST_PARTITION),
          'archiveBucketNames, archiveKeyArns, archiveKeyAccounts, archiveDeploymentRoleArns and breakGlassPrincipalArns');
      }
    }

    this.serviceControlPolicyDocument = new iam.PolicyDocument({ statements: scp(partition) });
    this.serviceControlPolicy = new organizations.CfnPolicy(this, 'ServiceControlPolicy', {
      name: scpName,
      type: 'SERVICE_CONTROL_POLICY',
      description: 'Denies member-account principals changes to the CloudTrail detection forwarding pipeline.',
      content: this.serviceControlPolicyDocument,
      targetIds: props.targetIds,
    });

    if (buses.length > 0) {
      const alertingName = props.alertingServiceControlPolicyName ?? 'cloudtrail-governance-alerting-guardrail';
      validatePolicyName(this, 'alertingServiceControlPolicyName', alertingName);
      this.alertingServiceControlPolicyDocument = new iam.PolicyDocument({ statements: alerting(partition) });
      this.alertingServiceControlPolicy = new organizations.CfnPolicy(this, 'AlertingServiceControlPolicy', {
        name: alertingName,
        type: 'SERVICE_CONTROL_POLICY',
        description: 'Denies principals of the security account changes to the central detection bus, its rules and the alert topics.',
        content: this.alertingServiceControlPolicyDocument,
        targetIds: props.targetIds,
      });
    }

    if (protectsArchive) {
      this.resourceControlPolicyDocument = new iam.PolicyDocument({ statements: rcp(partition) });
      this.resourceControlPolicy = new organizations.CfnPolicy(this, 'ResourceControlPolicy', {
        name: rcpName,
        type: 'RESOURCE_CONTROL_POLICY',
        description: 'Denies every principal but the exempt ones the destruction of the CloudTrail archive and its key.',
        content: this.resourceControlPolicyDocument,
        targetIds: props.archiveTargetIds ?? props.targetIds,
      });
      if (deploymentRoles.length === 0) {
        Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:guardrails:noArchiveDeploymentRole',
          'No archiveDeploymentRoleArns: once the resource control policy is attached, the archive stack can no longer '
          + 'change the bucket policy, lifecycle, versioning, logging, encryption or the key policy; such updates '
          + 'fail until a break-glass principal deploys them.');
      }
    }

    if (allowedRegions !== undefined) {
      const regionDeny = (p: string) => regionDenyStatements({ partition: p, allowedRegions, exemptActions, breakGlassArns: breakGlass });
      if ([allowedRegions, exemptActions, breakGlass].every((values) => !isUnresolved(values) && values.every((v) => !Token.isUnresolved(v)))) {
        validateSize(this, 'region-deny policy', regionDeny(LONGEST_PARTITION), 'allowedRegions, regionDenyExemptActions and breakGlassPrincipalArns');
      }
      this.regionDenyPolicyDocument = new iam.PolicyDocument({ statements: regionDeny(partition) });
      this.regionDenyPolicy = new organizations.CfnPolicy(this, 'RegionDenyPolicy', {
        name: regionDenyName,
        type: 'SERVICE_CONTROL_POLICY',
        description: 'Denies every action outside the allowed regions but those of the global services.',
        content: this.regionDenyPolicyDocument,
        targetIds: props.targetIds,
      });
    }

    if (buses.length > 0 && alertingRoles.length === 0) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:guardrails:noAlertingDeploymentRole',
        'No alertingDeploymentRoleArns: once the service control policy is attached, the security stack can no longer '
        + 'change the central bus, its rules, the alerts and health topics or the heartbeat alarms; such updates fail '
        + 'until a break-glass principal deploys them.');
    }
    if (breakGlass.length === 0) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:guardrails:noBreakGlassPrincipal',
        'No breakGlassPrincipalArns: nobody in a member account can repair the forwarding pipeline outside its StackSet'
        + (protectsArchive ? ', and only the archive deployment roles can change the archive\'s protected settings' : '')
        + '; lifting that takes a change of the policies from the management account.');
    }
  }
}

function validateTargets(scope: IConstruct, prop: string, values: string[]): void {
  validateNonEmpty(scope, prop, values);
  if (isUnresolved(values)) return;
  values.forEach((v) => validatePattern(scope, prop, v, TARGET_ID, TARGET_RULE));
  validateUnique(scope, prop, values, (v) => v);
}

function validatePrincipals(scope: IConstruct, prop: string, values: string[]): void {
  if (isUnresolved(values)) return;
  const partition = partitionOfRegion(Stack.of(scope).region);
  values.forEach((v) => validateExemptRoleArn(scope, prop, v, partition));
  validateUnique(scope, prop, values, (v) => v);
}

function validatePolicyName(scope: IConstruct, prop: string, value: string): void {
  if (isUnresolved(value)) return;
  // eslint-disable-next-line no-control-regex
  if (value.length < 1 || value.length > 128 || /[\u0000-\u001f]/.test(value)) {
    fail(scope, prop, value, 'must be 1-128 characters without control characters');
  }
}

/**
 * AWS Organizations counts every character of the document; CloudFormation passes it as compact JSON,
 * which is what is measured here.
 */
function validateSize(scope: IConstruct, what: string, statements: iam.PolicyStatement[], props: string): void {
  const document = new iam.PolicyDocument({ statements });
  const size = JSON.stringify(document.toJSON()).length;
  if (size > ORGANIZATION_POLICY_MAX_CHARACTERS) {
    throw new ValidationError(scope, `the ${what} would be ${size} characters, more than the ${ORGANIZATION_POLICY_MAX_CHARACTERS} AWS Organizations `
      + `allows: give fewer or shorter ${props}`);
  }
}
