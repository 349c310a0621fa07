import { partitionOfRegion } from '../../private/secure/validators';

/** Where EventBridge receives the events of global services (IAM, STS, Organizations, sign-in), per partition. */
const GLOBAL_SERVICE_REGION: { readonly [partition: string]: string } = {
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
