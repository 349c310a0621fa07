import type { DetectionDefinition } from './catalog';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';
import { DetectionForwardingNames } from '../forwarding-names';

/**
 * Detections of the alert path's own health, from CloudWatch alarm events rather than CloudTrail records.
 *
 * A forwarding health alarm notifies the security account's forwarding health topic of its region; CloudWatch
 * also sends its state changes to EventBridge as "CloudWatch Alarm State Change" events (source
 * `aws.cloudwatch`, `detail.alarmName`, `detail.state.value`), which the forwarding rule carries to the
 * central bus like any other detection event. The pattern pins the AWS source, so a customer's PutEvents
 * cannot forge it, and the fixed alarm-name prefix, so other alarms of the account do not match.
 */
export const HEALTH_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'FORWARDING-HEALTH',
    title: 'Detection forwarding failing',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.008'],
    rationale: 'An account whose events no longer reach the central bus is an account nobody watches.',
    falsePositives: 'A transient failure of the central bus or its policy during a deployment.',
    description:
      'A forwarding health alarm of `DetectionForwardingRule` went into ALARM in an account and region: the ' +
      'forwarding rule failed to put events on the central detection bus, or events wait in its dead-letter ' +
      'queue. Until it is fixed, that account and region\'s detections do not reach the central bus. The ' +
      'alarm names start with `DetectionForwardingNames.ALARM_NAME_PREFIX`. The event is forwarded through the ' +
      'rule it reports on, so a rule that fails for every event (its role deleted, the bus policy changed) ' +
      'may not deliver it; the pipeline-tampering detection and the management account\'s log-group alarms ' +
      'report those changes.',
    eventPattern: {
      'source': ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      'detail': {
        alarmName: [{ prefix: DetectionForwardingNames.ALARM_NAME_PREFIX }],
        state: { value: ['ALARM'] },
      },
    },
  },
];
