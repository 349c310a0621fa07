import { Annotations, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_MAX_PATTERN_LENGTH, HARD_MAX_PATTERN_LENGTH } from './patterns';
import { fail } from '../../private/validation';
import { Detection } from '../detection';

/** EventBridge sends dead letters to a standard queue of the rule's own region only. */
export function validateGivenDeadLetterQueue(scope: IConstruct, queue: sqs.IQueue): void {
  const stack = Stack.of(scope);
  if (queue.fifo) {
    fail(scope, 'deadLetterQueue', queue.queueArn, 'must be a standard queue: EventBridge cannot use a FIFO queue as a dead-letter queue');
  }
  if (Token.compareStrings(queue.env.region, stack.region) === TokenComparison.DIFFERENT) {
    fail(scope, 'deadLetterQueue', queue.queueArn, `must be in the rules' region ${stack.region}, not ${queue.env.region}: ` +
      'EventBridge sends dead letters to a queue of its own region only');
  }
}

/**
 * EventBridge's default quota for an event pattern is 2,048 characters; it can be raised to 4,096, so a
 * longer pattern is a warning up to there and a refusal beyond.
 */
export function checkPatternLengths(scope: Construct, detections: readonly Detection[]): void {
  for (const d of detections) {
    const length = d.eventPatternLength;
    if (length > HARD_MAX_PATTERN_LENGTH) {
      fail(scope, 'detections', d.id, `has an event pattern of ${length} characters; EventBridge accepts at most ` +
        `${HARD_MAX_PATTERN_LENGTH} even with a quota increase`);
    }
    if (length > DEFAULT_MAX_PATTERN_LENGTH) {
      Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:detection:patternOverDefaultQuota',
        `${d.id}'s event pattern is ${length} characters, more than EventBridge's default quota of ` +
        `${DEFAULT_MAX_PATTERN_LENGTH}: the rule fails to deploy unless the account's event pattern size quota ` +
        `was raised (up to ${HARD_MAX_PATTERN_LENGTH}).`);
    }
  }
}
