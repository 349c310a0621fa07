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

  /** The forwarding dead-letter queue's name (unique per region). */
  public static readonly DEAD_LETTER_QUEUE_NAME = 'cloudtrail-governance-forwarding-dlq';

  /** The prefix of the forwarding health alarms' names. */
  public static readonly ALARM_NAME_PREFIX = 'cloudtrail-governance-forwarding-';

  /** The default name of the `DetectionForwarder` StackSet. */
  public static readonly STACK_SET_NAME = 'cloudtrail-governance-detection-forwarder';

  private constructor() {}
}
