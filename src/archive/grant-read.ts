import { Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ITrailArchive } from './archive-base';
import { TrailIdentity } from '../identity/trail-identity';

/**
 * Grants reading the CloudTrail log objects of `writers` (or all of `AWSLogs/` when unknown) and
 * decrypting them, only for data keys whose encryption context names a CloudTrail trail.
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
  const key = grantKeyWithConditions(archive.key, grantee, ['kms:Decrypt'], {
    StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': contextPatterns },
  });
  return objects.combine(bucket).combine(key);
}

/**
 * `iam.Grant.addToPrincipalOrResource` for a key, keeping the conditions in both statements. The
 * aws-cdk-lib helper drops conditions from the statement it adds to the key policy, which would let a
 * grantee of another account use the key without them; and the key policy names the key as `*` (a key
 * policy referring to its own key's ARN is a dependency cycle).
 */
function grantKeyWithConditions(
  key: kms.IKey,
  grantee: iam.IGrantable,
  actions: string[],
  conditions: Record<string, Record<string, unknown>>,
): iam.Grant {
  const onPrincipal = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [key.keyArn], conditions });
  const principalAccount = grantee.grantPrincipal.principalAccount;
  const comparison = principalAccount ? Token.compareStrings(key.env.account, principalAccount) : undefined;
  const sameAccount = comparison === TokenComparison.SAME || comparison === TokenComparison.BOTH_UNRESOLVED;
  if (onPrincipal.success && sameAccount) {
    return onPrincipal;
  }
  const onResource = iam.Grant.addStatementToResourcePolicy({
    grantee,
    actions,
    resourceArns: [key.keyArn],
    resource: key,
    statement: new iam.PolicyStatement({
      actions,
      resources: ['*'],
      principals: [grantee.grantPrincipal],
      conditions,
    }),
  });
  return onPrincipal.success ? onPrincipal.combine(onResource) : onResource;
}
