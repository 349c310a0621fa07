/**
 * An offline implementation of Amazon EventBridge's event pattern matching, so that users can test their
 * detections against recorded events without deploying them (EventBridge's `TestEventPattern` API needs
 * credentials and a network, and is not available in unit tests).
 *
 * Semantics follow the EventBridge user guide ("Content filtering in Amazon EventBridge event patterns",
 * "Comparison operators") and the open-source Event Ruler that EventBridge uses:
 * - every field named in a pattern must match (AND); the values listed for one field are alternatives (OR);
 * - when the event's value is an array, the field matches if any element matches; objects inside arrays
 *   are matched element by element, so two fields never match in different elements of one array;
 * - fields are matched by path: a nested field under a missing object is absent (so `exists: false` matches);
 * - `$or` holds two or more alternative sub-patterns;
 * - string operators (`prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `cidr`) only match strings,
 *   `numeric` only matches numbers; `exists` only looks at leaf values (an object is not a leaf);
 * - `anything-but` matches any present value that does not satisfy its operand; a missing field never
 *   matches it.
 */

const ORDER_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);
const MATCHER_KEYS = new Set([
  'prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr',
]);

/**
 * Matches events against Amazon EventBridge event patterns, offline.
 *
 * Use it to unit-test detections: convert a CloudTrail record with `CloudTrailEventEnvelope.fromRecord`
 * and check that the detection's pattern matches it (and that near misses do not).
 */
export class EventPatternMatcher {
  /**
   * Whether `candidate` matches `pattern` under EventBridge's matching rules.
   *
   * @param pattern an EventBridge event pattern (the JSON object, not its string form)
   * @param candidate the event as EventBridge delivers it (envelope with `source`, `detail-type`, `detail`, ...)
   * @throws Error when the pattern is not a valid event pattern
   */
  public static matches(pattern: { [key: string]: any }, candidate: { [key: string]: any }): boolean {
    EventPatternMatcher.validate(pattern);
    return matchObject(pattern, candidate);
  }

  /**
   * Throws when `pattern` is not a valid event pattern, naming the offending path and the rule.
   *
   * @param pattern an EventBridge event pattern
   */
  public static validate(pattern: { [key: string]: any }): void {
    validateObject(pattern, '');
  }

  private constructor() {}
}

// ---------------------------------------------------------------------------------------------------------
// Validation: done up front, so that an invalid branch fails even when matching would never reach it.

function invalid(path: string, rule: string): never {
  throw new Error(`event pattern${path ? ` at "${path}"` : ''} ${rule}`);
}

function isPlainObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOrArray(value: unknown): value is Array<{ [key: string]: any }> {
  return Array.isArray(value) && value.every(isPlainObject);
}

function validateObject(pattern: unknown, path: string): void {
  if (!isPlainObject(pattern)) invalid(path, 'must be a JSON object');
  const keys = Object.keys(pattern);
  if (keys.length === 0) invalid(path, 'must name at least one field');
  for (const key of keys) {
    const value = pattern[key];
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!isOrArray(value) || value.length < 2) invalid(at, 'must be an array of at least two sub-patterns');
      value.forEach((alternative, i) => validateObject(alternative, `${at}[${i}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) invalid(at, 'must list at least one value');
      value.forEach((matcher, i) => validateMatcher(matcher, `${at}[${i}]`));
    } else if (isPlainObject(value)) {
      validateObject(value, at);
    } else {
      invalid(at, 'must be an array of values or a nested pattern object');
    }
  }
}

function validateMatcher(matcher: unknown, path: string): void {
  if (matcher === null || ['string', 'number', 'boolean'].includes(typeof matcher)) return;
  if (!isPlainObject(matcher)) invalid(path, 'must be a string, number, boolean, null or a single-operator object');
  const keys = Object.keys(matcher);
  if (keys.length !== 1 || !MATCHER_KEYS.has(keys[0])) {
    invalid(path, `must have exactly one operator out of ${[...MATCHER_KEYS].join(', ')}`);
  }
  const op = keys[0];
  const operand = matcher[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (typeof operand === 'string') return;
      if (isPlainObject(operand) && Object.keys(operand).length === 1 && typeof operand['equals-ignore-case'] === 'string') return;
      return invalid(path, `${op} takes a string or { "equals-ignore-case": string }`);
    case 'equals-ignore-case':
      if (typeof operand !== 'string') invalid(path, 'equals-ignore-case takes a string');
      return;
    case 'wildcard':
      if (typeof operand !== 'string') invalid(path, 'wildcard takes a string');
      compileWildcard(operand, path);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') invalid(path, 'exists takes true or false');
      return;
    case 'cidr':
      if (typeof operand !== 'string' || parseCidr(operand) === undefined) {
        invalid(path, 'cidr takes an IPv4 or IPv6 CIDR block such as "10.0.0.0/24"');
      }
      return;
    case 'numeric':
      parseNumeric(operand, path);
      return;
    default:
      validateAnythingBut(operand, path);
  }
}

function validateAnythingBut(operand: unknown, path: string): void {
  if (typeof operand === 'string' || typeof operand === 'number') return;
  if (Array.isArray(operand)) {
    const allStrings = operand.every(v => typeof v === 'string');
    const allNumbers = operand.every(v => typeof v === 'number');
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      invalid(path, 'anything-but takes a non-empty list of only strings or only numbers');
    }
    return;
  }
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    const [op] = Object.keys(operand);
    const value = operand[op];
    if ((op === 'prefix' || op === 'suffix') && typeof value === 'string') return;
    if (op === 'equals-ignore-case' || op === 'wildcard') {
      const list = Array.isArray(value) ? value : [value];
      if (list.length > 0 && list.every(v => typeof v === 'string')) {
        if (op === 'wildcard') list.forEach(v => compileWildcard(v, path));
        return;
      }
    }
  }
  invalid(path, 'anything-but takes a string, a number, a list of either, or one of prefix, suffix, ' +
    'equals-ignore-case, wildcard');
}

// ---------------------------------------------------------------------------------------------------------
// Matching

function matchObject(pattern: { [key: string]: any }, node: unknown): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(expected as Array<{ [key: string]: any }>).some(alternative => matchObject(alternative, node))) return false;
      continue;
    }
    const value = isPlainObject(node) ? node[key] : undefined;
    let ok: boolean;
    if (Array.isArray(expected)) {
      ok = matchLeaf(expected, leafValues(value));
    } else {
      // EventBridge matches flattened paths: when there is no object under `key`, the nested fields are all
      // absent, which `exists: false` (and nothing else) still matches.
      const elements = objectElements(value);
      ok = elements.length > 0
        ? elements.some(element => matchObject(expected, element))
        : matchObject(expected, undefined);
    }
    if (!ok) return false;
  }
  return true;
}

/** The scalar values of a field: arrays are flattened, objects are not leaves, a missing field has none. */
function leafValues(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return isPlainObject(value) ? [] : [value];
}

/** The objects a nested pattern is applied to: the field itself, or each object element of an array. */
function objectElements(value: unknown): Array<{ [key: string]: any }> {
  if (Array.isArray(value)) return value.flatMap(objectElements);
  return isPlainObject(value) ? [value] : [];
}

function matchLeaf(matchers: unknown[], values: unknown[]): boolean {
  return matchers.some(matcher => {
    if (isPlainObject(matcher) && 'exists' in matcher) return (values.length > 0) === matcher.exists;
    return values.some(value => matchValue(matcher, value));
  });
}

function matchValue(matcher: unknown, value: unknown): boolean {
  if (!isPlainObject(matcher)) return matcher === value;
  const [op] = Object.keys(matcher);
  const operand = matcher[op];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && affixMatches(value, operand, (v, a) => v.startsWith(a));
    case 'suffix':
      return typeof value === 'string' && affixMatches(value, operand, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (operand as string).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && compileWildcard(operand, '').test(value);
    case 'numeric':
      return typeof value === 'number' && parseNumeric(operand, '').every(([o, bound]) => compare(value, o, bound));
    case 'cidr':
      return typeof value === 'string' && cidrContains(operand, value);
    default:
      return !anythingButExcludes(operand, value);
  }
}

function affixMatches(value: string, operand: unknown, test: (v: string, a: string) => boolean): boolean {
  if (typeof operand === 'string') return test(value, operand);
  const affix = (operand as { [key: string]: string })['equals-ignore-case'];
  return test(value.toLowerCase(), affix.toLowerCase());
}

/** Whether `value` is one of the values an anything-but operand excludes. */
function anythingButExcludes(operand: unknown, value: unknown): boolean {
  if (!isPlainObject(operand)) {
    const excluded = Array.isArray(operand) ? operand : [operand];
    return excluded.includes(value);
  }
  if (typeof value !== 'string') return false;
  const [op] = Object.keys(operand);
  const arg = operand[op];
  const list: string[] = Array.isArray(arg) ? arg : [arg];
  switch (op) {
    case 'prefix': return value.startsWith(arg);
    case 'suffix': return value.endsWith(arg);
    case 'equals-ignore-case': return list.some(v => v.toLowerCase() === value.toLowerCase());
    default: return list.some(v => compileWildcard(v, '').test(value));
  }
}

function compare(value: number, op: string, bound: number): boolean {
  switch (op) {
    case '<': return value < bound;
    case '<=': return value <= bound;
    case '=': return value === bound;
    case '>': return value > bound;
    default: return value >= bound;
  }
}

function parseNumeric(operand: unknown, path: string): Array<[string, number]> {
  const rule = 'numeric takes ["=", n], one bound such as ["<", n], or a range such as [">", 0, "<=", 5]';
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) invalid(path, rule);
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const [op, bound] = [operand[i], operand[i + 1]];
    if (typeof op !== 'string' || !ORDER_OPERATORS.has(op) || typeof bound !== 'number' || !Number.isFinite(bound)) {
      invalid(path, rule);
    }
    pairs.push([op, bound]);
  }
  if (pairs.length === 2) {
    const lower = pairs.filter(([op]) => op.startsWith('>')).length;
    const upper = pairs.filter(([op]) => op.startsWith('<')).length;
    if (lower !== 1 || upper !== 1) invalid(path, rule);
  }
  return pairs;
}

const wildcardCache = new Map<string, RegExp>();

function compileWildcard(wildcard: string, path: string): RegExp {
  const cached = wildcardCache.get(wildcard);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const c = wildcard[i];
    if (c === '\\') {
      const next = wildcard[i + 1];
      if (next !== '*' && next !== '\\') invalid(path, `wildcard "${wildcard}" may only escape "*" or "\\"`);
      source += escapeRegExp(next);
      i++;
    } else if (c === '*') {
      if (wildcard[i + 1] === '*') invalid(path, `wildcard "${wildcard}" must not contain consecutive "*"`);
      source += '[\\s\\S]*';
    } else {
      source += escapeRegExp(c);
    }
  }
  const compiled = new RegExp(`^${source}$`);
  wildcardCache.set(wildcard, compiled);
  return compiled;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses

interface Cidr {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly bits: number;
}

function parseCidr(cidr: string): Cidr | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(cidr.slice(0, slash));
  const lengthText = cidr.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const bits = Number(lengthText);
  const width = address.version === 4 ? 32 : 128;
  if (bits > width) return undefined;
  return { version: address.version, network: address.value / 2n ** BigInt(width - bits), bits };
}

function cidrContains(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr)!;
  const address = parseIp(ip);
  if (!address || address.version !== block.version) return false;
  const width = address.version === 4 ? 32 : 128;
  return address.value / 2n ** BigInt(width - block.bits) === block.network;
}

function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every(p => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256n + BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two 16-bit groups.
  const expandTail = (part: string): string[] | undefined => {
    if (part === '') return [];
    const items = part.split(':');
    const last = items[items.length - 1];
    if (last.includes('.')) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      items.splice(items.length - 1, 1, (v4 / 65536n).toString(16), (v4 % 65536n).toString(16));
    }
    return items;
  };
  if (halves.length === 2) {
    const head = halves[0] === '' ? [] : halves[0].split(':');
    const tail = expandTail(halves[1]);
    if (!tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail];
  } else {
    const all = expandTail(text);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  if (!groups.every(g => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
}
