// README:begin walkthrough (README.md quotes everything down to README:end; test/docs/readme.test.ts keeps them equal)
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CentralDetectionBus, CisAlarms, CloudTrailTable, DataEventPresets, Detection, DetectionForwarder,
  DetectionForwardingRule, InsightsTable, InsightType, ManagementEvents, ManagementEventSource, OrganizationTrail,
  SecurityAlerts, TrailAnalytics, TrailArchive, TrailIdentity,
} from '../../src';
import { acknowledgeNoReplication } from '../compliance';

/** Example account ids: replace with your own. */
export const ACCOUNTS = {
  management: '111111111111',
  logArchive: '222222222222',
  security: '333333333333',
};
/** Every account of the example organization: the forensic tables project one partition per account. */
export const ORGANIZATION_ACCOUNTS = [...Object.values(ACCOUNTS), '444444444444', '555555555555'];
export const HOME_REGION = 'us-east-1';
const ORGANIZATION_ID = 'o-exampleorg1';
const ORGANIZATION_ROOT_ID = 'r-exm1';
const ARCHIVE_KEY_ALIAS = 'alias/organization-trail-archive';
/** Regions where the organization works: each needs a forwarding rule in every account. */
export const FORWARDED_REGIONS = ['us-east-1', 'eu-west-1'];
/** The same detections for the forwarders and the alerts. */
const DETECTIONS = Detection.all();
/** Built from names: the management account's stacks need no reference to the security account's stack. */
const CENTRAL_BUS_ARN = CentralDetectionBus.arnFor({ account: ACCOUNTS.security, region: HOME_REGION });

/**
 * The one fact both accounts share. Every policy in the log-archive account is derived from it, so the
 * stacks need no cross-stack references and can be deployed by different pipelines.
 */
export const ORG_TRAIL = TrailIdentity.organization({
  trailName: 'organization-trail',
  organizationId: ORGANIZATION_ID,
  managementAccount: ACCOUNTS.management,
  homeRegion: HOME_REGION,
});

/**
 * Log-archive account: the bucket and key the organization trail writes to, and the Athena forensics over
 * them (same account as the key, so investigators need no cross-account KMS access).
 */
export class LogArchiveStack extends Stack {
  public readonly archive: TrailArchive;
  public readonly analytics: TrailAnalytics;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.archive = new TrailArchive(this, 'Archive', {
      writers: [ORG_TRAIL],
      bucketName: `cloudtrail-${ACCOUNTS.logArchive}-${HOME_REGION}`,
      accessLogsBucketName: `cloudtrail-access-logs-${ACCOUNTS.logArchive}-${HOME_REGION}`,
      keyAlias: ARCHIVE_KEY_ALIAS,
      // Write-once for a year: not even an administrator of the log-archive account can delete a log file
      // in that time without the governance-bypass permission.
      objectLock: { mode: s3.ObjectLockMode.GOVERNANCE, retention: Duration.days(365) },
    });
    acknowledgeNoReplication(this.archive);

    const events = new CloudTrailTable(this, 'Events', {
      identity: ORG_TRAIL,
      archive: this.archive,
      accounts: ORGANIZATION_ACCOUNTS,
      projectionStartDay: '2026/01/01',
    });
    const insights = new InsightsTable(this, 'Insights', {
      identity: ORG_TRAIL,
      archive: this.archive,
      accounts: ORGANIZATION_ACCOUNTS,
      projectionStartDay: '2026/01/01',
      database: events.database,
    });
    this.analytics = new TrailAnalytics(this, 'Analytics', {
      table: events,
      insightsTable: insights,
      resultsAccessLogsBucket: this.archive.accessLogsBucket,
    });
    acknowledgeNoReplication(this.analytics);
  }
}

/** Security (audit) account: the bus every account forwards detection events to, and the alerts on it. */
export class SecurityStack extends Stack {
  public readonly bus: CentralDetectionBus;
  public readonly alerts: SecurityAlerts;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.bus = new CentralDetectionBus(this, 'DetectionBus', { organizationId: ORGANIZATION_ID });
    this.alerts = new SecurityAlerts(this, 'Alerts', { eventBus: this.bus.eventBus, detections: DETECTIONS });
    // Subscribe your security team's email, chat or ticketing integration to this.alerts.topic.
  }
}

/**
 * Management account, home region: the organization trail writing into the log-archive account's bucket,
 * the CIS metric-filter alarms on its log group, the StackSet that installs a forwarding rule in every
 * member account and region, and the management account's own forwarding rule (a service-managed
 * StackSet never deploys to the management account).
 */
export class ManagementStack extends Stack {
  public readonly trail: OrganizationTrail;

  constructor(scope: Construct, id: string, props: StackProps & { archiveBucketName: string; archiveKeyArn: string }) {
    super(scope, id, props);
    const archive = TrailArchive.fromAttributes(this, 'Archive', {
      bucketName: props.archiveBucketName,
      keyArn: props.archiveKeyArn,
      accessLogsBucketName: `cloudtrail-access-logs-${ACCOUNTS.logArchive}-${HOME_REGION}`,
      writers: [ORG_TRAIL],
    });
    this.trail = new OrganizationTrail(this, 'Trail', {
      identity: ORG_TRAIL,
      archive,
      // KMS calls are the largest share of management events and say little in an investigation of who
      // changed what; CloudTrail lets a trail leave them out.
      managementEvents: ManagementEvents.all({ excludedSources: [ManagementEventSource.KMS] }),
      // Who wrote or deleted which object, in every bucket except the archive (excluded automatically).
      dataEvents: DataEventPresets.cisS3ObjectWriteEvents(),
      insights: [InsightType.API_CALL_RATE, InsightType.API_ERROR_RATE],
      // Needed by the CIS metric-filter alarms (Security Hub CloudWatch.1-14) and for short-term search.
      cloudWatchLogs: {},
    });
    new CisAlarms(this, 'CisAlarms', { logGroup: this.trail.logGroup!, alarmNamePrefix: 'organization-trail-' });

    new DetectionForwarder(this, 'DetectionForwarder', {
      centralBusArn: CENTRAL_BUS_ARN,
      organizationalUnitIds: [ORGANIZATION_ROOT_ID],
      regions: FORWARDED_REGIONS,
      detections: DETECTIONS,
    });
    new DetectionForwardingRule(this, 'DetectionForwarding', { centralBusArn: CENTRAL_BUS_ARN, detections: DETECTIONS });
  }
}

/** Management account, every other forwarded region: its own forwarding rule. */
export class ManagementForwardingStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    new DetectionForwardingRule(this, 'DetectionForwarding', { centralBusArn: CENTRAL_BUS_ARN, detections: DETECTIONS });
  }
}

/** Adds the organization example's stacks to `app`. */
export function buildOrganizationExample(app: App) {
  const logArchive = new LogArchiveStack(app, 'CloudTrailLogArchive', {
    env: { account: ACCOUNTS.logArchive, region: HOME_REGION },
  });
  const security = new SecurityStack(app, 'CloudTrailSecurity', {
    env: { account: ACCOUNTS.security, region: HOME_REGION },
  });
  const management = new ManagementStack(app, 'CloudTrailManagement', {
    env: { account: ACCOUNTS.management, region: HOME_REGION },
    archiveBucketName: `cloudtrail-${ACCOUNTS.logArchive}-${HOME_REGION}`,
    // The key lives in the log-archive account; its alias ARN is known before that stack is deployed.
    archiveKeyArn: `arn:aws:kms:${HOME_REGION}:${ACCOUNTS.logArchive}:${ARCHIVE_KEY_ALIAS}`,
  });
  const forwarding: { [region: string]: ManagementForwardingStack } = {};
  for (const region of FORWARDED_REGIONS.filter((r) => r !== HOME_REGION)) {
    forwarding[region] = new ManagementForwardingStack(app, `CloudTrailManagementForwarding-${region}`, {
      env: { account: ACCOUNTS.management, region },
    });
  }
  return { logArchive, security, management, ...forwarding };
}
// README:end
