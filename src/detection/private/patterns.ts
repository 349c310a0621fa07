import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EventPatternMatcher } from '../../private/event-pattern-matcher';
import { fail, validatePattern } from '../../private/validation';

/** EventBridge's default quota for the length of an event pattern; adjustable up to 4096. */
export const DEFAULT_MAX_PATTERN_LENGTH = 2048;
/** The most EventBridge accepts after a quota increase. */
export const HARD_MAX_PATTERN_LENGTH = 4096;

/** The length EventBridge counts: the pattern's compact JSON text. */
export function patternLength(pattern: { [key: string]: any }): number {
  return JSON.stringify(pattern).length;
}

/**
 * Rejects what EventBridge would reject at deploy time: a pattern that is not a valid event pattern, that
 * holds CDK tokens (patterns are compared offline and must be literal), or that is longer than EventBridge
 * accepts at all.
 */
export function validateEventPatternShape(scope: IConstruct | undefined, prop: string, pattern: { [key: string]: any }): void {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    fail(scope, prop, pattern, 'must be an event pattern object');
  }
  const text = JSON.stringify(pattern);
  if (Token.isUnresolved(text) || /\$\{Token\[/.test(text)) {
    fail(scope, prop, text, 'must be a literal event pattern (no CDK tokens)');
  }
  try {
    EventPatternMatcher.validate(pattern);
  } catch (e) {
    fail(scope, prop, text, `must be a valid event pattern: ${(e as Error).message}`);
  }
  if (text.length > HARD_MAX_PATTERN_LENGTH) {
    fail(scope, prop, `${text.slice(0, 80)}...`, `must be at most ${HARD_MAX_PATTERN_LENGTH} characters of JSON ` +
      `(it is ${text.length})`);
  }
}

/** The event sources a pattern pins with a plain list at `detail.eventSource`, if it does. */
export function detailEventSources(pattern: { [key: string]: any }): string[] | undefined {
  const list = pattern?.detail?.eventSource;
  if (!Array.isArray(list) || !list.every(v => typeof v === 'string')) return undefined;
  return list;
}

const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z]{2,4}(-[a-z]+)+-\d{1,2}:\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/;

/** The central bus is addressed by ARN (cross-account); tokens are accepted and checked at deploy time. */
export function validateBusArn(scope: IConstruct, prop: string, arn: string): void {
  validatePattern(scope, prop, arn, BUS_ARN,
    'must be an event bus ARN such as arn:aws:events:us-east-1:111111111111:event-bus/security-detections');
}

/** Whether a `source` matcher list admits AWS sources only: `aws.<service>` strings or an `aws.` prefix. */
function awsOnly(list: unknown): boolean {
  if (!Array.isArray(list) || list.length === 0) return false;
  return list.every(m => (typeof m === 'string' && m.startsWith('aws.'))
    || (typeof m === 'object' && m !== null && !Array.isArray(m) && Object.keys(m).length === 1
      && typeof (m as any).prefix === 'string' && (m as any).prefix.startsWith('aws.')));
}

/**
 * Whether every event the pattern matches has an AWS `source`: the top level pins `source`, or every branch of
 * a top-level `$or` does. EventBridge refuses such sources in customers' PutEvents, so these patterns cannot be
 * fired by forged events.
 */
export function pinsAwsSource(pattern: { [key: string]: any }): boolean {
  if (awsOnly(pattern?.source)) return true;
  const branches = pattern?.$or;
  return Array.isArray(branches) && branches.length > 0 && branches.every(b => pinsAwsSource(b));
}
