/**
 * The resources of one CloudTrail setup that `Detection.pipelineTampering` watches. Every name must be literal
 * (detection patterns are compared offline): give the physical names you set on the resources.
 */
export interface PipelineTamperingProps {
  /**
   * Names of the archive's log buckets and of their access-log buckets (`TrailArchive.accessLogsBucket`), which
   * hold the record of who read or tried to delete the logs.
   *
   * @default - no bucket is watched
   */
  readonly archiveBucketNames?: string[];

  /**
   * Accounts that hold the archive's KMS key (the log-archive account, or the security account when the key
   * lives there). Key deletion, disabling, key-policy and alias changes of every key of these accounts match:
   * KMS names keys by id, which is not known before deployment.
   *
   * @default - no account is watched
   */
  readonly archiveKeyAccounts?: string[];

  /**
   * Names of the trails.
   *
   * @default - no trail is watched (CLOUDTRAIL-TAMPERING still covers every trail)
   */
  readonly trailNames?: string[];

  /**
   * Names of the trails' CloudWatch Logs groups.
   *
   * @default - no log group is watched
   */
  readonly logGroupNames?: string[];

  /**
   * Prefixes of the names of alarms that guard the pipeline (the `alarmNamePrefix` of `CisAlarms`, health alarms).
   *
   * @default - no alarm is watched beyond the forwarding health alarms
   */
  readonly alarmNamePrefixes?: string[];

  /**
   * ARNs of the central detection buses (`CentralDetectionBus.arnFor(...)`): their resource policy, the buses
   * themselves and every rule on them are watched (`PIPELINE-CENTRAL-BUS-TAMPERING`).
   *
   * @default - no bus is watched
   */
  readonly centralBusArns?: string[];

  /**
   * ARNs of the topics alerts and alarms are published to.
   *
   * @default - no topic is watched
   */
  readonly alertTopicArns?: string[];
}
