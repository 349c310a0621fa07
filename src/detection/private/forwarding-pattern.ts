import { IConstruct } from 'constructs';
import { DEFAULT_MAX_PATTERN_LENGTH, patternLength, pinsAwsSource } from './patterns';
import { fail } from '../../private/validation';
import { Detection, DetectionEventKind } from '../detection';

/**
 * The event pattern of the one rule that forwards events from a member account to the central bus.
 *
 * One rule, so that an event matching several detections is forwarded once and alerts once per detection
 * on the central bus (several forwarding rules would put one copy per matching rule on the bus, and every
 * detection would then alert once per copy).
 *
 * The pattern only has to be a superset of the detections' patterns: the central bus runs the exact ones. It is
 * the `$or` of
 * - every write management event from an AWS source (`MANAGEMENT_WRITES`): what most detections are about, in
 *   a clause whose size does not grow with the catalog. A detection that does not receive read-only management
 *   events sees nothing else of CloudTrail's management events, so this clause covers it whatever its pattern;
 * - for the detections that see more (read-only management events, data events, Insights, other AWS events),
 *   their forwarding patterns: the union of the event names they list (compressed into prefixes where needed to
 *   fit EventBridge's pattern size quota), and the rest verbatim.
 *
 * Forwarding every management write costs one cross-account event delivery per write call (EventBridge bills
 * those per million); it stays far below the volume of read-only and data events, which are forwarded only
 * where a detection needs them.
 */
export function forwardingPattern(scope: IConstruct | undefined, detections: readonly Detection[],
  maxLength: number = DEFAULT_MAX_PATTERN_LENGTH): { [key: string]: any } {
  // The search below is quadratic in the number of event names, and every forwarding rule of an app (one
  // per account and region stack, plus the StackSet's member template) asks for the same detections.
  const key = `${maxLength}:[${detections.map(fingerprint).join(',')}]`;
  let pattern = cache.get(key);
  if (!pattern) {
    pattern = computeForwardingPattern(scope, detections, maxLength);
    cache.set(key, pattern);
  }
  return JSON.parse(JSON.stringify(pattern));
}

const AWS_SOURCES = [{ prefix: 'aws.' }];

/** Every write management event from an AWS source. */
export const MANAGEMENT_WRITES: { readonly [key: string]: any } = {
  source: [{ prefix: 'aws.' }],
  detail: { eventCategory: ['Management'], readOnly: [false] },
};

const CLOUDTRAIL_DETAIL_TYPE = / via CloudTrail$/;

/**
 * Whether every event the detection can match on a member account's default bus is a write management event:
 * it does not ask for read-only management events, is about CloudTrail records (not Insights), needs no data
 * events, and every alternative of its pattern pins one of CloudTrail's detail types.
 */
function coveredByManagementWrites(d: Detection): boolean {
  if (d.includeReadOnlyEvents || d.eventKind !== DetectionEventKind.CLOUDTRAIL_RECORD || d.dataEventsNeeded) return false;
  return alternativesOf(d.eventPattern).every(alternative => {
    const types = alternative['detail-type'];
    return Array.isArray(types) && types.length > 0 && types.every((t: unknown) =>
      (typeof t === 'string' && CLOUDTRAIL_DETAIL_TYPE.test(t))
      || (typeof t === 'object' && t !== null && (t as any).suffix === ' via CloudTrail'));
  });
}

function alternativesOf(pattern: { [key: string]: any }): Array<{ [key: string]: any }> {
  return Object.keys(pattern).length === 1 && Array.isArray(pattern.$or) ? pattern.$or : [pattern];
}

const cache = new Map<string, { [key: string]: any }>();

/**
 * A detection's part of the cache key, computed once per detection: detections are immutable, and the
 * built-in ones are shared instances that every forwarding rule of an app (and every app of a process)
 * asks for again.
 */
const fingerprints = new WeakMap<Detection, string>();

function fingerprint(d: Detection): string {
  let found = fingerprints.get(d);
  if (found === undefined) {
    found = JSON.stringify([coveredByManagementWrites(d), d._forwardingPattern]);
    fingerprints.set(d, found);
  }
  return found;
}

function computeForwardingPattern(scope: IConstruct | undefined, detections: readonly Detection[], maxLength: number): { [key: string]: any } {
  const names = new Set<string>();
  const others: Array<{ [key: string]: any }> = [{ ...MANAGEMENT_WRITES }];
  const keep = (list: Array<{ [key: string]: any }>, p: { [key: string]: any }) => {
    if (!list.some(o => JSON.stringify(o) === JSON.stringify(p))) list.push(p);
  };
  for (const d of detections) {
    if (coveredByManagementWrites(d)) continue;
    for (const alternative of alternativesOf(d._forwardingPattern)) {
      const listed = pinsAwsSource(alternative) ? eventNameList(alternative) : undefined;
      if (listed) listed.forEach(n => names.add(n));
      else keep(others, alternative);
    }
  }

  const build = (nameMatchers: Array<string | { prefix: string }>) => {
    // The names clause is limited to AWS sources, so that a forged event with a listed name is not forwarded.
    const clauses = [...others, ...(nameMatchers.length > 0 ? [{ source: AWS_SOURCES, detail: { eventName: nameMatchers } }] : [])];
    return clauses.length === 1 ? clauses[0] : { $or: clauses };
  };

  let matchers: Array<string | { prefix: string }> = [...names].sort();
  let pattern = build(matchers);
  while (patternLength(pattern) > maxLength) {
    const candidates = commonPrefixes(matchers);
    if (candidates.length === 0) {
      fail(scope, 'detections', detections.map(d => d.id).join(', '), 'need a forwarding pattern of ' +
        `${patternLength(pattern)} characters, more than the ${maxLength} EventBridge accepts; forward fewer ` +
        'detections that read read-only or data events, or raise the event pattern size quota and the limit');
    }
    // The longest prefix widens the match the least; when one merge is enough, take the longest that fits.
    const merges = candidates.map(prefix => mergeInto(matchers, prefix));
    const fitting = merges.findIndex(m => patternLength(build(m)) <= maxLength);
    matchers = merges[fitting >= 0 ? fitting : 0];
    pattern = build(matchers);
  }
  return pattern;
}

/** The names a pattern pins with a plain list at `detail.eventName` (or in every branch of a `$or` there), if it does. */
function eventNameList(pattern: { [key: string]: any }): string[] | undefined {
  const plain = (list: unknown): list is string[] =>
    Array.isArray(list) && list.length > 0 && list.every(v => typeof v === 'string');
  const detail = pattern?.detail;
  if (plain(detail?.eventName)) return detail.eventName;
  // Or a name list in every branch of a `$or` under `detail`.
  const branches = detail?.$or;
  if (Array.isArray(branches) && branches.length > 0 && branches.every(b => plain(b?.eventName))) {
    return branches.flatMap(b => b.eventName);
  }
  return undefined;
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
