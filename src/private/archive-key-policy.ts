import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TrailIdentity } from '../identity/trail-identity';

/**
 * The key-policy statements that let the given trails encrypt their log files with `key`, written once
 * for the archive's own key and for an archive key kept in another account. The encryption context and
 * `aws:SourceArn` conditions, and Decrypt for S3 Bucket Keys, are the CloudTrail user guide's
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
 */
export function allowTrailWritersToEncrypt(key: kms.Key, writers: TrailIdentity[]): void {
  const cloudtrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  writers.forEach((writer, index) => {
    const sourceArn = writer.sourceArnCondition();
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `CloudTrailEncrypt${index}`,
      principals: [cloudtrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { ...writer.encryptionContextCondition(), ...sourceArn },
    }));
    // DescribeKey validates the key when the trail is created or updated; Decrypt is required
    // because the bucket uses S3 Bucket Keys.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `CloudTrailDescribeDecrypt${index}`,
      principals: [cloudtrail],
      actions: ['kms:DescribeKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: sourceArn,
    }));
  });
}
