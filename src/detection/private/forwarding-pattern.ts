import { DEFAULT_MAX_PATTERN_LENGTH, patternLength, pinsAwsSource } from './patterns';
import { fail } from '../../private/validation';
import type { Detection } from '../detection';

/**
 * The event pattern of the one rule that forwards events from a member account to the central bus.
 *
 * One rule, so that an event matching several detections is forwarded once and alerts once per detection
 * on the central bus (several forwarding rules would put one copy per matching rule on the bus, and every
 * detection would then alert once per copy).
 *
 * The pattern only has to be a superset of the detections' patterns: the central bus runs the exact ones.
 * It is the `$or` of
 * - one clause for every detection that pins `detail.eventName` to a list of names (at the top of `detail`,
 *   or in every branch of a `$or` there): the union of those names, compressed into prefixes where needed to
 *   fit EventBridge's pattern size quota, limited to AWS sources (`aws.` prefix) so that forged events are not
 *   forwarded;
 * - every other detection's own pattern, verbatim.
 */
export function forwardingPattern(detections: readonly Detection[],
  maxLength: number = DEFAULT_MAX_PATTERN_LENGTH): { [key: string]: any } {
  // The search below is quadratic in the number of event names, and every forwarding rule of an app (one
  // per account and region stack, plus the StackSet's member template) asks for the same detections.
  const key = `${maxLength}:${JSON.stringify(detections.map(d => d.eventPattern))}`;
  let pattern = cache.get(key);
  if (!pattern) {
    pattern = computeForwardingPattern(detections, maxLength);
    cache.set(key, pattern);
  }
  return JSON.parse(JSON.stringify(pattern));
}

const cache = new Map<string, { [key: string]: any }>();

function computeForwardingPattern(detections: readonly Detection[], maxLength: number): { [key: string]: any } {
  const names = new Set<string>();
  const others: Array<{ [key: string]: any }> = [];
  for (const d of detections) {
    const pattern = d.eventPattern;
    const listed = eventNameList(pattern);
    if (listed) {listed.forEach(n => names.add(n));} else {
      const widened = withoutDetailType(pattern);
      if (!others.some(o => JSON.stringify(o) === JSON.stringify(widened))) others.push(widened);
    }
  }

  const build = (nameMatchers: Array<string | { prefix: string }>) => {
    const clauses = [...(nameMatchers.length > 0 ? [{ source: AWS_SOURCES, detail: { eventName: nameMatchers } }] : []),
      ...others];
    return clauses.length === 1 ? clauses[0] : { $or: clauses };
  };

  let matchers: Array<string | { prefix: string }> = [...names].sort();
  let pattern = build(matchers);
  while (patternLength(pattern) > maxLength) {
    const candidates = commonPrefixes(matchers);
    if (candidates.length === 0) {
      fail('detections', detections.map(d => d.id).join(', '), 'need a forwarding pattern of ' +
        `${patternLength(pattern)} characters, more than the ${maxLength} EventBridge accepts; forward fewer ` +
        'detections, or detections that name their events in `detail.eventName`');
    }
    // The longest prefix widens the match the least; when one merge is enough, take the longest that fits.
    const merges = candidates.map(prefix => mergeInto(matchers, prefix));
    const fitting = merges.findIndex(m => patternLength(build(m)) <= maxLength);
    matchers = merges[fitting >= 0 ? fitting : 0];
    pattern = build(matchers);
  }
  return pattern;
}

const AWS_SOURCES = [{ prefix: 'aws.' }];

/**
 * The names a pattern pins with a plain list at `detail.eventName`, or in every branch of a `$or` under
 * `detail`, if it does; only for patterns that pin an AWS source, so that the names clause (which is limited to
 * AWS sources) stays a superset.
 */
function eventNameList(pattern: { [key: string]: any }): string[] | undefined {
  if (!pinsAwsSource(pattern) || pattern.$or !== undefined) return undefined;
  const plain = (list: unknown): list is string[] =>
    Array.isArray(list) && list.length > 0 && list.every(v => typeof v === 'string');
  const detail = pattern?.detail;
  if (plain(detail?.eventName)) return detail.eventName;
  const branches = detail?.$or;
  if (Array.isArray(branches) && branches.length > 0 && branches.every(b => plain(b?.eventName))) {
    return branches.flatMap(b => b.eventName);
  }
  return undefined;
}

/**
 * The pattern without its `detail-type` condition when it pins an AWS source: a wider match (still a superset),
 * and shorter. Every event with an AWS source that a CloudTrail detection is about has one of CloudTrail's
 * detail types; the central rules check the exact one.
 */
function withoutDetailType(pattern: { [key: string]: any }): { [key: string]: any } {
  if (!pinsAwsSource(pattern) || pattern['detail-type'] === undefined || pattern.$or !== undefined) return pattern;
  const { ['detail-type']: _dropped, ...rest } = pattern;
  return rest;
}

/** Prefixes shorter than this would start to cover read-only calls (`Get`, `List`) and unrelated APIs. */
const MIN_PREFIX = 6;

function text(m: string | { prefix: string }): string {
  return typeof m === 'string' ? m : m.prefix;
}

/** The common prefixes (of at least MIN_PREFIX characters) of neighbouring items, longest first. */
function commonPrefixes(items: Array<string | { prefix: string }>): string[] {
  const sorted = [...items].sort(compareText);
  const found = new Set<string>();
  for (let i = 1; i < sorted.length; i++) {
    const a = text(sorted[i - 1]);
    const b = text(sorted[i]);
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    if (n >= MIN_PREFIX) found.add(a.slice(0, n));
  }
  return [...found].sort((x, y) => y.length - x.length || (x < y ? -1 : 1));
}

/** Replaces the items that start with `prefix` by one prefix matcher. */
function mergeInto(items: Array<string | { prefix: string }>, prefix: string): Array<string | { prefix: string }> {
  const kept = items.filter(m => !text(m).startsWith(prefix));
  return [...kept, { prefix }].sort(compareText);
}

function compareText(a: string | { prefix: string }, b: string | { prefix: string }): number {
  const [x, y] = [text(a), text(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
