import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CentralDetectionBus } from '../../src/detection/central-detection-bus';
import { CisAlarms } from '../../src/detection/cis-alarms';
import { DetectionForwarder } from '../../src/detection/detection-forwarder';
import { DetectionForwardingRule } from '../../src/detection/detection-forwarding-rule';
import { SecurityAlerts } from '../../src/detection/security-alerts';
import { complianceFindings } from '../helpers/compliance';

test('detection constructs pass cdk-nag and the Control Tower guard rules, with the dead-letter queue finding acknowledged', () => {
  const findings = complianceFindings(app => {
    const security = new Stack(app, 'Security', { env: { account: '444455556666', region: 'eu-west-1' } });
    const bus = new CentralDetectionBus(security, 'Bus', { organizationId: 'o-a1b2c3d4e5' });
    const alerts = new SecurityAlerts(security, 'Alerts', { eventBus: bus.eventBus });
    new CisAlarms(security, 'Cis', {
      logGroup: logs.LogGroup.fromLogGroupName(security, 'TrailLogs', 'aws-cloudtrail-logs-org'),
      topic: alerts.topic,
    });
    const management = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
    const centralBusArn = CentralDetectionBus.arnFor({ account: '444455556666', region: 'eu-west-1' });
    new DetectionForwarder(management, 'Forwarder', { centralBusArn, organizationalUnitIds: ['r-a1b2'], regions: ['us-east-1', 'eu-west-1'] });
    // What the StackSet deploys to member accounts, checked as a stack of its own.
    new DetectionForwardingRule(management, 'Forwarding', { centralBusArn });
  });
  // cdk-nag's SQS3 only recognizes queues that are another queue's or a Lambda function's dead-letter
  // queue; the constructs acknowledge it on their EventBridge dead-letter queues, with the reason.
  expect(findings.map(f => `${f.tool} ${f.rule} ${f.resource}`)).toEqual([]);
});
