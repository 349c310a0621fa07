import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { Detection } from './detection';
import { validateDetections } from './private/detection-list';
import { allowAlarmsToPublish, encryptedAlertTopic } from '../private/alert-topic';
import { incomingLogEventsMetric } from '../private/log-metrics';
import { claimName } from '../private/name-registry';
import { validateCustomerManagedKey } from '../private/secure';
import { fail, validatePattern } from '../private/validation';

/**
 * Properties of CisAlarms.
 */
export interface CisAlarmsProps {
  /**
   * The CloudWatch Logs log group the trail delivers to.
   */
  readonly logGroup: logs.ILogGroup;

  /**
   * The topic the alarms notify, such as `SecurityAlerts.topic`. Security Hub's CloudWatch checks want it
   * owned by the trail's account and subscribed to. Its policy (and its key's, when it is encrypted) gets
   * statements that let CloudWatch alarms of this account publish, when the topic belongs to this app. A topic
   * encrypted with an AWS managed key (`alias/aws/sns`) is refused: its policy cannot admit CloudWatch.
   *
   * @default - a new topic, TLS-only, encrypted with a new customer managed key (rotation on, RETAIN)
   */
  readonly topic?: sns.ITopic;

  /**
   * The detections to alarm on; each needs a metric-filter pattern.
   *
   * @default Detection.cis() (CIS 4.1-4.15)
   */
  readonly detections?: Detection[];

  /**
   * The namespace of the metrics.
   *
   * @default 'CISBenchmark'
   */
  readonly metricNamespace?: string;

  /**
   * A prefix for alarm names; the detection id follows (`<prefix>CIS-4.3`). Alarm names are unique per
   * account and region.
   *
   * @default - CloudFormation generates the names
   */
  readonly alarmNamePrefix?: string;

  /**
   * Whether an alarm fires when the log group stops receiving events (`IncomingLogEvents` below 1 for
   * `logGroupSilencePeriod`, missing data breaching). A trail that stops delivering, a deleted delivery role
   * or a disabled key all look like silence, and every metric-filter alarm stays quiet through them.
   *
   * @default true
   */
  readonly logGroupSilenceAlarm?: boolean;

  /**
   * How long the log group may receive no events before the silence alarm fires: whole minutes, from 5
   * minutes to 1 day. CloudTrail delivers to CloudWatch Logs within minutes, and an account is rarely an
   * hour without any management event (AWS services' own calls count), so an hour does not fire on quiet nights.
   *
   * @default Duration.hours(1)
   */
  readonly logGroupSilencePeriod?: Duration;
}

const NAMESPACE = /^(?!AWS\/)(?=.*[^ ])[^:*$\x00-\x1f\x7f-\uffff]{1,255}$/;

/** CloudWatch Logs quota, not adjustable. */
const MAX_METRIC_FILTERS_PER_LOG_GROUP = 100;

/**
 * The CIS AWS Foundations Benchmark metric-filter alarms (4.1-4.15) on the trail's CloudWatch Logs log
 * group: one metric filter per control with the benchmark's pattern verbatim (Security Hub's CloudWatch.1-14
 * checks look for the exact text), and an alarm that fires when the metric is 1 or more in 5 minutes
 * (missing data is not breaching) and notifies the topic. A further alarm fires when the log group goes
 * silent, because silence is what every metric-filter alarm shows when the trail stops delivering.
 *
 * Subscribe to `topic` with `topic.addSubscription(...)` (see docs/alerting.md).
 */
export class CisAlarms extends Construct {
  /** The metric filters, in the order of the detections. */
  public readonly metricFilters: logs.MetricFilter[];

  /** The alarms, in the order of the detections. */
  public readonly alarms: cloudwatch.Alarm[];

  /** The topic the alarms notify; subscribe to it with `topic.addSubscription(...)`. */
  public readonly topic: sns.ITopic;

  /**
   * The alarm that fires when the log group stops receiving events.
   *
   * @default - none when `logGroupSilenceAlarm` is false
   */
  public readonly logGroupSilenceAlarm?: cloudwatch.Alarm;

  private readonly logGroup: logs.ILogGroup;
  private readonly detectionIds: string[];

  constructor(scope: Construct, id: string, props: CisAlarmsProps) {
    super(scope, id);
    const detections = validateDetections(this, 'detections', props.detections ?? Detection.cis());
    for (const d of detections) {
      if (!d.metricFilterPattern) fail(this, 'detections', d.id, 'must have a metricFilterPattern to get a CIS alarm');
    }
    if (detections.length > MAX_METRIC_FILTERS_PER_LOG_GROUP) {
      fail(this, 'detections', `${detections.length} detections`, `must be at most ${MAX_METRIC_FILTERS_PER_LOG_GROUP}: each ` +
        `gets a metric filter on the log group, and CloudWatch Logs allows ${MAX_METRIC_FILTERS_PER_LOG_GROUP} per log group`);
    }
    const namespace = props.metricNamespace ?? 'CISBenchmark';
    validatePattern(this, 'metricNamespace', namespace, NAMESPACE, 'must be 1-255 characters: printable ASCII with at least ' +
      'one non-space, without ":", "*" or "$" (the CloudWatch Logs metric namespace pattern), not starting with "AWS/"');
    if (props.alarmNamePrefix !== undefined) {
      validatePattern(this, 'alarmNamePrefix', props.alarmNamePrefix, /^[^\s][\x20-\x7e]{0,199}$/,
        'must be 1-200 printable ASCII characters, not starting with a space');
    }
    const silencePeriod = props.logGroupSilencePeriod ?? Duration.hours(1);
    validateSilencePeriod(this, silencePeriod);
    this.logGroup = props.logGroup;
    this.detectionIds = detections.map(d => d.id);

    validateCustomerManagedKey(this, 'topic.masterKey', props.topic?.masterKey, 'CloudWatch, whose alarms notify the topic,');
    this.topic = props.topic ?? encryptedAlertTopic(this, 'Topic', 'TopicKey', 'CIS benchmark alarms');
    this.metricFilters = [];
    this.alarms = [];
    const action = new cloudwatchActions.SnsAction(this.topic);
    for (const d of detections) {
      const filter = new logs.MetricFilter(this, `${d.id}Filter`, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(d.metricFilterPattern!),
        metricNamespace: namespace,
        metricName: d.id,
        metricValue: '1',
      });
      this.metricFilters.push(filter);
      const alarm = new cloudwatch.Alarm(this, `${d.id}Alarm`, {
        alarmName: this.claimAlarmName(props.alarmNamePrefix, d.id),
        alarmDescription: d.ruleDescription,
        metric: this.metricForDetection(d.id),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        actionsEnabled: true,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    }

    if (props.logGroupSilenceAlarm ?? true) {
      this.logGroupSilenceAlarm = new cloudwatch.Alarm(this, 'LogGroupSilenceAlarm', {
        alarmName: this.claimAlarmName(props.alarmNamePrefix, 'log-group-silent'),
        alarmDescription: `The trail's log group received no events for ${silencePeriod.toHumanString()}: the trail, ` +
          'its delivery role or the log group\'s key may have been changed, and the CIS alarms cannot fire meanwhile',
        metric: this.metricIncomingLogEvents({ period: silencePeriod }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        // No data is exactly the condition being watched: a log group without deliveries has no data points.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      this.logGroupSilenceAlarm.addAlarmAction(action);
    } else {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:logGroupSilenceAlarmOff',
        'logGroupSilenceAlarm is false: if the trail stops delivering to the log group, every CIS alarm stays ' +
        'quiet and nothing reports it');
    }
    this.allowAlarmsToPublish(this.topic);
    this.warnAboutMissingKmsEvents(props.logGroup, detections);
  }

  /**
   * The trail constructs of this library own their log group and say whether they record KMS write events;
   * read through the log group's parent so that detection code does not depend on the trail module.
   */
  private warnAboutMissingKmsEvents(logGroup: logs.ILogGroup, detections: readonly Detection[]): void {
    const trail = logGroup.node.scope as { recordsKmsWriteEvents?: unknown } | undefined;
    if (trail?.recordsKmsWriteEvents !== false || !detections.some(d => d.id === 'CIS-4.7')) return;
    Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:kmsWriteEventsNotRecorded',
      'CIS-4.7 watches KMS key deletion and disabling, but the trail that delivers to this log group records no ' +
      'write management events: its alarm can never fire. Record write management events (ManagementEvents.all() ' +
      'or writeOnly(); excluding KMS keeps its write events).');
  }

  /**
   * The number of events the trail's log group receives (`AWS/Logs` `IncomingLogEvents`, Sum).
   *
   * @param props options of the metric; the default period is 5 minutes
   */
  public metricIncomingLogEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return incomingLogEventsMetric(this.logGroup, props);
  }

  /**
   * The count of log events that match one detection's metric filter (namespace `metricNamespace`, metric name
   * the detection id, Sum over 5 minutes, as the detection's alarm reads it), for dashboards or alarms of
   * your own.
   *
   * @param detectionId the id of one of this construct's detections, such as `CIS-4.3`
   * @param props options of the metric
   */
  public metricForDetection(detectionId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const filter = this.metricFilters[this.detectionIds.indexOf(detectionId)];
    if (!filter) {
      fail(this, 'detectionId', detectionId, `is not one of this construct's detections (${this.detectionIds.join(', ')})`);
    }
    return filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props });
  }

  private allowAlarmsToPublish(topic: sns.ITopic): void {
    const added = allowAlarmsToPublish(this, topic, 'AllowCisAlarms');
    if (!added) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:alarmTopicPolicy',
        'the alarms topic is imported: make sure its policy (and its key\'s, if encrypted) lets ' +
        'cloudwatch.amazonaws.com publish for the alarms of this account');
    }
  }

  /** The alarm's name under `alarmNamePrefix`, claimed for this app's account and region. */
  private claimAlarmName(prefix: string | undefined, suffix: string): string | undefined {
    if (prefix === undefined) return undefined;
    const name = `${prefix}${suffix}`;
    claimName(this, 'CloudWatch alarm', name, 'alarmNamePrefix', `alarm ${suffix} of ${this.node.path}`,
      'Give each CisAlarms its own alarmNamePrefix.');
    return name;
  }
}

function validateSilencePeriod(scope: IConstruct, period: Duration): void {
  if (Token.isUnresolved(period.toSeconds())) return;
  const seconds = period.toSeconds();
  if (seconds % 60 !== 0 || seconds < 300 || seconds > 86400) {
    fail(scope, 'logGroupSilencePeriod', period.toHumanString(), 'must be whole minutes between 5 minutes and 1 day');
  }
}
