import * as events from 'aws-cdk-lib/aws-events';

/**
 * Lets the rule match read-only management events (Get*, List*, Describe*) delivered by CloudTrail.
 * EventBridge drops those before rule matching unless the rule's state is
 * `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`; the L2 has no property for that state.
 */
export function readAllManagementEvents(rule: events.Rule): void {
  (rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
}
