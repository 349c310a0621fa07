import { Token } from 'aws-cdk-lib';
import { fail } from '../../private/validation';

/** The trusted principals a detection leaves out, already validated. */
export interface ExclusionLists {
  readonly principalArns: readonly string[];
  readonly sessionIssuerArns: readonly string[];
  readonly principalAccounts: readonly string[];
}

const PARTITION = 'aws(-cn|-us-gov|-iso(-[a-z])?)?';
/** IAM users and roles, the root user, federated users: `*` only in the last path segment. */
const IAM_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(root|(user|role)(/[\\w+=,.@-]+)*/[\\w+=,.@*-]+)$`);
/** Assumed-role sessions: the role name is literal (an administrator chose it); the session part may hold `*`. */
const SESSION_ARN = new RegExp(`^arn:${PARTITION}:sts::\\d{12}:(assumed-role/[\\w+=,.@-]+/[\\w+=,.@*-]+|` +
  'federated-user/[\\w+=,.@-]+)$');
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role(/[\\w+=,.@-]+)*/[\\w+=,.@*-]+$`);
const ACCOUNT = /^\d{12}$/;
const MAX_TOTAL = 50;

const PRINCIPAL_RULE = 'must be the ARN of an IAM user or role (`*` allowed in the last segment), of the root ' +
  'user, or of an assumed-role session whose role name is literal (`*` allowed in the session name), with a ' +
  'literal 12-digit account id';
const ROLE_RULE = 'must be an IAM role ARN with a literal 12-digit account id (`*` allowed in the role name only)';

/**
 * Validates exclusions. Only identity fields AWS fills in from the credentials are accepted; fields a caller
 * chooses (user agent, source IP, VPC endpoint, session name alone) would let anyone who knows the exclusion
 * walk past the detection.
 */
export function validateExclusions(props: {
  principalArns?: string[]; sessionIssuerArns?: string[]; principalAccounts?: string[];
}): ExclusionLists {
  const lists: ExclusionLists = {
    principalArns: props.principalArns ?? [],
    sessionIssuerArns: props.sessionIssuerArns ?? [],
    principalAccounts: props.principalAccounts ?? [],
  };
  const check = (prop: string, values: readonly string[], ok: (v: string) => boolean, rule: string) => {
    if (!Array.isArray(values)) fail(undefined, prop, String(values), 'must be a list');
    const seen = new Set<string>();
    for (const v of values) {
      if (typeof v !== 'string' || Token.isUnresolved(v)) fail(undefined, prop, String(v), 'must be a literal string (no CDK tokens): exclusions are rendered into the event pattern');
      if (!ok(v)) fail(undefined, prop, v, rule);
      if (seen.has(v)) fail(undefined, prop, v, 'must not repeat a value');
      seen.add(v);
    }
  };
  check('principalArns', lists.principalArns, v => IAM_ARN.test(v) || SESSION_ARN.test(v), PRINCIPAL_RULE);
  check('sessionIssuerArns', lists.sessionIssuerArns, v => ROLE_ARN.test(v), ROLE_RULE);
  check('principalAccounts', lists.principalAccounts, v => ACCOUNT.test(v), 'must be a 12-digit AWS account id');
  const total = lists.principalArns.length + lists.sessionIssuerArns.length + lists.principalAccounts.length;
  if (total === 0) fail(undefined, 'exclusions', '{}', 'must name at least one principal ARN, session issuer ARN or account');
  if (total > MAX_TOTAL) fail(undefined, 'exclusions', String(total), `must name at most ${MAX_TOTAL} values in all`);
  return lists;
}

/** Merges two validated lists, keeping each value once. */
export function mergeExclusions(a: ExclusionLists | undefined, b: ExclusionLists): ExclusionLists {
  const union = (x: readonly string[] = [], y: readonly string[]) => [...new Set([...x, ...y])];
  return {
    principalArns: union(a?.principalArns, b.principalArns),
    sessionIssuerArns: union(a?.sessionIssuerArns, b.sessionIssuerArns),
    principalAccounts: union(a?.principalAccounts, b.principalAccounts),
  };
}

/** `[absent, or none of the values]`; wildcards only where a value has one. */
function notAnyOf(values: readonly string[]): unknown[] {
  const literal = values.filter(v => !v.includes('*'));
  const wild = values.filter(v => v.includes('*'));
  const matchers: unknown[] = [{ exists: false }];
  // A list of matchers is an OR: "absent, or not excluded" needs the literal and wildcard exclusions in one
  // anything-but each, and both to hold, so literals are written as wildcards (without `*` they match exactly).
  if (wild.length === 0) matchers.push({ 'anything-but': [...literal] });
  else matchers.push({ 'anything-but': { wildcard: [...literal, ...wild] } });
  return matchers;
}

/**
 * The pattern with the exclusions added under `detail.userIdentity` (AND with everything else). A pattern
 * whose top level is an `$or` gets them in every branch.
 */
export function excludeFromPattern(pattern: { [key: string]: any }, ex: ExclusionLists): { [key: string]: any } {
  const copy = JSON.parse(JSON.stringify(pattern));
  if (Array.isArray(copy.$or)) {
    copy.$or = copy.$or.map((branch: { [key: string]: any }) => excludeFromPattern(branch, ex));
    return copy;
  }
  const detail = copy.detail ?? (copy.detail = {});
  if (typeof detail !== 'object' || Array.isArray(detail)) fail(undefined, 'eventPattern', JSON.stringify(pattern), 'must have a `detail` object to add exclusions to');
  const identity = detail.userIdentity ?? (detail.userIdentity = {});
  if (typeof identity !== 'object' || Array.isArray(identity)) fail(undefined, 'eventPattern', JSON.stringify(pattern), 'must have `detail.userIdentity` as an object to add exclusions to');
  const put = (target: { [key: string]: any }, key: string, values: readonly string[]) => {
    if (values.length === 0) return;
    if (target[key] !== undefined) {
      fail(undefined, 'eventPattern', JSON.stringify(pattern), `already constrains ${key}; exclusions cannot be added to it`);
    }
    target[key] = notAnyOf(values);
  };
  put(identity, 'arn', ex.principalArns);
  put(identity, 'accountId', ex.principalAccounts);
  if (ex.sessionIssuerArns.length > 0) {
    const context = identity.sessionContext ?? (identity.sessionContext = {});
    const issuer = context.sessionIssuer ?? (context.sessionIssuer = {});
    put(issuer, 'arn', ex.sessionIssuerArns);
  }
  return copy;
}

/** The metric filter with the same exclusions: `{ (<filter>) && (<field> NOT EXISTS || <field> != ...) ... }`. */
export function excludeFromMetricFilter(filter: string, ex: ExclusionLists): string {
  const inner = filter.trim().replace(/^\{/, '').replace(/\}$/, '').trim();
  const clause = (selector: string, values: readonly string[]) => values.length === 0 ? [] :
    [`(${selector} NOT EXISTS || ${values.map(v => `${selector} != "${v}"`).join(' && ')})`];
  const parts = [`(${inner})`,
    ...clause('$.userIdentity.arn', ex.principalArns),
    ...clause('$.userIdentity.accountId', ex.principalAccounts),
    ...clause('$.userIdentity.sessionContext.sessionIssuer.arn', ex.sessionIssuerArns)];
  const result = `{ ${parts.join(' && ')} }`;
  if (result.length > 1024) {
    fail(undefined, 'exclusions', `${result.length} characters`, 'must keep the metric filter pattern within 1024 characters ' +
      '(the CloudWatch Logs limit); exclude fewer principals or use ARN patterns');
  }
  return result;
}
