/**
 * The internal shape every event-selection class turns itself into before rendering: a named list of
 * conditions of one event category, each remembering the prop path it came from so that a validation
 * error can name it the way the user wrote it (`dataEvents[2].fieldSelectors[0]`).
 */

import { IConstruct } from 'constructs';
import { fail } from '../../private/validation';

export const MANAGEMENT = 'Management';
export const DATA = 'Data';
export const NETWORK_ACTIVITY = 'NetworkActivity';

export type EventCategory = typeof MANAGEMENT | typeof DATA | typeof NETWORK_ACTIVITY;

export interface Condition {
  readonly field: string;
  readonly operator: string;
  readonly values: string[];
  /** Where the condition came from, for error messages. */
  readonly path: string;
  /**
   * The prop that holds the values, for error messages about one value.
   *
   * @default `${path}.values`
   */
  readonly valuesPath?: string;
  /**
   * Set by the library from the factory and its options rather than by a user `FieldSelector`; such
   * conditions are trusted and a user condition on the same field must agree with them.
   */
  readonly fixed?: boolean;
}

/**
 * The user's own `fieldSelectors` of a factory's options, as conditions that remember where they came from
 * (`<path>.fieldSelectors[i]`).
 */
export function userConditions(scope: IConstruct, path: string, selectors: readonly FieldSelectorLike[] | undefined): Condition[] {
  const list = selectors ?? [];
  if (!Array.isArray(list)) fail(scope, `${path}.fieldSelectors`, list, 'must be a list of FieldSelector');
  return list.map((s, i) => {
    const at = `${path}.fieldSelectors[${i}]`;
    if (!s || typeof s !== 'object') fail(scope, at, s, 'must be a FieldSelector');
    return { field: s.field, operator: s.operator, values: s.values, path: at };
  });
}

/** What a user condition needs of a `FieldSelector` (kept structural to avoid an import cycle). */
export interface FieldSelectorLike {
  readonly field: string;
  readonly operator: string;
  readonly values: string[];
}

export interface SelectorDraft {
  /** The prop the selector came from (`managementEvents`, `dataEvents[2]`, ...). */
  readonly path: string;
  readonly category: EventCategory;
  readonly name: string;
  readonly conditions: Condition[];
}

/** The AWS service that records S3 general purpose bucket object activity as data events. */
export const S3_OBJECT = 'AWS::S3::Object';

/** Warning IDs (acknowledge with `Annotations.of(scope).acknowledgeWarning(id)`). */
export const ARCHIVE_EXCLUSION_DISABLED_WARNING = 'cdk-cloudtrail-governance:trail:archiveExclusionDisabled';
export const SELECTOR_WILDCARD_WARNING = 'cdk-cloudtrail-governance:trail:selectorWildcard';
