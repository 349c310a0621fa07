import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * `AWS/Logs` `IncomingLogEvents` of one log group, summed. Not `ILogGroup.metricIncomingLogEvents`: it names the
 * metric "IncomingLogs" and sets no `LogGroupName` dimension, so an alarm on it would watch a metric CloudWatch
 * Logs never publishes.
 */
export function incomingLogEventsMetric(logGroup: logs.ILogGroup, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Logs',
    metricName: 'IncomingLogEvents',
    dimensionsMap: { LogGroupName: logGroup.logGroupName },
    statistic: cloudwatch.Stats.SUM,
    ...props,
  });
}
