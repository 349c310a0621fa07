import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Json, OrganizationScope } from './organization-scope';

const SECURITY_TEAM_EMAIL = 'security-team@example.com';

/** A rotating, retained key with the statements the library writes for its service principal. */
export function rotatingKey(stack: Stack, id: string, key: { description: string; statements: Json[] }): kms.Key {
  const result = new kms.Key(stack, id, { description: key.description, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  for (const statement of key.statements) result.addToResourcePolicy(iam.PolicyStatement.fromJson(statement));
  return result;
}

export function keyOf(scope: OrganizationScope, stack: Stack, description: RegExp) {
  return scope.keys[stack.stackName].find(k => description.test(k.description))!;
}

/** An alarm that fires on the first failure in 5 minutes and stays quiet while the metric is missing. */
function failureAlarm(stack: Stack, id: string, props: { alarmName?: string; description: string; metric: cloudwatch.IMetric }) {
  return new cloudwatch.Alarm(stack, id, {
    alarmName: props.alarmName,
    alarmDescription: props.description,
    metric: props.metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

function metric(namespace: string, metricName: string, dimensionsMap: { [name: string]: string }, statistic = cloudwatch.Stats.SUM) {
  return new cloudwatch.Metric({ namespace, metricName, dimensionsMap, statistic, period: Duration.minutes(5) });
}

/**
 * The forwarding rule of one account and region: a named role EventBridge may assume only for this rule,
 * a managed policy that allows PutEvents on the central bus, a dead-letter queue and two health alarms.
 * `busArn` is a literal ARN in the management account and a StackSet parameter in the member template.
 */
export function forwardingRule(stack: Stack, scope: OrganizationScope, busArn: string): void {
  const f = scope.forwarding;
  const role = new iam.Role(stack, 'ForwardingRole', {
    roleName: `cloudtrail-governance-forwarding-${stack.region}`,
    description: f.roleDescription,
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnEquals: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: f.ruleName }) },
    }),
  });
  new iam.ManagedPolicy(stack, 'ForwardingPutEventsPolicy', {
    description: f.policyDescription,
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [busArn] })],
  });
  const queue = new sqs.Queue(stack, 'ForwardingDeadLetterQueue', {
    queueName: f.queueName,
    retentionPeriod: Duration.days(14),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const rule = new events.Rule(stack, 'ForwardingRule', {
    ruleName: f.ruleName,
    description: f.description,
    eventPattern: f.pattern as events.EventPattern,
  });
  (rule.node.defaultChild as events.CfnRule).state = f.state;
  // The role's policy is the managed one above: the target must not add an inline policy to it.
  rule.addTarget(new targets.EventBus(events.EventBus.fromEventBusArn(stack, 'CentralBus', busArn), {
    role: role.withoutPolicyUpdates(),
    deadLetterQueue: queue,
  }));
  for (const { id, properties: a } of f.alarms) {
    failureAlarm(stack, id, {
      alarmName: a.AlarmName,
      description: a.AlarmDescription,
      metric: a.Namespace === 'AWS/SQS'
        ? metric(a.Namespace, a.MetricName, { QueueName: f.queueName }, cloudwatch.Stats.MAXIMUM)
        : metric(a.Namespace, a.MetricName, { RuleName: f.ruleName }),
    });
  }
}

/**
 * Alerts on the central bus: one rule per detection publishing a text to an encrypted topic, with retries
 * and a dead-letter queue; a health topic with an alarm per rule. The topic and queue take one statement
 * each naming every rule (what `targets.SnsTopic` would add is an unconditioned grant to EventBridge and a
 * statement per rule), so the targets are plain `IRuleTarget`s.
 */
export function securityStack(stack: Stack, scope: OrganizationScope): void {
  const bus = new events.EventBus(stack, 'DetectionBus', { eventBusName: 'security-detections', description: scope.busDescription });
  bus.addToResourcePolicy(iam.PolicyStatement.fromJson({ ...scope.busStatement, Resource: bus.eventBusArn }));

  const alertsKey = rotatingKey(stack, 'AlertsKey', keyOf(scope, stack, /alerts topic/));
  const alerts = new sns.Topic(stack, 'AlertsTopic', {
    topicName: 'security-alerts', displayName: scope.topicDisplayNames.alerts, masterKey: alertsKey, enforceSSL: true,
  });
  alerts.addSubscription(new subscriptions.EmailSubscription(SECURITY_TEAM_EMAIL));
  const queueKey = rotatingKey(stack, 'DeadLetterQueueKey', keyOf(scope, stack, /dead-letter queue/));
  const queue = new sqs.Queue(stack, 'AlertsDeadLetterQueue', {
    queueName: scope.deadLetterQueueName,
    retentionPeriod: Duration.days(14),
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: queueKey,
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const healthKey = rotatingKey(stack, 'HealthTopicKey', keyOf(scope, stack, /health topic/));
  const health = new sns.Topic(stack, 'HealthTopic', { displayName: scope.topicDisplayNames.health, masterKey: healthKey, enforceSSL: true });
  health.addToResourcePolicy(iam.PolicyStatement.fromJson({ ...scope.topicStatements.health, Resource: health.topicArn }));
  health.addSubscription(new subscriptions.EmailSubscription(SECURITY_TEAM_EMAIL));
  const healthAction = new cwActions.SnsAction(health);

  const rules: events.Rule[] = [];
  scope.alertRules.forEach((r, i) => {
    const rule = new events.Rule(stack, `Alert${i}`, {
      eventBus: bus,
      ruleName: r.ruleName,
      description: r.description,
      eventPattern: r.pattern as events.EventPattern,
    });
    (rule.node.defaultChild as events.CfnRule).state = r.state;
    const text = r.text.map(part => (typeof part === 'string' ? part : events.EventField.fromPath(part.path))).join('');
    rule.addTarget({
      bind: () => ({
        arn: alerts.topicArn,
        input: events.RuleTargetInput.fromText(text),
        targetResource: alerts,
        deadLetterConfig: { arn: queue.queueArn },
        retryPolicy: { maximumRetryAttempts: r.retryAttempts, maximumEventAgeInSeconds: r.maxEventAgeSeconds },
      }),
    });
    rules.push(rule);
    failureAlarm(stack, `Alert${i}FailedInvocations`, {
      description: r.failedAlarmDescription,
      metric: metric('AWS/Events', 'FailedInvocations', { EventBusName: bus.eventBusName, RuleName: rule.ruleName }),
    }).addAlarmAction(healthAction);
  });
  const fromRules = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnEquals: { 'aws:SourceArn': rules.map(rule => rule.ruleArn) },
  };
  alerts.addToResourcePolicy(new iam.PolicyStatement({
    sid: scope.topicStatements.alerts.Sid,
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [alerts.topicArn],
    conditions: fromRules,
  }));
  queue.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowAlertRulesToDeadLetter',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [queue.queueArn],
    conditions: fromRules,
  }));
  failureAlarm(stack, 'DeadLetterMessages', {
    description: scope.healthAlarms.deadLetters,
    metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5) }),
  }).addAlarmAction(healthAction);
  failureAlarm(stack, 'FailedNotifications', {
    description: scope.healthAlarms.failedNotifications,
    metric: alerts.metricNumberOfNotificationsFailed({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
  }).addAlarmAction(healthAction);
}
