import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { TrailArchive } from '../../src/archive/trail-archive';
import { CloudTrailBaseline, CloudTrailBaselineProps } from '../../src/baseline/cloudtrail-baseline';
import { Detection } from '../../src/detection/detection';
import { ManagementEvents } from '../../src/trail/event-selection/management-events';

const ENV = { account: '444444444444', region: 'us-east-1' };

function build(props: CloudTrailBaselineProps = {}) {
  const stack = new Stack(new App(), 'Baseline', { env: ENV });
  const baseline = new CloudTrailBaseline(stack, 'CloudTrail', props);
  return { stack, baseline };
}

describe('defaults', () => {
  const { stack, baseline } = build();
  const template = Template.fromStack(stack);

  test('the trail is an account trail named after the stack\'s account and region', () => {
    expect(baseline.identity.trailArn).toBe('arn:aws:cloudtrail:us-east-1:444444444444:trail/account-trail');
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'account-trail',
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      CloudWatchLogsLogGroupArn: Match.anyValue(),
      InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }],
    });
  });

  test('records S3 object writes (CIS 3.8) without the archive', () => {
    const trail: any = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0];
    const s3 = trail.Properties.AdvancedEventSelectors.find((s: any) => JSON.stringify(s).includes('AWS::S3::Object'));
    expect(s3.FieldSelectors).toEqual(expect.arrayContaining([
      { Field: 'readOnly', Equals: ['false'] },
      {
        Field: 'resources.ARN',
        NotStartsWith: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^CloudTrailArchiveBucket/), 'Arn'] }, '/']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^CloudTrailArchiveAccessLogsBucket/), 'Arn'] }, '/']] },
        ],
      },
    ]));
  });

  test('creates the archive, alerts, CIS alarms and forensics', () => {
    expect(baseline.archive).toBeInstanceOf(TrailArchive);
    // The default tier, plus the pipeline-tampering detections of its own trail, log group, alarms and account.
    expect(baseline.pipelineDetections.map(d => d.id)).toEqual(['PIPELINE-ARCHIVE-TAMPERING', 'PIPELINE-TRAIL-TAMPERING',
      'PIPELINE-ALERTING-TAMPERING']);
    expect(baseline.alerts?.rules).toHaveLength(Detection.defaultTier().length + 3);
    expect(Detection.defaultTier()).toEqual(expect.arrayContaining(Detection.pipelineBuiltIns()));
    expect(baseline.cisAlarms?.alarms).toHaveLength(15 + 3);
    expect(baseline.alertsTopic).toBe(baseline.alerts?.topic);
    template.resourceCountIs('AWS::Events::Rule', Detection.defaultTier().length + 3);
    // 18 metric-filter alarms (CIS and pipeline), the log group's silence alarm, and the alerts' health alarms (one
    // per rule, dead letters, failed notifications).
    template.resourceCountIs('AWS::CloudWatch::Alarm', 18 + 1 + Detection.defaultTier().length + 3 + 2);
    template.resourceCountIs('AWS::Glue::Table', 2);
    template.resourceCountIs('AWS::Athena::WorkGroup', 1);
    expect(baseline.insightsTable).toBeDefined();
  });

  test('the CIS alarms notify the alerts topic', () => {
    const alarms = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[])
      .filter(a => a.Properties.Namespace === 'CISBenchmark' || a.Properties.MetricName === 'IncomingLogEvents');
    expect(alarms).toHaveLength(19);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^CloudTrailAlertsTopic/) }]);
  });
});

describe('switching parts off', () => {
  test('no alerts, alarms or analytics', () => {
    const { stack, baseline } = build({ alerts: false, cisAlarms: false, analytics: false, cloudWatchLogs: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::Glue::Table', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    expect(baseline.alerts).toBeUndefined();
    expect(baseline.analytics).toBeUndefined();
  });

  test('no Insights: no Insights selectors and no Insights table', () => {
    const { stack, baseline } = build({ insights: [] });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudTrail::Trail', { InsightSelectors: Match.absent() });
    expect(baseline.insightsTable).toBeUndefined();
  });

  test('no data events', () => {
    const { stack } = build({ dataEvents: [], managementEvents: ManagementEvents.writeOnly(), insights: [] });
    const trail: any = Object.values(Template.fromStack(stack).findResources('AWS::CloudTrail::Trail'))[0];
    // Only the archive's own deletions and lock changes stay recorded, never other S3 objects.
    const selectors: any[] = trail.Properties.AdvancedEventSelectors;
    expect(selectors.map((s) => s.Name)).toEqual(['Write-only management events', 'Forwarding dead-letter queue messages',
      'Archive log deletions, overwrites and lock changes']);
    expect(JSON.stringify(selectors[0])).not.toContain('AWS::S3::Object');
  });

  test('CIS alarms without CloudWatch Logs is a synth error', () => {
    expect(() => build({ cloudWatchLogs: false }))
      .toThrow('cisAlarms true requires cloudWatchLogs true');
  });

  test('CIS alarms without alerts need a topic', () => {
    expect(() => build({ alerts: false })).toThrow('cisAlarms true with alerts false requires alertsTopic');
    const stack = new Stack(new App(), 'Baseline', { env: ENV });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
    const baseline = new CloudTrailBaseline(stack, 'CloudTrail', { alerts: false, alertsTopic: topic });
    expect(baseline.alertsTopic).toBe(topic);
    expect(baseline.cisAlarms?.topic).toBe(topic);
  });
});

describe('existing resources', () => {
  test('an existing archive is used as is', () => {
    const stack = new Stack(new App(), 'Baseline', { env: ENV });
    const archive = TrailArchive.fromAttributes(stack, 'Shared', {
      bucketName: 'shared-cloudtrail-logs', keyArn: 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const baseline = new CloudTrailBaseline(stack, 'CloudTrail', { archive, analytics: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::CloudTrail::Trail', { S3BucketName: 'shared-cloudtrail-logs' });
    expect(baseline.archive).toBe(archive);
  });

  test('the archive\'s access-log bucket is watched with the log bucket', () => {
    const stack = new Stack(new App(), 'Baseline', { env: ENV });
    const archive = TrailArchive.fromAttributes(stack, 'Shared', {
      bucketName: 'shared-cloudtrail-logs',
      accessLogsBucketName: 'shared-cloudtrail-access-logs',
      keyArn: 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const baseline = new CloudTrailBaseline(stack, 'CloudTrail', { archive, analytics: false });
    const archiveDetection = baseline.pipelineDetections.find(d => d.id === 'PIPELINE-ARCHIVE-TAMPERING')!;
    const put = (bucketName: string) => ({
      'source': 'aws.s3',
      'detail-type': 'AWS API Call via CloudTrail',
      'account': ENV.account,
      'region': ENV.region,
      'detail': { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', readOnly: false, requestParameters: { bucketName } },
    });
    expect(archiveDetection.matches(put('shared-cloudtrail-access-logs'))).toBe(true);
    expect(archiveDetection.matches(put('shared-cloudtrail-logs'))).toBe(true);
    expect(archiveDetection.matches(put('app-data'))).toBe(false);
  });

  test('archiveOptions with an existing archive is a synth error', () => {
    const stack = new Stack(new App(), 'Baseline', { env: ENV });
    const archive = TrailArchive.fromAttributes(stack, 'Shared', { bucketName: 'shared-logs', keyArn: 'arn:aws:kms:us-east-1:222222222222:key/k' });
    expect(() => new CloudTrailBaseline(stack, 'CloudTrail', { archive, archiveOptions: {} }))
      .toThrow('archiveOptions cannot be combined with archive');
  });

  test('an existing alerts topic is used by the alerts', () => {
    const stack = new Stack(new App(), 'Baseline', { env: ENV });
    const topic = new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    const baseline = new CloudTrailBaseline(stack, 'CloudTrail', { alertsTopic: topic, analytics: false });
    expect(baseline.alerts?.topic).toBe(topic);
  });
});
