import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ITrailArchive } from '../../../src/archive/archive-base';
import { TrailIdentity } from '../../../src/identity/trail-identity';

/** Props of {@link StandInArchive}. */
export interface StandInArchiveProps {
  readonly identity: TrailIdentity;
  readonly bucketName: string;
  readonly keyArn: string;
  /** Import an access-log bucket of this name. */
  readonly accessLogsBucketName?: string;
  /** The access-log bucket's account, when not the stack's. */
  readonly accessLogsBucketAccount?: string;
}

/**
 * An imported archive for the query tests: the real `TrailArchive` is another part of the library,
 * and the tables only rely on the `ITrailArchive` contract.
 */
export class StandInArchive extends Construct implements ITrailArchive {
  public readonly bucket: s3.IBucket;
  public readonly key: kms.IKey;
  public readonly accessLogsBucket?: s3.IBucket;
  private readonly identity: TrailIdentity;

  constructor(scope: Construct, id: string, props: StandInArchiveProps) {
    super(scope, id);
    this.identity = props.identity;
    this.key = kms.Key.fromKeyArn(this, 'Key', props.keyArn);
    this.bucket = s3.Bucket.fromBucketAttributes(this, 'Bucket', {
      bucketName: props.bucketName,
      encryptionKey: this.key,
    });
    if (props.accessLogsBucketName) {
      this.accessLogsBucket = s3.Bucket.fromBucketAttributes(this, 'AccessLogs', {
        bucketName: props.accessLogsBucketName,
        account: props.accessLogsBucketAccount,
      });
    }
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: this.identity.logPrefixes.map(p => this.bucket.arnForObjects(`${p}*`)),
    }).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resourceArns: [this.bucket.bucketArn],
    })).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: this.identity.encryptionContextCondition(),
    }));
  }
}
