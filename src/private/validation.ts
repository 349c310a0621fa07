import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Synth-time prop validation. Every check skips unresolved tokens: their value is only known at
 * deploy time, and rejecting them would make the constructs unusable with parameters or imports.
 */

/**
 * A prop that fails validation. In an app with several archives, trails or alert stacks, the property
 * name alone does not say which construct was given the bad value: the message starts with the
 * construct's path, as aws-cdk-lib's own validation errors do. Value objects and static factories have
 * no construct; their errors stay unscoped, and the user's own call is in the stack trace.
 */
export class ValidationError extends Error {
  /**
   * The error of construct `id` under `scope` before it exists: for checks that must run before `super()`, so
   * that a construct given props it cannot use builds nothing.
   */
  public static ofChild(scope: IConstruct, id: string, message: string): ValidationError {
    return new ValidationError(undefined, message, [scope.node.path, id].filter(p => p !== '').join('/'));
  }

  /** The path of the construct whose props failed, if the check ran inside one. */
  public readonly constructPath?: string;

  // The root (an App) has an empty path: nothing to name.
  constructor(scope: IConstruct | undefined, message: string, path: string | undefined = scope?.node.path || undefined) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ValidationError';
    this.constructPath = path;
  }
}

/**
 * Builds a value object for a construct that creates it from its own props (a baseline's trail identity):
 * the user never called the factory, so an unscoped error from it is thrown again with the construct's path.
 */
export function withScope<T>(scope: IConstruct, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof ValidationError && e.constructPath === undefined) throw new ValidationError(scope, e.message);
    throw e;
  }
}

/** Formats a value for an error message the way users wrote it. */
export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Throws `<path>: <prop> <value> <rule>` (no path without a scope). */
export function fail(scope: IConstruct | undefined, prop: string, value: unknown, rule: string): never {
  throw new ValidationError(scope, `${prop} ${show(value)} ${rule}`);
}

export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return Token.isUnresolved(value);
  if (typeof value === 'number') return Token.isUnresolved(value);
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** The value must match `pattern` in full; `rule` describes it to the user. */
export function validatePattern(scope: IConstruct | undefined, prop: string, value: string | undefined, pattern: RegExp, rule: string): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!pattern.test(value)) fail(scope, prop, value, rule);
}

/** An integer in [min, max] (either bound optional). */
export function validateInteger(scope: IConstruct | undefined, prop: string, value: number | undefined, min?: number, max?: number): void {
  if (value === undefined || isUnresolved(value)) return;
  const range =
    min !== undefined && max !== undefined ? `between ${min} and ${max}` :
      min !== undefined ? `at least ${min}` :
        max !== undefined ? `at most ${max}` : '';
  const rule = `must be an integer${range ? ' ' + range : ''}`;
  if (!Number.isInteger(value)) fail(scope, prop, value, rule);
  if (min !== undefined && value < min) fail(scope, prop, value, rule);
  if (max !== undefined && value > max) fail(scope, prop, value, rule);
}

/** A list that must have at least one element. */
export function validateNonEmpty(scope: IConstruct | undefined, prop: string, values: readonly unknown[] | undefined): void {
  if (values === undefined || isUnresolved(values)) return;
  if (values.length === 0) throw new ValidationError(scope, `${prop} must not be empty`);
}

/** Rejects repeated entries of a list, comparing by `keyOf`. */
export function validateUnique<T>(scope: IConstruct | undefined, prop: string, values: readonly T[], keyOf: (v: T) => string): void {
  const seen = new Set<string>();
  for (const v of values) {
    const key = keyOf(v);
    if (isUnresolved(key)) continue;
    if (seen.has(key)) throw new ValidationError(scope, `${prop} contains ${show(key)} more than once`);
    seen.add(key);
  }
}

export const ACCOUNT_ID = /^\d{12}$/;
export const ACCOUNT_RULE = 'must be a 12-digit AWS account id';
export const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
export const REGION_RULE = 'must be an AWS region code such as us-east-1';

export function validateAccount(scope: IConstruct | undefined, prop: string, value: string | undefined): void {
  validatePattern(scope, prop, value, ACCOUNT_ID, ACCOUNT_RULE);
}

export function validateRegion(scope: IConstruct | undefined, prop: string, value: string | undefined): void {
  validatePattern(scope, prop, value, REGION, REGION_RULE);
}

/**
 * The value must be a string (or a token). jsii and plain JavaScript callers can pass anything; a
 * number where a string is expected passes a regular expression (`/^\d{12}$/.test(111111111111)`)
 * and then fails far away with a message that prints the same digits twice.
 */
export function validateString(scope: IConstruct | undefined, prop: string, value: unknown): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string') {
    const hint = typeof value === 'number' ? `: write it in quotes ("${value}")` : '';
    const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
    throw new ValidationError(scope, `${prop} ${show(value)} must be a string, not ${kind}${hint}`);
  }
}

/**
 * The value must be one of a TypeScript enum's values. The compiler checks this for TypeScript callers only:
 * from JavaScript or Python, `"compliance"`, `3` or `null` arrive as they are and would otherwise fall into
 * whatever branch the code takes for "not the other value". A numeric enum's reverse mappings (name keys)
 * are not values.
 */
export function validateEnum(scope: IConstruct | undefined, prop: string, value: unknown,
  enumObject: { readonly [name: string]: string | number }): void {
  if (value === undefined || isUnresolved(value)) return;
  const allowed = Object.keys(enumObject)
    .filter((name) => typeof enumObject[enumObject[name]] !== 'number')
    .map((name) => enumObject[name]);
  if (!allowed.includes(value as string | number)) fail(scope, prop, value, `must be one of ${allowed.join(', ')}`);
}
