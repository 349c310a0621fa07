import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertInvestigation } from './alert-investigation';
import { Detection } from './detection';
import { AlertTopicTarget, DeliveryGuarantee, GuaranteedDeliveryTarget, validateInvestigation } from './private/alert-targets';
import { validateDetections } from './private/detection-list';
import { globalServiceRegionOf } from './private/global-region';
import { acknowledgeEventBridgeDeadLetterQueue } from '../private/acknowledgements';
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
   * The customer managed key that encrypts the topic and the dead-letter queue this construct creates.
   * Its policy gets a statement that lets EventBridge use it (when the key belongs to this app).
   *
   * @default - a new key with rotation enabled, retained on stack deletion
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Where events go that could not be delivered to a target after all retries.
   *
   * @default - a new queue encrypted with `encryptionKey`, TLS-only, 14 days retention, retained on stack deletion
   */
  readonly deadLetterQueue?: sqs.IQueue;

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
 * - Every target has a retry policy and an encrypted dead-letter queue, including targets added with
 *   `addTarget`.
 * - Detections of reads (CIS-4.1, CIS-4.3) get rules that also receive read-only management events.
 *
 * Runs on the default event bus (one account, one region) or on a `CentralDetectionBus` that member
 * accounts forward to with `DetectionForwarder`.
 */
export class SecurityAlerts extends Construct {
  /** The topic alerts are published to; subscribe to it. */
  public readonly topic: sns.ITopic;

  /**
   * The key that encrypts the topic and dead-letter queue this construct created.
   *
   * @default - none when both the topic and the queue were given
   */
  public readonly encryptionKey?: kms.IKey;

  /** Where undeliverable events go. */
  public readonly deadLetterQueue: sqs.IQueue;

  /** The detections alerted on. */
  public readonly detections: Detection[];

  /** The rules, in the order of `detections`. */
  public readonly rules: events.Rule[];

  private readonly delivery: DeliveryGuarantee;
  private readonly rulesById = new Map<string, events.Rule>();

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
    const needsKey = !props.topic || !props.deadLetterQueue;
    this.encryptionKey = props.encryptionKey ?? (needsKey ? new kms.Key(this, 'Key', {
      description: `Encrypts the security alerts topic and dead-letter queue of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }) : undefined);
    // SNS and SQS ask KMS for data keys on EventBridge's behalf. AWS documents that the aws:Source* keys
    // are not present in these KMS requests, so a condition on them would silently drop every alert.
    if (this.encryptionKey && !props.encryptionKey) {
      // Grants are for AWS services acting on AWS resources only (Control Tower CT.KMS.PR.3).
      this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'DenyGrantsExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }));
    }
    this.encryptionKey?.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToEncryptAlerts',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    }));

    this.topic = props.topic ?? new sns.Topic(this, 'Topic', {
      displayName: 'Security alerts',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    if (props.deadLetterQueue) {
      this.deadLetterQueue = props.deadLetterQueue;
    } else {
      this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.encryptionKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        // EventBridge uses this queue as a dead-letter queue; no source queue needs restricting.
        redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledgeEventBridgeDeadLetterQueue(this.deadLetterQueue);
    }
    this.delivery = { deadLetterQueue: this.deadLetterQueue, retryAttempts: props.retryAttempts ?? 185, maxEventAge };

    this.rules = this.detections.map(detection => {
      const rule = new events.Rule(this, detection.id, {
        description: detection.ruleDescription,
        eventBus: props.eventBus,
        // The pattern is passed through unchanged: Rule only renames `detailType`, which it does not use.
        eventPattern: detection.eventPattern as events.EventPattern,
      });
      if (detection.includeReadOnlyEvents) {
        (rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
      }
      rule.addTarget(new AlertTopicTarget(this.topic, detection, this.delivery, props.investigation));
      this.rulesById.set(detection.id, rule);
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
      conditions: { ArnEquals: { 'aws:SourceArn': ruleArns } },
    }));

    this.warnAboutGlobalServiceEvents(props);
    const forgeable = this.detections.filter(d => !d.sourcePinned).map(d => d.id);
    if (forgeable.length > 0) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:forgeableDetectionSource',
        `${forgeable.join(', ')} do not pin an AWS \`source\`: anyone allowed to put events on the bus can raise these alerts.`);
    }
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
