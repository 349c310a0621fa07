import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { EventSelectionInput, RenderedEventSelection, renderEventSelection } from '../../../src/trail/event-selection/render';

export type Input = Partial<EventSelectionInput>;

/** Renders in a fresh stack, with the `aws` partition and no exclusions unless `input` says otherwise. */
export function render(input: Input = {}, stack: Stack = new Stack()): RenderedEventSelection {
  return renderEventSelection(stack, { partition: 'aws', excludedBucketArns: [], ...input });
}

/**
 * What CloudFormation receives: the rendered selection put on a CfnTrail and resolved, so the
 * assertions see `Equals`/`NotStartsWith` keys and resolved tokens exactly as deployed. Resolving the
 * resource alone skips the app-wide synthesis (and its template validation), which keeps tests fast.
 */
export function synthesize(input: Input = {}, stack: Stack = new Stack()): { [key: string]: any } {
  const selection = render(input, stack);
  const trail = new CfnTrail(stack, 'Trail', { isLogging: true, s3BucketName: 'archive-bucket', ...selection });
  return stack.resolve((trail as any)._toCloudFormation()).Resources.Trail.Properties;
}

/** Like {@link synthesize}, through a full synthesis of the app (with CloudFormation schema validation). */
export function synthesizeTemplate(input: Input = {}, stack: Stack = new Stack()): { [key: string]: any } {
  const selection = render(input, stack);
  new CfnTrail(stack, 'Trail', { isLogging: true, s3BucketName: 'archive-bucket', ...selection });
  return Template.fromStack(stack).findResources('AWS::CloudTrail::Trail').Trail.Properties;
}

/** The `AdvancedEventSelectors` CloudFormation receives. */
export function selectors(input: Input = {}, stack: Stack = new Stack()): any[] {
  return synthesize(input, stack).AdvancedEventSelectors;
}

/** The warnings attached to the stack (where the selection reports them), with their `[ack: id]` suffix. */
export function warningsOf(stack: Stack): string[] {
  return stack.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));
}

/** The management events selector CloudTrail gets by default, first in every rendered list. */
export const ALL_MANAGEMENT = {
  Name: 'All management events',
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
};
