import * as events from 'aws-cdk-lib/aws-events';

/**
 * Lets the rule match the read-only management events CloudTrail delivers (mostly Describe*, Get* and
 * List* calls): a rule in the plain ENABLED state is not matched against them. Rules on partner buses
 * never see AWS events, so this is for default and custom buses; the L2 has no property for the state.
 */
export function readAllManagementEvents(rule: events.Rule): void {
  (rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
}
