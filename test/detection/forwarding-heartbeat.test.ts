import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DetectionForwardingNames as Names, DetectionForwardingRule, ForwardingHealthTopic, ForwardingHeartbeat, ForwardingHeartbeatProps,
} from '../../src';
import { DeployedStack, evaluate } from '../policy/support/policy-harness';

const SECURITY = '333333333333';
const ACCOUNTS = ['111111111111', '444444444444'];

function heartbeat(props: Partial<ForwardingHeartbeatProps> = {}) {
  const stack = new Stack(new App(), 'Security', { env: { account: SECURITY, region: 'us-east-1' } });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'security-detections' });
  const construct = new ForwardingHeartbeat(stack, 'Heartbeat', { eventBus: bus, accounts: ACCOUNTS, regions: ['us-east-1', 'eu-west-1'], ...props });
  return { stack, construct, template: Template.fromStack(stack) };
}

describe('ForwardingHeartbeat', () => {
  test('one alarm per account: fewer than the expected heartbeats less half a region\'s in the window, missing data breaching', () => {
    const { template } = heartbeat();
    // 2 regions x 12 heartbeats an hour = 24; a region lost leaves 12, below 24 - 6.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${Names.HEARTBEAT_ALARM_NAME_PREFIX}444444444444`,
      Namespace: 'CloudTrailGovernance/Forwarding',
      MetricName: 'Heartbeats',
      Dimensions: [{ Name: 'Account', Value: '444444444444' }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 18,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^HeartbeatTopic') }],
    });
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(ACCOUNTS.length + 1);
  });

  test('counts only the heartbeat role\'s successful writes of the heartbeat parameter, per account', () => {
    const { template } = heartbeat();
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'cloudtrail-governance-heartbeat',
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: {
        'source': ['aws.ssm'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': {
          eventName: ['PutParameter'],
          errorCode: [{ exists: false }],
          requestParameters: { name: [Names.HEARTBEAT_PARAMETER_NAME] },
          userIdentity: { sessionContext: { sessionIssuer: { userName: [{ prefix: Names.HEARTBEAT_ROLE_NAME_PREFIX }] } } },
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      MetricTransformations: [{ MetricName: 'Heartbeats', MetricNamespace: 'CloudTrailGovernance/Forwarding', MetricValue: '1', Dimensions: [{ Key: 'Account', Value: '$.account' }] }],
    });
  });

  test('heartbeats of accounts that are not listed raise their own alarm', () => {
    const { template } = heartbeat();
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'cloudtrail-governance-heartbeat-unmonitored',
      EventPattern: Match.objectLike({ account: [{ 'anything-but': ACCOUNTS }] }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${Names.HEARTBEAT_ALARM_NAME_PREFIX}unmonitored-accounts`,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('with too many accounts for one pattern, the unmonitored-accounts check is left out with a warning', () => {
    const many = Array.from({ length: 160 }, (_, i) => String(100000000000 + i));
    const { stack, construct } = heartbeat({ accounts: many });
    expect(construct.unmonitoredAccountsAlarm).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Security/Heartbeat', Match.stringLikeRegexp('heartbeatAccountsTooManyToWatchOthers'));
  });

  test('the log groups take events only from their own rule, are encrypted with a key for them only, and are kept a year', async () => {
    const { stack, template } = heartbeat();
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Names.HEARTBEAT_LOG_GROUP_NAME, RetentionInDays: 365, KmsKeyId: Match.anyValue(),
    });
    const deployed = new DeployedStack(stack);
    const policy = Object.values(template.findResources('AWS::Logs::ResourcePolicy'))
      .map((r: any) => JSON.parse(deployed.resolve(r.Properties.PolicyDocument)))
      .find(p => JSON.stringify(p).includes(`log-group:${Names.HEARTBEAT_LOG_GROUP_NAME}:*`))!;
    const put = (sourceArn: string) => evaluate({
      principal: 'events.amazonaws.com',
      action: 'logs:PutLogEvents',
      resource: `arn:aws:logs:us-east-1:${SECURITY}:log-group:${Names.HEARTBEAT_LOG_GROUP_NAME}:log-stream:s`,
      resourceAccount: SECURITY,
      resourcePolicy: policy,
      context: { 'aws:SourceArn': sourceArn },
    });
    expect((await put(`arn:aws:events:us-east-1:${SECURITY}:rule/security-detections/cloudtrail-governance-heartbeat`)).decision).toBe('Allowed');
    expect((await put(`arn:aws:events:us-east-1:${SECURITY}:rule/security-detections/other`)).decision).toBe('ImplicitlyDenied');
  });

  test('the alarms notify a new forwarding health topic, or the one given', () => {
    const stack = new Stack(new App(), 'Security', { env: { account: SECURITY, region: 'us-east-1' } });
    const bus = new events.EventBus(stack, 'Bus');
    const topic = new sns.Topic(stack, 'Mine');
    const construct = new ForwardingHeartbeat(stack, 'Heartbeat', { eventBus: bus, accounts: ACCOUNTS, regions: ['us-east-1'], topic });
    expect(construct.topic).toBe(topic);
    expect(Template.fromStack(stack).findResources('AWS::SNS::Topic', { Properties: { TopicName: Names.HEALTH_TOPIC_NAME } })).toEqual({});
  });

  test.each([
    [{ accounts: [] }, /^Security\/Heartbeat: accounts must not be empty$/],
    [{ accounts: ['1234'] }, /accounts\[0\] "1234"/],
    [{ accounts: ['111111111111', '111111111111'] }, /accounts contains "111111111111" more than once/],
    [{ regions: [] }, /regions/],
    [{ regions: ['mars-1'] }, /regions\[0\] "mars-1"/],
    [{ interval: Duration.seconds(90) }, /interval "1 minute 30 seconds" must be whole minutes between 1 minute and 1 hour/],
    [{ interval: Duration.hours(2) }, /interval "2 hours" must be whole minutes between 1 minute and 1 hour/],
    [{ window: Duration.minutes(10) }, /window "10 minutes" must be whole minutes, a multiple of the interval \(5 minutes\), at least three intervals and at most 1 day/],
    [{ window: Duration.minutes(62) }, /window "1 hour 2 minutes"/],
    [{ window: Duration.days(2) }, /window "2 days"/],
  ])('refuses %j', (props, message) => {
    expect(() => heartbeat(props as Partial<ForwardingHeartbeatProps>)).toThrow(message);
  });

  test('refuses more accounts than one stack can hold alarms for, naming the quota', () => {
    const many = Array.from({ length: 401 }, (_, i) => String(100000000000 + i));
    expect(() => heartbeat({ accounts: many })).toThrow(/accounts "401 accounts" must be at most 400: .*500 resources/);
  });
});

describe('ForwardingHealthTopic', () => {
  function topicStack(key?: kms.IKey) {
    const stack = new Stack(new App(), 'Health', { env: { account: SECURITY, region: 'eu-west-1' } });
    const health = new ForwardingHealthTopic(stack, 'Health', { encryptionKey: key?.node ? key : undefined });
    return { stack, health, template: Template.fromStack(stack) };
  }

  test('has the fixed name, and its ARN is known in every account', () => {
    const { template } = topicStack();
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: Names.HEALTH_TOPIC_NAME, KmsMasterKeyId: Match.anyValue() });
    expect(ForwardingHealthTopic.arnFor({ account: SECURITY, region: 'eu-west-1' }))
      .toBe(`arn:aws:sns:eu-west-1:${SECURITY}:${Names.HEALTH_TOPIC_NAME}`);
    expect(ForwardingHealthTopic.arnFor({ account: SECURITY, region: 'us-gov-west-1' })).toMatch(/^arn:aws-us-gov:sns:/);
    expect(() => ForwardingHealthTopic.arnFor({ account: 'x', region: 'eu-west-1' })).toThrow(/account "x"/);
  });

  test('admits the forwarding and heartbeat alarms of any account, and no other alarm or principal', async () => {
    const { stack, health } = topicStack();
    const deployed = new DeployedStack(stack);
    const policy = deployed.topicPolicy(health.topic);
    const publish = (principal: string, sourceArn?: string) => evaluate({
      principal,
      action: 'sns:Publish',
      resource: deployed.arnOf(health.topic),
      resourceAccount: SECURITY,
      resourcePolicy: policy,
      context: sourceArn ? { 'aws:SourceArn': sourceArn } : {},
    });
    expect((await publish('cloudwatch.amazonaws.com', `arn:aws:cloudwatch:eu-west-1:444444444444:alarm:${Names.ALARM_NAME_PREFIX}failed-invocations`)).decision).toBe('Allowed');
    expect((await publish('cloudwatch.amazonaws.com', `arn:aws:cloudwatch:eu-west-1:${SECURITY}:alarm:${Names.HEARTBEAT_ALARM_NAME_PREFIX}444444444444`)).decision).toBe('Allowed');
    expect((await publish('cloudwatch.amazonaws.com', 'arn:aws:cloudwatch:eu-west-1:444444444444:alarm:api-latency')).decision).not.toBe('Allowed');
    expect((await publish('arn:aws:iam::444444444444:role/Admin')).decision).not.toBe('Allowed');
  });

  test('its key lets CloudWatch encrypt for this topic only', async () => {
    const { stack, health } = topicStack();
    const deployed = new DeployedStack(stack);
    const use = (topicArn: string) => evaluate({
      principal: 'cloudwatch.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: deployed.arnOf(health.encryptionKey),
      resourceAccount: SECURITY,
      resourcePolicy: deployed.keyPolicy(health.encryptionKey),
      context: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn },
    });
    expect((await use(`arn:aws:sns:eu-west-1:${SECURITY}:${Names.HEALTH_TOPIC_NAME}`)).decision).toBe('Allowed');
    expect((await use(`arn:aws:sns:eu-west-1:${SECURITY}:other`)).decision).not.toBe('Allowed');
  });

  test('refuses an AWS managed key', () => {
    const stack = new Stack(new App(), 'Health', { env: { account: SECURITY, region: 'eu-west-1' } });
    expect(() => new ForwardingHealthTopic(stack, 'Health', { encryptionKey: kms.Alias.fromAliasName(stack, 'Managed', 'alias/aws/sns') }))
      .toThrow(/encryptionKey "alias\/aws\/sns" must be a customer managed key/);
  });
});

describe('DetectionForwardingRule health and heartbeat', () => {
  const BUS = `arn:aws:events:us-east-1:${SECURITY}:event-bus/security-detections`;
  function rule(props: { healthTopicAccount?: string; heartbeat?: boolean; heartbeatInterval?: Duration } = {}) {
    const stack = new Stack(new App(), 'Member', { env: { account: '444444444444', region: 'eu-west-1' } });
    const construct = new DetectionForwardingRule(stack, 'Forwarding', { centralBusArn: BUS, ...props });
    return { stack, construct, template: Template.fromStack(stack) };
  }

  test('the role\'s policy has a fixed name the guardrail and the detection can name', () => {
    rule().template.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: `${Names.POLICY_NAME_PREFIX}eu-west-1` });
  });

  test('health alarms notify the security account\'s topic of this region', () => {
    const { stack, template } = rule({ healthTopicAccount: SECURITY });
    const deployed = new DeployedStack(stack);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarms).toHaveLength(2);
    for (const a of alarms) expect(deployed.resolve(a.Properties.AlarmActions)).toEqual([`arn:aws:sns:eu-west-1:${SECURITY}:${Names.HEALTH_TOPIC_NAME}`]);
  });

  test('without healthTopicAccount the alarms have no action, and a warning says so', () => {
    const { stack, template } = rule();
    for (const a of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[]) expect(a.Properties.AlarmActions).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Member/Forwarding', Match.stringLikeRegexp('forwardingHealthAlarmsWithoutAction'));
  });

  test('the heartbeat: a schedule, a role only the scheduler of this account may assume, a policy for the parameter only', async () => {
    const { stack, template } = rule({ healthTopicAccount: SECURITY, heartbeatInterval: Duration.minutes(10) });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: Names.HEARTBEAT_SCHEDULE_NAME,
      ScheduleExpression: 'rate(10 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:ssm:putParameter']] },
        Input: JSON.stringify({ Name: Names.HEARTBEAT_PARAMETER_NAME, Value: '<aws.scheduler.scheduled-time>', Type: 'String', Overwrite: true }),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }),
      }),
    });
    const deployed = new DeployedStack(stack);
    const role = stack.node.findAll().find(c => c.node.id === 'HeartbeatRole')!;
    const roleArn = deployed.arnOf(role);
    expect(roleArn).toBe(`arn:aws:iam::444444444444:role/${Names.HEARTBEAT_ROLE_NAME_PREFIX}eu-west-1`);
    const assume = (context: { [k: string]: string }) => evaluate({
      principal: 'scheduler.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: roleArn,
      resourceAccount: '444444444444',
      resourcePolicy: deployed.trustPolicy(role),
      context,
    });
    expect((await assume({ 'aws:SourceAccount': '444444444444', 'aws:SourceArn': 'arn:aws:scheduler:eu-west-1:444444444444:schedule-group/default' })).decision).toBe('Allowed');
    expect((await assume({ 'aws:SourceAccount': '555555555555', 'aws:SourceArn': 'arn:aws:scheduler:eu-west-1:555555555555:schedule-group/default' })).decision).not.toBe('Allowed');
    const policies = deployed.identityPolicies(role);
    const call = (action: string, resource: string) => evaluate({ principal: roleArn, action, resource, resourceAccount: '444444444444', identityPolicies: policies });
    expect((await call('ssm:PutParameter', `arn:aws:ssm:eu-west-1:444444444444:parameter${Names.HEARTBEAT_PARAMETER_NAME}`)).decision).toBe('Allowed');
    expect((await call('ssm:PutParameter', 'arn:aws:ssm:eu-west-1:444444444444:parameter/app/secret')).decision).not.toBe('Allowed');
    expect((await call('events:PutEvents', BUS)).decision).not.toBe('Allowed');
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: `${Names.HEARTBEAT_ROLE_NAME_PREFIX}eu-west-1` });
  });

  test('no heartbeat when switched off, with a warning', () => {
    const { stack, template, construct } = rule({ healthTopicAccount: SECURITY, heartbeat: false });
    expect(construct.heartbeatSchedule).toBeUndefined();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    Annotations.fromStack(stack).hasWarning('/Member/Forwarding', Match.stringLikeRegexp('forwardingHeartbeatOff'));
  });

  test.each([
    [{ heartbeatInterval: Duration.seconds(30) }, /heartbeatInterval "30 seconds" must be whole minutes between 1 minute and 1 hour/],
    [{ healthTopicAccount: '33333' }, /healthTopicAccount "33333"/],
  ])('refuses %j', (props, message) => {
    expect(() => rule(props as any)).toThrow(message);
  });
});
