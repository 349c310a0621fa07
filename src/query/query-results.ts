import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { denyManualGrants } from '../private/kms';
import { fail } from '../private/validation';
import { s3ViaService } from '../private/service-endpoints';

/** Inputs of {@link QueryResults}. */
export interface QueryResultsProps {
  readonly retention: Duration;
  readonly key?: kms.IKey;
  readonly accessLogsBucket?: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
}

const RESULTS_PREFIX = 'results/';

/**
 * The bucket and key for Athena query results. Results are copies of log data, so they get the
 * archive's protections (KMS, no public access, TLS only, versioning, retention) but expire.
 */
export class QueryResults extends Construct {
  /**
   * Read and write of result objects, through S3 only for the key: Athena writes and reads results
   * with the caller's credentials, and S3 uses the key on the caller's behalf.
   */
  public static grantReadWrite(bucket: s3.IBucket, key: kms.IKey, grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(bucket);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      resourceArns: [bucket.bucketArn],
    }).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resourceArns: [bucket.arnForObjects(`${RESULTS_PREFIX}*`)],
    })).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resourceArns: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': s3ViaService(stack) } },
    }));
  }

  public readonly bucket: s3.Bucket;
  public readonly key: kms.IKey;
  public readonly location: string;
  public readonly accessLogged: boolean;

  constructor(scope: Construct, id: string, props: QueryResultsProps) {
    super(scope, id);
    const days = retentionDays(props.retention);
    this.key = props.key ?? createKey(this, props.removalPolicy);
    this.accessLogged = props.accessLogsBucket !== undefined;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: days === undefined ? props.retention : Duration.days(days),
          // Versioning turns expiry into a delete marker; the data goes a day later.
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
    });
    if (props.accessLogsBucket) enableServerAccessLogging(this.bucket, props.accessLogsBucket);
    // EventBridge notifications (Control Tower CT.S3.PR.4) through the CloudFormation property: the
    // L2's eventBridgeEnabled deploys a Lambda-backed custom resource to do the same.
    (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    this.location = `s3://${this.bucket.bucketName}/${RESULTS_PREFIX}`;
  }
}

const ACCESS_LOGS_PREFIX = 'athena-query-results/';

/**
 * Server access logging through the L1 and a bucket policy grant to the S3 logging service: without
 * the `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` feature flag the L2 grants through an ACL,
 * which BucketOwnerEnforced buckets (the archive's access-log bucket) reject. An imported target
 * keeps its own policy, which must let the logging service write the prefix.
 */
function enableServerAccessLogging(bucket: s3.Bucket, target: s3.IBucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: target.bucketName,
    logFilePrefix: ACCESS_LOGS_PREFIX,
  };
  // Naming this bucket in a policy of another stack would make the two stacks reference each other.
  const sameStack = Stack.of(target) === Stack.of(bucket);
  target.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [target.arnForObjects(`${ACCESS_LOGS_PREFIX}*`)],
    conditions: {
      ...(sameStack ? { ArnLike: { 'aws:SourceArn': bucket.bucketArn } } : {}),
      StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account },
    },
  }));
}

function createKey(scope: Construct, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, 'Key', {
    description: `Encrypts Athena query results in ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy,
  });
  denyManualGrants(key);
  return key;
}

function retentionDays(retention: Duration): number | undefined {
  if (retention.isUnresolved()) return undefined;
  const rule = 'must be a whole number of days, at least 1';
  let days: number;
  try {
    days = retention.toDays();
  } catch {
    return fail('resultsRetention', retention.toHumanString(), rule);
  }
  if (days < 1) fail('resultsRetention', retention.toHumanString(), rule);
  return days;
}
