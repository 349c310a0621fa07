import { App, Stack } from 'aws-cdk-lib';
import * as cwlogs from 'aws-cdk-lib/aws-logs';
import {
  CentralDetectionBus, CisAlarms, CloudTrailTable, Detection, DetectionForwarder, InsightsTable, SecurityAlerts,
  TrailAnalytics, TrailArchive, TrailIdentity,
} from '../src';

/** Account ids of a 1,000-account organization. */
export const SCALE_ACCOUNTS = Array.from({ length: 1000 }, (_, i) => String(100000000000 + i));

const identity = TrailIdentity.organization({
  trailName: 'organization-trail',
  organizationId: 'o-exampleorg1',
  managementAccount: SCALE_ACCOUNTS[0],
  homeRegion: 'us-east-1',
});

/**
 * The scale case: an organization archive with forensic tables projecting 1,000 accounts, and alerts,
 * forwarding and CIS alarms for every detection the library ships.
 */
export function buildScaleCase(app: App) {
  const env = { account: SCALE_ACCOUNTS[1], region: 'us-east-1' };
  const logArchive = new Stack(app, 'ScaleLogArchive', { env });
  const archive = new TrailArchive(logArchive, 'Archive', { writers: [identity] });
  const events = new CloudTrailTable(logArchive, 'Events', { identity, archive, accounts: SCALE_ACCOUNTS });
  const insights = new InsightsTable(logArchive, 'Insights', {
    identity, archive, accounts: SCALE_ACCOUNTS, database: events.database,
  });
  new TrailAnalytics(logArchive, 'Analytics', { table: events, insightsTable: insights });

  const security = new Stack(app, 'ScaleSecurity', { env: { ...env, account: SCALE_ACCOUNTS[2] } });
  const bus = new CentralDetectionBus(security, 'Bus', { organizationId: 'o-exampleorg1' });
  const alerts = new SecurityAlerts(security, 'Alerts', { eventBus: bus.eventBus, detections: Detection.all() });

  const management = new Stack(app, 'ScaleManagement', { env: { ...env, account: SCALE_ACCOUNTS[0] } });
  new DetectionForwarder(management, 'Forwarder', {
    centralBusArn: CentralDetectionBus.arnFor({ account: SCALE_ACCOUNTS[2], region: 'us-east-1' }),
    organizationalUnitIds: ['r-exm1'],
    regions: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'],
    detections: Detection.all(),
  });
  const logs = new Stack(app, 'ScaleAlarms', { env: { ...env, account: SCALE_ACCOUNTS[0] } });
  new CisAlarms(logs, 'CisAlarms', {
    logGroup: cwlogs.LogGroup.fromLogGroupName(logs, 'TrailLogs', '/aws/cloudtrail/organization-trail'),
  });
  return { logArchive, security, management, alerts };
}
