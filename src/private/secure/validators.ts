import { Aws, Duration, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { fail, validatePattern } from '../validation';

/**
 * A duration given to a service that counts in days (S3 lifecycle, Object Lock): a fraction would be
 * rounded somewhere the user cannot see. Returns the days; an unresolved duration passes unchecked.
 */
export function wholeDays(scope: IConstruct | undefined, prop: string, duration: Duration, min: number): number {
  if (duration.isUnresolved()) return duration.toDays({ integral: false });
  const rule = min > 0
    ? `must be a whole number of days, at least ${min} day${min === 1 ? '' : 's'}`
    : 'must be a whole number of days';
  let days: number;
  try {
    days = duration.toDays({ integral: true });
  } catch {
    return fail(scope, prop, duration.toHumanString(), rule);
  }
  if (days < min) fail(scope, prop, duration.toHumanString(), rule);
  return days;
}

/** AWS Organizations' id format, `o-` and 10 to 32 lowercase letters or digits. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

export function validateOrganizationId(scope: IConstruct | undefined, prop: string, value: string | undefined): void {
  validatePattern(scope, prop, value, ORGANIZATION_ID, 'must be "o-" followed by 10 to 32 lowercase letters or digits');
}

/**
 * The partition (aws, aws-cn, aws-us-gov...) of a region. A region unknown to this version of
 * aws-cdk-lib is assumed to be in the commercial partition, as new regions have been so far; an
 * unresolved region gives `undefined`, so that the caller decides between a deploy-time token and
 * skipping a check.
 */
export function partitionOfRegion(region: string): string | undefined {
  if (Token.isUnresolved(region)) return undefined;
  return RegionInfo.get(region).partition ?? 'aws';
}

/** {@link partitionOfRegion}, with `AWS::Partition` for an unresolved region. */
export function partitionOrToken(region: string): string {
  return partitionOfRegion(region) ?? Aws.PARTITION;
}

/** A customer-managed KMS alias name: `alias/...`, never in the AWS-managed `alias/aws/` space. */
export function validateKeyAlias(scope: IConstruct | undefined, prop: string, value: string | undefined): void {
  validatePattern(scope, prop, value, /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/,
    'must be "alias/" followed by letters, digits, "/", "_" or "-" and must not start with "alias/aws/"');
}
