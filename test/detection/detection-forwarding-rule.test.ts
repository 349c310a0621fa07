import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Detection } from '../../src/detection/detection';
import { DetectionForwardingRule, DetectionForwardingRuleProps } from '../../src/detection/detection-forwarding-rule';
import { DetectionForwardingNames } from '../../src/detection/forwarding-names';
import { HEALTH_DEFINITIONS } from '../../src/detection/private/catalog-health';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { EventPatternMatcher } from '../../src/testing';

const BUS = 'arn:aws:events:eu-west-1:444455556666:event-bus/security-detections';

function synth(props: Partial<DetectionForwardingRuleProps> = {}) {
  const stack = new Stack(new App(), 'Member', { env: { account: '111122223333', region: 'ap-southeast-2' } });
  const forwarding = new DetectionForwardingRule(stack, 'Forwarding', { centralBusArn: BUS, ...props });
  return { forwarding, template: Template.fromStack(stack) };
}

describe('DetectionForwardingRule', () => {
  let template: Template;
  let forwarding: DetectionForwardingRule;
  beforeAll(() => ({ template, forwarding } = synth()));

  test('one rule on the default bus forwards the detections\' events, read-only ones included', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as any[];
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventBusName).toBeUndefined();
    expect(rules[0].Properties.EventPattern).toEqual(forwardingPattern(undefined, Detection.defaultTier()));
    expect(rules[0].Properties.EventPattern).toEqual(forwarding.eventPattern);
    expect(rules[0].Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });

  test('the target is the central bus, through the role, with the dead-letter queue', () => {
    const [rule] = Object.values(template.findResources('AWS::Events::Rule')) as any[];
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(rule.Properties.Targets).toEqual([{
      Arn: BUS,
      Id: 'Target0',
      RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    }]);
  });

  test('the role may only put events on the central bus, and only EventBridge of this account assumes it', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: BUS }]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111122223333' },
            ArnEquals: {
              'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:ap-southeast-2:111122223333:rule/cloudtrail-governance-forwarding']] },
            },
          },
        }],
      },
    });
  });

  test('rule, role and queue have the fixed names of DetectionForwardingNames', () => {
    template.hasResourceProperties('AWS::Events::Rule', { Name: DetectionForwardingNames.RULE_NAME });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: `${DetectionForwardingNames.ROLE_NAME_PREFIX}ap-southeast-2` });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: DetectionForwardingNames.DEAD_LETTER_QUEUE_NAME });
  });

  test('an environment-agnostic stack (the StackSet template) names the role after the deployment region', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new DetectionForwardingRule(stack, 'Forwarding', { centralBusArn: BUS });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: { 'Fn::Join': ['', [DetectionForwardingNames.ROLE_NAME_PREFIX, { Ref: 'AWS::Region' }]] },
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnEquals: {
              'aws:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':',
                  { Ref: 'AWS::AccountId' }, ':rule/cloudtrail-governance-forwarding']],
              },
            },
          },
        })],
      },
    });
  });

  test('health alarms on failed invocations and dead-letter depth, fixed names, no action, missing data not breaching', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
    expect(alarms).toEqual(expect.arrayContaining([
      expect.objectContaining({
        AlarmName: `${DetectionForwardingNames.ALARM_NAME_PREFIX}failed-invocations`,
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Dimensions: [{ Name: 'RuleName', Value: DetectionForwardingNames.RULE_NAME }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
      expect.objectContaining({
        AlarmName: `${DetectionForwardingNames.ALARM_NAME_PREFIX}dead-letter-messages`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: DetectionForwardingNames.DEAD_LETTER_QUEUE_NAME }],
        Statistic: 'Maximum',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      }),
    ]));
    expect(alarms).toHaveLength(2);
    expect(alarms.every(a => a.AlarmActions === undefined)).toBe(true);
    expect(forwarding.healthAlarms).toHaveLength(2);
  });

  test('the alarm names are the ones the FORWARDING-HEALTH detection matches', () => {
    const [pattern] = HEALTH_DEFINITIONS.map(d => d.eventPattern);
    const event = (alarmName: string, value: string) => ({
      'version': '0',
      'id': 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      'detail-type': 'CloudWatch Alarm State Change',
      'source': 'aws.cloudwatch',
      'account': '111122223333',
      'time': '2026-11-23T09:05:00Z',
      'region': 'ap-southeast-2',
      'resources': [`arn:aws:cloudwatch:ap-southeast-2:111122223333:alarm:${alarmName}`],
      'detail': { alarmName, state: { value, reason: 'Threshold Crossed', timestamp: '2026-11-23T09:05:00.000+0000' } },
    });
    for (const alarm of forwarding.healthAlarms) {
      const name = Stack.of(forwarding).resolve((alarm.node.defaultChild as any).alarmName);
      expect(EventPatternMatcher.matches(pattern, event(name, 'ALARM'))).toBe(true);
      expect(EventPatternMatcher.matches(pattern, event(name, 'OK'))).toBe(false);
      expect(EventPatternMatcher.matches(pattern, { ...event(name, 'ALARM'), source: 'com.attacker' })).toBe(false);
    }
    expect(EventPatternMatcher.matches(pattern, event('ServerCpuTooHigh', 'ALARM'))).toBe(false);
  });

  test('metric methods', () => {
    expect(forwarding.metricFailedInvocations().dimensions).toEqual({ RuleName: DetectionForwardingNames.RULE_NAME });
    expect(forwarding.metricDeadLetterMessages({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
  });

  test('health alarms can be turned off, with a warning', () => {
    const { template: t, forwarding: f } = synth({ healthAlarms: false });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(f.healthAlarms).toEqual([]);
    Annotations.fromStack(Stack.of(f)).hasWarning('/Member/Forwarding', Match.stringLikeRegexp('healthAlarms is false'));
    const { template: noQueue } = synth({ deadLetterQueue: false });
    noQueue.resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  test('the dead-letter queue is encrypted, TLS-only, retained, and only the rule may send to it', () => {
    template.hasResource('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600, RedriveAllowPolicy: { redrivePermission: 'allowAll' } },
      DeletionPolicy: 'Retain',
    });
    const [ruleId] = Object.keys(template.findResources('AWS::Events::Rule'));
    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as any[];
    expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
      }),
    ]));
  });

  test('without detections of reads the rule does not receive read-only events', () => {
    const { template: t } = synth({ detections: [Detection.CIS_4_5, Detection.CLOUDTRAIL_TAMPERING] });
    t.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED' });
  });

  test('the dead-letter queue can be left out', () => {
    const { template: t, forwarding: f } = synth({ deadLetterQueue: false });
    t.resourceCountIs('AWS::SQS::Queue', 0);
    expect(f.deadLetterQueue).toBeUndefined();
    const [rule] = Object.values(t.findResources('AWS::Events::Rule')) as any[];
    expect(rule.Properties.Targets[0].DeadLetterConfig).toBeUndefined();
  });

  test('rejects a central bus ARN that is not an event bus ARN', () => {
    expect(() => synth({ centralBusArn: 'arn:aws:sns:eu-west-1:444455556666:alerts' }))
      .toThrow(/centralBusArn "arn:aws:sns:eu-west-1:444455556666:alerts" must be an event bus ARN/);
  });
});
