import { Annotations, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertInvestigation } from './alert-investigation';
import { Detection } from './detection';
import { AlertTopicTarget, DeliveryGuarantee, GuaranteedDeliveryTarget, validateInvestigation } from './private/alert-targets';
import { createAlertsHealthAlarms } from './private/alerts-health';
import { validateDetections } from './private/detection-list';
import { globalServiceRegionOf } from './private/global-region';
import { acknowledgeEventBridgeDeadLetterQueue } from '../private/acknowledgements';
import { snsTopicEncryptionContext } from '../private/alert-topic';
import { denyManualGrants } from '../private/kms';
import { fail, validateInteger } from '../private/validation';

/**
 * Properties of SecurityAlerts.
 */
export interface SecurityAlertsProps {
  /**
   * The detections to alert on; one EventBridge rule each. Add hunting detections with
   * `[...Detection.defaultTier(), ...Detection.huntingTier()]` (or one by one).
   *
   * @default Detection.defaultTier()
   */
  readonly detections?: Detection[];

  /**
   * The event bus the rules run on. Use a `CentralDetectionBus` in the security account for
   * organization-wide alerting.
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * The topic alerts are published to. Its policy gets a statement that lets EventBridge publish for these
   * rules only (when the topic belongs to this app).
   *
   * @default - a new topic, encrypted with `encryptionKey`
   */
  readonly topic?: sns.ITopic;

  /**
   * The customer managed key that encrypts the topic this construct creates (or the given topic's key).
   * Its policy gets a statement that lets EventBridge use it for the topics of this account and region only
   * (when the key belongs to this app). The dead-letter queue never uses it: it has a key of its own.
   *
   * @default - a new key with rotation enabled, retained on stack deletion (none when `topic` is given)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Where events go that could not be delivered to a target after all retries.
   *
   * @default - a new queue encrypted with a key of its own (rotation on, retained), TLS-only, 14 days
   * retention, retained on stack deletion
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Whether alarms watch the alert path: one per rule on its failed invocations, one on the dead-letter
   * queue's depth and one on the topic's failed notifications. They notify `healthTopic`.
   *
   * @default true
   */
  readonly healthAlarms?: boolean;

  /**
   * The topic the health alarms notify. Keep it apart from the alerts topic: an alarm about a broken
   * alerts topic cannot be delivered through it. Its policy (and its key's) gets statements that let the
   * CloudWatch alarms of this account publish, when the topic belongs to this app.
   *
   * @default - a new topic, TLS-only, encrypted with a key of its own (rotation on, retained)
   */
  readonly healthTopic?: sns.ITopic;

  /**
   * How many times EventBridge retries a failed delivery (0-185).
   *
   * @default 185
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge keeps retrying a failed delivery (1 minute to 24 hours).
   *
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;

  /**
   * Set when the events of global services (IAM, STS, Organizations, console sign-in), which EventBridge
   * receives in us-east-1 only, reach this event bus by other means, to silence the warning about them.
   *
   * @default false
   */
  readonly globalServiceEventsForwarded?: boolean;

  /**
   * The Athena statement alerts carry for investigating the principal (pass the forensic workgroup's name).
   *
   * @default - `EXECUTE principal_activity USING '<principal ARN>'`, without a workgroup name
   */
  readonly investigation?: AlertInvestigation;
}

/**
 * One EventBridge rule per detection, publishing readable alerts to an encrypted SNS topic.
 *
 * - Each rule's description starts with the detection id in brackets (`[CIS-4.3] Root account usage`).
 * - Alerts are plain text: technique, who (and the role behind a session), what, where, when, source IP, user
 *   agent, event id, detection id, and the Athena statement of everything the principal did.
 * - The topic is encrypted with a customer managed key; its policy lets only EventBridge publish, for these
 *   rules of this account (`aws:SourceArn`, `aws:SourceAccount`).
 * - Every target has a retry policy and a dead-letter queue with a key of its own, including targets added
 *   with `addTarget`.
 * - Health alarms (failed invocations of every rule, dead-letter depth, failed notifications) notify a
 *   separate `healthTopic`; subscribe to both topics with `addSubscription`.
 * - Detections of reads (CIS-4.1, CIS-4.3) get rules that also receive read-only management events.
 *
 * Runs on the default event bus (one account, one region) or on a `CentralDetectionBus` that member
 * accounts forward to with `DetectionForwarder`.
 */
export class SecurityAlerts extends Construct {
  /** The topic alerts are published to; subscribe to it. */
  public readonly topic: sns.ITopic;

  /**
   * The key that encrypts the topic.
   *
   * @default - none when the topic was given without `encryptionKey`
   */
  public readonly encryptionKey?: kms.IKey;

  /** Where undeliverable events go. */
  public readonly deadLetterQueue: sqs.IQueue;

  /**
   * The key of the dead-letter queue this construct created.
   *
   * @default - none when `deadLetterQueue` was given
   */
  public readonly deadLetterQueueKey?: kms.IKey;

  /**
   * The topic the health alarms notify; subscribe to it with `addSubscription`.
   *
   * @default - none when `healthAlarms` is false
   */
  public readonly healthTopic?: sns.ITopic;

  /** The health alarms of the alert path (empty when `healthAlarms` is false). */
  public readonly healthAlarms: cloudwatch.Alarm[];

  /** The detections alerted on. */
  public readonly detections: Detection[];

  /** The rules, in the order of `detections`. */
  public readonly rules: events.Rule[];

  private readonly delivery: DeliveryGuarantee;
  private readonly rulesById = new Map<string, events.Rule>();
  private readonly ruleNames = new Map<string, string>();
  private readonly eventBus?: events.IEventBus;

  constructor(scope: Construct, id: string, props: SecurityAlertsProps = {}) {
    super(scope, id);
    this.detections = [...validateDetections('detections', props.detections ?? Detection.defaultTier())];
    validateInvestigation(props.investigation);
    validateInteger('retryAttempts', props.retryAttempts, 0, 185);
    const maxEventAge = props.maxEventAge ?? Duration.hours(24);
    if (!Token.isUnresolved(maxEventAge.toSeconds())) {
      const seconds = maxEventAge.toSeconds();
      if (seconds < 60 || seconds > 86400) fail('maxEventAge', maxEventAge.toHumanString(), 'must be between 1 minute and 24 hours');
    }

    const stack = Stack.of(this);
    this.eventBus = props.eventBus;
    if (props.encryptionKey || props.topic) {
      this.encryptionKey = props.encryptionKey;
    } else {
      const key = new kms.Key(this, 'Key', {
        description: `Encrypts the security alerts topic of ${this.node.path}`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      denyManualGrants(key);
      this.encryptionKey = key;
    }
    // SNS asks KMS for data keys on EventBridge's behalf. AWS documents that the aws:Source* keys are not
    // present in these KMS requests, so a condition on them would silently drop every alert; the topic SNS
    // passes as encryption context is, and it confines EventBridge to this account's topics.
    (this.encryptionKey ?? props.topic?.masterKey)?.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToEncryptAlerts',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: snsTopicEncryptionContext(this),
    }));

    this.topic = props.topic ?? new sns.Topic(this, 'Topic', {
      displayName: 'Security alerts',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    if (props.deadLetterQueue) {
      this.deadLetterQueue = props.deadLetterQueue;
    } else {
      const dlq = this.createDeadLetterQueue();
      this.deadLetterQueue = dlq.queue;
      this.deadLetterQueueKey = dlq.key;
    }
    this.delivery = { deadLetterQueue: this.deadLetterQueue, retryAttempts: props.retryAttempts ?? 185, maxEventAge };

    this.rules = this.detections.map(detection => {
      const rule = new events.Rule(this, detection.id, {
        description: detection.ruleDescription,
        eventBus: props.eventBus,
        // The pattern is passed through unchanged: Rule only renames `detailType`, which it does not use.
        eventPattern: detection.eventPattern as events.EventPattern,
      });
      const cfnRule = rule.node.defaultChild as events.CfnRule;
      if (detection.includeReadOnlyEvents) cfnRule.state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
      // A fixed name, because the rule's metrics are keyed by it and the rule's Ref is not the plain name
      // on a custom bus; derived from the construct path, so several SecurityAlerts can share a bus.
      const ruleName = Names.uniqueResourceName(rule, { maxLength: 64, separator: '-', allowedSpecialCharacters: '._-' });
      cfnRule.name = ruleName;
      rule.addTarget(new AlertTopicTarget(this.topic, detection, this.delivery, props.investigation));
      this.rulesById.set(detection.id, rule);
      this.ruleNames.set(detection.id, ruleName);
      return rule;
    });

    const ruleArns = this.rules.map(r => r.ruleArn);
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAlertRulesToPublish',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': ruleArns },
      },
    }));
    this.deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAlertRulesToDeadLetter',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.deadLetterQueue.queueArn],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnEquals: { 'aws:SourceArn': ruleArns } },
    }));

    if (props.healthTopic && (props.healthTopic === this.topic || props.healthTopic.topicArn === this.topic.topicArn)) {
      fail('healthTopic', props.healthTopic.node.path, 'must not be the alerts topic: an alarm about a failing alerts ' +
        'topic cannot be delivered through it');
    }
    if (props.healthAlarms ?? true) {
      const health = createAlertsHealthAlarms(this, {
        topic: props.healthTopic,
        failedInvocations: this.detections.map(d => ({ detectionId: d.id, metric: this.metricFailedInvocations(d.id) })),
        deadLetterMessages: this.metricDeadLetterMessages(),
        failedNotifications: this.metricFailedNotifications(),
      });
      this.healthTopic = health.topic;
      this.healthAlarms = health.alarms;
    } else {
      this.healthAlarms = [];
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:healthAlarmsOff',
        'healthAlarms is false: failed alert deliveries, dead-lettered alerts and failed notifications raise no alarm');
    }

    this.warnAboutGlobalServiceEvents(props);
    const forgeable = this.detections.filter(d => !d.sourcePinned).map(d => d.id);
    if (forgeable.length > 0) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:forgeableDetectionSource',
        `${forgeable.join(', ')} do not pin an AWS \`source\`: anyone allowed to put events on the bus can raise these alerts.`);
    }
  }

  /**
   * The invocations of a detection's rule that failed permanently (`AWS/Events` `FailedInvocations`, Sum).
   * EventBridge publishes the metric only when it is not zero.
   *
   * @param detectionId the detection's id, such as `CIS-4.3`
   * @param props options of the metric; the default period is 5 minutes
   */
  public metricFailedInvocations(detectionId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    this.ruleFor(detectionId);
    const ruleName = this.ruleNames.get(detectionId)!;
    // Rules on a custom bus report with both dimensions; only default-bus rules report RuleName alone.
    const dimensionsMap: { [name: string]: string } = this.eventBus
      ? { EventBusName: this.eventBus.eventBusName, RuleName: ruleName }
      : { RuleName: ruleName };
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensionsMap,
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
  }

  /**
   * The alerts waiting in the dead-letter queue (`AWS/SQS` `ApproximateNumberOfMessagesVisible`, Maximum).
   *
   * @param props options of the metric; the default period is 5 minutes
   */
  public metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * The alert notifications SNS failed to deliver to a subscriber (`AWS/SNS` `NumberOfNotificationsFailed`, Sum).
   *
   * @param props options of the metric; the default period is 5 minutes
   */
  public metricFailedNotifications(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metricNumberOfNotificationsFailed({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * The rule of a detection.
   *
   * @param detectionId the detection's id, such as `CIS-4.3`
   */
  public ruleFor(detectionId: string): events.Rule {
    const rule = this.rulesById.get(detectionId);
    if (!rule) fail('detectionId', detectionId, `must be one of ${[...this.rulesById.keys()].join(', ')}`);
    return rule;
  }

  /**
   * Sends every detection's events to another target as well (a Lambda function, a ticketing API...).
   * The target gets this construct's retry policy and dead-letter queue unless it brings its own.
   * A rule has at most five targets.
   *
   * @param target the target, such as `new targets.LambdaFunction(fn)`
   */
  public addTarget(target: events.IRuleTarget): void {
    for (const rule of this.rules) rule.addTarget(new GuaranteedDeliveryTarget(target, this.delivery));
  }

  /**
   * The dead-letter queue with a key of its own: a queue that shares the topic's key goes down with it,
   * which is when it is needed. The queue's name is fixed so that the key policy can name the queue as
   * encryption context without a dependency cycle (the queue refers to the key).
   */
  private createDeadLetterQueue(): { queue: sqs.Queue; key: kms.Key } {
    const key = new kms.Key(this, 'DeadLetterQueueKey', {
      description: `Encrypts the dead-letter queue of the security alerts of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyManualGrants(key);
    const queueName = Names.uniqueResourceName(this, { maxLength: 76, separator: '-' }) + '-dlq';
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToEncryptDeadLetters',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': Stack.of(this).formatArn({ service: 'sqs', resource: queueName }) },
      },
    }));
    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // EventBridge uses this queue as a dead-letter queue; no source queue needs restricting.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeEventBridgeDeadLetterQueue(queue);
    return { queue, key };
  }

  private warnAboutGlobalServiceEvents(props: SecurityAlertsProps): void {
    if (props.eventBus || props.globalServiceEventsForwarded) return;
    const region = Stack.of(this).region;
    const globalRegion = globalServiceRegionOf(region);
    if (!globalRegion) return;
    const global = this.detections.filter(d => d.globalServiceEvents).map(d => d.id);
    if (region === globalRegion || global.length === 0) return;
    Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:globalServiceEventsNotDelivered',
      `${global.join(', ')} detect events of global services (IAM, STS, Organizations, console sign-in), which ` +
      `EventBridge receives in ${globalRegion} only; on the default event bus of ${region} these rules will not ` +
      `fire. Deploy SecurityAlerts in ${globalRegion} as well, run it on a CentralDetectionBus that ` +
      `DetectionForwarder feeds from ${globalRegion}, or set globalServiceEventsForwarded if you forward them.`);
  }
}
