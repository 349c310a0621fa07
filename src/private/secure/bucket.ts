import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface HardenedBucketOptions {
  readonly bucketName?: string;
  /**
   * The key of SSE-KMS (with an S3 Bucket Key, which cuts the KMS requests per object to one per
   * bucket and time window). Without it the bucket uses SSE-S3, the only encryption S3 server access
   * logging delivers to.
   */
  readonly encryptionKey?: kms.IKey;
  /** RETAIN unless given: a bucket of this library holds audit data. */
  readonly removalPolicy?: RemovalPolicy;
  readonly lifecycleRules?: s3.LifecycleRule[];
  readonly transitionDefaultMinimumObjectSize?: s3.TransitionDefaultMinimumObjectSize;
  readonly objectLockEnabled?: boolean;
  readonly objectLockDefaultRetention?: s3.ObjectLockRetention;
}

/**
 * A bucket nobody outside the account can reach by accident: public access blocked, ACLs off (the
 * bucket owner owns every object), requests over TLS 1.2 or later only, versioned so an overwrite or
 * delete keeps the previous data, encrypted at rest, retained with the stack by default.
 */
export function hardenedBucket(scope: Construct, id: string, options: HardenedBucketOptions): s3.Bucket {
  const { encryptionKey, removalPolicy, ...rest } = options;
  return new s3.Bucket(scope, id, {
    ...rest,
    ...(encryptionKey
      ? { encryption: s3.BucketEncryption.KMS, encryptionKey, bucketKeyEnabled: true }
      : { encryption: s3.BucketEncryption.S3_MANAGED }),
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    removalPolicy: removalPolicy ?? RemovalPolicy.RETAIN,
  });
}

export interface ServerAccessLoggingOptions {
  /** The key prefix of the log objects in the target bucket, ending in "/". */
  readonly prefix: string;
  /** The Sid of the target's bucket policy statement. */
  readonly sid?: string;
}

/**
 * Turns on server access logging of `bucket` into `target` with a bucket policy grant to the S3
 * logging service. Done on the L1 rather than through `serverAccessLogsBucket` because without the
 * `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` feature flag the L2 grants through an ACL, which
 * BucketOwnerEnforced buckets reject. An imported target keeps its own policy, which must let the
 * logging service write the prefix.
 */
export function enableServerAccessLogging(bucket: s3.Bucket, target: s3.IBucket, options: ServerAccessLoggingOptions): void {
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: target.bucketName,
    logFilePrefix: options.prefix,
  };
  // aws:SourceArn (the source bucket) and aws:SourceAccount are the S3 user guide's conditions for this grant
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). Naming the source
  // bucket in a policy of another stack would make the two stacks reference each other; the account condition
  // still confines the grant to this account's buckets.
  const sameStack = Stack.of(target) === Stack.of(bucket);
  target.addToResourcePolicy(new iam.PolicyStatement({
    sid: options.sid,
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [target.arnForObjects(`${options.prefix}*`)],
    conditions: {
      ...(sameStack ? { ArnLike: { 'aws:SourceArn': bucket.bucketArn } } : {}),
      StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account },
    },
  }));
}

/**
 * Sends the bucket's object events (an object deleted or restored) to EventBridge, where detections
 * can match them (Control Tower CT.S3.PR.4). Set on the L1: the L2's `eventBridgeEnabled` deploys a
 * Lambda-backed custom resource.
 */
export function enableEventBridgeNotifications(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
}
