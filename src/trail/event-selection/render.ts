import { Annotations } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { Construct, IConstruct } from 'constructs';
import { DataEvents } from './data-events';
import { SelectorField, SelectorOperator } from './field-selector';
import { renderInsights } from './insight-selectors';
import { InsightType } from './insights';
import { ManagementEvents } from './management-events';
import { ARCHIVE_EXCLUSION_DISABLED_WARNING, DATA, S3_OBJECT, SELECTOR_WILDCARD_WARNING, SelectorDraft } from './model';
import { NetworkActivityEvents } from './network-activity';
import {
  addExclusions, countValues, selectingValues, selectionKey, SelectionWarning, toCfn, validateSelector, ValidatedSelector,
} from './rules';
import { fail, isUnresolved, ValidationError } from '../../private/validation';

/** CloudTrail's quota: values across all conditions of all advanced event selectors of one trail. */
export const MAX_SELECTOR_VALUES = 500;

/**
 * The S3 data events (CloudTrail `eventName`s) that destroy, unlock or replace a log object version in
 * the archive. Never `PutObject`, `CompleteMultipartUpload` or `GetObject`: CloudTrail's own deliveries
 * and reads would be recorded in the next log file, the feedback loop the archive exclusion exists to
 * avoid. Overwrites by `PutObject` are refused by the archive's bucket policy instead.
 */
export const ARCHIVE_TAMPERING_EVENT_NAMES: readonly string[] = [
  'DeleteObject',
  'DeleteObjects',
  'PutObjectRetention',
  'PutObjectLegalHold',
  'CopyObject',
];

/** Name of the selector that records {@link ARCHIVE_TAMPERING_EVENT_NAMES} on the archive. */
export const ARCHIVE_TAMPERING_SELECTOR_NAME = 'Archive log deletions, overwrites and lock changes';

/**
 * Warning IDs: `ARCHIVE_EXCLUSION_DISABLED_WARNING` when the trail passes `archiveExclusionDisabled: true`
 * and records S3 object data events; `SELECTOR_WILDCARD_WARNING` for a value containing `*`.
 */
export { ARCHIVE_EXCLUSION_DISABLED_WARNING, SELECTOR_WILDCARD_WARNING };

/**
 * What a trail asks to record. Field names are the trail's prop names: errors name them.
 */
export interface EventSelectionInput {
  /** @default ManagementEvents.all() */
  readonly managementEvents?: ManagementEvents;
  /** @default - no data events */
  readonly dataEvents?: DataEvents[];
  /** @default - no network activity events */
  readonly networkActivityEvents?: NetworkActivityEvents[];
  /** @default - no Insights */
  readonly insights?: InsightType[];
  /** ARN partition for S3 ARNs (TrailIdentity.partition); may be a token. */
  readonly partition: string;
  /**
   * Buckets whose objects must never be logged as S3 data events (archive + its access-log bucket),
   * except for the destructive calls in {@link ARCHIVE_TAMPERING_EVENT_NAMES}, which a selector of
   * their own records. Values are bucket ARNs, possibly unresolved tokens (same-stack buckets).
   */
  readonly excludedBucketArns: string[];
  /**
   * The user set `excludeArchiveFromDataEvents: false` (and `excludedBucketArns` is empty): render
   * warns, with ID {@link ARCHIVE_EXCLUSION_DISABLED_WARNING}, if the trail records S3 object data events.
   *
   * @default false
   */
  readonly archiveExclusionDisabled?: boolean;
}

/**
 * The `CfnTrail` properties for the selection. Advanced event selectors only: CloudFormation rejects a
 * trail with both kinds, and basic selectors cannot express exclusions or network activity events.
 */
export interface RenderedEventSelection {
  readonly advancedEventSelectors: CfnTrail.AdvancedEventSelectorProperty[];
  /** Undefined when no Insights are enabled. */
  readonly insightSelectors?: CfnTrail.InsightSelectorProperty[];
}

const BUCKET_ARN = /^arn:[a-z0-9-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Validates the selection and renders it, in a stable order: management events first, then
 * `dataEvents` and `networkActivityEvents` in the order given, then the selector that records tampering
 * with the excluded archive buckets; fields within a selector in a fixed order. Throws a ValidationError scoped to the trail and naming the prop (`dataEvents[2].fieldSelectors[0]`, `insights[1]`, ...) for
 * anything CloudTrail would reject, and for a trail that would record nothing. Warnings go to `scope`.
 */
export function renderEventSelection(scope: Construct, input: EventSelectionInput): RenderedEventSelection {
  const warnings: SelectionWarning[] = [];
  const management = input.managementEvents ?? ManagementEvents.all();
  if (!(management instanceof ManagementEvents)) fail(scope, 'managementEvents', management, 'must be a ManagementEvents');
  const dataEvents = listOf(scope, 'dataEvents', input.dataEvents, x => x instanceof DataEvents, 'DataEvents');
  const networkEvents = listOf(scope, 'networkActivityEvents', input.networkActivityEvents,
    x => x instanceof NetworkActivityEvents, 'NetworkActivityEvents');

  const drafts: SelectorDraft[] = [];
  drafts.push(...management._drafts('managementEvents'));
  dataEvents.forEach((d, i) => drafts.push(d._draft(scope, `dataEvents[${i}]`, input.partition)));
  networkEvents.forEach((n, i) => drafts.push(n._draft(scope, `networkActivityEvents[${i}]`)));
  if (drafts.length === 0) {
    throw new ValidationError(scope, 'managementEvents is ManagementEvents.none() and neither dataEvents nor networkActivityEvents ' +
      'is given: the trail would record nothing. Record management events or give data or network activity events');
  }

  const validated = drafts.map(d => validateSelector(scope, d, warnings));
  rejectDuplicates(scope, validated);

  const exclusions = exclusionPrefixes(scope, input.excludedBucketArns);
  let recordsS3Objects = false;
  const selectors = validated.map(selector => {
    if (!isS3Objects(selector)) return selector;
    recordsS3Objects = true;
    const needed = exclusions.filter(prefix => mayRecord(selector, prefix));
    return needed.length > 0 ? addExclusions(selector, needed, 'excludedBucketArns') : selector;
  });
  if (exclusions.length > 0) {
    selectors.push(validateSelector(scope, archiveTamperingDraft(exclusions), warnings));
  }
  if (input.archiveExclusionDisabled && recordsS3Objects) {
    warnings.push({
      id: ARCHIVE_EXCLUSION_DISABLED_WARNING,
      message: 'excludeArchiveFromDataEvents is false: the S3 data events of this trail include its own archive ' +
        'and access-log buckets. Every log file CloudTrail delivers there is itself an S3 data event, recorded in a ' +
        'later log file: a feedback loop that multiplies data event charges.',
    });
  }

  const total = selectors.reduce((sum, s) => sum + countValues(s), 0);
  if (total > MAX_SELECTOR_VALUES) {
    throw new ValidationError(scope, `managementEvents, dataEvents and networkActivityEvents use ${total} selector values together ` +
      `(archive exclusion and archive tampering selector included); CloudTrail allows at most ${MAX_SELECTOR_VALUES} values across all conditions of ` +
      'all advanced event selectors of a trail: select by prefix (StartsWith) instead of listing resources, or split the trail');
  }

  const insightSelectors = renderInsights(scope, input.insights, {
    managementEvents: management.recordsEvents,
    writeManagementEvents: management.recordsWriteEvents,
    dataEvents: dataEvents.length > 0,
  });

  const reported = new Set<string>();
  for (const w of warnings) {
    const key = `${w.id}\u0000${w.message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    Annotations.of(scope).addWarningV2(w.id, w.message);
  }
  return { advancedEventSelectors: selectors.map(toCfn), insightSelectors };
}

function listOf<T>(scope: IConstruct, prop: string, list: T[] | undefined, isType: (item: unknown) => boolean, typeName: string): T[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) fail(scope, prop, list, 'must be a list');
  list.forEach((item, i) => {
    if (!isType(item)) fail(scope, `${prop}[${i}]`, item, `must be a ${typeName} (use its static factories)`);
  });
  return list;
}

function rejectDuplicates(scope: IConstruct, selectors: ValidatedSelector[]) {
  const seen = new Map<string, string>();
  for (const selector of selectors) {
    const key = selectionKey(selector);
    const first = seen.get(key);
    if (first) {
      throw new ValidationError(scope, `${selector.draft.path} selects the same events as ${first}: remove one of them`);
    }
    seen.set(key, selector.draft.path);
  }
}

/** `<bucketArn>/` for each bucket to exclude, once each. */
function exclusionPrefixes(scope: IConstruct, bucketArns: string[]): string[] {
  if (!Array.isArray(bucketArns)) fail(scope, 'excludedBucketArns', bucketArns, 'must be a list of bucket ARNs');
  const prefixes: string[] = [];
  bucketArns.forEach((arn, i) => {
    if (!isUnresolved(arn) && !BUCKET_ARN.test(arn)) {
      fail(scope, `excludedBucketArns[${i}]`, arn, 'must be an S3 bucket ARN (arn:<partition>:s3:::<bucket>)');
    }
    // The "/" keeps the exclusion of "logs" from also excluding "logs-archive".
    const prefix = `${arn}/`;
    if (!prefixes.includes(prefix)) prefixes.push(prefix);
  });
  return prefixes;
}

/**
 * Records the deletes, overwrites and lock changes of the archive's objects and nothing else of them,
 * so that tampering leaves a record while log deliveries do not.
 */
function archiveTamperingDraft(prefixes: string[]): SelectorDraft {
  const path = 'excludedBucketArns';
  return {
    path,
    category: DATA,
    name: ARCHIVE_TAMPERING_SELECTOR_NAME,
    conditions: [
      { field: SelectorField.EVENT_CATEGORY, operator: SelectorOperator.EQUALS, values: [DATA], path, fixed: true },
      { field: SelectorField.RESOURCES_TYPE, operator: SelectorOperator.EQUALS, values: [S3_OBJECT], path, fixed: true },
      { field: SelectorField.EVENT_NAME, operator: SelectorOperator.EQUALS, values: [...ARCHIVE_TAMPERING_EVENT_NAMES], path, fixed: true },
      { field: SelectorField.RESOURCES_ARN, operator: SelectorOperator.STARTS_WITH, values: prefixes, path, fixed: true },
    ],
  };
}

function isS3Objects(selector: ValidatedSelector): boolean {
  if (selector.draft.category !== DATA) return false;
  return selectingValues(selector, SelectorField.RESOURCES_TYPE).some(v => v.value === S3_OBJECT);
}

/**
 * Whether the selector may record objects under `prefix`: true unless its selecting `resources.ARN`
 * conditions are all literals that provably exclude the prefix. Tokens are assumed to overlap, so a
 * same-stack archive is always excluded.
 */
function mayRecord(selector: ValidatedSelector, prefix: string): boolean {
  const selecting = selectingValues(selector, SelectorField.RESOURCES_ARN);
  if (selecting.length === 0) return true;
  return selecting.some(({ operator, value }) => {
    if (isUnresolved(value) || isUnresolved(prefix)) return true;
    switch (operator) {
      case SelectorOperator.STARTS_WITH: return prefix.startsWith(value) || value.startsWith(prefix);
      case SelectorOperator.EQUALS: return value.startsWith(prefix);
      default: return true;
    }
  });
}
