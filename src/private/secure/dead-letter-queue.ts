import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeEventBridgeDeadLetterQueue } from '../acknowledgements';

export interface DeadLetterQueueOptions {
  readonly queueName: string;
  /** SSE-KMS with this key; SQS-managed encryption without it. */
  readonly encryptionKey?: kms.IKey;
  /** RETAIN unless given: the queue holds the events that could not be delivered. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The queue EventBridge puts undeliverable events on: encrypted, TLS only, and keeping messages for
 * the 14 days SQS allows at most, so a delivery failure noticed after a long weekend loses nothing.
 */
export function deadLetterQueue(scope: Construct, id: string, options: DeadLetterQueueOptions): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    queueName: options.queueName,
    ...(options.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: options.encryptionKey }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // EventBridge uses this queue as a dead-letter queue; no source queue needs restricting.
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  acknowledgeEventBridgeDeadLetterQueue(queue);
  return queue;
}
