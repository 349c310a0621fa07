import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { CisAlarms, CisAlarmsProps } from '../../src/detection/cis-alarms';
import { Detection, DetectionSeverity } from '../../src/detection/detection';
import { SecurityAlerts } from '../../src/detection/security-alerts';

const ACCOUNT = '111122223333';

function synth(props: Partial<CisAlarmsProps> = {}, topicOf: (stack: Stack) => sns.ITopic = s => new SecurityAlerts(s, 'Alerts').topic) {
  const stack = new Stack(new App(), 'Trail', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const logGroup = logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', 'aws-cloudtrail-logs-org');
  const alarms = new CisAlarms(stack, 'Cis', { logGroup, topic: topicOf(stack), ...props });
  return { stack, alarms, template: Template.fromStack(stack) };
}

function idOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter(id => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}, found ${ids.join(', ')}`);
  return ids[0];
}

describe('CisAlarms', () => {
  let template: Template;
  beforeAll(() => ({ template } = synth()));

  test('one metric filter per CIS control, with the CIS pattern verbatim, on the trail\'s log group', () => {
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((r: any) => r.Properties);
    expect(filters).toHaveLength(15);
    for (const d of Detection.cis()) {
      const filter = filters.find(f => f.MetricTransformations[0].MetricName === d.id);
      expect(filter).toEqual({
        LogGroupName: 'aws-cloudtrail-logs-org',
        FilterPattern: d.metricFilterPattern,
        MetricTransformations: [{ MetricName: d.id, MetricNamespace: 'CISBenchmark', MetricValue: '1' }],
      });
    }
  });

  test('alarms fire at 1 or more in 5 minutes, treat missing data as not breaching, and notify the topic', () => {
    const topicId = idOf(template, 'AWS::SNS::Topic', 'AlertsTopic');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties)
      .filter(a => a.Namespace === 'CISBenchmark');
    expect(alarms).toHaveLength(15);
    for (const d of Detection.cis()) {
      expect(alarms.find(a => a.MetricName === d.id)).toEqual({
        AlarmDescription: `[${d.id}] ${d.title}`,
        MetricName: d.id,
        Namespace: 'CISBenchmark',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
        AlarmActions: [{ Ref: topicId }],
      });
    }
  });

  test('CloudWatch alarms of this account may publish to the topic and use its key', () => {
    // Only the documented conditions: the alarm ARN on the topic, the topic encryption context on the key.
    const conditions = {
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:us-east-1:${ACCOUNT}:alarm:*`]] } },
    };
    const topicId = idOf(template, 'AWS::SNS::Topic', 'AlertsTopic');
    const topicPolicy = (Object.values(template.findResources('AWS::SNS::TopicPolicy')) as any[])
      .find(p => p.Properties.Topics[0].Ref === topicId);
    expect(topicPolicy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
      Sid: 'AllowCisAlarmsToPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: conditions,
    })]));
    const key = template.toJSON().Resources[idOf(template, 'AWS::KMS::Key', 'AlertsKey')];
    expect(key.Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
      Sid: 'AllowCisAlarmsToEncrypt',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: {
        StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:us-east-1:${ACCOUNT}:*`]] } },
      },
    })]));
  });

  test('alarm names, namespace and detections are configurable', () => {
    const custom = Detection.custom({
      id: 'ACME-1',
      title: 'Break-glass role used',
      severity: DetectionSeverity.HIGH,
      eventPattern: { source: [{ prefix: 'aws.' }], detail: { userIdentity: { sessionContext: { sessionIssuer: { userName: ['BreakGlass'] } } } } },
      metricFilterPattern: '{ $.userIdentity.sessionContext.sessionIssuer.userName = "BreakGlass" }',
    });
    const { template: t } = synth({ detections: [Detection.CIS_4_3, custom], alarmNamePrefix: 'org-', metricNamespace: 'Security' },
      s => new SecurityAlerts(s, 'Alerts', { healthAlarms: false }).topic);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'org-CIS-4.3', Namespace: 'Security' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'org-log-group-silent', Namespace: 'AWS/Logs' });
    t.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: custom.metricFilterPattern });
  });

  test('an imported topic gets a warning instead of policy statements', () => {
    const { stack } = synth({}, s => sns.Topic.fromTopicArn(s, 'T', `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`));
    Annotations.fromStack(stack).hasWarning('/Trail/Cis', Match.stringLikeRegexp('alarms topic is imported'));
  });

  test('without a topic, a TLS-only topic encrypted with a new rotating, retained key', () => {
    const stack = new Stack(new App(), 'Trail', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', 'aws-cloudtrail-logs-org');
    const alarms = new CisAlarms(stack, 'Cis', { logGroup });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CisTopicKey'), 'Arn'] } });
    t.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    expect(alarms.alarms[0].node.defaultChild).toBeDefined();
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^CisTopic') }] });
  });

  test('an alarm fires when the log group receives nothing for an hour, missing data breaching', () => {
    const topicId = idOf(template, 'AWS::SNS::Topic', 'AlertsTopic');
    const silence = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[])
      .map(a => a.Properties).filter(a => a.Namespace === 'AWS/Logs');
    expect(silence).toEqual([expect.objectContaining({
      MetricName: 'IncomingLogEvents',
      Dimensions: [{ Name: 'LogGroupName', Value: 'aws-cloudtrail-logs-org' }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topicId }],
    })]);
  });

  test('metricIncomingLogEvents is the log group\'s IncomingLogEvents sum', () => {
    const { alarms, stack } = synth();
    const metric = alarms.metricIncomingLogEvents({ period: Duration.minutes(15) });
    expect(metric.namespace).toBe('AWS/Logs');
    expect(metric.metricName).toBe('IncomingLogEvents');
    expect(metric.statistic).toBe('Sum');
    expect(metric.period.toMinutes()).toBe(15);
    expect(stack.resolve(metric.dimensions)).toEqual({ LogGroupName: 'aws-cloudtrail-logs-org' });
    expect(alarms.logGroupSilenceAlarm).toBeDefined();
  });

  test('metricForDetection is the metric the detection\'s filter writes and its alarm reads', () => {
    const { alarms, stack } = synth({ metricNamespace: 'Org/CIS' });
    const metric = alarms.metricForDetection('CIS-4.3');
    expect(metric.namespace).toBe('Org/CIS');
    expect(metric.metricName).toBe('CIS-4.3');
    expect(metric.statistic).toBe('Sum');
    expect(metric.period.toMinutes()).toBe(5);
    expect(metric.dimensions).toBeUndefined();
    expect(alarms.metricForDetection('CIS-4.3', { period: Duration.hours(1) }).period.toMinutes()).toBe(60);
    const alarm = alarms.alarms[Detection.cis().findIndex(d => d.id === 'CIS-4.3')].node.defaultChild as any;
    expect(stack.resolve(alarm.metricName)).toBe(metric.metricName);
    expect(stack.resolve(alarm.namespace)).toBe(metric.namespace);
  });

  test('metricForDetection refuses a detection the construct does not alarm on, listing those it does', () => {
    const { alarms } = synth({ detections: Detection.cis().filter(d => d.id === 'CIS-4.1' || d.id === 'CIS-4.2') });
    expect(() => alarms.metricForDetection('CIS-4.3'))
      .toThrow('detectionId "CIS-4.3" is not one of this construct\'s detections (CIS-4.1, CIS-4.2)');
  });

  test('the silence period is configurable; the alarm can be turned off, with a warning', () => {
    const { template: t } = synth({ logGroupSilencePeriod: Duration.minutes(30) });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IncomingLogEvents', Period: 1800 });
    const off = synth({ logGroupSilenceAlarm: false });
    expect(off.alarms.logGroupSilenceAlarm).toBeUndefined();
    expect(Object.values(off.template.findResources('AWS::CloudWatch::Alarm')).some((a: any) => a.Properties.MetricName === 'IncomingLogEvents'))
      .toBe(false);
    Annotations.fromStack(off.stack).hasWarning('/Trail/Cis', Match.stringLikeRegexp('logGroupSilenceAlarm is false'));
  });

  test('subscribing to the topic with addSubscription', () => {
    const stack = new Stack(new App(), 'Trail', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', 'aws-cloudtrail-logs-org');
    const cis = new CisAlarms(stack, 'Cis', { logGroup });
    cis.topic.addSubscription(new subscriptions.EmailSubscription('security@example.com'));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email', Endpoint: 'security@example.com', TopicArn: { Ref: idOf(t, 'AWS::SNS::Topic', 'CisTopic') },
    });
  });

  test.each([
    [{ logGroupSilencePeriod: Duration.minutes(2) }, /logGroupSilencePeriod "2 minutes" must be whole minutes between 5 minutes and 1 day/],
    [{ logGroupSilencePeriod: Duration.seconds(330) }, /logGroupSilencePeriod "5 minutes 30 seconds" must be whole minutes/],
    [{ logGroupSilencePeriod: Duration.days(2) }, /logGroupSilencePeriod "2 days" must be whole minutes between 5 minutes and 1 day/],
    [{ detections: [Detection.CLOUDTRAIL_TAMPERING] }, /detections "CLOUDTRAIL-TAMPERING" must have a metricFilterPattern/],
    [{ metricNamespace: 'bad:namespace' }, /metricNamespace "bad:namespace" must be 1-255 characters/],
    [{ alarmNamePrefix: ' padded' }, /alarmNamePrefix " padded" must be 1-200 printable ASCII characters/],
  ])('rejects %j', (props, message) => {
    expect(() => synth(props as any)).toThrow(message);
  });
});
