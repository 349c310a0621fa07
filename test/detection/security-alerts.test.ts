import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { renderInput } from './input-transformer';
import { Detection } from '../../src/detection/detection';
import { SecurityAlerts, SecurityAlertsProps } from '../../src/detection/security-alerts';

const ACCOUNT = '111122223333';

function synth(props: SecurityAlertsProps = {}, region = 'us-east-1', extra?: (stack: Stack, alerts: SecurityAlerts) => void) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region } });
  const alerts = new SecurityAlerts(stack, 'Alerts', props);
  extra?.(stack, alerts);
  return { stack, alerts, template: Template.fromStack(stack) };
}

/** The logical id of the one resource of a type whose id starts with the prefix. */
function idOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter(id => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}, found ${ids.join(', ')}`);
  return ids[0];
}

/** An ARN in the stack's partition, as CloudFormation sees it. */
function arn(rest: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

function rulesOf(template: Template): Array<{ id: string; props: { [key: string]: any } }> {
  return Object.entries(template.findResources('AWS::Events::Rule')).map(([id, r]) => ({ id, props: (r as any).Properties }));
}

describe('default SecurityAlerts', () => {
  let template: Template;
  let alerts: SecurityAlerts;
  beforeAll(() => ({ template, alerts } = synth()));

  test('one rule per detection, described "[id] title", with the detection\'s pattern', () => {
    const rules = rulesOf(template);
    expect(rules).toHaveLength(Detection.defaultTier().length);
    for (const d of Detection.defaultTier()) {
      const rule = rules.find(r => r.props.Description === `[${d.id}] ${d.title}`);
      expect(rule?.props.EventPattern).toEqual(d.eventPattern);
      expect(rule?.props.EventBusName).toBeUndefined();
    }
  });

  test('rules of reads also receive read-only management events; the others do not', () => {
    const states = Object.fromEntries(rulesOf(template).map(r => [r.props.Description.split(']')[0].slice(1), r.props.State]));
    expect(states['CIS-4.1']).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(states['CIS-4.3']).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(states['CIS-4.4']).toBe('ENABLED');
    expect(states['CLOUDTRAIL-TAMPERING']).toBe('ENABLED');
  });

  test('every target publishes to the topic with a retry policy and the dead-letter queue', () => {
    const topicId = idOf(template, 'AWS::SNS::Topic', 'AlertsTopic');
    const queueId = idOf(template, 'AWS::SQS::Queue', 'AlertsDeadLetterQueue');
    for (const rule of rulesOf(template)) {
      expect(rule.props.Targets).toHaveLength(1);
      const [target] = rule.props.Targets;
      expect(target.Arn).toEqual({ Ref: topicId });
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    }
  });

  test('alerts say who, what, where, when, source IP, event id and detection id', () => {
    const rule = rulesOf(template).find(r => r.props.Description.startsWith('[CIS-4.3]'))!;
    const transformer = rule.props.Targets[0].InputTransformer;
    const paths = Object.values(transformer.InputPathsMap);
    expect(paths).toEqual(expect.arrayContaining(['$.detail.userIdentity.arn', '$.detail.eventName', '$.detail.eventSource',
      '$.account', '$.region', '$.time', '$.detail.sourceIPAddress', '$.detail.eventID']));
    // The message format itself is tested in alert-message.test.ts.
    const alert = JSON.parse(renderInput(transformer, {
      account: ACCOUNT,
      region: 'us-east-1',
      time: '2024-05-02T09:12:31Z',
      detail: { userIdentity: { arn: `arn:aws:iam::${ACCOUNT}:root` }, sourceIPAddress: '198.51.100.7', eventID: 'e-1' },
    }));
    expect(alert).toEqual(expect.objectContaining({
      alert: '[CIS-4.3] Root account usage (CRITICAL)',
      detection: 'CIS-4.3',
      who: `arn:aws:iam::${ACCOUNT}:root`,
      account: ACCOUNT,
      sourceIp: '198.51.100.7',
      eventId: 'e-1',
    }));
  });

  test('Insights alerts describe the insight', () => {
    const rule = rulesOf(template).find(r => r.props.Description.startsWith('[CLOUDTRAIL-INSIGHT]'))!;
    const paths = Object.values(rule.props.Targets[0].InputTransformer.InputPathsMap);
    expect(paths).toEqual(expect.arrayContaining(['$.detail.insightDetails.insightType', '$.detail.insightDetails.eventName']));
    expect(paths).not.toContain('$.detail.userIdentity.arn');
  });

  test('the topic is encrypted with a rotating customer managed key that is retained', () => {
    const keyId = idOf(template, 'AWS::KMS::Key', 'AlertsKey');
    const topic = template.toJSON().Resources[idOf(template, 'AWS::SNS::Topic', 'AlertsTopic')];
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const key = template.toJSON().Resources[keyId];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });

  test('the key lets EventBridge encrypt for this account\'s topics only and denies grants for anything but AWS services', () => {
    const statements = template.toJSON().Resources[idOf(template, 'AWS::KMS::Key', 'AlertsKey')].Properties.KeyPolicy.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      {
        Sid: 'AllowEventBridgeToEncryptAlerts',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': arn(`:sns:us-east-1:${ACCOUNT}:*`) } },
      },
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'kms:CreateGrant',
        Principal: { AWS: '*' },
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    ]));
  });

  test('only these rules of this account may publish to the topic', () => {
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy')) as any[];
    const allows = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(allows[0].Action).toBe('sns:Publish');
    expect(allows[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    const ruleIds = rulesOf(template).map(r => r.id).sort();
    expect(allows[0].Condition.ArnEquals['aws:SourceArn'].map((a: any) => a['Fn::GetAtt'][0]).sort()).toEqual(ruleIds);
    expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]));
  });

  test('the dead-letter queue is encrypted, TLS-only, kept 14 days, retained, and only the rules may send to it', () => {
    const keyId = idOf(template, 'AWS::KMS::Key', 'AlertsDeadLetterQueueKey');
    template.hasResource('AWS::SQS::Queue', {
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, MessageRetentionPeriod: 1209600 },
      DeletionPolicy: 'Retain',
    });
    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as any[];
    const statements = policy.Properties.PolicyDocument.Statement;
    const allow = statements.find((s: any) => s.Effect === 'Allow');
    expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(allow.Action).toBe('sqs:SendMessage');
    expect(allow.Condition.ArnEquals['aws:SourceArn']).toHaveLength(Detection.defaultTier().length);
    expect(allow.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]));
  });

  test('ruleFor returns the rule of a detection', () => {
    expect(alerts.ruleFor('CIS-4.3')).toBe(alerts.rules[2]);
    expect(() => alerts.ruleFor('CIS-9.9')).toThrow(/detectionId "CIS-9.9" must be one of CIS-4.1, /);
  });
});

describe('options', () => {
  test('runs on a given event bus', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'security-detections' });
    new SecurityAlerts(stack, 'Alerts', { eventBus: bus, detections: [Detection.CIS_4_3] });
    expect(rulesOf(Template.fromStack(stack))[0].props.EventBusName).toEqual({ Ref: expect.stringMatching(/^Bus/) });
  });

  test('retry policy can be tuned and is validated', () => {
    const { template } = synth({ detections: [Detection.CIS_4_5], retryAttempts: 10, maxEventAge: Duration.hours(2) });
    expect(rulesOf(template)[0].props.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 7200 });
    expect(() => synth({ retryAttempts: 186 })).toThrow(/retryAttempts 186 must be an integer between 0 and 185/);
    expect(() => synth({ maxEventAge: Duration.seconds(30) })).toThrow(/maxEventAge "30 seconds" must be between 1 minute and 24 hours/);
    expect(() => synth({ maxEventAge: Duration.hours(25) })).toThrow(/must be between 1 minute and 24 hours/);
  });

  test('detections must be a non-empty list of distinct detections', () => {
    expect(() => synth({ detections: [] })).toThrow(/detections must not be empty/);
    expect(() => synth({ detections: [Detection.CIS_4_3, Detection.ROOT_ACTIVITY] }))
      .toThrow(/detections "CIS-4.3" must not contain the same detection id twice/);
  });

  test('given topics and queue: no key is created', () => {
    const { template, alerts } = synth({ detections: [Detection.CIS_4_5] });
    expect(alerts.encryptionKey).toBeDefined();
    expect(alerts.deadLetterQueueKey).toBeDefined();
    // The topic's, the dead-letter queue's and the health topic's.
    template.resourceCountIs('AWS::KMS::Key', 3);
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const own = new SecurityAlerts(stack, 'Own', { detections: [Detection.CIS_4_5] });
    const reuse = new SecurityAlerts(stack, 'Reuse', {
      detections: [Detection.CIS_4_7], topic: own.topic, deadLetterQueue: own.deadLetterQueue, healthTopic: own.healthTopic,
    });
    expect(reuse.encryptionKey).toBeUndefined();
    expect(reuse.deadLetterQueueKey).toBeUndefined();
    expect(reuse.topic).toBe(own.topic);
    expect(reuse.healthTopic).toBe(own.healthTopic);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 3);
  });
});

describe('dead-letter queue key', () => {
  const { template, alerts } = synth();

  test('the dead-letter queue has a rotating, retained key of its own, never the topic\'s', () => {
    const resources = template.toJSON().Resources;
    const topicKey = idOf(template, 'AWS::KMS::Key', 'AlertsKey');
    const queueKey = idOf(template, 'AWS::KMS::Key', 'AlertsDeadLetterQueueKey');
    expect(queueKey).not.toBe(topicKey);
    expect(resources[idOf(template, 'AWS::SQS::Queue', 'AlertsDeadLetterQueue')].Properties.KmsMasterKeyId)
      .toEqual({ 'Fn::GetAtt': [queueKey, 'Arn'] });
    expect(resources[queueKey].Properties.EnableKeyRotation).toBe(true);
    expect(resources[queueKey].DeletionPolicy).toBe('Retain');
    expect(alerts.deadLetterQueueKey).toBeDefined();
  });

  test('EventBridge may use the queue key only for this queue (its fixed name as encryption context)', () => {
    const resources = template.toJSON().Resources;
    const queue = resources[idOf(template, 'AWS::SQS::Queue', 'AlertsDeadLetterQueue')];
    expect(queue.Properties.QueueName).toMatch(/^Stack-Alerts-[0-9A-F]{8}-dlq$/);
    const statement = resources[idOf(template, 'AWS::KMS::Key', 'AlertsDeadLetterQueueKey')].Properties.KeyPolicy.Statement
      .find((st: any) => st.Sid === 'AllowEventBridgeToEncryptDeadLetters');
    expect(statement).toEqual({
      Sid: 'AllowEventBridgeToEncryptDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': arn(`:sqs:us-east-1:${ACCOUNT}:${queue.Properties.QueueName}`) } },
    });
  });
});

describe('health alarms', () => {
  const { template, alerts, stack } = synth();
  const alarms = () => Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([id, a]) => ({ id, props: (a as any).Properties }));

  test('every rule has a fixed, unique name', () => {
    const names = rulesOf(template).map(r => r.props.Name);
    expect(names.every(n => typeof n === 'string' && /^[.\-_A-Za-z0-9]{1,64}$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(Detection.defaultTier().length);
  });

  test('one alarm per rule on its failed invocations, dimension RuleName = the rule\'s name', () => {
    const healthTopic = idOf(template, 'AWS::SNS::Topic', 'AlertsHealthTopic');
    const failed = alarms().filter(a => a.props.MetricName === 'FailedInvocations');
    expect(failed).toHaveLength(Detection.defaultTier().length);
    expect(failed.map(a => a.props.Dimensions[0].Value).sort()).toEqual(rulesOf(template).map(r => r.props.Name).sort());
    for (const alarm of failed) {
      expect(alarm.props).toMatchObject({
        Namespace: 'AWS/Events',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: healthTopic }],
      });
      expect(alarm.props.Dimensions).toEqual([{ Name: 'RuleName', Value: expect.any(String) }]);
    }
  });

  test('alarms on the dead-letter queue\'s depth and the topic\'s failed notifications notify the health topic', () => {
    const healthTopic = idOf(template, 'AWS::SNS::Topic', 'AlertsHealthTopic');
    const queueName = { 'Fn::GetAtt': [idOf(template, 'AWS::SQS::Queue', 'AlertsDeadLetterQueue'), 'QueueName'] };
    expect(alarms().find(a => a.props.MetricName === 'ApproximateNumberOfMessagesVisible')?.props).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'QueueName', Value: queueName }],
      AlarmActions: [{ Ref: healthTopic }],
    });
    expect(alarms().find(a => a.props.MetricName === 'NumberOfNotificationsFailed')?.props).toMatchObject({
      Namespace: 'AWS/SNS',
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [idOf(template, 'AWS::SNS::Topic', 'AlertsTopic'), 'TopicName'] } }],
      AlarmActions: [{ Ref: healthTopic }],
    });
    expect(alerts.healthAlarms).toHaveLength(Detection.defaultTier().length + 2);
  });

  test('the health topic has a key of its own and lets only this account\'s CloudWatch alarms publish', () => {
    const healthTopic = template.toJSON().Resources[idOf(template, 'AWS::SNS::Topic', 'AlertsHealthTopic')];
    const healthKey = idOf(template, 'AWS::KMS::Key', 'AlertsHealthTopicKey');
    expect(healthTopic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [healthKey, 'Arn'] });
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')) as any[];
    const health = policies.find(p => p.Properties.Topics[0].Ref === idOf(template, 'AWS::SNS::Topic', 'AlertsHealthTopic'));
    expect(health.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
      Sid: 'AllowHealthAlarmsToPublish',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: {
        ArnLike: { 'aws:SourceArn': arn(`:cloudwatch:us-east-1:${ACCOUNT}:alarm:*`) },
      },
    })]));
    expect(alerts.healthTopic).toBeDefined();
    expect(stack.resolve(alerts.healthTopic!.topicArn)).toEqual({ Ref: idOf(template, 'AWS::SNS::Topic', 'AlertsHealthTopic') });
  });

  test('metric methods name the rule, queue and topic', () => {
    const cis43 = stack.resolve(alerts.metricFailedInvocations('CIS-4.3').dimensions);
    const rule = template.toJSON().Resources[stack.getLogicalId(alerts.ruleFor('CIS-4.3').node.defaultChild as events.CfnRule)];
    expect(cis43).toEqual({ RuleName: rule.Properties.Name });
    expect(alerts.metricFailedInvocations('CIS-4.3', { period: Duration.hours(1) }).period.toMinutes()).toBe(60);
    expect(() => alerts.metricFailedInvocations('NOPE')).toThrow(/detectionId "NOPE" must be one of/);
    expect(alerts.metricDeadLetterMessages().metricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(alerts.metricFailedNotifications().metricName).toBe('NumberOfNotificationsFailed');
  });

  test('on a custom bus, the failed-invocations metric also names the bus', () => {
    const app = new App();
    const busStack = new Stack(app, 'S', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const bus = new events.EventBus(busStack, 'Bus', { eventBusName: 'security-detections' });
    const onBus = new SecurityAlerts(busStack, 'Alerts', { eventBus: bus, detections: [Detection.CIS_4_3] });
    expect(busStack.resolve(onBus.metricFailedInvocations('CIS-4.3').dimensions)).toEqual({
      EventBusName: { Ref: busStack.getLogicalId(bus.node.defaultChild as events.CfnEventBus) },
      RuleName: expect.stringMatching(/CIS-4.3/),
    });
  });

  test('the health topic must not be the alerts topic', () => {
    const app = new App();
    const s2 = new Stack(app, 'S', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const own = new SecurityAlerts(s2, 'Own', { detections: [Detection.CIS_4_5] });
    expect(() => new SecurityAlerts(s2, 'Same', { detections: [Detection.CIS_4_7], topic: own.topic, healthTopic: own.topic }))
      .toThrow(/healthTopic "S\/Own\/Topic" must not be the alerts topic/);
  });

  test('can be turned off, with a warning, or sent to a given topic', () => {
    const off = synth({ detections: [Detection.CIS_4_3], healthAlarms: false });
    off.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(off.alerts.healthTopic).toBeUndefined();
    expect(off.alerts.healthAlarms).toEqual([]);
    Annotations.fromStack(off.stack).hasWarning('/Stack/Alerts', Match.stringLikeRegexp('healthAlarms is false'));
    const given = synth({ detections: [Detection.CIS_4_3] });
    given.template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    Annotations.fromStack(given.stack).hasNoWarning('*', Match.stringLikeRegexp('healthAlarms'));
    const app = new App();
    const s2 = new Stack(app, 'S', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const oncall = new sns.Topic(s2, 'Oncall');
    const withTopic = new SecurityAlerts(s2, 'Alerts', { detections: [Detection.CIS_4_3], healthTopic: oncall });
    expect(withTopic.healthTopic).toBe(oncall);
    const t = Template.fromStack(s2);
    expect(Object.keys(t.findResources('AWS::KMS::Key')).some(id => id.startsWith('AlertsHealth'))).toBe(false);
    for (const alarm of Object.values(t.findResources('AWS::CloudWatch::Alarm')) as any[]) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: idOf(t, 'AWS::SNS::Topic', 'Oncall') }]);
    }
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: idOf(t, 'AWS::SNS::Topic', 'Oncall') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowHealthAlarmsToPublish' })]) },
    });
  });
});

describe('addTarget', () => {
  test('user targets get the retry policy and dead-letter queue unless they bring their own', () => {
    const { template } = synth({ detections: [Detection.CIS_4_5, Detection.CIS_4_7] }, 'us-east-1', (stack, alerts) => {
      alerts.addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'Plain')));
      const own = new sqs.Queue(stack, 'OwnDlq');
      alerts.addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'WithOwnDlq'), { deadLetterQueue: own, retryAttempts: 3 }));
      alerts.addTarget(new targets.EventBus(events.EventBus.fromEventBusArn(stack, 'Other',
        'arn:aws:events:us-east-1:444455556666:event-bus/elsewhere')));
    });
    const alertsDlq = { Arn: { 'Fn::GetAtt': [idOf(template, 'AWS::SQS::Queue', 'AlertsDeadLetterQueue'), 'Arn'] } };
    for (const rule of rulesOf(template)) {
      const [, plain, withOwn, bus] = rule.props.Targets;
      expect(plain.DeadLetterConfig).toEqual(alertsDlq);
      expect(plain.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
      expect(withOwn.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [idOf(template, 'AWS::SQS::Queue', 'OwnDlq'), 'Arn'] } });
      expect(withOwn.RetryPolicy).toEqual({ MaximumRetryAttempts: 3 });
      expect(bus.DeadLetterConfig).toEqual(alertsDlq);
      expect(bus.RetryPolicy).toBeUndefined();
    }
  });
});

describe('global-service warning', () => {
  const WARNING = /CIS-4.2, CIS-4.4, CIS-4.6, CIS-4.15, ACCOUNT-LEFT-ORGANIZATION, IAM-ACCESS-KEY-FOR-OTHER-USER, .* detect events of global services .* receives in us-east-1 only/;

  test('warns on the default bus outside us-east-1', () => {
    const { stack } = synth({}, 'eu-west-1');
    Annotations.fromStack(stack).hasWarning('/Stack/Alerts', Match.stringLikeRegexp(WARNING.source));
  });

  test('does not warn in us-east-1, on another bus, when forwarded, or without global detections', () => {
    const quiet = [
      synth({}, 'us-east-1').stack,
      synth({ globalServiceEventsForwarded: true }, 'eu-west-1').stack,
      synth({ detections: [Detection.CIS_4_3, Detection.CIS_4_10] }, 'eu-west-1').stack,
    ];
    const app = new App();
    const onBus = new Stack(app, 'OnBus', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new SecurityAlerts(onBus, 'Alerts', { eventBus: new events.EventBus(onBus, 'Bus') });
    const agnostic = new Stack(new App(), 'Agnostic');
    new SecurityAlerts(agnostic, 'Alerts');
    for (const stack of [...quiet, onBus, agnostic]) {
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('global services'));
    }
  });

  test('names the global-service region of the partition', () => {
    const { stack } = synth({ detections: [Detection.CIS_4_4] }, 'us-gov-east-1');
    Annotations.fromStack(stack).hasWarning('/Stack/Alerts', Match.stringLikeRegexp('receives in us-gov-west-1 only'));
  });
});

describe('healthTopicName', () => {
  test('names the health topic this construct creates, so guardrails and detections can name it', () => {
    const { template } = synth({ topicName: 'security-alerts', healthTopicName: 'security-alerts-health' });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'security-alerts-health', DisplayName: 'Security alerts health' });
  });

  test.each<[SecurityAlertsProps, RegExp]>([
    [{ healthTopicName: 'bad name' }, /^Stack\/Alerts: healthTopicName "bad name" must be 1-256 letters, digits, "_" or "-"/],
    [{ topicName: 'same', healthTopicName: 'same' }, /^Stack\/Alerts: healthTopicName "same" must differ from topicName/],
  ])('refuses %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('is refused with a given health topic', () => {
    expect(() => synth({ healthTopicName: 'x' }, 'us-east-1', undefined)).not.toThrow();
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const healthTopic = new sns.Topic(stack, 'Health');
    expect(() => new SecurityAlerts(stack, 'Alerts', { healthTopic, healthTopicName: 'x' }))
      .toThrow(/healthTopicName "x" must not be set together with healthTopic/);
  });
});

describe('healthAlarmNamePrefix', () => {
  test('names every health alarm under the prefix, so guardrails and detections can name them', () => {
    const { template } = synth({ detections: [Detection.CIS_4_3], healthAlarmNamePrefix: 'org-alerts-' });
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.AlarmName).sort();
    expect(names).toEqual(['org-alerts-CIS-4.3-failed-invocations', 'org-alerts-dead-letter-messages', 'org-alerts-failed-notifications']);
  });

  test.each(['', ' lead', 'a*', 'b?'])('refuses %j', (prefix) => {
    expect(() => synth({ healthAlarmNamePrefix: prefix })).toThrow(/^Stack\/Alerts: healthAlarmNamePrefix ".*" must be 1-151 printable ASCII characters without "\*" or "\?"/);
  });

  test('two SecurityAlerts of one account and region cannot share a prefix', () => {
    expect(() => synth({ healthAlarmNamePrefix: 'org-alerts-' }, 'us-east-1', (stack) => {
      new SecurityAlerts(stack, 'Other', { healthAlarmNamePrefix: 'org-alerts-' });
    })).toThrow(/healthAlarmNamePrefix/);
  });
});
