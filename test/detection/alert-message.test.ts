import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Detection, DetectionSeverity } from '../../src/detection/detection';
import { DetectionForwarder } from '../../src/detection/detection-forwarder';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { SecurityAlerts, SecurityAlertsProps } from '../../src/detection/security-alerts';
import { ForensicQuery } from '../../src/query/forensic-query';

function alertsTemplate(props: SecurityAlertsProps = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '210987654321', region: 'us-east-1' } });
  new SecurityAlerts(stack, 'Alerts', props);
  return { stack, template: Template.fromStack(stack) };
}

function transformerOf(template: Template, id: string) {
  const rule = Object.values(template.findResources('AWS::Events::Rule'))
    .find((r: any) => r.Properties.Description.startsWith(`[${id}]`)) as any;
  const transformer = rule.Properties.Targets[0].InputTransformer;
  return { paths: transformer.InputPathsMap as { [k: string]: string }, text: JSON.parse(transformer.InputTemplate) as string };
}

describe('triage in the alert', () => {
  test('names the technique, the principal, the role behind the session, where from, and the statement to run', () => {
    const { template } = alertsTemplate({ detections: [Detection.EBS_SNAPSHOT_SHARED] });
    const { paths, text } = transformerOf(template, 'EBS-SNAPSHOT-SHARED');
    expect(paths).toEqual(expect.objectContaining({
      'detail-userIdentity-arn': '$.detail.userIdentity.arn',
      'detail-userIdentity-sessionContext-sessionIssuer-arn': '$.detail.userIdentity.sessionContext.sessionIssuer.arn',
      'detail-userAgent': '$.detail.userAgent',
      'detail-sourceIPAddress': '$.detail.sourceIPAddress',
    }));
    expect(text.split('\n')).toEqual([
      '[EBS-SNAPSHOT-SHARED] EBS snapshot shared with another account or made public (HIGH)',
      'Technique: T1537 (exfiltration)',
      'Who: <detail-userIdentity-arn> (<detail-userIdentity-type>)',
      'Role behind the session: <detail-userIdentity-sessionContext-sessionIssuer-arn>',
      'What: <detail-eventSource> <detail-eventName> <detail-errorCode>',
      'Where: account <account>, region <region>',
      'When: <time>',
      'Source IP: <detail-sourceIPAddress>',
      'User agent: <detail-userAgent>',
      'Event ID: <detail-eventID>',
      // TrailAnalytics' principal_activity takes the first and last day, then the principal.
      'Investigate (Athena): EXECUTE principal_activity USING ' +
        'date_format(from_iso8601_timestamp(\'<time>\') - interval \'1\' day, \'%Y/%m/%d\'), ' +
        'date_format(from_iso8601_timestamp(\'<time>\') + interval \'1\' day, \'%Y/%m/%d\'), ' +
        '\'<detail-userIdentity-arn>\'',
      'Detection: EBS-SNAPSHOT-SHARED',
    ]);
  });

  test('names the workgroup and statement it is given, and passes the event time when asked', () => {
    const { template } = alertsTemplate({
      detections: [Detection.CIS_4_3],
      investigation: { workGroupName: 'org-trail-forensics', principalStatementName: 'principal_day', passEventTime: true },
    });
    const { paths, text } = transformerOf(template, 'CIS-4.3');
    expect(paths['detail-eventTime']).toBe('$.detail.eventTime');
    expect(text).toContain('\nInvestigate (Athena workgroup org-trail-forensics): EXECUTE principal_day USING ' +
      '\'<detail-userIdentity-arn>\', \'<detail-eventTime>\'\n');
  });

  test.each([
    [{ workGroupName: 'has space' }, /investigation.workGroupName "has space" must be 1-128 letters/],
    [{ principalStatementName: '1st' }, /investigation.principalStatementName "1st" must be an Athena prepared statement name/],
  ])('rejects %j', (investigation, message) => {
    expect(() => alertsTemplate({ investigation })).toThrow(message);
  });
});

describe('forgeable custom detections', () => {
  test('SecurityAlerts warns, with an acknowledgeable id, about detections that do not pin an AWS source', () => {
    const forgeable = Detection.custom({
      id: 'APP-ORDER-FAILED',
      title: 'Order failed',
      severity: DetectionSeverity.LOW,
      eventPattern: { source: ['acme.orders'] },
      allowForgeableSource: true,
    });
    const { stack } = alertsTemplate({ detections: [Detection.CIS_4_3, forgeable] });
    Annotations.fromStack(stack).hasWarning('/Stack/Alerts',
      Match.stringLikeRegexp('APP-ORDER-FAILED do not pin an AWS `source`.*\\[ack: cdk-cloudtrail-governance:detection:forgeableDetectionSource\\]'));
    const { stack: quiet } = alertsTemplate({ detections: [Detection.CIS_4_3] });
    Annotations.fromStack(quiet).hasNoWarning('/Stack/Alerts', Match.stringLikeRegexp('do not pin'));
  });
});

describe('size figures of the default tier', () => {
  test('the forwarding pattern and the member template stay within their quotas', () => {
    const pattern = JSON.stringify(forwardingPattern(undefined, Detection.defaultTier()));
    const both = JSON.stringify(forwardingPattern(undefined, Detection.all()));
    const app = new App();
    const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
    const forwarder = new DetectionForwarder(stack, 'Forwarder', {
      centralBusArn: 'arn:aws:events:eu-west-1:444455556666:event-bus/security-detections',
      organizationalUnitIds: ['r-a1b2'],
      regions: ['us-east-1', 'eu-west-1'],
    });
    app.synth();
    const bytes = Buffer.byteLength(JSON.stringify(forwarder.memberTemplate), 'utf8');
    expect(pattern.length).toBeLessThanOrEqual(2048);
    expect(both.length).toBeLessThanOrEqual(2048);
    expect(bytes).toBeLessThanOrEqual(51200);
    // Written to the test output for the documentation's figures.
    process.stdout.write(`forwarding pattern: default tier ${pattern.length} characters, both tiers ${both.length}; ` +
      `member template ${bytes} bytes\n`);
  });
});

describe('the alert\'s statement and the saved statement it runs', () => {
  test('principal_activity takes the two day bounds, then the principal: what the alert passes', () => {
    // Every saved statement starts with the first and last delivery day (forensic-query.ts).
    expect(ForensicQuery.PRINCIPAL_ACTIVITY.parameters.map(p => p.name)).toEqual(['principal_arn']);
  });
});
