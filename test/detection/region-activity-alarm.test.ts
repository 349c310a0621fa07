import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { metricFilterMatches } from './metric-filter-evaluator';
import { RegionActivityAlarm, RegionActivityAlarmProps } from '../../src/detection';

const ACCOUNT = '111122223333';
const ALLOWED = ['us-east-1', 'eu-west-1'];

function build(props: Partial<RegionActivityAlarmProps> = {}, region = 'us-east-1') {
  const stack = new Stack(new App(), 'Management', { env: { account: ACCOUNT, region } });
  const logGroup = logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', 'aws-cloudtrail-logs-org');
  const topic = new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'TopicKey') });
  const alarm = new RegionActivityAlarm(stack, 'RegionActivity', { logGroup, allowedRegions: ALLOWED, topic, ...props });
  return { stack, alarm, topic };
}

/** A CloudTrail record (as CloudTrail writes it to CloudWatch Logs) of `eventName` in `awsRegion`. */
function record(awsRegion: string, overrides: { [key: string]: any } = {}) {
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/someone`, accountId: ACCOUNT },
    eventTime: '2026-05-01T12:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    awsRegion,
    sourceIPAddress: '198.51.100.7',
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventID: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    ...overrides,
  };
}

describe('RegionActivityAlarm', () => {
  test('the metric filter names each allowed region and leaves out AWS service events', () => {
    const { stack, alarm } = build();
    expect(alarm.filterPattern).toBe(
      '{ ($.awsRegion != "us-east-1") && ($.awsRegion != "eu-west-1") && ($.eventType != "AwsServiceEvent") }');
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: 'aws-cloudtrail-logs-org',
      FilterPattern: alarm.filterPattern,
      MetricTransformations: [{ MetricNamespace: 'CloudTrailGovernance', MetricName: 'ActivityOutsideAllowedRegions', MetricValue: '1' }],
    });
  });

  test('matches a record of an unlisted region, and none of the listed ones', () => {
    const { alarm } = build();
    const elsewhere = RegionInfo.regions.filter(r => r.partition === 'aws' && !ALLOWED.includes(r.name)).map(r => r.name);
    expect(elsewhere.length).toBeGreaterThan(20);
    for (const region of elsewhere) expect(metricFilterMatches(alarm.filterPattern, record(region))).toBe(true);
    for (const region of ALLOWED) expect(metricFilterMatches(alarm.filterPattern, record(region))).toBe(false);
    // A call the region-deny policy refused still counts: someone tried.
    expect(metricFilterMatches(alarm.filterPattern, record('ap-east-1', { errorCode: 'AccessDenied' }))).toBe(true);
    // AWS's own service events (no principal of the organization made them) do not.
    expect(metricFilterMatches(alarm.filterPattern, record('ap-east-1', { eventType: 'AwsServiceEvent' }))).toBe(false);
  });

  test('without us-east-1 listed, the global services\' events there pass, and everything else there matches', () => {
    const { alarm } = build({ allowedRegions: ['eu-west-1', 'eu-central-1'] });
    expect(alarm.filterPattern).toContain('(($.awsRegion != "us-east-1") || (($.eventSource != "iam.amazonaws.com") && ');
    for (const eventSource of ['iam.amazonaws.com', 'sts.amazonaws.com', 'cloudfront.amazonaws.com', 'route53.amazonaws.com',
      'organizations.amazonaws.com', 'signin.amazonaws.com']) {
      expect(metricFilterMatches(alarm.filterPattern, record('us-east-1', { eventSource }))).toBe(false);
    }
    expect(metricFilterMatches(alarm.filterPattern, record('us-east-1'))).toBe(true);
    expect(metricFilterMatches(alarm.filterPattern, record('ap-east-1', { eventSource: 'iam.amazonaws.com' }))).toBe(true);
    expect(metricFilterMatches(alarm.filterPattern, record('eu-central-1'))).toBe(false);
  });

  test('the alarm fires at 1 or more in 5 minutes, treats missing data as not breaching, and notifies the topic', () => {
    const { stack, topic } = build();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CloudTrailGovernance',
      MetricName: 'ActivityOutsideAllowedRegions',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }],
    });
    // CloudWatch may publish to the topic and use its key.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowRegionActivityAlarmToPublish' })]) },
    });
  });

  test('an imported topic gets the topic-policy warning', () => {
    const stack = new Stack(new App(), 'Management', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new RegionActivityAlarm(stack, 'RegionActivity', {
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', 'trail'),
      allowedRegions: ALLOWED,
      topic: sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`),
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('detection:alarmTopicPolicy'))).toHaveLength(1);
  });

  test('refuses more regions than a 1,024-character filter pattern holds, naming the quota', () => {
    const all = RegionInfo.regions.filter(r => r.partition === 'aws').map(r => r.name);
    expect(() => build({ allowedRegions: all })).toThrow(new RegExp(
      `allowedRegions lists ${all.length} regions, a metric filter pattern of \\d+ characters; CloudWatch Logs allows at most ` +
      '1024 characters in a filter pattern \\(PutMetricFilter filterPattern, not adjustable\\)'));
    const fits = ['us-east-1', ...all.filter(r => r !== 'us-east-1')].slice(0, 28);
    expect(build({ allowedRegions: fits }).alarm.filterPattern.length).toBeLessThanOrEqual(1024);
  });

  test.each<[string, Partial<RegionActivityAlarmProps>, string]>([
    ['no regions', { allowedRegions: [] }, 'allowedRegions must not be empty'],
    ['a region that is not a region code', { allowedRegions: ['useast1'] }, 'allowedRegions[0] "useast1" must be an AWS region code'],
    ['a region twice', { allowedRegions: ['eu-west-1', 'eu-west-1'] }, 'allowedRegions contains "eu-west-1" more than once'],
    ['a region of another partition', { allowedRegions: ['eu-west-1', 'cn-north-1'] },
      'allowedRegions[1] "cn-north-1" is in the aws-cn partition, but the log group\'s stack is in aws (us-east-1)'],
    ['an alarm name with a leading space', { alarmName: ' alarm' }, 'alarmName " alarm" must be 1-255 printable ASCII characters'],
  ])('refuses %s', (_, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('a well-formed region unknown to region-info gets a warning', () => {
    const { stack } = build({ allowedRegions: ['us-east-1', 'eu-wset-1'] });
    const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('detection:unknownRegion'));
    expect(found).toHaveLength(1);
    expect(found[0].entry.data).toContain('allowedRegions "eu-wset-1" are not known');
  });

  test('an AWS managed topic key is refused', () => {
    const stack = new Stack(new App(), 'Management', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const topic = new sns.Topic(stack, 'Topic', { masterKey: kms.Alias.fromAliasName(stack, 'Managed', 'alias/aws/sns') });
    expect(() => new RegionActivityAlarm(stack, 'RegionActivity', {
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', 'trail'), allowedRegions: ALLOWED, topic,
    })).toThrow('topic.masterKey');
  });
});
