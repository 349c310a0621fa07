import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DetectionForwardingNames } from './forwarding-names';
import { partitionOfRegion, validateOrganizationId } from '../private/secure/validators';
import { fail, isUnresolved, validateAccount, validatePattern, validateRegion } from '../private/validation';

/**
 * Properties of CentralDetectionBus.
 */
export interface CentralDetectionBusProps {
  /**
   * The AWS Organizations id (`o-` followed by 10 to 32 lowercase letters or digits). Only the forwarding
   * roles of this organization's accounts may put events on the bus.
   */
  readonly organizationId: string;

  /**
   * The event bus name. Member accounts address the bus by its ARN, which contains this name
   * (see `CentralDetectionBus.arnFor`).
   *
   * @default 'security-detections'
   */
  readonly eventBusName?: string;
}

/**
 * Names the central detection bus, for building its ARN in another account's stack.
 */
export interface CentralDetectionBusArnProps {
  /** The security (audit) account that owns the bus. */
  readonly account: string;

  /** The region of the bus. */
  readonly region: string;

  /**
   * The event bus name.
   *
   * @default 'security-detections'
   */
  readonly eventBusName?: string;
}

const DEFAULT_BUS_NAME = 'security-detections';
const BUS_NAME = /^(?!default$)[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_NAME_RULE = 'must be 1-256 letters, digits, "/", ".", "-" or "_", and not "default"';

/**
 * The event bus in the security (audit) account that every account of the organization forwards
 * detection events to, and that `SecurityAlerts` runs on.
 *
 * Its resource policy lets only the forwarding roles of the organization's accounts put events: roles
 * named `DetectionForwardingNames.ROLE_NAME_PREFIX`... (`aws:PrincipalArn`) of the organization
 * (`aws:PrincipalOrgID`). A workload role of a member account cannot post a made-up event on the bus, and
 * the built-in detections pin AWS `source`s, which EventBridge refuses in customers' PutEvents, so even a
 * forwarding role cannot forge an alert. Member accounts forward with `DetectionForwarder`, and the
 * management account with a `DetectionForwardingRule`.
 */
export class CentralDetectionBus extends Construct {
  /**
   * The ARN of a central detection bus, for use in member account stacks:
   * `arn:<partition>:events:<region>:<account>:event-bus/<name>`.
   */
  public static arnFor(props: CentralDetectionBusArnProps): string {
    validateAccount(undefined, 'account', props.account);
    validateRegion(undefined, 'region', props.region);
    const name = props.eventBusName ?? DEFAULT_BUS_NAME;
    validatePattern(undefined, 'eventBusName', name, BUS_NAME, BUS_NAME_RULE);
    if (isUnresolved(props.region)) {
      fail(undefined, 'region', props.region, 'must be a literal region, because the partition of the ARN depends on it');
    }
    const partition = partitionOfRegion(props.region)!;
    return `arn:${partition}:events:${props.region}:${props.account}:event-bus/${name}`;
  }

  /** The event bus. */
  public readonly eventBus: events.EventBus;

  /** The ARN of the event bus; pass it to `DetectionForwarder`. */
  public readonly eventBusArn: string;

  /** The name of the event bus. */
  public readonly eventBusName: string;

  constructor(scope: Construct, id: string, props: CentralDetectionBusProps) {
    super(scope, id);
    validateOrganizationId(this, 'organizationId', props.organizationId);
    const name = props.eventBusName ?? DEFAULT_BUS_NAME;
    validatePattern(this, 'eventBusName', name, BUS_NAME, BUS_NAME_RULE);

    this.eventBus = new events.EventBus(this, 'Bus', {
      eventBusName: name,
      description: 'Detection events forwarded from every account and region of the organization',
    });
    // For a cross-account target EventBridge puts events with the target's role, so the role is the principal.
    this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowOrganizationForwardingRolesToPutEvents',
      principals: [new iam.StarPrincipal()],
      actions: ['events:PutEvents'],
      resources: [this.eventBus.eventBusArn],
      conditions: {
        StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
        ArnLike: { 'aws:PrincipalArn': `arn:${Stack.of(this).partition}:iam::*:role/${DetectionForwardingNames.ROLE_NAME_PREFIX}*` },
      },
    }));
    this.eventBusArn = this.eventBus.eventBusArn;
    this.eventBusName = this.eventBus.eventBusName;
  }
}
