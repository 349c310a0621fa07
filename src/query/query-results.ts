import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { enableEventBridgeNotifications, enableServerAccessLogging, hardenedBucket, rotatingKey, wholeDays } from '../private/secure';
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
    // The owner's path: resultsRetention is a prop of the construct that creates these results.
    const days = retentionDays(scope, props.retention);
    this.key = props.key ?? createKey(this, props.removalPolicy);
    this.accessLogged = props.accessLogsBucket !== undefined;
    this.bucket = hardenedBucket(this, 'Bucket', {
      encryptionKey: this.key,
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
    if (props.accessLogsBucket) {
      enableServerAccessLogging(this.bucket, props.accessLogsBucket, { prefix: ACCESS_LOGS_PREFIX });
    }
    enableEventBridgeNotifications(this.bucket);
    this.location = `s3://${this.bucket.bucketName}/${RESULTS_PREFIX}`;
  }
}

const ACCESS_LOGS_PREFIX = 'athena-query-results/';

function createKey(scope: Construct, removalPolicy: RemovalPolicy): kms.Key {
  return rotatingKey(scope, 'Key', { description: `Encrypts Athena query results in ${scope.node.path}`, removalPolicy });
}

function retentionDays(owner: IConstruct, retention: Duration): number | undefined {
  return retention.isUnresolved() ? undefined : wholeDays(owner, 'resultsRetention', retention, 1);
}
