import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Detection } from './detection';
import { validateDetections } from './private/detection-list';
import { forwardingPattern } from './private/forwarding-pattern';
import { validateBusArn } from './private/patterns';
import { acknowledgeEventBridgeDeadLetterQueue } from '../private/acknowledgements';

/**
 * Properties of DetectionForwardingRule.
 */
export interface DetectionForwardingRuleProps {
  /**
   * The ARN of the central detection bus (`CentralDetectionBus.arnFor(...)`).
   */
  readonly centralBusArn: string;

  /**
   * The detections whose events are forwarded. Use the same list as the `SecurityAlerts` on the central bus.
   *
   * @default Detection.defaultTier()
   */
  readonly detections?: Detection[];

  /**
   * Whether events that cannot be delivered to the central bus are kept in a dead-letter queue of this
   * account and region (SQS-managed encryption, TLS-only, 14 days).
   *
   * @default true
   */
  readonly deadLetterQueue?: boolean;

  /**
   * What happens to the dead-letter queue when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The rule, role and dead-letter queue one account and region needs to forward detection events to the
 * central detection bus. `DetectionForwarder` deploys it to the whole organization as a StackSet; use it
 * directly in stacks the StackSet does not reach (the management account).
 *
 * One rule forwards a superset of the detections' events (see the README): an event that matches several
 * detections is forwarded once. The rule's role may only `events:PutEvents` on the central bus.
 */
export class DetectionForwardingRule extends Construct {
  /** The forwarding rule, on the account's default event bus. */
  public readonly rule: events.Rule;

  /** The role EventBridge uses to put events on the central bus. */
  public readonly role: iam.Role;

  /**
   * The queue of events that could not be forwarded.
   *
   * @default - none when `deadLetterQueue` is false
   */
  public readonly deadLetterQueue?: sqs.Queue;

  /** The event pattern of the rule. */
  public readonly eventPattern: { [key: string]: any };

  constructor(scope: Construct, id: string, props: DetectionForwardingRuleProps) {
    super(scope, id);
    validateBusArn('centralBusArn', props.centralBusArn);
    const detections = validateDetections('detections', props.detections ?? Detection.defaultTier());
    this.eventPattern = forwardingPattern(detections);

    this.role = new iam.Role(this, 'Role', {
      description: 'Lets EventBridge put detection events on the central detection bus',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
    });
    // A customer managed policy rather than the inline policy the EventBus target would add (NIST, HIPAA
    // and PCI packs reject inline policies); the target gets a view of the role it cannot change.
    new iam.ManagedPolicy(this, 'PutEventsPolicy', {
      description: 'Put events on the central detection bus, and nothing else',
      roles: [this.role],
      statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.centralBusArn] })],
    });

    if (props.deadLetterQueue ?? true) {
      // Deployed to every account and region: a customer managed key each would cost more than the
      // queue protects; SQS-managed encryption keeps the queue encrypted at rest.
      this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
      acknowledgeEventBridgeDeadLetterQueue(this.deadLetterQueue);
    }

    this.rule = new events.Rule(this, 'Rule', {
      description: '[FORWARD] Detection events to the central detection bus',
      eventPattern: this.eventPattern as events.EventPattern,
    });
    if (detections.some(d => d.includeReadOnlyEvents)) {
      (this.rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
    }
    // Event bus targets take no retry policy (EventBridge rejects one); undeliverable events go to the queue.
    this.rule.addTarget(new targets.EventBus(events.EventBus.fromEventBusArn(this, 'CentralBus', props.centralBusArn), {
      role: this.role.withoutPolicyUpdates(),
      deadLetterQueue: this.deadLetterQueue,
    }));
  }
}
