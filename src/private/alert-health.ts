import { Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';

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

/**
 * cdk-nag's NIST/HIPAA CloudWatchAlarmAction and Control Tower's CT.CLOUDWATCH.PR.1 want every alarm to
 * have an action. A forwarding health alarm in a member account has none on purpose: an alarm can only
 * notify a topic of its own account, and what reports it is its state-change event, which EventBridge
 * carries to the central detection bus.
 */
export function acknowledgeAlarmWithoutAction(alarm: IConstruct): void {
  const reason = 'Reported through its "CloudWatch Alarm State Change" event, which the forwarding rule carries to ' +
    'the central detection bus; an alarm action could only notify a topic of this account, where nobody listens.';
  Validations.of(alarm).acknowledge(
    { id: 'NIST.800.53.R5-CloudWatchAlarmAction', reason },
    { id: 'HIPAA.Security-CloudWatchAlarmAction', reason },
    // Control Tower CT.CLOUDWATCH.PR.1, as the cfn-guard validation plugin names it.
    { id: 'cdk-validator-cfnguard::cloudwatch_alarm_action_check', reason },
  );
}
