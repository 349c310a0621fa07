import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Detection } from './detection';
import { DetectionForwardingNames } from './forwarding-names';
import { validateDetections } from './private/detection-list';
import { forwardingPattern } from './private/forwarding-pattern';
import { validateBusArn } from './private/patterns';
import { acknowledgeAlarmWithoutAction, failureAlarm } from '../private/alert-health';
import { validateHeartbeatInterval } from './private/heartbeat';
import { claimName } from '../private/name-registry';
import { deadLetterQueue, readAllManagementEvents } from '../private/secure';
import { validateAccount } from '../private/validation';

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
   * named `DetectionForwardingNames.ALARM_NAME_PREFIX` + `failed-invocations` / `dead-letter-messages`. They
   * notify the forwarding health topic of `healthTopicAccount` in this region, outside the path they watch; their
   * state changes also reach the central bus through the forwarding rule (`FORWARDING-HEALTH`) while it works.
   *
   * @default true
   */
  readonly healthAlarms?: boolean;

  /**
   * The security account that holds a `ForwardingHealthTopic` in this region (and in every forwarded region). The
   * health alarms notify it: a CloudWatch alarm may publish to a topic of another account of the same region, and a
   * member administrator cannot change that topic.
   *
   * @default - the health alarms have no action (a warning says so): only the heartbeat reports a broken path
   */
  readonly healthTopicAccount?: string;

  /**
   * Whether a heartbeat proves the path end to end: every `heartbeatInterval`, EventBridge Scheduler writes the
   * Systems Manager parameter `DetectionForwardingNames.HEARTBEAT_PARAMETER_NAME` (its value: the scheduled time)
   * with a role of its own. The write is a CloudTrail management event; it reaches the central bus only if the
   * trail records the account, the default bus delivers, and the forwarding rule, role, policy and central bus
   * policy all work. `ForwardingHeartbeat` counts the heartbeats per account on the central side and alarms on
   * their absence. No Lambda.
   *
   * @default true
   */
  readonly heartbeat?: boolean;

  /**
   * How often the heartbeat is written: whole minutes, from 1 minute to 1 hour. Give `ForwardingHeartbeat` the
   * same interval.
   *
   * @default Duration.minutes(5)
   */
  readonly heartbeatInterval?: Duration;
}

/**
 * The rule, role and dead-letter queue one account and region needs to forward detection events to the
 * central detection bus, the health alarms that notify the security account's `ForwardingHealthTopic`, and the
 * heartbeat that `ForwardingHeartbeat` counts on the central side. `DetectionForwarder` deploys it to the whole organization as a StackSet; use it
 * directly in stacks the StackSet does not reach (the management account).
 *
 * One rule forwards a superset of the detections' events (see the README): an event that matches several
 * detections is forwarded once. The rule's role may only `events:PutEvents` on the central bus, and only
 * EventBridge, for this rule, may assume it.
 *
 * The rule, role, policy, queue, alarms and heartbeat have the fixed names of `DetectionForwardingNames`, so guardrails and
 * detections can name them in every account; an account and region therefore holds one forwarding rule.
 */
export class DetectionForwardingRule extends Construct {
  /** The forwarding rule, on the account's default event bus. */
  public readonly rule: events.Rule;

  /** The role EventBridge uses to put events on the central bus. */
  public readonly role: iam.Role;

  /** The role's policy: `events:PutEvents` on the central bus only. */
  public readonly policy: iam.ManagedPolicy;

  /**
   * The heartbeat schedule.
   *
   * @default - none when `heartbeat` is false
   */
  public readonly heartbeatSchedule?: scheduler.Schedule;

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
    // aws:SourceArn = the rule ARN and aws:SourceAccount, as EventBridge documents for event bus rule targets
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html).
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
    // A fixed name, so the guardrail can keep its versions from being replaced and the detection can name it.
    this.policy = new iam.ManagedPolicy(this, 'PutEventsPolicy', {
      managedPolicyName: `${DetectionForwardingNames.POLICY_NAME_PREFIX}${stack.region}`,
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
    if (props.healthTopicAccount !== undefined) validateAccount(this, 'healthTopicAccount', props.healthTopicAccount);
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
      if (props.healthTopicAccount !== undefined) {
        // The topic's name is fixed, so its ARN is known in every account and region without a reference.
        const topic = sns.Topic.fromTopicArn(this, 'HealthTopic', stack.formatArn({
          service: 'sns', account: props.healthTopicAccount, resource: DetectionForwardingNames.HEALTH_TOPIC_NAME,
        }));
        const action = new cloudwatchActions.SnsAction(topic);
        this.healthAlarms.forEach(a => a.addAlarmAction(action));
      } else {
        this.healthAlarms.forEach(acknowledgeAlarmWithoutAction);
        Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:forwardingHealthAlarmsWithoutAction',
          'healthTopicAccount is not set: the forwarding health alarms notify nobody, and their state changes travel the ' +
          'path they watch; only the heartbeat reports a broken path');
      }
    } else {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:forwardingHealthAlarmsOff',
        'healthAlarms is false: nothing reports when this account stops forwarding detection events');
    }

    if (props.heartbeat ?? true) {
      this.heartbeatSchedule = this.createHeartbeat(props.heartbeatInterval ?? Duration.minutes(5));
    } else {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:forwardingHeartbeatOff',
        'heartbeat is false: a broken forwarding path of this account and region raises no alarm on the central side');
    }
  }

  /**
   * The heartbeat: a schedule that writes a parameter with a role that may do nothing else. The role's name starts
   * with the forwarding role's prefix and its policy's name with the forwarding policy's, so the guardrail keeps
   * anyone but the StackSet from using or changing them, and the central monitor counts only this role's writes.
   */
  private createHeartbeat(interval: Duration): scheduler.Schedule {
    validateHeartbeatInterval(this, 'heartbeatInterval', interval);
    const stack = Stack.of(this);
    // EventBridge Scheduler's confused-deputy conditions: the account and the schedule group (never a schedule),
    // https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
    const role = new iam.Role(this, 'HeartbeatRole', {
      roleName: `${DetectionForwardingNames.HEARTBEAT_ROLE_NAME_PREFIX}${stack.region}`,
      description: 'Lets EventBridge Scheduler write the forwarding heartbeat parameter',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
        },
      }),
    });
    new iam.ManagedPolicy(this, 'HeartbeatPolicy', {
      managedPolicyName: `${DetectionForwardingNames.HEARTBEAT_ROLE_NAME_PREFIX}${stack.region}`,
      description: 'Write the forwarding heartbeat parameter, and nothing else',
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: ['ssm:PutParameter'],
        // A parameter name that starts with "/" follows "parameter" directly in the ARN.
        resources: [stack.formatArn({ service: 'ssm', resource: `parameter${DetectionForwardingNames.HEARTBEAT_PARAMETER_NAME}` })],
      })],
    });
    // The Universal target warns when it adds no statement of its own; the role's only policy is the one above.
    Annotations.of(this).acknowledgeWarning('@aws-cdk/aws-scheduler-targets:defaultWildcardResourcePolicy',
      'The heartbeat role has a managed policy of its own that allows ssm:PutParameter on the heartbeat parameter only');
    return new scheduler.Schedule(this, 'Heartbeat', {
      scheduleName: DetectionForwardingNames.HEARTBEAT_SCHEDULE_NAME,
      description: 'Writes the forwarding heartbeat, which travels the path of every detection event to the central bus',
      schedule: scheduler.ScheduleExpression.rate(interval),
      target: new schedulerTargets.Universal({
        service: 'ssm',
        action: 'putParameter',
        // The role's only policy is the managed one above: no inline policy is added to it.
        role: role.withoutPolicyUpdates(),
        policyStatements: [],
        input: scheduler.ScheduleTargetInput.fromObject({
          Name: DetectionForwardingNames.HEARTBEAT_PARAMETER_NAME,
          Value: scheduler.ContextAttribute.scheduledTime,
          Type: 'String',
          Overwrite: true,
        }),
        // A missed heartbeat is replaced by the next one; retrying would only blur the count.
        retryAttempts: 0,
      }),
    });
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
