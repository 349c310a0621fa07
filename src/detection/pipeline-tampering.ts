/**
 * The resources of one CloudTrail setup that `Detection.pipelineTampering` watches. Every name must be literal
 * (detection patterns are compared offline): give the physical names you set on the resources.
 */
export interface PipelineTamperingProps {
  /**
   * Names of the archive's log buckets (and of its access-log bucket, if you want it watched too).
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
   * ARNs of the topics alerts and alarms are published to.
   *
   * @default - no topic is watched
   */
  readonly alertTopicArns?: string[];
}
