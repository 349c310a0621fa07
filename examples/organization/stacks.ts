// README:begin walkthrough (README.md quotes everything down to README:end; test/docs/readme.test.ts keeps them equal)
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  CentralDetectionBus, CisAlarms, CloudTrailTable, DataEventPresets, Detection, DetectionForwarder, DigestTable,
  DetectionForwardingRule, ForwardingHealthTopic, ForwardingHeartbeat, InsightsTable, InsightType, ManagementEvents,
  ManagementEventSource, OrganizationGuardrails, OrganizationTrail, RegionActivityAlarm, SecurityAlerts, TrailAnalytics, TrailArchive,
  TrailIdentity,
} from '../../src';
import { acknowledgeNoReplication } from '../compliance';

/** Example account ids: replace with your own. */
export const MANAGEMENT_ACCOUNT = '111111111111';
export const LOG_ARCHIVE_ACCOUNT = '222222222222';
export const SECURITY_ACCOUNT = '333333333333';
/** Every account of the example organization: the forensic tables project one partition per account. */
export const ORGANIZATION_ACCOUNTS = [MANAGEMENT_ACCOUNT, LOG_ARCHIVE_ACCOUNT, SECURITY_ACCOUNT, '444444444444', '555555555555'];
export const HOME_REGION = 'us-east-1';
/**
 * The regions the organization may use: the forwarders forward from each of them in every account, the forensic
 * tables project them, a service control policy denies the others, and an alarm reports any activity outside them.
 */
export const ALLOWED_REGIONS = ['us-east-1', 'eu-west-1'];
const ORGANIZATION_ID = 'o-exampleorg1';
const ORGANIZATION_ROOT_ID = 'r-exm1';

/** Physical names, fixed so that every account's stack, policy and detection can name them before deployment. */
const ARCHIVE_BUCKET = 'cloudtrail-222222222222-us-east-1';
const ACCESS_LOGS_BUCKET = 'cloudtrail-access-logs-222222222222-us-east-1';
const ARCHIVE_KEY_ALIAS = 'alias/organization-trail-archive';
const TRAIL_LOG_GROUP = '/aws/cloudtrail/organization-trail';
const ALARM_PREFIX = 'organization-trail-';
/** The security account's alert-path alarms: under the same prefix, so one pipeline detection watches both. */
const ALERTS_ALARM_PREFIX = `${ALARM_PREFIX}alerts-`;
const ALERTS_TOPIC = 'security-alerts';
const ALERTS_HEALTH_TOPIC = 'security-alerts-health';
const SECURITY_TEAM_EMAIL = 'security-team@example.com';
/** The role that may lift the archive's protections, after a documented break-glass procedure (create it yourself). */
const BREAK_GLASS_ROLE = 'arn:aws:iam::222222222222:role/cloudtrail-break-glass';
/** The CDK bootstrap's CloudFormation execution role of the log-archive account, which deploys the archive stack. */
const ARCHIVE_DEPLOYMENT_ROLE = 'arn:aws:iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-us-east-1';
/** The same role of the security account, which deploys the alerting stacks. */
const SECURITY_DEPLOYMENT_ROLE = 'arn:aws:iam::333333333333:role/cdk-hnb659fds-cfn-exec-role-333333333333-us-east-1';

/**
 * The one fact every account shares. Every policy in the log-archive account is derived from it, so the
 * stacks need no cross-stack references and can be deployed by different pipelines.
 */
export const ORG_TRAIL = TrailIdentity.organization({
  trailName: 'organization-trail',
  organizationId: ORGANIZATION_ID,
  managementAccount: MANAGEMENT_ACCOUNT,
  homeRegion: HOME_REGION,
});

/** Built from names: the management account's stacks need no reference to the security account's stack. */
const CENTRAL_BUS_ARN = CentralDetectionBus.arnFor({ account: SECURITY_ACCOUNT, region: HOME_REGION });
const ALERT_TOPIC_ARNS = [
  `arn:aws:sns:${HOME_REGION}:${SECURITY_ACCOUNT}:${ALERTS_TOPIC}`,
  `arn:aws:sns:${HOME_REGION}:${SECURITY_ACCOUNT}:${ALERTS_HEALTH_TOPIC}`,
];

/** The pipeline-tampering detections of this setup's own archive, key account, trail, log group, alarms, topics and bus. */
export function pipelineDetections(): Detection[] {
  return Detection.pipelineTampering({
    archiveBucketNames: [ARCHIVE_BUCKET, ACCESS_LOGS_BUCKET],
    archiveKeyAccounts: [LOG_ARCHIVE_ACCOUNT],
    trailNames: [ORG_TRAIL.trailName],
    logGroupNames: [TRAIL_LOG_GROUP],
    alarmNamePrefixes: [ALARM_PREFIX],
    alertTopicArns: ALERT_TOPIC_ARNS,
    centralBusArns: [CENTRAL_BUS_ARN],
  });
}

/** The detections, the same for the forwarders and the alerts: the default tier and the pipeline's own. */
export function organizationDetections(): Detection[] {
  return Detection.defaultTier().concat(pipelineDetections());
}

/**
 * Log-archive account: the bucket and key the organization trail writes to, and the Athena forensics over
 * them (same account as the key, so investigators need no cross-account KMS access).
 */
export class LogArchiveStack extends Stack {
  public readonly archive: TrailArchive;
  public readonly analytics: TrailAnalytics;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    // Object Lock (GOVERNANCE, 365 days), versioning and a bucket and key policy that refuse every delete,
    // unlock and configuration change to anyone but the break-glass role and this stack's deployment role.
    this.archive = new TrailArchive(this, 'Archive', {
      writers: [ORG_TRAIL],
      bucketName: ARCHIVE_BUCKET,
      accessLogsBucketName: ACCESS_LOGS_BUCKET,
      keyAlias: ARCHIVE_KEY_ALIAS,
      breakGlassPrincipalArns: [BREAK_GLASS_ROLE],
    });
    acknowledgeNoReplication(this.archive);

    const events = new CloudTrailTable(this, 'Events', {
      identity: ORG_TRAIL,
      archive: this.archive,
      accounts: ORGANIZATION_ACCOUNTS,
      allowedRegions: ALLOWED_REGIONS,
      projectionStartDay: '2026/01/01',
    });
    const insights = new InsightsTable(this, 'Insights', {
      identity: ORG_TRAIL,
      archive: this.archive,
      accounts: ORGANIZATION_ACCOUNTS,
      allowedRegions: ALLOWED_REGIONS,
      projectionStartDay: '2026/01/01',
      database: events.database,
    });
    this.analytics = new TrailAnalytics(this, 'Analytics', {
      table: events,
      insightsTable: insights,
      resultsAccessLogsBucket: this.archive.accessLogsBucket,
    });
    acknowledgeNoReplication(this.analytics);

    // The signed digest files, for the integrity queries of docs/forensics.md ("Proof the record is whole").
    new DigestTable(this, 'Digests', {
      identity: ORG_TRAIL,
      archive: this.archive,
      accounts: ORGANIZATION_ACCOUNTS,
      allowedRegions: ALLOWED_REGIONS,
      projectionStartDay: '2026/01/01',
      database: events.database,
    });
  }
}

/**
 * Security (audit) account: the bus every account forwards detection events to, the alerts on it, and the
 * heartbeat monitor that alarms when any account's forwarding goes quiet.
 */
export class SecurityStack extends Stack {
  public readonly bus: CentralDetectionBus;
  public readonly alerts: SecurityAlerts;
  public readonly heartbeat: ForwardingHeartbeat;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.bus = new CentralDetectionBus(this, 'DetectionBus', { organizationId: ORGANIZATION_ID });
    this.alerts = new SecurityAlerts(this, 'Alerts', {
      eventBus: this.bus.eventBus,
      detections: organizationDetections(),
      topicName: ALERTS_TOPIC,
      healthTopicName: ALERTS_HEALTH_TOPIC,
      healthAlarmNamePrefix: ALERTS_ALARM_PREFIX,
      // Every alert ends with the Athena statement that lists what its principal did.
      investigation: { workGroupName: `${ORG_TRAIL.trailName}-forensics` },
    });
    // Alerts, and the alarms about the alert path itself (failed deliveries, dead letters), to the security team.
    this.alerts.topic.addSubscription(new subscriptions.EmailSubscription(SECURITY_TEAM_EMAIL));
    this.alerts.healthTopic!.addSubscription(new subscriptions.EmailSubscription(SECURITY_TEAM_EMAIL));

    // Every account and region writes a heartbeat along the forwarding path: one whose heartbeats stop raises an
    // alarm here, out of every member's reach, on this region's forwarding health topic.
    this.heartbeat = new ForwardingHeartbeat(this, 'Heartbeat', {
      eventBus: this.bus.eventBus,
      accounts: ORGANIZATION_ACCOUNTS,
      regions: ALLOWED_REGIONS,
    });
    this.heartbeat.topic.addSubscription(new subscriptions.EmailSubscription(SECURITY_TEAM_EMAIL));
  }
}

/** Security account, every other forwarded region: the forwarding health topic the alarms of that region notify. */
export class SecurityHealthStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const health = new ForwardingHealthTopic(this, 'ForwardingHealth');
    health.topic.addSubscription(new subscriptions.EmailSubscription(SECURITY_TEAM_EMAIL));
  }
}

/**
 * Management account, home region: the organization trail writing into the log-archive account's bucket,
 * the CIS and pipeline-tampering alarms on its log group (which receives every account's events and which no
 * member account can switch off), the StackSet that installs a forwarding rule in every member account and
 * region, the management account's own forwarding rule (a service-managed StackSet never deploys to the
 * management account), and the organization guardrails.
 */
export class ManagementStack extends Stack {
  public readonly trail: OrganizationTrail;
  public readonly alarms: CisAlarms;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const archive = TrailArchive.fromAttributes(this, 'Archive', {
      bucketName: ARCHIVE_BUCKET,
      // The key lives in the log-archive account; its alias ARN is known before that stack is deployed.
      keyArn: `arn:aws:kms:${HOME_REGION}:${LOG_ARCHIVE_ACCOUNT}:${ARCHIVE_KEY_ALIAS}`,
      accessLogsBucketName: ACCESS_LOGS_BUCKET,
      writers: [ORG_TRAIL],
    });
    this.trail = new OrganizationTrail(this, 'Trail', {
      identity: ORG_TRAIL,
      archive,
      // KMS's read-only calls (Decrypt, GenerateDataKey...) are the largest share of management events and say
      // little about who changed what; its write events (DisableKey, ScheduleKeyDeletion...) stay recorded.
      managementEvents: ManagementEvents.all({ excludedSources: [ManagementEventSource.KMS] }),
      // Who wrote or deleted which object, in every bucket except the archive (excluded automatically; only
      // deletions and lock changes in the archive are recorded).
      dataEvents: DataEventPresets.cisS3ObjectWriteEvents(),
      insights: [InsightType.API_CALL_RATE, InsightType.API_ERROR_RATE],
      // Needed by the metric-filter alarms (Security Hub CloudWatch.1-14) and for short-term search.
      cloudWatchLogs: { logGroupName: TRAIL_LOG_GROUP },
    });
    // The CIS controls and every pipeline-tampering detection, as metric filters on the organization trail's
    // log group: a backstop that no member account can silence, and an alarm if the log group goes quiet.
    const backstop = Detection.cis().concat(Detection.pipelineBuiltIns(), pipelineDetections());
    this.alarms = new CisAlarms(this, 'CisAlarms', {
      logGroup: this.trail.logGroup!,
      detections: backstop,
      alarmNamePrefix: ALARM_PREFIX,
    });
    this.alarms.topic.addSubscription(new subscriptions.EmailSubscription(SECURITY_TEAM_EMAIL));
    // Activity in any other region, from any account: the region-deny policy below stops most of it, this reports it.
    new RegionActivityAlarm(this, 'RegionActivity', {
      logGroup: this.trail.logGroup!,
      allowedRegions: ALLOWED_REGIONS,
      topic: this.alarms.topic,
    });

    new DetectionForwarder(this, 'DetectionForwarder', {
      centralBusArn: CENTRAL_BUS_ARN,
      organizationalUnitIds: [ORGANIZATION_ROOT_ID],
      regions: ALLOWED_REGIONS,
      detections: organizationDetections(),
      // The forwarding health alarms of every account notify the security account's topic of their region.
      healthTopicAccount: SECURITY_ACCOUNT,
    });
    new DetectionForwardingRule(this, 'DetectionForwarding', {
      centralBusArn: CENTRAL_BUS_ARN,
      detections: organizationDetections(),
      healthTopicAccount: SECURITY_ACCOUNT,
    });

    // Members may not touch the forwarding rule, role, policy, queue, alarms or heartbeat; only the security stack's
    // deployment role (and break-glass) may change the central bus, its rules or topics; only break-glass may destroy
    // or unlock the archive, not even its account's root user.
    new OrganizationGuardrails(this, 'Guardrails', {
      targetIds: [ORGANIZATION_ROOT_ID],
      archiveBucketNames: [ARCHIVE_BUCKET, ACCESS_LOGS_BUCKET],
      archiveKeyAccounts: [LOG_ARCHIVE_ACCOUNT],
      archiveDeploymentRoleArns: [ARCHIVE_DEPLOYMENT_ROLE],
      centralBusArns: [CENTRAL_BUS_ARN],
      alertTopicArns: ALERT_TOPIC_ARNS,
      alertingAlarmNamePrefixes: [ALERTS_ALARM_PREFIX],
      alertingDeploymentRoleArns: [SECURITY_DEPLOYMENT_ROLE],
      breakGlassPrincipalArns: [BREAK_GLASS_ROLE],
      allowedRegions: ALLOWED_REGIONS,
    });
  }
}

/** Management account, every other forwarded region: its own forwarding rule. */
export class ManagementForwardingStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    new DetectionForwardingRule(this, 'DetectionForwarding', {
      centralBusArn: CENTRAL_BUS_ARN,
      detections: organizationDetections(),
      healthTopicAccount: SECURITY_ACCOUNT,
    });
  }
}

/**
 * Adds the organization example's stacks to `app`. Every stack is termination-protected: deleting one would
 * stop the audit trail, its archive's protection or its alerts (the trail, archive and StackSet are also
 * retained if a stack is deleted anyway).
 */
export function buildOrganizationExample(app: App): Stack[] {
  const stacks: Stack[] = [
    new LogArchiveStack(app, 'CloudTrailLogArchive', {
      env: { account: LOG_ARCHIVE_ACCOUNT, region: HOME_REGION },
      terminationProtection: true,
    }),
    new SecurityStack(app, 'CloudTrailSecurity', {
      env: { account: SECURITY_ACCOUNT, region: HOME_REGION },
      terminationProtection: true,
    }),
    new ManagementStack(app, 'CloudTrailManagement', {
      env: { account: MANAGEMENT_ACCOUNT, region: HOME_REGION },
      terminationProtection: true,
    }),
  ];
  for (const region of ALLOWED_REGIONS) {
    if (region !== HOME_REGION) {
      stacks.push(new SecurityHealthStack(app, `CloudTrailSecurityHealth-${region}`, {
        env: { account: SECURITY_ACCOUNT, region },
        terminationProtection: true,
      }));
      stacks.push(new ManagementForwardingStack(app, `CloudTrailManagementForwarding-${region}`, {
        env: { account: MANAGEMENT_ACCOUNT, region },
        terminationProtection: true,
      }));
    }
  }
  return stacks;
}
// README:end
