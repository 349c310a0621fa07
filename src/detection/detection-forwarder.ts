import { Annotations, CfnParameter, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { Detection } from './detection';
import { DetectionForwardingRule } from './detection-forwarding-rule';
import { DetectionForwardingNames } from './forwarding-names';
import { validateDetections } from './private/detection-list';
import { globalServiceRegionOf } from '../private/global-region';
import { validateBusArn } from './private/patterns';
import { StackSetMemberStack } from './private/stackset-stack';
import { claimName } from '../private/name-registry';
import { partitionOfRegion } from '../private/secure';
import { fail, validateEnum, validateInteger, validateNonEmpty, validatePattern, validateRegion, validateUnique } from '../private/validation';

/**
 * Which account deploys the StackSet.
 */
export enum StackSetCaller {
  /** The organization's management account. */
  SELF = 'SELF',
  /** A CloudFormation StackSets delegated administrator account. */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}

/**
 * Properties of DetectionForwarder.
 */
export interface DetectionForwarderProps {
  /**
   * The ARN of the central detection bus (`CentralDetectionBus.arnFor(...)`).
   */
  readonly centralBusArn: string;

  /**
   * Where to deploy: organizational unit ids (`ou-...`), or the organization's root id (`r-...`) for every
   * account. Accounts that join these OUs later get the forwarder automatically. The management account is
   * never a target of a service-managed StackSet: add a `DetectionForwardingRule` to a stack there.
   */
  readonly organizationalUnitIds: string[];

  /**
   * The regions to forward from, in every target account. Include every region your accounts may use
   * (an event in a region without a forwarder never reaches the central bus), and us-east-1, where the
   * events of IAM, STS, Organizations and console sign-in arrive.
   */
  readonly regions: string[];

  /**
   * The detections whose events are forwarded. Use the same list as the `SecurityAlerts` on the central bus.
   *
   * @default Detection.defaultTier()
   */
  readonly detections?: Detection[];

  /**
   * The StackSet name: 1-128 letters, digits and hyphens, starting with a letter.
   *
   * @default 'cloudtrail-governance-detection-forwarder'
   */
  readonly stackSetName?: string;

  /**
   * Which account deploys the StackSet.
   *
   * @default StackSetCaller.SELF
   */
  readonly callAs?: StackSetCaller;

  /**
   * Whether each target account keeps a dead-letter queue of events it could not forward.
   *
   * @default true
   */
  readonly deadLetterQueue?: boolean;

  /**
   * The security account that holds a `ForwardingHealthTopic` in every region of `regions`: the forwarding health
   * alarms of every account notify it (see `DetectionForwardingRule.healthTopicAccount`).
   *
   * @default - the health alarms have no action (a warning says so)
   */
  readonly healthTopicAccount?: string;

  /**
   * Whether each account and region writes the forwarding heartbeat (see `DetectionForwardingRule.heartbeat`).
   *
   * @default true
   */
  readonly heartbeat?: boolean;

  /**
   * How often the heartbeat is written (whole minutes, 1 minute to 1 hour); give `ForwardingHeartbeat` the same.
   *
   * @default Duration.minutes(5)
   */
  readonly heartbeatInterval?: Duration;

  /**
   * Whether the forwarder stays in an account that leaves the target OUs.
   *
   * @default false
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * Percentage of accounts per region deployed at the same time (1-100).
   *
   * @default 25
   */
  readonly maxConcurrentPercentage?: number;

  /**
   * Percentage of accounts per region that may fail before the operation stops (0-100).
   *
   * @default 10
   */
  readonly failureTolerancePercentage?: number;

  /**
   * What happens to the StackSet when it leaves the stack. Retained by default: deleting the StackSet
   * deletes the forwarding rule in every account and region at once, which silences organization-wide
   * alerting in one step.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const DEFAULT_STACK_SET_NAME = DetectionForwardingNames.STACK_SET_NAME;
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const TARGET_ID = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
const BUS_ARN_PARAMETER = 'CentralEventBusArn';

/**
 * Deploys a `DetectionForwardingRule` to every account and region of the organization (or of given OUs) as a
 * service-managed CloudFormation StackSet with automatic deployment, so that each account's events reach
 * the central detection bus. No Lambda: the member template is a stack of your own app (`memberStack`),
 * synthesized with the rest of it, so your context, Aspects (tags, permission boundaries, cdk-nag) and
 * their annotations apply to it, and your app's validation plugins (such as cfn-guard) check its template.
 * It is not deployed on its own: it sits in a nested cloud assembly, as a `Stage`'s stacks do, so
 * `cdk deploy --all` leaves it out (`cdk ls` lists it, as `<stack>/<forwarder>/Member`); `cdk deploy`
 * publishes its template as a file asset of the stack holding the forwarder, and the StackSet reads it from
 * there (`TemplateURL`, up to 1 MB). The bus ARN is passed as a StackSet parameter.
 *
 * Deploy it from the management account (or a StackSets delegated administrator) with trusted access for
 * CloudFormation StackSets enabled in AWS Organizations.
 */
export class DetectionForwarder extends Construct {
  /** The StackSet. */
  public readonly stackSet: cloudformation.CfnStackSet;

  /**
   * The stack the StackSet deploys to every account and region. It belongs to your app, so Aspects and
   * context reach it, and resources added to it are deployed with the forwarder. It takes no references to
   * other stacks (it runs in other accounts) and no assets.
   */
  public readonly memberStack: Stack;

  private readonly member: StackSetMemberStack;

  constructor(scope: Construct, id: string, props: DetectionForwarderProps) {
    super(scope, id);
    validateBusArn(this, 'centralBusArn', props.centralBusArn);
    validateNonEmpty(this, 'organizationalUnitIds', props.organizationalUnitIds);
    for (const ou of props.organizationalUnitIds) {
      validatePattern(this, 'organizationalUnitIds', ou, TARGET_ID,
        'must contain organizational unit ids (ou-xxxx-xxxxxxxx) or the root id (r-xxxx)');
    }
    validateUnique(this, 'organizationalUnitIds', props.organizationalUnitIds, v => v);
    validateNonEmpty(this, 'regions', props.regions);
    props.regions.forEach(r => validateRegion(this, 'regions', r));
    validateUnique(this, 'regions', props.regions, v => v);
    const name = props.stackSetName ?? DEFAULT_STACK_SET_NAME;
    validatePattern(this, 'stackSetName', name, STACK_SET_NAME,
      'must be 1-128 letters, digits and hyphens, starting with a letter');
    validateInteger(this, 'maxConcurrentPercentage', props.maxConcurrentPercentage, 1, 100);
    validateInteger(this, 'failureTolerancePercentage', props.failureTolerancePercentage, 0, 100);
    validateEnum(this, 'callAs', props.callAs, StackSetCaller);
    const detections = validateDetections(this, 'detections', props.detections ?? Detection.defaultTier());
    this.warnAboutRegions(props.regions, detections);

    this.member = new StackSetMemberStack(this, 'Member', {
      description: 'Forwards detection events to the central detection bus (deployed by a StackSet)',
    });
    this.memberStack = this.member;
    const busArn = new CfnParameter(this.member, BUS_ARN_PARAMETER, {
      type: 'String',
      description: 'ARN of the central detection bus',
      allowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[/.\\-_A-Za-z0-9]{1,256}$',
    });
    new DetectionForwardingRule(this.member, 'Forwarding', {
      centralBusArn: busArn.valueAsString,
      detections: [...detections],
      deadLetterQueue: props.deadLetterQueue ?? true,
      healthTopicAccount: props.healthTopicAccount,
      heartbeat: props.heartbeat,
      heartbeatInterval: props.heartbeatInterval,
    });

    claimName(this, 'StackSet', name, 'stackSetName', 'the detection forwarder', 'Give each DetectionForwarder its own stackSetName.');
    checkOnePartition(this, props.regions);
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: name,
      description: 'Forwards detection events of every account and region to the central detection bus',
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.callAs ?? StackSetCaller.SELF,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: props.retainStacksOnAccountRemoval ?? false },
      // The member template names its role (DetectionForwardingNames), which CloudFormation only accepts with
      // CAPABILITY_NAMED_IAM.
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        maxConcurrentPercentage: props.maxConcurrentPercentage ?? 25,
        failureTolerancePercentage: props.failureTolerancePercentage ?? 10,
      },
      parameters: [{ parameterKey: BUS_ARN_PARAMETER, parameterValue: props.centralBusArn }],
      stackInstancesGroup: [{
        deploymentTargets: { organizationalUnitIds: props.organizationalUnitIds },
        regions: props.regions,
      }],
      templateUrl: this.member.templateUrl,
    });
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.stackSet.applyRemovalPolicy(removalPolicy);
    if (removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:stackSetNotRetained',
        `removalPolicy is ${removalPolicy}: deleting the stack deletes the forwarding rule in every account and ` +
        'region, and organization-wide alerting stops');
    }
  }

  /**
   * The member template, as deployed to every account and region. It is written when the app is
   * synthesized: read it after `app.synth()` or `Template.fromStack(...)` of the stack holding the forwarder.
   */
  public get memberTemplate(): { [key: string]: any } {
    return this.member.template;
  }

  private warnAboutRegions(regions: string[], detections: readonly Detection[]): void {
    const known = new Set(RegionInfo.regions.map(r => r.name));
    const unknown = regions.filter(r => !Token.isUnresolved(r) && !known.has(r));
    if (unknown.length > 0) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:unknownRegion',
        `regions ${unknown.join(', ')} are not known to this aws-cdk-lib version; check the spelling`);
    }
    const global = detections.filter(d => d.globalServiceEvents).map(d => d.id);
    if (global.length === 0 || regions.some(r => Token.isUnresolved(r))) return;
    const needed = new Set(regions.map(r => globalServiceRegionOf(r)!));
    const missing = [...needed].filter(r => !regions.includes(r));
    if (missing.length > 0) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:globalRegionNotForwarded',
        `regions do not include ${missing.join(', ')}, where EventBridge receives the events of IAM, STS, ` +
        `Organizations and console sign-in; ${global.join(', ')} will not see them`);
    }
  }
}

/** A StackSet deploys within one partition: every region must be in the partition of the stack that holds it. */
function checkOnePartition(scope: Construct, regions: string[]): void {
  const stackRegion = Stack.of(scope).region;
  const home = Token.isUnresolved(stackRegion) ? undefined : partitionOfRegion(stackRegion);
  regions.forEach((region, i) => {
    if (Token.isUnresolved(region)) return;
    const partition = partitionOfRegion(region);
    if (home !== undefined && partition !== undefined && partition !== home) {
      fail(scope, `regions[${i}]`, region, `must be in partition ${home}, the partition of the stack that deploys the StackSet ` +
        `(${stackRegion}): a StackSet cannot reach another partition`);
    }
  });
}
