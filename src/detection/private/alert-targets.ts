import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { fail, validatePattern } from '../../private/validation';
import { AlertInvestigation } from '../alert-investigation';
import { Detection, DetectionEventKind } from '../detection';

/** How a target retries and where it puts what it could not deliver. */
export interface DeliveryGuarantee {
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/**
 * The alert message: a JSON object for people (SNS email) and for machines (a queue or function subscriber).
 *
 * Every value taken from the event is a whole JSON value of the input template (`EventField` as the entire
 * value, which CDK leaves unquoted: `"userAgent":<detail-userAgent>`), never part of a longer string. EventBridge
 * inserts a whole-value field as JSON (strings quoted and escaped, objects as JSON, a missing path as `null`),
 * but pastes a field inside a quoted string as raw text: there a user agent or session name with `"`, `\` or a
 * line break could break the alert about its own call, or add keys and lines that read like the alert's own.
 * The strings around the fields (id, title, severity, techniques, tactic, the Athena statement) are library data.
 *
 * Keys, in this order: `alert` ("[ID] Title (SEVERITY)"), `severity`, `detection`, `technique` and `tactic`
 * (when the detection has them), then for CloudTrail records `who`, `principalType`, `roleBehindSession`,
 * `what` {eventSource, eventName, errorCode}, `account`, `region`, `time`, `sourceIp`, `userAgent`, `eventId`,
 * `investigate` (see `investigationOf`); for Insights events `what` {insightType, state, eventSource,
 * eventName}, `account`, `region`, `time`, `eventId`.
 */
export function alertMessage(detection: Detection, investigation: AlertInvestigation = {}): events.RuleTargetInput {
  const f = (path: string) => events.EventField.fromPath(path);
  const fixed = {
    alert: `[${detection.id}] ${detection.title} (${detection.severity})`,
    severity: detection.severity,
    detection: detection.id,
    technique: detection.techniques.length > 0 ? detection.techniques.join(', ') : undefined,
    tactic: detection.tactic ? tacticName(detection.tactic) : undefined,
  };
  // $.account, $.region and $.time are set by EventBridge, not the caller, but are whole values all the same:
  // one rule for every field, and nothing for a reviewer to check twice.
  const where = { account: f('$.account'), region: f('$.region'), time: f('$.time') };
  if (detection.eventKind === DetectionEventKind.INSIGHT) {
    return events.RuleTargetInput.fromObject({
      ...fixed,
      what: {
        insightType: f('$.detail.insightDetails.insightType'),
        state: f('$.detail.insightDetails.state'),
        eventSource: f('$.detail.insightDetails.eventSource'),
        eventName: f('$.detail.insightDetails.eventName'),
      },
      ...where,
      eventId: f('$.detail.eventID'),
    });
  }
  return events.RuleTargetInput.fromObject({
    ...fixed,
    who: f('$.detail.userIdentity.arn'),
    principalType: f('$.detail.userIdentity.type'),
    roleBehindSession: f('$.detail.userIdentity.sessionContext.sessionIssuer.arn'),
    what: {
      eventSource: f('$.detail.eventSource'),
      eventName: f('$.detail.eventName'),
      errorCode: f('$.detail.errorCode'),
    },
    ...where,
    sourceIp: f('$.detail.sourceIPAddress'),
    userAgent: f('$.detail.userAgent'),
    eventId: f('$.detail.eventID'),
    investigate: investigationOf(investigation),
  });
}

/**
 * The alert's `investigate` object: `workGroup` (when named), `statement` and `parameters`.
 *
 * `statement` is the `EXECUTE ... USING` line with a `?` for each value that comes from the event, and
 * `parameters` the values for the `?`s, in order, each a whole JSON value of the alert. The values are not pasted
 * into the SQL text: an input transformer cannot quote for SQL, and a field inside the statement's string would
 * be pasted unescaped (see `alertMessage`). The principal ARN is the caller's own in part (role session names),
 * so what the investigator runs must not be text the caller wrote. `?` is how Athena marks a positional parameter;
 * a list keeps the values in the order of the `?`s, where named keys would leave the order to the reader (the
 * event time fills two of them). To run it, replace each `?` with the next parameter as an SQL string literal
 * (`'...'`, any `'` doubled).
 *
 * The default statement, `principal_activity` of `TrailAnalytics`, takes the first and last delivery day
 * (`yyyy/MM/dd`) first. An input transformer only inserts fields, so the days are expressions over the event
 * time (the day before to the day after it), which appears twice in `parameters`; then the account (with
 * `accountParameter`) and the principal. A statement of your own takes the principal, then (with
 * `passEventTime`) the event's `eventTime`.
 */
function investigationOf(investigation: AlertInvestigation): { [key: string]: unknown } {
  const f = (path: string) => events.EventField.fromPath(path);
  const principal = f('$.detail.userIdentity.arn');
  let statement: string;
  let parameters: string[];
  if (investigation.principalStatementName === undefined) {
    const around = (sign: string) => `date_format(from_iso8601_timestamp(?) ${sign} interval '1' day, '%Y/%m/%d')`;
    parameters = [f('$.time'), f('$.time'), ...(investigation.accountParameter ? [f('$.account')] : []), principal];
    statement = `EXECUTE principal_activity USING ${[around('-'), around('+'), ...parameters.slice(2).map(() => '?')].join(', ')}`;
  } else {
    parameters = investigation.passEventTime ? [principal, f('$.detail.eventTime')] : [principal];
    statement = `EXECUTE ${investigation.principalStatementName} USING ${parameters.map(() => '?').join(', ')}`;
  }
  return { workGroup: investigation.workGroupName, statement, parameters };
}

// EventBridge replaces `<name>` anywhere in the template, inside quoted strings too: `name` one of the rule's input
// paths, or one of its own variables such as `<aws.events.event>` (the whole event). A custom detection's title
// that held such text would have the caller's fields pasted, unescaped, into the alert's first line.
function rejectPlaceholders(detection: Detection, names: readonly string[]): void {
  const found = [...detection.title.matchAll(/<([^<>]*)>/g)]
    .find(m => names.includes(m[1]) || m[1].startsWith('aws.events.'));
  if (found) {
    fail(undefined, `detection ${detection.id} title`, detection.title, `must not contain ${found[0]}: EventBridge ` +
      'would replace it with a field of the event, unescaped, in every alert');
  }
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

  public bind(rule: events.IRuleRef, _id?: string): events.RuleTargetConfig {
    const input = alertMessage(this.detection, this.investigation);
    rejectPlaceholders(this.detection, Object.keys(input.bind(rule).inputPathsMap ?? {}));
    return {
      arn: this.topic.topicArn,
      input,
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

/** Validates the names the alert will contain; tokens are accepted (and inserted as resolved). */
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
