import { DEFAULT_MAX_PATTERN_LENGTH, patternLength } from './patterns';
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
 * - one clause for every detection that pins `detail.eventName` to a list of names: the union of those
 *   names, compressed into prefixes where needed to fit EventBridge's pattern size quota;
 * - every other detection's own pattern, verbatim.
 */
export function forwardingPattern(detections: readonly Detection[],
  maxLength: number = DEFAULT_MAX_PATTERN_LENGTH): { [key: string]: any } {
  // The search below is quadratic in the number of event names, and every forwarding rule of an app (one
  // per account and region stack, plus the StackSet's member template) asks for the same detections.
  const key = `${maxLength}:${JSON.stringify(detections.map(d => d._forwardingPattern))}`;
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
  // Alternatives that only name resources in the request (`{ detail: { requestParameters: {...} } }`) merge into one.
  const requestFields: Array<{ [key: string]: any }> = [];
  const keep = (list: Array<{ [key: string]: any }>, p: { [key: string]: any }) => {
    if (!list.some(o => JSON.stringify(o) === JSON.stringify(p))) list.push(p);
  };
  for (const d of detections) {
    const pattern = d._forwardingPattern;
    const alternatives: Array<{ [key: string]: any }> =
      Object.keys(pattern).length === 1 && Array.isArray(pattern.$or) ? pattern.$or : [pattern];
    for (const alternative of alternatives) {
      const listed = eventNameList(alternative);
      if (listed) listed.forEach(n => names.add(n));
      else if (onlyRequestParameters(alternative)) keep(requestFields, alternative.detail.requestParameters);
      else keep(others, alternative);
    }
  }
  if (requestFields.length > 0) {
    others.unshift({ detail: { requestParameters: requestFields.length === 1 ? requestFields[0] : { $or: requestFields } } });
  }

  const build = (nameMatchers: Array<string | { prefix: string }>) => {
    const clauses = [...(nameMatchers.length > 0 ? [{ detail: { eventName: nameMatchers } }] : []), ...others];
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

/** Whether a pattern is `{ detail: { requestParameters: {...} } }` and nothing else. */
function onlyRequestParameters(pattern: { [key: string]: any }): boolean {
  return Object.keys(pattern).length === 1 && pattern.detail !== undefined && Object.keys(pattern.detail).length === 1
    && typeof pattern.detail.requestParameters === 'object' && !Array.isArray(pattern.detail.requestParameters);
}

/** The names a pattern pins with a plain list at `detail.eventName`, if it does. */
function eventNameList(pattern: { [key: string]: any }): string[] | undefined {
  const list = pattern?.detail?.eventName;
  if (!Array.isArray(list) || list.length === 0 || !list.every(v => typeof v === 'string')) return undefined;
  return list;
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
