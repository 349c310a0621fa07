import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { readAllManagementEvents } from '../../src/private/secure';

test('readAllManagementEvents sets the rule state that lets read-only management events through', () => {
  const stack = new Stack(new App(), 'Stack');
  const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['aws.iam'] } });
  const untouched = new events.Rule(stack, 'Untouched', { eventPattern: { source: ['aws.s3'] } });
  readAllManagementEvents(rule);
  const template = Template.fromStack(stack);
  const state = (r: events.Rule) => template.toJSON().Resources[stack.getLogicalId(r.node.defaultChild as events.CfnRule)].Properties.State;
  expect(state(rule)).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  expect(state(untouched)).toBe('ENABLED');
});
