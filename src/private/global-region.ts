import { partitionOfRegion } from './secure/validators';

/**
 * Where global services (IAM, STS, Organizations, console sign-in, CloudFront, Route 53) are recorded, per
 * partition: CloudTrail logs their events "as occurring in US East (N. Virginia) Region" in aws
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events),
 * and EventBridge receives them there.
 */
export const GLOBAL_SERVICE_REGION: { readonly [partition: string]: string } = {
  'aws': 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** The region that receives global service events in `region`'s partition; undefined for tokens. */
export function globalServiceRegionOf(region: string): string | undefined {
  const partition = partitionOfRegion(region);
  if (partition === undefined) return undefined;
  return GLOBAL_SERVICE_REGION[partition] ?? 'us-east-1';
}
