import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ITrailArchive } from './archive-base';
import { TrailIdentity } from '../identity/trail-identity';
import { grantKeyWithConditions } from '../private/kms';
import { s3ViaService } from '../private/service-endpoints';

/**
 * Grants reading the CloudTrail log objects of `writers` (or all of `AWSLogs/` when unknown) and
 * decrypting them, only through S3 (`kms:ViaService`) and only for data keys whose encryption context names a
 * CloudTrail trail.
 */
export function grantArchiveRead(archive: ITrailArchive, grantee: iam.IGrantable, writers: TrailIdentity[]): iam.Grant {
  const prefixes = writers.length > 0
    ? writers.flatMap((w) => w.logPrefixes)
    : ['AWSLogs/'];
  const contextPatterns = writers.length > 0
    ? [...new Set(writers.map((w) => w.encryptionContextArnPattern))]
    : [`arn:${Stack.of(archive).partition}:cloudtrail:*:*:trail/*`];

  const objects = iam.Grant.addToPrincipalOrResource({
    grantee,
    actions: ['s3:GetObject'],
    resourceArns: [...new Set(prefixes)].map((p) => archive.bucket.arnForObjects(`${p}*`)),
    resource: archive.bucket,
  });
  const bucket = iam.Grant.addToPrincipalOrResource({
    grantee,
    actions: ['s3:ListBucket', 's3:GetBucketLocation'],
    resourceArns: [archive.bucket.bucketArn],
    resource: archive.bucket,
  });
  // Only through S3 (reading a log file), never a direct Decrypt of a data key lifted from an object.
  const stack = Stack.of(archive);
  const key = grantKeyWithConditions(archive.key, grantee, ['kms:Decrypt'], {
    StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': contextPatterns },
    StringEquals: { 'kms:ViaService': s3ViaService(stack) },
  });
  return objects.combine(bucket).combine(key);
}
