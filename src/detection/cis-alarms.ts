import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Detection } from './detection';
import { validateDetections } from './private/detection-list';
import { denyManualGrants } from '../private/kms';
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
   * statements that let CloudWatch alarms of this account publish, when the topic belongs to this app.
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
}

const NAMESPACE = /^[^:$][^:]{0,254}$/;

/**
 * The CIS AWS Foundations Benchmark metric-filter alarms (4.1-4.15) on the trail's CloudWatch Logs log
 * group: one metric filter per control with the benchmark's pattern verbatim (Security Hub's CloudWatch.1-14
 * checks look for the exact text), and an alarm that fires when the metric is 1 or more in 5 minutes
 * (missing data is not breaching) and notifies the topic.
 */
export class CisAlarms extends Construct {
  /** The metric filters, in the order of the detections. */
  public readonly metricFilters: logs.MetricFilter[];

  /** The alarms, in the order of the detections. */
  public readonly alarms: cloudwatch.Alarm[];

  /** The topic the alarms notify; subscribe to it. */
  public readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: CisAlarmsProps) {
    super(scope, id);
    const detections = validateDetections('detections', props.detections ?? Detection.cis());
    for (const d of detections) {
      if (!d.metricFilterPattern) fail('detections', d.id, 'must have a metricFilterPattern to get a CIS alarm');
    }
    const namespace = props.metricNamespace ?? 'CISBenchmark';
    validatePattern('metricNamespace', namespace, NAMESPACE, 'must be 1-255 characters, without ":" or a leading "$"');
    if (props.alarmNamePrefix !== undefined) {
      validatePattern('alarmNamePrefix', props.alarmNamePrefix, /^[^\s][\x20-\x7e]{0,199}$/,
        'must be 1-200 printable ASCII characters, not starting with a space');
    }

    this.topic = props.topic ?? this.createTopic();
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
      const alarm = new cloudwatch.Alarm(this, `${d.id}Alarm`, {
        alarmName: props.alarmNamePrefix !== undefined ? `${props.alarmNamePrefix}${d.id}` : undefined,
        alarmDescription: d.ruleDescription,
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        actionsEnabled: true,
      });
      alarm.addAlarmAction(action);
      this.metricFilters.push(filter);
      this.alarms.push(alarm);
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

  private createTopic(): sns.ITopic {
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the CIS alarms topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyManualGrants(key);
    return new sns.Topic(this, 'Topic', { displayName: 'CIS benchmark alarms', masterKey: key, enforceSSL: true });
  }

  private allowAlarmsToPublish(topic: sns.ITopic): void {
    const stack = Stack.of(this);
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const principal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const added = topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCisAlarmsToPublish',
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions,
    }));
    topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCisAlarmsToEncrypt',
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions,
    }));
    if (!added.statementAdded) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:alarmTopicPolicy',
        'the alarms topic is imported: make sure its policy (and its key\'s, if encrypted) lets ' +
        'cloudwatch.amazonaws.com publish for the alarms of this account');
    }
  }
}
