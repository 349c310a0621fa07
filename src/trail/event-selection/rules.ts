import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { IConstruct } from 'constructs';
import { SelectorField, SelectorOperator } from './field-selector';
import {
  closestKnown, DATA_RESOURCE_TYPES, NETWORK_ACTIVITY_EVENT_SOURCES, UNKNOWN_DATA_RESOURCE_TYPE_WARNING,
  UNKNOWN_NETWORK_ACTIVITY_SOURCE_WARNING,
} from './known-values';
import { Condition, DATA, EventCategory, MANAGEMENT, NETWORK_ACTIVITY, SELECTOR_WILDCARD_WARNING, SelectorDraft } from './model';
import { fail, isUnresolved, show, ValidationError } from '../../private/validation';

/**
 * What CloudTrail accepts in the advanced event selectors of a trail, per event category and field
 * (CloudFormation reference, AWS::CloudTrail::Trail AdvancedFieldSelector, and the CloudTrail user
 * guide's tables for data and network activity events). Event data stores accept more; trails don't.
 */
interface FieldRule {
  readonly operators: readonly SelectorOperator[];
  /** The only values CloudTrail accepts, when it restricts them. */
  readonly values?: readonly string[];
  /** At most one value across the whole selector (a second one is a contradiction). */
  readonly single?: boolean;
}

const ANY: readonly SelectorOperator[] = [
  SelectorOperator.EQUALS, SelectorOperator.NOT_EQUALS,
  SelectorOperator.STARTS_WITH, SelectorOperator.NOT_STARTS_WITH,
  SelectorOperator.ENDS_WITH, SelectorOperator.NOT_ENDS_WITH,
];
const EQUALS_ONLY: readonly SelectorOperator[] = [SelectorOperator.EQUALS];
const BOOLEAN = ['true', 'false'];

/** Management event sources CloudTrail lets a trail exclude. */
export const EXCLUDABLE_MANAGEMENT_SOURCES = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'];

export const VPCE_ACCESS_DENIED = 'VpceAccessDenied';

const RULES: { readonly [category: string]: { readonly [field: string]: FieldRule } } = {
  [MANAGEMENT]: {
    [SelectorField.EVENT_CATEGORY]: { operators: EQUALS_ONLY, values: [MANAGEMENT] },
    [SelectorField.EVENT_SOURCE]: { operators: [SelectorOperator.NOT_EQUALS], values: EXCLUDABLE_MANAGEMENT_SOURCES },
    [SelectorField.READ_ONLY]: { operators: EQUALS_ONLY, values: BOOLEAN, single: true },
  },
  [DATA]: {
    [SelectorField.EVENT_CATEGORY]: { operators: EQUALS_ONLY, values: [DATA] },
    [SelectorField.RESOURCES_TYPE]: { operators: EQUALS_ONLY, single: true },
    [SelectorField.EVENT_SOURCE]: { operators: ANY },
    [SelectorField.EVENT_NAME]: { operators: ANY },
    [SelectorField.EVENT_TYPE]: { operators: ANY },
    [SelectorField.READ_ONLY]: { operators: EQUALS_ONLY, values: BOOLEAN, single: true },
    [SelectorField.RESOURCES_ARN]: { operators: ANY },
    [SelectorField.USER_IDENTITY_ARN]: { operators: ANY },
    // The user guide: "Equals or NotEquals with a value of true".
    [SelectorField.SESSION_CREDENTIAL_FROM_CONSOLE]: {
      operators: [SelectorOperator.EQUALS, SelectorOperator.NOT_EQUALS], values: ['true'], single: true,
    },
  },
  [NETWORK_ACTIVITY]: {
    [SelectorField.EVENT_CATEGORY]: { operators: EQUALS_ONLY, values: [NETWORK_ACTIVITY] },
    // One event source per selector: CloudTrail wants a separate selector for each.
    [SelectorField.EVENT_SOURCE]: { operators: EQUALS_ONLY, single: true },
    [SelectorField.EVENT_NAME]: { operators: ANY },
    [SelectorField.ERROR_CODE]: { operators: EQUALS_ONLY, values: [VPCE_ACCESS_DENIED] },
    [SelectorField.VPC_ENDPOINT_ID]: { operators: ANY },
    [SelectorField.USER_IDENTITY_ARN]: { operators: ANY },
  },
};

/** Rendering order of fields and operators, so that the template (and users' snapshots) are stable. */
const FIELD_ORDER: readonly string[] = Object.values(SelectorField);
const OPERATOR_ORDER: readonly SelectorOperator[] = ANY;
const OPERATOR_KEY: { readonly [operator: string]: keyof CfnTrail.AdvancedFieldSelectorProperty } = {
  [SelectorOperator.EQUALS]: 'equalTo',
  [SelectorOperator.NOT_EQUALS]: 'notEquals',
  [SelectorOperator.STARTS_WITH]: 'startsWith',
  [SelectorOperator.NOT_STARTS_WITH]: 'notStartsWith',
  [SelectorOperator.ENDS_WITH]: 'endsWith',
  [SelectorOperator.NOT_ENDS_WITH]: 'notEndsWith',
};
const SELECT_OPERATORS: readonly string[] = [SelectorOperator.EQUALS, SelectorOperator.STARTS_WITH, SelectorOperator.ENDS_WITH];

const CATEGORY_WORDS: { readonly [category: string]: string } = {
  [MANAGEMENT]: 'management events',
  [DATA]: 'data events',
  [NETWORK_ACTIVITY]: 'network activity events',
};

const MAX_VALUE_LENGTH = 2048;

/** A merged field: per operator, the values and the path of the condition each came from. */
export interface MergedField {
  readonly field: string;
  readonly operators: Map<string, { value: string; path: string; fixed?: boolean }[]>;
}

/** A selector after validation: one entry per field, in rendering order. */
export interface ValidatedSelector {
  readonly draft: SelectorDraft;
  readonly fields: MergedField[];
}

/** A problem that does not stop synthesis, reported as a warning. */
export interface SelectionWarning {
  readonly id: string;
  readonly message: string;
}

/**
 * Validates every condition of `draft` against CloudTrail's rules for its category and merges the
 * conditions on one field into one field selector. Throws with the path of the offending condition.
 */
export function validateSelector(scope: IConstruct, draft: SelectorDraft, warnings: SelectionWarning[]): ValidatedSelector {
  const rules = RULES[draft.category];
  const merged = new Map<string, MergedField>();
  const ordered = [...draft.conditions.filter(c => c.fixed), ...draft.conditions.filter(c => !c.fixed)];

  for (const condition of ordered) {
    const rule = checkCondition(scope, draft.category, rules, condition, warnings);
    let entry = merged.get(condition.field);
    if (!entry) {
      entry = { field: condition.field, operators: new Map() };
      merged.set(condition.field, entry);
    }
    if (isUnresolved(condition.values)) {
      // A list token: one encoded element that CloudFormation expands at deploy time.
      addValue(entry, condition.operator, condition.values[0], condition.path, condition.fixed);
      continue;
    }
    for (const value of condition.values) {
      const existing = entry.operators.get(condition.operator)?.find(v => v.value === value);
      if (existing) {
        // A user condition repeating what the factory already set is harmless; anything else is a typo.
        if (existing.fixed && !condition.fixed) continue;
        fail(scope, condition.valuesPath ?? `${condition.path}.values`, value, `is given more than once for ${condition.field} ${condition.operator}`);
      }
      addValue(entry, condition.operator, value, condition.path, condition.fixed);
    }
    checkSingle(scope, rule, entry);
  }

  const fields = [...merged.values()].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  return { draft, fields };
}

function addValue(entry: MergedField, operator: string, value: string, path: string, fixed?: boolean) {
  const list = entry.operators.get(operator) ?? [];
  list.push({ value, path, fixed });
  entry.operators.set(operator, list);
}

function checkCondition(scope: IConstruct, category: EventCategory, rules: { readonly [field: string]: FieldRule },
  condition: Condition, warnings: SelectionWarning[]): FieldRule {
  const { field, operator, values, path } = condition;
  const valuesPath = condition.valuesPath ?? `${path}.values`;
  const words = CATEGORY_WORDS[category];
  if (!(Object.values(SelectorField) as string[]).includes(field)) {
    fail(scope, `${path}.field`, field, `is not a field CloudTrail advanced event selectors accept; use one of ${FIELD_ORDER.join(', ')}`);
  }
  const rule = rules[field];
  if (!rule) {
    fail(scope, `${path}.field`, field, `is not accepted in a trail's selectors for ${words}; use one of ${Object.keys(rules).join(', ')}`);
  }
  if (!(ANY as string[]).includes(operator)) {
    fail(scope, `${path}.operator`, operator, `is not an operator; use one of ${ANY.join(', ')}`);
  }
  if (!(rule.operators as string[]).includes(operator)) {
    fail(scope, `${path}.operator`, operator, `is not allowed on ${field} for ${words}; ${field} accepts only ${rule.operators.join(', ')}`);
  }
  if (isUnresolved(values)) return rule;
  if (!Array.isArray(values)) fail(scope, valuesPath, values, 'must be a list of strings');
  if (values.length === 0) throw new ValidationError(scope, `${valuesPath} must not be empty: give at least one value for ${field} ${operator}`);
  for (const value of values) {
    if (isUnresolved(value)) continue;
    if (typeof value !== 'string' || value.length < 1 || value.length > MAX_VALUE_LENGTH) {
      fail(scope, valuesPath, value, `must be a string of 1 to ${MAX_VALUE_LENGTH} characters`);
    }
    if (rule.values && !rule.values.includes(value)) {
      fail(scope, valuesPath, value, `is not a valid ${field} value for ${words}; use ${rule.values.map(v => show(v)).join(' or ')}`);
    }
    checkKnownValue(category, field, valuesPath, value, warnings);
    if (value.includes('*')) {
      warnings.push({
        id: SELECTOR_WILDCARD_WARNING,
        message: `${valuesPath} ${show(value)} contains "*": advanced event selectors do not support wildcards, ` +
          'so it matches only a literal "*". Use StartsWith or EndsWith to match a range of values.',
      });
    }
  }
  return rule;
}

/**
 * Values that name an AWS service are checked against what CloudTrail documents; an unknown one is a
 * warning, because AWS adds services faster than any list is updated (see known-values.ts).
 */
function checkKnownValue(category: EventCategory, field: string, valuesPath: string, value: string,
  warnings: SelectionWarning[]) {
  let known: readonly string[];
  let id: string;
  let what: string;
  let page: string;
  if (category === DATA && field === SelectorField.RESOURCES_TYPE) {
    [known, id, what, page] = [DATA_RESOURCE_TYPES, UNKNOWN_DATA_RESOURCE_TYPE_WARNING, 'data resource type',
      'the Data events table of the CloudTrail user guide'];
  } else if (category === NETWORK_ACTIVITY && field === SelectorField.EVENT_SOURCE) {
    [known, id, what, page] = [NETWORK_ACTIVITY_EVENT_SOURCES, UNKNOWN_NETWORK_ACTIVITY_SOURCE_WARNING,
      'network activity event source', '"Logging network activity events" in the CloudTrail user guide'];
  } else {
    return;
  }
  if (known.includes(value)) return;
  const near = closestKnown(value, known);
  warnings.push({
    id,
    message: `${valuesPath} ${show(value)} is not a ${what} CloudTrail documents` +
      (near ? ` (did you mean ${show(near)}?)` : '') +
      `: CloudTrail rejects the trail at deployment if it does not know it. Check ${page}; ` +
      'acknowledge this warning if the value is newer than this library.',
  });
}

/** A field that takes one value per selector must not get a second one from another condition. */
function checkSingle(scope: IConstruct, rule: FieldRule, entry: MergedField) {
  if (!rule.single) return;
  const all = [...entry.operators.values()].flat();
  if (all.length > 1) {
    fail(scope, all[1].path, `${entry.field} ${all[1].value}`,
      `contradicts ${entry.field} ${show(all[0].value)} from ${all[0].path}: ${entry.field} takes one value per selector`);
  }
}

/** The CloudFormation shape of a validated selector. */
export function toCfn(selector: ValidatedSelector): CfnTrail.AdvancedEventSelectorProperty {
  return {
    name: selector.draft.name,
    fieldSelectors: selector.fields.map(toCfnField),
  };
}

function toCfnField(entry: MergedField): CfnTrail.AdvancedFieldSelectorProperty {
  const out: { [key: string]: unknown } = { field: entry.field };
  for (const operator of OPERATOR_ORDER) {
    const values = entry.operators.get(operator);
    if (!values || values.length === 0) continue;
    out[OPERATOR_KEY[operator]] = values.map(v => v.value);
  }
  return out as unknown as CfnTrail.AdvancedFieldSelectorProperty;
}

/** The number of values a selector uses toward CloudTrail's quota; a token (even a list token) counts once. */
export function countValues(selector: ValidatedSelector): number {
  return selector.fields.reduce((sum, f) => sum + [...f.operators.values()].reduce((n, v) => n + v.length, 0), 0);
}

/** A key that is equal for two selectors that select the same events (names and value order ignored). */
export function selectionKey(selector: ValidatedSelector): string {
  const parts = selector.fields.map(f => {
    const ops = OPERATOR_ORDER.filter(o => f.operators.has(o))
      .map(o => `${o}=${f.operators.get(o)!.map(v => v.value).sort().join('\u0000')}`);
    return `${f.field}{${ops.join(';')}}`;
  });
  return `${selector.draft.category}|${parts.join('|')}`;
}

/** The selecting (`Equals`, `StartsWith`, `EndsWith`) conditions on a field, by operator. */
export function selectingValues(selector: ValidatedSelector, field: string): { operator: string; value: string }[] {
  const entry = selector.fields.find(f => f.field === field);
  if (!entry) return [];
  return SELECT_OPERATORS.flatMap(o => (entry.operators.get(o) ?? []).map(v => ({ operator: o, value: v.value })));
}

/**
 * Adds `values` as `NotStartsWith` conditions on `resources.ARN`, keeping the field order, and skipping
 * values the selector already deselects.
 */
export function addExclusions(selector: ValidatedSelector, values: string[], path: string): ValidatedSelector {
  let fields = selector.fields;
  let entry = fields.find(f => f.field === SelectorField.RESOURCES_ARN);
  if (!entry) {
    entry = { field: SelectorField.RESOURCES_ARN, operators: new Map() };
    fields = [...fields, entry].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  }
  for (const value of values) {
    if (entry.operators.get(SelectorOperator.NOT_STARTS_WITH)?.some(v => v.value === value)) continue;
    addValue(entry, SelectorOperator.NOT_STARTS_WITH, value, path, true);
  }
  return { draft: selector.draft, fields };
}
