import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TrailIdentity } from '../identity/trail-identity';

/**
 * The key-policy statements that let the given trails encrypt their log files with `key`, written once
 * for the archive's own key and for an archive key kept in another account.
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
