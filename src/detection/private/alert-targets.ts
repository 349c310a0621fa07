import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { validatePattern } from '../../private/validation';
import { AlertInvestigation } from '../alert-investigation';
import { Detection, DetectionEventKind } from '../detection';

/** How a target retries and where it puts what it could not deliver. */
export interface DeliveryGuarantee {
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/**
 * The alert message, as plain text for people: the technique, who (the principal and, for an assumed-role
 * session, the role behind it), what, where, when, from where (source IP, user agent), the event id, and the
 * ready-to-run Athena statement of everything the principal did.
 */
export function alertMessage(detection: Detection, investigation: AlertInvestigation = {}): events.RuleTargetInput {
  const f = (path: string) => events.EventField.fromPath(path);
  const header = `[${detection.id}] ${detection.title} (${detection.severity})`;
  const technique = detection.techniques.length > 0
    ? [`Technique: ${detection.techniques.join(', ')}${detection.tactic ? ` (${tacticName(detection.tactic)})` : ''}`]
    : [];
  if (detection.eventKind === DetectionEventKind.INSIGHT) {
    return events.RuleTargetInput.fromText([
      header,
      ...technique,
      `What: ${f('$.detail.insightDetails.insightType')} ${f('$.detail.insightDetails.state')} for ` +
        `${f('$.detail.insightDetails.eventSource')} ${f('$.detail.insightDetails.eventName')}`,
      `Where: account ${f('$.account')}, region ${f('$.region')}`,
      `When: ${f('$.time')}`,
      `Event ID: ${f('$.detail.eventID')}`,
      `Detection: ${detection.id}`,
    ].join('\n'));
  }
  const principal = f('$.detail.userIdentity.arn');
  const statement = investigation.principalStatementName ?? 'principal_activity';
  // TrailAnalytics' statements take the first and last delivery day (yyyy/MM/dd) first. An input transformer
  // only pastes fields, so the days are expressions over the event time: the day before to the day after it.
  const around = (sign: string) => `date_format(from_iso8601_timestamp('${f('$.time')}') ${sign} interval '1' day, '%Y/%m/%d')`;
  const parameters = investigation.principalStatementName === undefined
    ? [around('-'), around('+'), ...(investigation.accountParameter ? [`'${f('$.account')}'`] : []), `'${principal}'`].join(', ')
    : investigation.passEventTime ? `'${principal}', '${f('$.detail.eventTime')}'` : `'${principal}'`;
  const where = investigation.workGroupName ? ` (Athena workgroup ${investigation.workGroupName})` : ' (Athena)';
  return events.RuleTargetInput.fromText([
    header,
    ...technique,
    `Who: ${principal} (${f('$.detail.userIdentity.type')})`,
    `Role behind the session: ${f('$.detail.userIdentity.sessionContext.sessionIssuer.arn')}`,
    `What: ${f('$.detail.eventSource')} ${f('$.detail.eventName')} ${f('$.detail.errorCode')}`,
    `Where: account ${f('$.account')}, region ${f('$.region')}`,
    `When: ${f('$.time')}`,
    `Source IP: ${f('$.detail.sourceIPAddress')}`,
    `User agent: ${f('$.detail.userAgent')}`,
    `Event ID: ${f('$.detail.eventID')}`,
    `Investigate${where}: EXECUTE ${statement} USING ${parameters}`,
    `Detection: ${detection.id}`,
  ].join('\n'));
}

function tacticName(tactic: string): string {
  return tactic.toLowerCase().replace(/_/g, ' ');
}

/**
 * Publishes a detection's alerts to the alerts topic, with the retry policy and dead-letter queue.
 * The topic and queue policies are written by SecurityAlerts, once for all its rules, instead of the
 * unconditioned `events.amazonaws.com` grant `targets.SnsTopic` would add.
 */
export class AlertTopicTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic, private readonly detection: Detection,
    private readonly delivery: DeliveryGuarantee, private readonly investigation?: AlertInvestigation) {}

  public bind(_rule: events.IRuleRef, _id?: string): events.RuleTargetConfig {
    return {
      arn: this.topic.topicArn,
      input: alertMessage(this.detection, this.investigation),
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

const ATHENA_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const STATEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

/** Validates the names the alert text will contain; tokens are accepted (and pasted as resolved). */
export function validateInvestigation(scope: IConstruct, investigation: AlertInvestigation | undefined): void {
  if (!investigation) return;
  const { workGroupName, principalStatementName } = investigation;
  if (workGroupName !== undefined && !Token.isUnresolved(workGroupName)) {
    validatePattern(scope, 'investigation.workGroupName', workGroupName, ATHENA_NAME,
      'must be 1-128 letters, digits, ".", "_" or "-" (an Athena workgroup name)');
  }
  if (principalStatementName !== undefined && !Token.isUnresolved(principalStatementName)) {
    validatePattern(scope, 'investigation.principalStatementName', principalStatementName, STATEMENT_NAME,
      'must be an Athena prepared statement name: letters, digits and "_", not starting with a digit');
  }
}
