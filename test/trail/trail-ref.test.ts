import { App, Duration, Resource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TrailArchive } from '../../src/archive/trail-archive';
import { CisAlarms } from '../../src/detection/cis-alarms';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { AccountTrail } from '../../src/trail/account-trail';
import { OrganizationTrail } from '../../src/trail/organization-trail';
import { TrailBase } from '../../src/trail/trail-base';
import { ITrail } from '../../src/trail/trail-ref';

const ENV = { account: '444444444444', region: 'eu-west-1' };
const IDENTITY = TrailIdentity.account({ trailName: 'account-trail', account: ENV.account, homeRegion: ENV.region });
const ORG_IDENTITY = TrailIdentity.organization({
  trailName: 'org-trail', organizationId: 'o-abc123def4', managementAccount: '111111111111', homeRegion: 'us-east-1',
});

function trailStack(cloudWatchLogs: boolean) {
  const stack = new Stack(new App(), 'Single', { env: ENV });
  const archive = new TrailArchive(stack, 'Archive', { writers: [IDENTITY] });
  const trail = new AccountTrail(stack, 'Trail', { identity: IDENTITY, archive, cloudWatchLogs: cloudWatchLogs ? {} : undefined });
  return { stack, trail };
}

/** The alarm an ITrail's intake metric synthesizes to, as CloudWatch receives it. */
function alarmOn(stack: Stack, trail: ITrail) {
  new cloudwatch.Alarm(stack, 'Silence', {
    metric: trail.metricIncomingLogEvents(),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  });
  const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
  return Object.entries(alarms).find(([id]) => id.startsWith('Silence'))![1].Properties;
}

describe('created trails are resources', () => {
  test('the CfnTrail stays the default child, so logical ids of the trail and its delivery do not change', () => {
    const { stack, trail } = trailStack(true);
    expect(Resource.isResource(trail)).toBe(true);
    expect(trail.node.defaultChild).toBe(trail.trail);
    const template = Template.fromStack(stack);
    // The ids the trail had as a plain construct (path Trail/Resource, Trail/LogGroup, ...).
    expect(Object.keys(template.findResources('AWS::CloudTrail::Trail'))).toEqual(['Trail022F0CF2']);
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toEqual(['TrailLogGroup4CBE3AF5']);
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toContain('TrailLogsDeliveryRole5856F4DE');
    expect(Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))).toContain('TrailLogsDeliveryPolicy2A3B7774');
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toContain('TrailLogGroupKeyCFFF93A2');
  });

  test('name and ARN come from the identity; the name is the physical name', () => {
    const { trail } = trailStack(false);
    expect(trail.trailName).toBe('account-trail');
    expect(trail.trailArn).toBe('arn:aws:cloudtrail:eu-west-1:444444444444:trail/account-trail');
    expect((trail as any).physicalName).toBe('account-trail');
  });

  test('metricIncomingLogEvents: AWS/Logs IncomingLogEvents, Sum, by the trail\'s log group name', () => {
    const { stack, trail } = trailStack(true);
    const alarm = alarmOn(stack, trail);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Logs',
      MetricName: 'IncomingLogEvents',
      Statistic: 'Sum',
      Period: 300,
      Dimensions: [{ Name: 'LogGroupName', Value: { Ref: 'TrailLogGroup4CBE3AF5' } }],
    });
  });

  test('metric options override the period and statistic', () => {
    const { trail } = trailStack(true);
    expect(trail.metricIncomingLogEvents().period.toMinutes()).toBe(5);
    const metric = trail.metricIncomingLogEvents({ period: Duration.hours(1), statistic: cloudwatch.Stats.SAMPLE_COUNT });
    expect(metric.period.toMinutes()).toBe(60);
    expect(metric.statistic).toBe('SampleCount');
  });

  test('a trail without CloudWatch Logs delivery has no intake metric, and says how to get one', () => {
    const { trail } = trailStack(false);
    expect(() => trail.metricIncomingLogEvents()).toThrow(/^Single\/Trail: the trail has no CloudWatch Logs group: set cloudWatchLogs/);
  });
});

describe('TrailBase.fromTrailAttributes', () => {
  test('an imported trail takes name, ARN and environment from its identity', () => {
    const stack = new Stack(new App(), 'Detection', { env: { account: '222222222222', region: 'us-east-1' } });
    const trail = OrganizationTrail.fromTrailAttributes(stack, 'Trail', { identity: ORG_IDENTITY });
    expect(trail.trailArn).toBe('arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail');
    expect(trail.trailName).toBe('org-trail');
    expect(trail.identity).toBe(ORG_IDENTITY);
    expect(trail.env).toEqual({ account: '111111111111', region: 'us-east-1' });
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });

  test('its intake metric names the imported log group', () => {
    const stack = new Stack(new App(), 'Monitoring', { env: ENV });
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Logs', '/aws/cloudtrail/account-trail');
    const trail = AccountTrail.fromTrailAttributes(stack, 'Trail', { identity: IDENTITY, logGroup });
    expect(trail.logGroup).toBe(logGroup);
    expect(alarmOn(stack, trail)).toMatchObject({
      Namespace: 'AWS/Logs',
      MetricName: 'IncomingLogEvents',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'LogGroupName', Value: '/aws/cloudtrail/account-trail' }],
    });
  });

  test('without a log group the metric is refused', () => {
    const stack = new Stack(new App(), 'Monitoring', { env: ENV });
    const trail = TrailBase.fromTrailAttributes(stack, 'Trail', { identity: IDENTITY });
    expect(() => trail.metricIncomingLogEvents()).toThrow(/^Monitoring\/Trail: the trail has no CloudWatch Logs group/);
  });

  test('the identity must be a TrailIdentity', () => {
    const stack = new Stack(new App(), 'Monitoring', { env: ENV });
    expect(() => TrailBase.fromTrailAttributes(stack, 'Trail', { identity: 'account-trail' as any }))
      .toThrow('identity "account-trail" must be a TrailIdentity (TrailIdentity.organization() or TrailIdentity.account())');
  });

  test('CisAlarms on an imported trail\'s log group watch that group', () => {
    const stack = new Stack(new App(), 'Monitoring', { env: ENV });
    const trail = TrailBase.fromTrailAttributes(stack, 'Trail', {
      identity: IDENTITY,
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'Logs', '/aws/cloudtrail/account-trail'),
    });
    const cis = new CisAlarms(stack, 'Cis', { logGroup: trail.logGroup! });
    const template = Template.fromStack(stack);
    const groups = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f: any) => f.Properties.LogGroupName);
    expect(groups).toHaveLength(15);
    expect(new Set(groups)).toEqual(new Set(['/aws/cloudtrail/account-trail']));
    expect(stack.resolve(cis.metricIncomingLogEvents().dimensions)).toEqual(stack.resolve(trail.metricIncomingLogEvents().dimensions));
  });
});
