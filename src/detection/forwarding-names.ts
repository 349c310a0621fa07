/**
 * The fixed physical names of the forwarding resources that `DetectionForwardingRule` (and so every
 * `DetectionForwarder` stack instance) creates in each account and region.
 *
 * They are fixed so that organization guardrails (service control policies) and the pipeline-tampering
 * detection can name them in every account without knowing any stack: a member-account administrator
 * who deletes, disables or re-targets the forwarding rule, or changes its role or queue, is denied by
 * the guardrail and reported by the detection. Because the names are fixed, each account and region
 * holds one forwarding rule.
 */
export class DetectionForwardingNames {
  /** The forwarding rule's name, on each account's default event bus (unique per region). */
  public static readonly RULE_NAME = 'cloudtrail-governance-forwarding';

  /**
   * The prefix of the forwarding role's name; the region follows (IAM role names are global to the
   * account, so each region's rule has its own role): `cloudtrail-governance-forwarding-us-east-1`.
   */
  public static readonly ROLE_NAME_PREFIX = 'cloudtrail-governance-forwarding-';

  /**
   * The prefix of the name of the customer managed policy that lets the forwarding role put events on the central
   * bus; the region follows, as for the role (`cloudtrail-governance-forwarding-us-east-1`). Fixed, so that the
   * guardrail can keep its versions from being replaced and the detection can name it (`policyArn`).
   */
  public static readonly POLICY_NAME_PREFIX = 'cloudtrail-governance-forwarding-';

  /**
   * The prefix of the heartbeat role's name (the role EventBridge Scheduler uses for the heartbeat call); the
   * region follows. It starts with `ROLE_NAME_PREFIX`, so every guardrail and detection of the forwarding roles
   * covers it too.
   */
  public static readonly HEARTBEAT_ROLE_NAME_PREFIX = 'cloudtrail-governance-forwarding-heartbeat-';

  /** The heartbeat schedule's name, in each region's `default` schedule group. */
  public static readonly HEARTBEAT_SCHEDULE_NAME = 'cloudtrail-governance-forwarding-heartbeat';

  /**
   * The Systems Manager parameter the heartbeat writes (its value is the scheduled time). The write is a
   * CloudTrail management event that travels exactly the path every other event takes: CloudTrail, the
   * account's default event bus, the forwarding rule and role, the central bus.
   */
  public static readonly HEARTBEAT_PARAMETER_NAME = '/cloudtrail-governance/forwarding-heartbeat';

  /**
   * The name of the topic, in the security account and in each forwarded region, that the forwarding health
   * alarms of every account notify (`ForwardingHealthTopic`): outside the path they watch.
   */
  public static readonly HEALTH_TOPIC_NAME = 'cloudtrail-governance-forwarding-health';

  /**
   * The name of the log group, in the security account, where `ForwardingHeartbeat` keeps the heartbeats that
   * reached the central bus (its metric filter counts them per account).
   */
  public static readonly HEARTBEAT_LOG_GROUP_NAME = '/cloudtrail-governance/forwarding-heartbeats';

  /**
   * The prefix of the names of `ForwardingHeartbeat`'s alarms in the security account; the account id follows.
   * Apart from `ALARM_NAME_PREFIX`, so that the forwarding guardrail (which only the StackSet may pass) does not
   * cover the security account's own deployment of these alarms.
   */
  public static readonly HEARTBEAT_ALARM_NAME_PREFIX = 'cloudtrail-governance-heartbeat-';

  /** The forwarding dead-letter queue's name (unique per region). */
  public static readonly DEAD_LETTER_QUEUE_NAME = 'cloudtrail-governance-forwarding-dlq';

  /** The prefix of the forwarding health alarms' names. */
  public static readonly ALARM_NAME_PREFIX = 'cloudtrail-governance-forwarding-';

  /** The default name of the `DetectionForwarder` StackSet. */
  public static readonly STACK_SET_NAME = 'cloudtrail-governance-detection-forwarder';

  private constructor() {}
}
