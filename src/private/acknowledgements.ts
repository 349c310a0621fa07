import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * cdk-nag's AwsSolutions-SQS3 ("the queue has no dead-letter queue") only recognizes a queue as a
 * dead-letter queue when an SQS queue or a Lambda function points at it. The queues of this library
 * are the dead-letter queues of EventBridge targets; a dead-letter queue of their own would only move
 * the question one queue further.
 */
export function acknowledgeEventBridgeDeadLetterQueue(queue: IConstruct): void {
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is the dead-letter queue of EventBridge targets; cdk-nag only recognizes SQS and Lambda dead-letter queues.',
  });
}
