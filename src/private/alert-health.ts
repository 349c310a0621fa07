import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/** What a health alarm watches and says. */
export interface FailureAlarmProps {
  /** A count of failures (Sum per period). */
  readonly metric: cloudwatch.IMetric;
  readonly description: string;
  /** @default - CloudFormation generates the name */
  readonly alarmName?: string;
  /** @default - no action */
  readonly action?: cloudwatch.IAlarmAction;
}

/**
 * An alarm that fires on the first failure in a period. Missing data is not breaching: the failure
 * metrics of EventBridge and SNS are only published when there is something to count, and an idle queue
 * stops reporting its depth; the deletion of the resources they describe is a CloudTrail event that the
 * pipeline-tampering detection reports instead.
 */
export function failureAlarm(scope: Construct, id: string, props: FailureAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: props.description,
    metric: props.metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  if (props.action) alarm.addAlarmAction(props.action);
  return alarm;
}
