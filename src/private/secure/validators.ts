import { Aws, Duration, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { fail, validatePattern, validateString } from '../validation';

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

/**
 * An exact IAM role ARN: `arn:<partition>:iam::<account>:role/<path/><name>`, path segments and name in IAM's
 * character set (name 1-64 characters).
 */
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const ROLE_ARN_RULE = 'must be the exact ARN of an IAM role (arn:<partition>:iam::<12-digit account>:role/<path/><name>)';

/**
 * A principal that policies exempt from their denies (break-glass and deployment roles), matched by
 * `aws:PrincipalArn`. It must name one role exactly:
 * - no `*` or `?`, which `ArnNotLike` would treat as wildcards (`role/*` exempts every role of the account,
 *   `role/break-*` every role anyone who may create roles names so). They are refused even in a value with
 *   tokens: a wildcard in the literal part is a wildcard whatever the tokens resolve to.
 * - a role, not a user: `aws:PrincipalArn` of an assumed-role session is its role's ARN, so exempting the role
 *   exempts its sessions; a user is a long-term credential, which is not a break-glass practice.
 * - in `partition` (the stack's, when known): the ARN of another partition never matches, so the exemption
 *   would silently exempt nobody.
 * An unresolved value is otherwise skipped.
 */
export function validateExemptRoleArn(scope: IConstruct | undefined, prop: string, value: unknown, partition: string | undefined): void {
  if (value === undefined) return;
  validateString(scope, prop, value);
  const arn = value as string;
  if (/[*?]/.test(arn)) {
    fail(scope, prop, arn, `${ROLE_ARN_RULE}, without "*" or "?": the policies match aws:PrincipalArn with ArnNotLike, ` +
      'where they are wildcards and would exempt every role whose ARN matches, not one break-glass role');
  }
  if (Token.isUnresolved(arn)) return;
  if (/^arn:[^:]+:iam::[^:]*:user\//.test(arn)) {
    fail(scope, prop, arn, `${ROLE_ARN_RULE}, not a user: aws:PrincipalArn of an assumed-role session is its role's ARN, ` +
      'so exempting a role exempts its sessions; a user is a long-term credential, not a break-glass practice');
  }
  const match = ROLE_ARN.exec(arn);
  if (!match) fail(scope, prop, arn, ROLE_ARN_RULE);
  if (partition !== undefined && match[1] !== partition) {
    fail(scope, prop, arn, `must be a role of partition ${partition}, the stack's: aws:PrincipalArn never carries ` +
      'an ARN of another partition, so the exemption would match nobody');
  }
}

/** The account of a role ARN (a literal one), `undefined` when it is not known at synth time. */
export function accountOfRoleArn(arn: string): string | undefined {
  return Token.isUnresolved(arn) ? undefined : /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
}

/** An alias name, alias ARN or key id in the reserved `alias/aws/` space of the AWS managed keys. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//i;

/**
 * How a key reached through an alias of an AWS managed key (`alias/aws/sns`) shows itself: an imported alias
 * (`kms.Alias.fromAliasName`) by its `aliasName` and `keyId`, a key imported by alias ARN
 * (`kms.Key.fromKeyArn(..., 'arn:aws:kms:...:alias/aws/sns')`, or an imported topic's `keyArn`) by its `keyArn`.
 * A managed key named by its key ARN cannot be told from a customer managed key at synth time.
 */
export function awsManagedKeyName(key: kms.IKey): string | undefined {
  const names = [(key as Partial<kms.IAlias>).aliasName, key.keyId, key.keyArn];
  // The alias part is literal even where the partition, region or account of the ARN are tokens.
  return names.find((name): name is string => typeof name === 'string' && AWS_MANAGED_ALIAS.test(name));
}

/**
 * Refuses an AWS managed key where an AWS service other than the one that owns the key must use it: an AWS
 * managed key's policy is AWS's and admits only its own service, on behalf of the account's principals, so
 * `service` (EventBridge, CloudWatch) could never encrypt with it and every message would be dropped.
 */
export function validateCustomerManagedKey(scope: IConstruct | undefined, prop: string, key: kms.IKey | undefined, service: string): void {
  if (key === undefined) return;
  const managed = awsManagedKeyName(key);
  if (managed === undefined) return;
  fail(scope, prop, managed, `must be a customer managed key, not an AWS managed key (alias/aws/...): ${service} ` +
    'needs a customer managed key whose key policy admits it, and the policy of an AWS managed key cannot be changed');
}
