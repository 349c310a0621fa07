import { Annotations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { failureAlarm } from '../../private/alert-health';
import { allowAlarmsToPublish, encryptedAlertTopic } from '../../private/alert-topic';

/** The metrics of the alert path that SecurityAlerts alarms on. */
export interface AlertsHealthMetrics {
  /** The given topic, or undefined for a new one. */
  readonly topic?: sns.ITopic;
  /** The name of the new topic. */
  readonly topicName?: string;
  /** The prefix of the alarms' names; the detection id (or `dead-letter-messages`, `failed-notifications`) follows. */
  readonly alarmNamePrefix?: string;
  readonly failedInvocations: ReadonlyArray<{ readonly detectionId: string; readonly metric: cloudwatch.IMetric }>;
  readonly deadLetterMessages: cloudwatch.IMetric;
  readonly failedNotifications: cloudwatch.IMetric;
}

/**
 * The health alarms of SecurityAlerts, under a `Health` scope.
 *
 * One alarm per rule rather than one Metrics Insights alarm over all of them: a query over the bus would,
 * on the default bus, also count every other rule of the account, whose failures are not ours to report;
 * a per-rule alarm names the detection that went blind, needs no query language, and costs a few cents a
 * month.
 */
export function createAlertsHealthAlarms(scope: Construct, metrics: AlertsHealthMetrics): { topic: sns.ITopic; alarms: cloudwatch.Alarm[] } {
  const health = new Construct(scope, 'Health');
  const topic = metrics.topic ?? encryptedAlertTopic(health, 'Topic', 'TopicKey', 'Security alerts health', metrics.topicName);
  if (!allowAlarmsToPublish(health, topic, 'AllowHealthAlarms')) {
    Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:detection:healthTopicPolicy',
      'the health topic is imported: make sure its policy (and its key\'s, if encrypted) lets ' +
      'cloudwatch.amazonaws.com publish for the alarms of this account');
  }
  const action = new cloudwatchActions.SnsAction(topic);
  const named = (suffix: string) => metrics.alarmNamePrefix === undefined ? undefined : `${metrics.alarmNamePrefix}${suffix}`;
  const alarms = metrics.failedInvocations.map(({ detectionId, metric }) => failureAlarm(health, `${detectionId}FailedInvocations`, {
    alarmName: named(`${detectionId}-failed-invocations`),
    metric,
    description: `The rule of ${detectionId} failed to deliver alerts to a target after all retries`,
    action,
  }));
  alarms.push(failureAlarm(health, 'DeadLetterMessages', {
    alarmName: named('dead-letter-messages'),
    metric: metrics.deadLetterMessages,
    description: 'Alerts are waiting in the dead-letter queue: they never reached the alerts topic or a target',
    action,
  }));
  alarms.push(failureAlarm(health, 'FailedNotifications', {
    alarmName: named('failed-notifications'),
    metric: metrics.failedNotifications,
    description: 'The alerts topic failed to deliver notifications to a subscriber',
    action,
  }));
  return { topic, alarms };
}
