import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { ForwardingHealthTopic } from './forwarding-health-topic';
import { DetectionForwardingNames as Names } from './forwarding-names';
import { validateHeartbeatInterval } from './private/heartbeat';
import { DEFAULT_MAX_PATTERN_LENGTH, patternLength } from './private/patterns';
import { failureAlarm } from '../private/alert-health';
import { encryptedLogGroup } from '../private/secure';
import { fail, validateAccount, validateNonEmpty, validateRegion, validateUnique } from '../private/validation';

/**
 * Properties of ForwardingHeartbeat.
 */
export interface ForwardingHeartbeatProps {
  /** The central detection bus the forwarders put events on (`CentralDetectionBus.eventBus`). */
  readonly eventBus: events.IEventBus;

  /**
   * The accounts whose heartbeats are expected: every account the forwarders reach, the management account
   * included. Each gets an alarm. An account that is not listed but sends heartbeats raises the
   * `unmonitored-accounts` alarm, so an account that joins the organization later is reported until it is added.
   */
  readonly accounts: string[];

  /** The regions every account forwards from (the `DetectionForwarder`'s `regions`). */
  readonly regions: string[];

  /**
   * How often each account and region writes its heartbeat: the forwarders' `heartbeatInterval`.
   *
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;

  /**
   * How long an account's heartbeats may fall short before its alarm fires: whole minutes, at least three
   * intervals and at most one day. The alarm fires when, over this window, more than half a region's heartbeats
   * are missing: a region whose forwarding breaks, or the whole account.
   *
   * @default Duration.hours(1)
   */
  readonly window?: Duration;

  /**
   * The topic the alarms notify.
   *
   * @default - a new `ForwardingHealthTopic` in this stack (the forwarding health topic of this region)
   */
  readonly topic?: sns.ITopic;

  /**
   * What happens to the log groups and their key when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The metric namespace of the heartbeats. */
const NAMESPACE = 'CloudTrailGovernance/Forwarding';
const RULE_NAME = 'cloudtrail-governance-heartbeat';
const UNMONITORED_RULE_NAME = 'cloudtrail-governance-heartbeat-unmonitored';
/** CloudFormation's limit per stack, less room for the rest of the security stack. */
const MAX_ACCOUNTS = 400;

/**
 * The central side of the end-to-end forwarding heartbeat, in the security account: counts the heartbeats that
 * `DetectionForwardingRule` writes in every account and region and that reach the central bus, per account, and
 * alarms when an account's heartbeats stop or fall short. No Lambda: a rule on the central bus sends the heartbeats
 * to a log group, a metric filter counts them with the account as dimension, and one alarm per account watches the
 * count (missing data is breaching: silence is what a broken path looks like).
 *
 * Whatever a member administrator breaks on the path (the trail's delivery to EventBridge, the forwarding rule,
 * role, policy or target, the schedule, the central bus policy), the heartbeats stop and this account's alarm
 * fires; nothing here is in their account. Only the heartbeat role's own successful writes count: a heartbeat
 * written by hand cannot stand in for a broken schedule.
 *
 * Accounts that join later: CloudWatch cannot alarm on a metric that has never existed, so each account is listed.
 * A heartbeat from an account that is not listed goes to a second log group, whose alarm
 * (`...unmonitored-accounts`) fires until the account is added to `accounts` (the log group shows which one).
 */
export class ForwardingHeartbeat extends Construct {
  /** The log group that keeps the heartbeats that reached the central bus. */
  public readonly logGroup: logs.ILogGroup;

  /** One alarm per account, in the order of `accounts`. */
  public readonly accountAlarms: cloudwatch.Alarm[];

  /**
   * The alarm on heartbeats from accounts that are not listed.
   *
   * @default - none when the account list is too long for one event pattern (a warning says so)
   */
  public readonly unmonitoredAccountsAlarm?: cloudwatch.Alarm;

  /** The topic the alarms notify. */
  public readonly topic: sns.ITopic;

  /** The rule on the central bus that receives the heartbeats. */
  public readonly rule: events.Rule;

  private readonly window: Duration;

  constructor(scope: Construct, id: string, props: ForwardingHeartbeatProps) {
    super(scope, id);
    validateNonEmpty(this, 'accounts', props.accounts);
    props.accounts.forEach((a, i) => validateAccount(this, `accounts[${i}]`, a));
    validateUnique(this, 'accounts', props.accounts, a => a);
    if (props.accounts.length > MAX_ACCOUNTS) {
      fail(this, 'accounts', `${props.accounts.length} accounts`, `must be at most ${MAX_ACCOUNTS}: each gets an alarm, and a ` +
        'CloudFormation stack holds at most 500 resources; split the accounts across several ForwardingHeartbeat constructs in ' +
        'several stacks');
    }
    validateNonEmpty(this, 'regions', props.regions);
    props.regions.forEach((r, i) => validateRegion(this, `regions[${i}]`, r));
    validateUnique(this, 'regions', props.regions, r => r);
    const interval = props.interval ?? Duration.minutes(5);
    validateHeartbeatInterval(this, 'interval', interval);
    this.window = props.window ?? Duration.hours(1);
    validateWindow(this, this.window, interval);

    this.topic = props.topic ?? new ForwardingHealthTopic(this, 'Topic').topic;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const heartbeats = this.receive('Heartbeats', Names.HEARTBEAT_LOG_GROUP_NAME, RULE_NAME, heartbeatPattern(), props.eventBus, removalPolicy);
    this.rule = heartbeats.rule;
    this.logGroup = heartbeats.logGroup;
    new logs.MetricFilter(this, 'HeartbeatsFilter', {
      logGroup: this.logGroup,
      // Everything in the group is a heartbeat; the filter needs one term.
      filterPattern: logs.FilterPattern.literal('{ $.detail.eventName = "PutParameter" }'),
      metricNamespace: NAMESPACE,
      metricName: 'Heartbeats',
      metricValue: '1',
      dimensions: { Account: '$.account' },
    });

    const action = new cloudwatchActions.SnsAction(this.topic);
    const perWindow = Math.round(this.window.toSeconds() / interval.toSeconds());
    const expected = perWindow * props.regions.length;
    this.accountAlarms = props.accounts.map(account => {
      const alarm = new cloudwatch.Alarm(this, `Account${account}`, {
        alarmName: `${Names.HEARTBEAT_ALARM_NAME_PREFIX}${account}`,
        alarmDescription: `Account ${account} delivered fewer than ${expected - perWindow / 2} of its ${expected} forwarding ` +
          `heartbeats (${props.regions.length} region(s), one every ${interval.toHumanString()}) in ${this.window.toHumanString()}: ` +
          'forwarding from at least one region is broken (trail, forwarding rule, role, policy or schedule). Find the ' +
          `region in the log group ${Names.HEARTBEAT_LOG_GROUP_NAME} (field "region"), then check that account's ` +
          `${Names.RULE_NAME} rule, its role and the alarms ${Names.ALARM_NAME_PREFIX}* there.`,
        metric: this.metricHeartbeats(account),
        // Half a region's heartbeats: late deliveries at the edges of the window do not fire it, a lost region does.
        threshold: expected - perWindow / 2,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      alarm.addAlarmAction(action);
      return alarm;
    });

    const unmonitored = unmonitoredPattern(props.accounts);
    if (patternLength(unmonitored) <= DEFAULT_MAX_PATTERN_LENGTH) {
      const other = this.receive('UnmonitoredHeartbeats', `${Names.HEARTBEAT_LOG_GROUP_NAME}-unmonitored`, UNMONITORED_RULE_NAME,
        unmonitored, props.eventBus, removalPolicy);
      const filter = new logs.MetricFilter(this, 'UnmonitoredHeartbeatsFilter', {
        logGroup: other.logGroup,
        filterPattern: logs.FilterPattern.literal('{ $.detail.eventName = "PutParameter" }'),
        metricNamespace: NAMESPACE,
        metricName: 'UnmonitoredHeartbeats',
        metricValue: '1',
      });
      this.unmonitoredAccountsAlarm = failureAlarm(this, 'UnmonitoredAccounts', {
        alarmName: `${Names.HEARTBEAT_ALARM_NAME_PREFIX}unmonitored-accounts`,
        description: 'An account that is not in the heartbeat monitor\'s accounts forwards heartbeats: nothing alarms ' +
          `when its forwarding breaks. Its id is in the log group ${Names.HEARTBEAT_LOG_GROUP_NAME}-unmonitored (field ` +
          '"account"): add it to ForwardingHeartbeat\'s accounts.',
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: this.window }),
        action,
      });
    } else {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:heartbeatAccountsTooManyToWatchOthers',
        `${props.accounts.length} accounts make the "not one of these accounts" pattern ${patternLength(unmonitored)} ` +
        `characters, more than the ${DEFAULT_MAX_PATTERN_LENGTH} EventBridge accepts: heartbeats of accounts that are not ` +
        'listed raise no alarm. Keep accounts current from `aws organizations list-accounts`.');
    }
  }

  /**
   * The heartbeats that reached the central bus from one account (namespace `CloudTrailGovernance/Forwarding`,
   * metric `Heartbeats`, dimension `Account`; Sum over the window, as its alarm reads it).
   *
   * @param accountId the 12-digit account id
   * @param props options of the metric
   */
  public metricHeartbeats(accountId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName: 'Heartbeats',
      dimensionsMap: { Account: accountId },
      statistic: cloudwatch.Stats.SUM,
      period: this.window,
      ...props,
    });
  }

  /** A rule on the bus that sends matching events to a log group of their own. */
  private receive(id: string, logGroupName: string, ruleName: string, pattern: { [key: string]: any }, bus: events.IEventBus,
    removalPolicy: RemovalPolicy): { rule: events.Rule; logGroup: logs.LogGroup } {
    const { logGroup, logGroupArn } = encryptedLogGroup(this, id, {
      logGroupName,
      description: `Encrypts the log group ${logGroupName} of ${this.node.path}`,
      // A year, as audit tooling asks of every log group (Control Tower CT.CLOUDWATCH.PR.2); heartbeats are small.
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    const stack = Stack.of(this);
    const rule = new events.Rule(this, `${id}Rule`, {
      ruleName,
      eventBus: bus,
      description: '[HEARTBEAT] Forwarding heartbeats that reached the central bus',
      eventPattern: pattern as events.EventPattern,
    });
    // A rule on a custom bus: `rule/<bus>/<name>`. Built from the names: the policy must not depend on the rule.
    const ruleArn = stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${bus.eventBusName}/${ruleName}` });
    // EventBridge writes to CloudWatch Logs under the log group's resource policy, not a role (EventBridge user guide,
    // "Using resource-based policies for Amazon EventBridge"); for rule targets aws:SourceArn is the rule
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html).
    new logs.ResourcePolicy(this, `${id}Policy`, {
      resourcePolicyName: `${ruleName}-delivery`,
      policyStatements: [new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroupArn}:*`],
        conditions: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      })],
    });
    rule.addTarget({ bind: () => ({ arn: logGroupArn, targetResource: logGroup }) });
    return { rule, logGroup };
  }
}

/** The heartbeat role's successful writes of the heartbeat parameter, as CloudTrail delivers them. */
function heartbeatPattern(): { [key: string]: any } {
  return {
    'source': ['aws.ssm'],
    'detail-type': ['AWS API Call via CloudTrail'],
    'detail': {
      eventSource: ['ssm.amazonaws.com'],
      eventName: ['PutParameter'],
      errorCode: [{ exists: false }],
      requestParameters: { name: [Names.HEARTBEAT_PARAMETER_NAME] },
      userIdentity: { sessionContext: { sessionIssuer: { userName: [{ prefix: Names.HEARTBEAT_ROLE_NAME_PREFIX }] } } },
    },
  };
}

function unmonitoredPattern(accounts: readonly string[]): { [key: string]: any } {
  return { ...heartbeatPattern(), account: [{ 'anything-but': [...accounts] }] };
}

function validateWindow(scope: IConstruct, window: Duration, interval: Duration): void {
  if (Token.isUnresolved(window.toSeconds()) || Token.isUnresolved(interval.toSeconds())) return;
  const seconds = window.toSeconds();
  if (seconds % 60 !== 0 || seconds < 3 * interval.toSeconds() || seconds > 86400 || seconds % interval.toSeconds() !== 0) {
    fail(scope, 'window', window.toHumanString(), `must be whole minutes, a multiple of the interval (${interval.toHumanString()}), ` +
      'at least three intervals and at most 1 day');
  }
}
