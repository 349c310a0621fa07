import { Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/** Where EventBridge receives the events of global services (IAM, STS, Organizations, sign-in), per partition. */
const GLOBAL_SERVICE_REGION: { readonly [partition: string]: string } = {
  'aws': 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** The region that receives global service events in `region`'s partition; undefined for tokens. */
export function globalServiceRegionOf(region: string): string | undefined {
  if (Token.isUnresolved(region)) return undefined;
  return GLOBAL_SERVICE_REGION[RegionInfo.get(region).partition ?? 'aws'] ?? 'us-east-1';
}
