import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Detection, DetectionEventKind } from '../detection';

/** How a target retries and where it puts what it could not deliver. */
export interface DeliveryGuarantee {
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/**
 * The alert message: who, what, where, when, source IP, event id and detection id, as plain text.
 */
export function alertMessage(detection: Detection): events.RuleTargetInput {
  const f = (path: string) => events.EventField.fromPath(path);
  const header = `[${detection.id}] ${detection.title} (${detection.severity})`;
  const lines = detection.eventKind === DetectionEventKind.INSIGHT
    ? [
      header,
      `What: ${f('$.detail.insightDetails.insightType')} ${f('$.detail.insightDetails.state')} for ` +
        `${f('$.detail.insightDetails.eventSource')} ${f('$.detail.insightDetails.eventName')}`,
      `Where: account ${f('$.account')}, region ${f('$.region')}`,
      `When: ${f('$.time')}`,
      `Event ID: ${f('$.detail.eventID')}`,
      `Detection: ${detection.id}`,
    ]
    : [
      header,
      `Who: ${f('$.detail.userIdentity.arn')} (${f('$.detail.userIdentity.type')})`,
      `What: ${f('$.detail.eventSource')} ${f('$.detail.eventName')} ${f('$.detail.errorCode')}`,
      `Where: account ${f('$.account')}, region ${f('$.region')}`,
      `When: ${f('$.time')}`,
      `Source IP: ${f('$.detail.sourceIPAddress')}`,
      `Event ID: ${f('$.detail.eventID')}`,
      `Detection: ${detection.id}`,
    ];
  return events.RuleTargetInput.fromText(lines.join('\n'));
}

/**
 * Publishes a detection's alerts to the alerts topic, with the retry policy and dead-letter queue.
 * The topic and queue policies are written by SecurityAlerts, once for all its rules, instead of the
 * unconditioned `events.amazonaws.com` grant `targets.SnsTopic` would add.
 */
export class AlertTopicTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic, private readonly detection: Detection,
    private readonly delivery: DeliveryGuarantee) {}

  public bind(_rule: events.IRuleRef, _id?: string): events.RuleTargetConfig {
    return {
      arn: this.topic.topicArn,
      input: alertMessage(this.detection),
      targetResource: this.topic,
      deadLetterConfig: { arn: this.delivery.deadLetterQueue.queueArn },
      retryPolicy: retryPolicy(this.delivery),
    };
  }
}

/**
 * Wraps a user's target so that it gets the retry policy and dead-letter queue unless it has its own.
 * Event bus targets take no retry policy (EventBridge rejects one); they keep their own behaviour.
 */
export class GuaranteedDeliveryTarget implements events.IRuleTarget {
  constructor(private readonly inner: events.IRuleTarget, private readonly delivery: DeliveryGuarantee) {}

  public bind(rule: events.IRuleRef, id?: string): events.RuleTargetConfig {
    const config = this.inner.bind(rule, id);
    const isEventBus = this.inner instanceof targets.EventBus
      || (!Token.isUnresolved(config.arn) && config.arn.includes(':event-bus/'));
    return {
      ...config,
      deadLetterConfig: config.deadLetterConfig ?? { arn: this.delivery.deadLetterQueue.queueArn },
      retryPolicy: config.retryPolicy ?? (isEventBus ? undefined : retryPolicy(this.delivery)),
    };
  }
}

function retryPolicy(delivery: DeliveryGuarantee): events.CfnRule.RetryPolicyProperty {
  return {
    maximumRetryAttempts: delivery.retryAttempts,
    maximumEventAgeInSeconds: delivery.maxEventAge.toSeconds(),
  };
}
