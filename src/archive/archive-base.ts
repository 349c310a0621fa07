import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { TrailIdentity } from '../identity/trail-identity';

/**
 * Where CloudTrail log files are kept: the log bucket and the KMS key that encrypts them.
 * Implemented by {@link TrailArchive} and by its `fromAttributes` import.
 */
export interface ITrailArchive extends IConstruct {
  /** The bucket CloudTrail writes log files to. */
  readonly bucket: s3.IBucket;

  /** The customer managed key that encrypts the log files. */
  readonly key: kms.IKey;

  /**
   * The bucket that receives the log bucket's S3 server access logs.
   *
   * @default - unknown (imported archive without it)
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * The trails whose bucket and key policies let them write, where known; a trail checks it is listed.
   *
   * @default - unknown (imported archive without `writers`)
   */
  readonly writers?: TrailIdentity[];

  /**
   * Lets `grantee` list the log bucket, read the CloudTrail log objects and decrypt them. Decryption is
   * limited to data keys whose encryption context names a CloudTrail trail.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}
