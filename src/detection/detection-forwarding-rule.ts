import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Detection } from './detection';
import { DetectionForwardingNames } from './forwarding-names';
import { validateDetections } from './private/detection-list';
import { forwardingPattern } from './private/forwarding-pattern';
import { validateBusArn } from './private/patterns';
import { acknowledgeAlarmWithoutAction, failureAlarm } from '../private/alert-health';
import { claimName } from '../private/name-registry';
import { deadLetterQueue, readAllManagementEvents } from '../private/secure';

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

  /**
   * Whether alarms watch the forwarding: the rule's failed invocations and the dead-letter queue's depth,
   * named `DetectionForwardingNames.ALARM_NAME_PREFIX` + `failed-invocations` / `dead-letter-messages`.
   * They have no action: an alarm cannot notify a topic of another account. Their state changes reach the
   * central bus as "CloudWatch Alarm State Change" events through the forwarding rule itself (the
   * `FORWARDING-HEALTH` detection), and the alarms stay visible in the account's console.
   *
   * @default true
   */
  readonly healthAlarms?: boolean;
}

/**
 * The rule, role and dead-letter queue one account and region needs to forward detection events to the
 * central detection bus. `DetectionForwarder` deploys it to the whole organization as a StackSet; use it
 * directly in stacks the StackSet does not reach (the management account).
 *
 * One rule forwards a superset of the detections' events (see the README): an event that matches several
 * detections is forwarded once. The rule's role may only `events:PutEvents` on the central bus, and only
 * EventBridge, for this rule, may assume it.
 *
 * The rule, role, queue and alarms have the fixed names of `DetectionForwardingNames`, so guardrails and
 * detections can name them in every account; an account and region therefore holds one forwarding rule.
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

  /** The health alarms of the forwarding (empty when `healthAlarms` is false). */
  public readonly healthAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: DetectionForwardingRuleProps) {
    super(scope, id);
    validateBusArn(this, 'centralBusArn', props.centralBusArn);
    const detections = validateDetections(this, 'detections', props.detections ?? Detection.defaultTier());
    this.eventPattern = forwardingPattern(this, detections);

    const stack = Stack.of(this);
    // The rule's ARN is built from its fixed name rather than read from the rule: the rule's target names
    // the role, so a trust policy that referred to the rule would be a dependency cycle.
    const ruleArn = stack.formatArn({ service: 'events', resource: 'rule', resourceName: DetectionForwardingNames.RULE_NAME });
    this.role = new iam.Role(this, 'Role', {
      // IAM names are global to the account: one role per region. An environment-agnostic stack (the
      // StackSet's member template) resolves the region at deployment.
      roleName: `${DetectionForwardingNames.ROLE_NAME_PREFIX}${stack.region}`,
      description: 'Lets EventBridge put detection events on the central detection bus',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': ruleArn },
      }),
    });
    // A customer managed policy rather than the inline policy the EventBus target would add (NIST, HIPAA
    // and PCI packs reject inline policies); the target gets a view of the role it cannot change.
    new iam.ManagedPolicy(this, 'PutEventsPolicy', {
      description: 'Put events on the central detection bus, and nothing else',
      roles: [this.role],
      statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.centralBusArn] })],
    });

    if ((props.deadLetterQueue ?? true) && props.removalPolicy !== undefined && props.removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:forwardingQueueNotRetained',
        `removalPolicy is ${props.removalPolicy}: deleting the stack deletes the dead-letter queue with the detection ` +
        'events that could not be forwarded.');
    }
    if (props.deadLetterQueue ?? true) {
      // Deployed to every account and region: a customer managed key each would cost more than the
      // queue protects; SQS-managed encryption keeps the queue encrypted at rest.
      this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', {
        queueName: DetectionForwardingNames.DEAD_LETTER_QUEUE_NAME,
        removalPolicy: props.removalPolicy,
      });
    }

    // The names are fixed, so an account and region holds one forwarding rule (two would also forward every event twice).
    claimName(this, 'detection forwarding rule', DetectionForwardingNames.RULE_NAME, 'DetectionForwardingRule',
      'a detection forwarding rule', 'Use one DetectionForwardingRule per account and region.');
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: DetectionForwardingNames.RULE_NAME,
      description: '[FORWARD] Detection events to the central detection bus',
      eventPattern: this.eventPattern as events.EventPattern,
    });
    if (detections.some(d => d.includeReadOnlyEvents)) {
      readAllManagementEvents(this.rule);
    }
    // Event bus targets take no retry policy (EventBridge rejects one); undeliverable events go to the queue.
    this.rule.addTarget(new targets.EventBus(events.EventBus.fromEventBusArn(this, 'CentralBus', props.centralBusArn), {
      role: this.role.withoutPolicyUpdates(),
      deadLetterQueue: this.deadLetterQueue,
    }));

    this.healthAlarms = [];
    if (props.healthAlarms ?? true) {
      this.healthAlarms.push(failureAlarm(this, 'FailedInvocationsAlarm', {
        alarmName: `${DetectionForwardingNames.ALARM_NAME_PREFIX}failed-invocations`,
        description: 'Detection events of this account and region could not be forwarded to the central detection bus',
        metric: this.metricFailedInvocations(),
      }));
      if (this.deadLetterQueue) {
        this.healthAlarms.push(failureAlarm(this, 'DeadLetterMessagesAlarm', {
          alarmName: `${DetectionForwardingNames.ALARM_NAME_PREFIX}dead-letter-messages`,
          description: 'Detection events wait in the forwarding dead-letter queue: they never reached the central detection bus',
          metric: this.metricDeadLetterMessages(),
        }));
      }
      this.healthAlarms.forEach(acknowledgeAlarmWithoutAction);
    } else {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:forwardingHealthAlarmsOff',
        'healthAlarms is false: nothing reports when this account stops forwarding detection events');
    }
  }

  /**
   * The invocations of the forwarding rule that failed permanently (`AWS/Events` `FailedInvocations`, Sum,
   * dimension `RuleName`: the rule is on the default bus). EventBridge publishes it only when it is not zero.
   *
   * @param props options of the metric; the default period is 5 minutes
   */
  public metricFailedInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensionsMap: { RuleName: DetectionForwardingNames.RULE_NAME },
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
  }

  /**
   * The events waiting in the forwarding dead-letter queue (`AWS/SQS` `ApproximateNumberOfMessagesVisible`,
   * Maximum, dimension `QueueName`).
   *
   * @param props options of the metric; the default period is 5 minutes
   */
  public metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensionsMap: { QueueName: DetectionForwardingNames.DEAD_LETTER_QUEUE_NAME },
      statistic: cloudwatch.Stats.MAXIMUM,
      ...props,
    });
  }
}
