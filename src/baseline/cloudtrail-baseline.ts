import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ITrailArchive } from '../archive/archive-base';
import { TrailArchive, TrailArchiveOptions } from '../archive/trail-archive';
import { CisAlarms } from '../detection/cis-alarms';
import { Detection } from '../detection/detection';
import { SecurityAlerts } from '../detection/security-alerts';
import { VolumeAlarms } from '../detection/volume-alarms';
import { TrailIdentity } from '../identity/trail-identity';
import { ValidationError, withScope } from '../private/validation';
import { CloudTrailTable } from '../query/cloudtrail-table';
import { InsightsTable } from '../query/insights-table';
import { TrailAnalytics } from '../query/trail-analytics';
import { AccountTrail } from '../trail/account-trail';
import { DataEvents } from '../trail/event-selection/data-events';
import { InsightType } from '../trail/event-selection/insights';
import { ManagementEvents } from '../trail/event-selection/management-events';
import { NetworkActivityEvents } from '../trail/event-selection/network-activity';
import { DataEventPresets } from '../trail/event-selection/presets';
import { TrailCloudWatchLogsOptions } from '../trail/trail-base';

/**
 * Properties of a {@link CloudTrailBaseline}.
 */
export interface CloudTrailBaselineProps {
  /**
   * Name of the trail.
   *
   * @default 'account-trail'
   */
  readonly trailName?: string;

  /**
   * S3 key prefix of the log files.
   *
   * @default - no prefix
   */
  readonly s3KeyPrefix?: string;

  /**
   * An existing archive to write to (for example one shared by several accounts' trails). Its bucket and
   * key policies must already allow this trail.
   *
   * @default - a new TrailArchive in this stack
   */
  readonly archive?: ITrailArchive;

  /**
   * How the new archive keeps the logs. Only used when no `archive` is given.
   *
   * @default - TrailArchive's defaults (7 years, Glacier IR after 90 days for objects over 128 KiB, RETAIN)
   */
  readonly archiveOptions?: TrailArchiveOptions;

  /**
   * Record every region (true) or only the stack's region.
   *
   * @default true
   */
  readonly multiRegion?: boolean;

  /**
   * Which management events to record.
   *
   * @default ManagementEvents.all()
   */
  readonly managementEvents?: ManagementEvents;

  /**
   * Which data events to record. Pass an empty list to record none.
   *
   * @default DataEventPresets.cisS3ObjectWriteEvents(): S3 object writes in every bucket but the archive
   */
  readonly dataEvents?: DataEvents[];

  /**
   * Which network activity events to record.
   *
   * @default - none
   */
  readonly networkActivityEvents?: NetworkActivityEvents[];

  /**
   * Insights types to enable. Pass an empty list for none (Insights are billed per event analyzed).
   *
   * @default [InsightType.API_CALL_RATE, InsightType.API_ERROR_RATE]
   */
  readonly insights?: InsightType[];

  /**
   * Deliver the trail's events to a KMS-encrypted CloudWatch Logs group. Required by `cisAlarms`.
   *
   * @default true
   */
  readonly cloudWatchLogs?: boolean;

  /**
   * Options of the CloudWatch Logs delivery.
   *
   * @default - `/aws/cloudtrail/<trailName>`, one year, RETAIN
   */
  readonly cloudWatchLogsOptions?: TrailCloudWatchLogsOptions;

  /**
   * EventBridge alerts on the account's default bus for `detections`.
   *
   * @default true
   */
  readonly alerts?: boolean;

  /**
   * The detections the alerts cover.
   *
   * @default - `Detection.defaultTier()` plus `Detection.pipelineTampering` for this baseline's own trail, log
   * group, alarms, archive and access-log buckets (when named) and account
   */
  readonly detections?: Detection[];

  /**
   * An existing topic to publish alerts and alarm notifications to. If it is encrypted, its key must be a
   * customer managed key whose policy admits EventBridge and CloudWatch (an AWS managed key is refused).
   *
   * @default - a new KMS-encrypted topic
   */
  readonly alertsTopic?: sns.ITopic;

  /**
   * Also alert on the hunting tier (noisier detections, see `Detection.huntingTier()`), and run the volume
   * detections (`VolumeAlarms`: bursts of secret reads, decrypted parameter reads, denied enumeration) on the
   * trail's log group. Ignored for the alerts when `detections` is given.
   *
   * @default false
   */
  readonly huntingTier?: boolean;

  /**
   * One CloudWatch metric filter and alarm per CIS AWS Foundations monitoring control (4.1-4.15), and per
   * pipeline-tampering detection of this baseline, on the trail's log group, notifying the alerts topic. The
   * alarms are named `<trailName>-<detection id>`.
   *
   * @default true
   */
  readonly cisAlarms?: boolean;

  /**
   * A Glue table over the logs (and the Insights events when Insights are on) and an Athena workgroup
   * with the saved forensic queries. Costs nothing until queried.
   *
   * @default true
   */
  readonly analytics?: boolean;

  /**
   * The regions the Glue tables project for the `region` partition (the regions your accounts use). Pin them to
   * keep the template stable across aws-cdk-lib upgrades, whose region list grows; required when the stack's
   * region is not known at synth time (an environment-agnostic stack).
   *
   * @default - every region of the stack's partition known to this aws-cdk-lib version
   */
  readonly regions?: string[];

  /**
   * The Glue database of the tables. Required when `trailName` is not known at synth time (a parameter).
   *
   * @default - derived from the trail name
   */
  readonly databaseName?: string;
}

/**
 * A complete CloudTrail setup for one account in one construct: archive, multi-region trail with event
 * selection and Insights, CloudWatch Logs, EventBridge alerts, CIS metric-filter alarms and the Athena
 * forensics, with the library's secure, cost-aware defaults. Every part can be switched off or replaced by
 * an existing resource.
 *
 * For an organization, compose the parts across the management, log-archive and security accounts instead
 * (see the README's organization walkthrough).
 */
export class CloudTrailBaseline extends Construct {
  /** The trail's identity. */
  public readonly identity: TrailIdentity;

  /** The archive the trail writes to. */
  public readonly archive: ITrailArchive;

  /** The trail. */
  public readonly trail: AccountTrail;

  /**
   * The topic alerts and alarms notify.
   *
   * @default - none when both `alerts` and `cisAlarms` are off and no `alertsTopic` was given
   */
  public readonly alertsTopic?: sns.ITopic;

  /**
   * The pipeline-tampering detections for this baseline's own resources (`Detection.pipelineTampering`), part of
   * the default alerts and alarms; empty when no resource has a name known at synth time.
   */
  public readonly pipelineDetections: Detection[];

  /**
   * The EventBridge alerts.
   *
   * @default - none when `alerts` is false
   */
  public readonly alerts?: SecurityAlerts;

  /**
   * The CIS metric-filter alarms.
   *
   * @default - none when `cisAlarms` is false
   */
  public readonly cisAlarms?: CisAlarms;

  /**
   * The volume detections' Contributor Insights rules and alarms.
   *
   * @default - none unless `huntingTier` is true
   */
  public readonly volumeAlarms?: VolumeAlarms;

  /**
   * The Glue table over the log files.
   *
   * @default - none when `analytics` is false
   */
  public readonly table?: CloudTrailTable;

  /**
   * The Glue table over the Insights events.
   *
   * @default - none when `analytics` is false or no Insights are enabled
   */
  public readonly insightsTable?: InsightsTable;

  /**
   * The Athena workgroup with the saved forensic queries.
   *
   * @default - none when `analytics` is false
   */
  public readonly analytics?: TrailAnalytics;

  constructor(scope: Construct, id: string, props: CloudTrailBaselineProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatchLogs = props.cloudWatchLogs ?? true;
    const cisAlarms = props.cisAlarms ?? true;
    if (cisAlarms && !cloudWatchLogs) {
      throw new ValidationError(this, 'cisAlarms true requires cloudWatchLogs true: the CIS metric filters run on the trail\'s log group');
    }
    if (props.archive && props.archiveOptions) {
      throw new ValidationError(this, 'archiveOptions cannot be combined with archive: they configure the archive this construct creates');
    }

    this.identity = withScope(this, () => TrailIdentity.account({
      trailName: props.trailName ?? 'account-trail',
      account: stack.account,
      homeRegion: stack.region,
      s3KeyPrefix: props.s3KeyPrefix,
    }));
    this.archive = props.archive ?? new TrailArchive(this, 'Archive', {
      ...props.archiveOptions,
      writers: [this.identity],
    });

    const insights = props.insights ?? [InsightType.API_CALL_RATE, InsightType.API_ERROR_RATE];
    this.trail = new AccountTrail(this, 'Trail', {
      identity: this.identity,
      archive: this.archive,
      multiRegion: props.multiRegion,
      managementEvents: props.managementEvents,
      dataEvents: props.dataEvents ?? DataEventPresets.cisS3ObjectWriteEvents(),
      networkActivityEvents: props.networkActivityEvents,
      insights,
      cloudWatchLogs: cloudWatchLogs ? props.cloudWatchLogsOptions ?? {} : undefined,
    });

    this.pipelineDetections = this.pipelineTampering(props, cloudWatchLogs && cisAlarms);

    const alerts = props.alerts ?? true;
    if (alerts) {
      this.alerts = new SecurityAlerts(this, 'Alerts', {
        detections: props.detections
          ?? [...(props.huntingTier ? Detection.all() : Detection.defaultTier()), ...this.pipelineDetections],
        topic: props.alertsTopic,
      });
      this.alertsTopic = this.alerts.topic;
    } else {
      this.alertsTopic = props.alertsTopic;
    }

    if (cisAlarms) {
      if (!this.alertsTopic) {
        throw new ValidationError(this, 'cisAlarms true with alerts false requires alertsTopic: the alarms need a topic to notify');
      }
      this.cisAlarms = new CisAlarms(this, 'CisAlarms', {
        detections: [...Detection.cis(), ...this.pipelineDetections],
        alarmNamePrefix: Token.isUnresolved(this.identity.trailName) ? undefined : `${this.identity.trailName}-`,
        logGroup: this.trail.logGroup!,
        topic: this.alertsTopic,
      });
    }

    if (props.huntingTier) {
      if (!this.trail.logGroup) {
        throw new ValidationError(this, 'huntingTier true requires cloudWatchLogs true: the volume detections run on the trail\'s log group');
      }
      this.volumeAlarms = new VolumeAlarms(this, 'VolumeAlarms', { logGroup: this.trail.logGroup, alarmTopic: this.alertsTopic });
    }

    if ((props.analytics ?? true) && !this.trail.recordsKmsWriteEvents) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:baseline:kmsWriteEventsNotRecorded',
        'The trail records no write management events, so the KMS forensic query (kms_key_disable_or_deletion) ' +
        'finds nothing: record write management events (excluding KMS keeps its write events).');
    }
    if (props.analytics ?? true) {
      if (Token.isUnresolved(stack.region) && props.regions === undefined) {
        throw new ValidationError(this, 'regions must be given when the stack\'s region is not known at synth time (an ' +
          'environment-agnostic stack): the Glue tables project one partition per region, e.g. ' +
          'regions: [\'us-east-1\', \'eu-west-1\'], or set env on the stack');
      }
      if (Token.isUnresolved(this.identity.trailName) && props.databaseName === undefined) {
        throw new ValidationError(this, 'databaseName must be given when trailName is not known at synth time: the Glue database ' +
          'is named after the trail');
      }
      this.table = new CloudTrailTable(this, 'Table', {
        identity: this.identity,
        archive: this.archive,
        regions: props.regions,
        databaseName: props.databaseName,
      });
      if (insights.length > 0) {
        this.insightsTable = new InsightsTable(this, 'InsightsTable', {
          identity: this.identity,
          archive: this.archive,
          database: this.table.database,
          regions: props.regions,
        });
      }
      this.analytics = new TrailAnalytics(this, 'Analytics', {
        table: this.table,
        insightsTable: this.insightsTable,
        resultsAccessLogsBucket: this.archive.accessLogsBucket,
      });
    }
  }

  /** The names of this baseline's own resources that are known at synth time (detection patterns are literal). */
  private pipelineTampering(props: CloudTrailBaselineProps, alarms: boolean): Detection[] {
    const literal = (value: string | undefined) => value !== undefined && !Token.isUnresolved(value) ? [value] : [];
    const trailName = this.identity.trailName;
    const logGroupName = props.cloudWatchLogs === false ? undefined
      : props.cloudWatchLogsOptions?.logGroupName ?? (Token.isUnresolved(trailName) ? undefined : `/aws/cloudtrail/${trailName}`);
    const names = {
      trailNames: literal(trailName),
      logGroupNames: literal(logGroupName),
      alarmNamePrefixes: alarms ? literal(Token.isUnresolved(trailName) ? undefined : `${trailName}-`) : [],
      // The access-log bucket records who read or tried to delete the logs: it is watched with the log bucket.
      archiveBucketNames: [
        ...literal(props.archive ? props.archive.bucket.bucketName : props.archiveOptions?.bucketName),
        ...literal(props.archive ? props.archive.accessLogsBucket?.bucketName : props.archiveOptions?.accessLogsBucketName),
      ],
      archiveKeyAccounts: props.archive ? [] : literal(Stack.of(this).account),
    };
    return Object.values(names).some(v => v.length > 0) ? withScope(this, () => Detection.pipelineTampering(names)) : [];
  }

}
