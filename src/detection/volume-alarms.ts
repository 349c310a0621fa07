import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { VolumeDetection } from './volume-detection';
import { validateCustomerManagedKey } from '../private/secure';
import { fail, validateNonEmpty, validateUnique } from '../private/validation';

/**
 * Properties of VolumeAlarms.
 */
export interface VolumeAlarmsProps {
  /**
   * The log group the trail delivers to. For an organization trail it is in the management account and holds
   * every member account's records, which no member can switch off.
   */
  readonly logGroup: logs.ILogGroup;

  /**
   * The volume detections to count.
   *
   * @default VolumeDetection.managementEventDetections()
   */
  readonly detections?: VolumeDetection[];

  /**
   * The period the records are counted over (1 to 60 minutes).
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * The topic alarm notifications go to. A topic encrypted with an AWS managed key (`alias/aws/sns`) is
   * refused: its policy cannot admit CloudWatch.
   *
   * @default - no alarm action; subscribe with `alarms`
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * Volume detections without Lambda: one CloudWatch Contributor Insights rule per detection on the trail's log
 * group, counting matching records per principal (`userIdentity.arn`), and one alarm on the top contributor's
 * count (`INSIGHT_RULE_METRIC(rule, "MaxContributorValue")`). Missing data is not breaching: no matching records
 * is the normal case.
 *
 * Contributor Insights bills per rule and per matched log event; the rules only match the records their filters
 * select.
 */
export class VolumeAlarms extends Construct {
  /** The Contributor Insights rules, in the order of the detections. */
  public readonly rules: cloudwatch.CfnInsightRule[];

  /** The alarms, in the order of the detections. */
  public readonly alarms: cloudwatch.Alarm[];

  /** The detections counted. */
  public readonly detections: VolumeDetection[];

  constructor(scope: Construct, id: string, props: VolumeAlarmsProps) {
    super(scope, id);
    this.detections = [...props.detections ?? VolumeDetection.managementEventDetections()];
    validateNonEmpty(this, 'detections', this.detections);
    for (const d of this.detections) if (!(d instanceof VolumeDetection)) fail(this, 'detections', String(d), 'must contain VolumeDetection objects');
    validateUnique(this, 'detections', this.detections, d => d.id);
    const period = props.period ?? Duration.minutes(5);
    if (!Token.isUnresolved(period.toSeconds())) {
      const minutes = period.toSeconds() / 60;
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
        fail(this, 'period', period.toHumanString(), 'must be a whole number of minutes from 1 to 60');
      }
    }
    validateCustomerManagedKey(this, 'alarmTopic.masterKey', props.alarmTopic?.masterKey, 'CloudWatch, whose alarms notify the topic,');

    const prefix = Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
    this.rules = [];
    this.alarms = [];
    for (const detection of this.detections) {
      const ruleName = `${prefix}-${detection.id}`;
      const rule = new cloudwatch.CfnInsightRule(this, `${detection.id}Rule`, {
        ruleName,
        ruleState: 'ENABLED',
        ruleBody: Stack.of(this).toJsonString(detection.ruleBody(props.logGroup.logGroupName)),
      });
      const alarm = new cloudwatch.Alarm(this, `${detection.id}Alarm`, {
        alarmDescription: `[${detection.id}] ${detection.title} (${detection.severity}): more than ` +
          `${detection.threshold} matching records by one principal in ${period.toHumanString()}. ` +
          `The rule ${ruleName} in CloudWatch Contributor Insights names the principal.`,
        metric: new cloudwatch.MathExpression({
          expression: `INSIGHT_RULE_METRIC('${ruleName}', 'MaxContributorValue')`,
          usingMetrics: {},
          period,
          label: `${detection.id} top principal`,
        }),
        threshold: detection.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.node.addDependency(rule);
      if (props.alarmTopic) alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.rules.push(rule);
      this.alarms.push(alarm);
    }
  }
}
