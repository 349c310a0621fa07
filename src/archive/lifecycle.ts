import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { wholeDays } from '../private/secure/validators';
import { fail, validateEnum } from '../private/validation';

/**
 * Moves log objects to a cheaper storage class once they reach an age.
 */
export interface ArchiveTransition {
  /** The storage class to move objects to. */
  readonly storageClass: s3.StorageClass;

  /** Age (from creation) at which objects move. Whole days. */
  readonly transitionAfter: Duration;
}

/**
 * S3 Object Lock settings for the log bucket.
 */
export interface ArchiveObjectLock {
  /**
   * GOVERNANCE lets principals with `s3:BypassGovernanceRetention` shorten the lock; COMPLIANCE lets
   * nobody, not even the root user, delete a locked object version before the lock ends.
   */
  readonly mode: s3.ObjectLockMode;

  /** How long every new log object version is locked. Whole days. */
  readonly retention: Duration;
}

/** Warning ID when `objectLockEnabled` is false. */
export const OBJECT_LOCK_DISABLED_WARNING = 'cdk-cloudtrail-governance:archive:objectLockDisabled';

/** The default Object Lock period: a year of write-once logs, the span in which most incidents are found. */
const DEFAULT_LOCK_DAYS = 365;

/** The S3 lifecycle waterfall: a transition may only go to a class further down this list. */
const WATERFALL: string[] = [
  s3.StorageClass.INFREQUENT_ACCESS.value,
  s3.StorageClass.INTELLIGENT_TIERING.value,
  s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS.value,
  s3.StorageClass.GLACIER_INSTANT_RETRIEVAL.value,
  s3.StorageClass.GLACIER.value,
  s3.StorageClass.DEEP_ARCHIVE.value,
];

/** S3 rejects transitions to the IA classes earlier than 30 days after creation. */
const MIN_TRANSITION_DAYS: { [storageClass: string]: number } = {
  [s3.StorageClass.INFREQUENT_ACCESS.value]: 30,
  [s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS.value]: 30,
};

/** Minimum billable storage duration per class: leaving earlier is billed as if the object stayed. */
const MIN_STORAGE_DAYS: { [storageClass: string]: number } = {
  [s3.StorageClass.INFREQUENT_ACCESS.value]: 30,
  [s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS.value]: 30,
  [s3.StorageClass.GLACIER_INSTANT_RETRIEVAL.value]: 90,
  [s3.StorageClass.GLACIER.value]: 90,
  [s3.StorageClass.DEEP_ARCHIVE.value]: 180,
};

/** S3's lifecycle and Object Lock `Days` fields are 32-bit integers. */
const MAX_LIFECYCLE_DAYS = 2 ** 31 - 1;

/** Whole days between `min` and what S3's 32-bit `Days` fields hold; tokens pass. */
export function lifecycleDays(scope: IConstruct, prop: string, duration: Duration, min: number): number {
  const days = wholeDays(scope, prop, duration, min);
  if (!isToken(days) && days > MAX_LIFECYCLE_DAYS) {
    fail(scope, prop, duration.toHumanString(), `must be at most ${MAX_LIFECYCLE_DAYS} days: S3 stores lifecycle days as a 32-bit integer`);
  }
  return days;
}

/**
 * The archive's validated lifecycle, in whole days.
 */
export interface ArchiveLifecycle {
  readonly retentionDays: number;
  readonly transitions: { storageClass: s3.StorageClass; days: number }[];
  readonly noncurrentVersionDays: number;
  readonly objectLock?: { mode: s3.ObjectLockMode; days: number };
}

export interface ArchiveLifecycleInput {
  readonly retention: Duration;
  readonly transitions: ArchiveTransition[];
  readonly noncurrentVersionExpiration: Duration;
  readonly objectLock?: ArchiveObjectLock;
}

/**
 * Validates the lifecycle inputs against S3's rules and against each other, warning where a legal
 * choice costs money for nothing (objects leaving a class before its minimum storage duration).
 */
export function resolveLifecycle(scope: IConstruct, input: ArchiveLifecycleInput): ArchiveLifecycle {
  const retentionDays = lifecycleDays(scope, 'retention', input.retention, 1);
  const noncurrentVersionDays = lifecycleDays(scope, 'noncurrentVersionExpiration', input.noncurrentVersionExpiration, 1);
  if (!isToken(retentionDays) && !isToken(noncurrentVersionDays) && noncurrentVersionDays < retentionDays) {
    fail(scope, 'noncurrentVersionExpiration', `${noncurrentVersionDays} days`,
      `must not be shorter than retention (${retentionDays} days): a noncurrent log version exists only because ` +
      'someone deleted or overwrote the log, and expiring it earlier turns that delete into a purge');
  }

  const transitions = input.transitions.map((t, i) => ({
    storageClass: t.storageClass,
    days: lifecycleDays(scope, `transitions[${i}].transitionAfter`, t.transitionAfter, 0),
  }));

  transitions.forEach((t, i) => {
    const prop = `transitions[${i}]`;
    const rank = WATERFALL.indexOf(t.storageClass.value);
    if (rank < 0) {
      fail(scope, `${prop}.storageClass`, t.storageClass.value, `must be one of ${WATERFALL.join(', ')}`);
    }
    const minDays = MIN_TRANSITION_DAYS[t.storageClass.value] ?? 0;
    if (!isToken(t.days) && t.days < minDays) {
      fail(scope, `${prop}.transitionAfter`, `${t.days} days`, `must be at least ${minDays} days for ${t.storageClass.value}`);
    }
    if (i === 0) return;
    const prev = transitions[i - 1];
    if (rank <= WATERFALL.indexOf(prev.storageClass.value)) {
      fail(scope, `${prop}.storageClass`, t.storageClass.value,
        `must come after ${prev.storageClass.value} in the S3 lifecycle order (${WATERFALL.join(' > ')})`);
    }
    if (isToken(t.days) || isToken(prev.days)) return;
    if (t.days <= prev.days) {
      fail(scope, `${prop}.transitionAfter`, `${t.days} days`,
        `must be later than transitions[${i - 1}].transitionAfter (${prev.days} days)`);
    }
    // S3 keeps objects in an IA class for at least 30 days before the next transition.
    const stay = MIN_TRANSITION_DAYS[prev.storageClass.value];
    if (stay !== undefined && t.days - prev.days < stay) {
      fail(scope, `${prop}.transitionAfter`, `${t.days} days`,
        `must be at least ${stay} days after the transition to ${prev.storageClass.value} (${prev.days} days)`);
    }
  });

  const last = transitions[transitions.length - 1];
  if (last && !isToken(last.days) && !isToken(retentionDays)) {
    if (retentionDays <= last.days) {
      fail(scope, 'retention', `${retentionDays} days`,
        `must be longer than the last transition (${last.storageClass.value} after ${last.days} days)`);
    }
    const minStay = MIN_STORAGE_DAYS[last.storageClass.value] ?? 0;
    if (retentionDays - last.days < minStay) {
      Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:archive:minStorageDuration',
        `retention (${retentionDays} days) expires objects ${retentionDays - last.days} days after they move to ` +
        `${last.storageClass.value}, which bills a minimum of ${minStay} days: the transition costs more than it saves.`);
    }
  }

  let objectLock: ArchiveLifecycle['objectLock'];
  if (input.objectLock) {
    const days = lifecycleDays(scope, 'objectLock.retention', input.objectLock.retention, 1);
    if (!isToken(days) && !isToken(retentionDays) && retentionDays < days) {
      fail(scope, 'retention', `${retentionDays} days`,
        `must not end before objectLock.retention (${days} days): S3 cannot expire a locked object version`);
    }
    objectLock = { mode: input.objectLock.mode, days };
  }

  return { retentionDays, transitions, noncurrentVersionDays, objectLock };
}

/**
 * Object Lock on by default; off only when asked, with a warning, and never with a lock given too.
 */
export function resolveObjectLock(scope: IConstruct, enabled: boolean | undefined, lock: ArchiveObjectLock | undefined,
  retention: Duration): ArchiveObjectLock | undefined {
  if (lock !== undefined) validateEnum(scope, 'objectLock.mode', lock.mode, s3.ObjectLockMode);
  if (enabled === false) {
    if (lock !== undefined) {
      fail(scope, 'objectLock', `${lock.mode} ${lock.retention.toHumanString()}`,
        'cannot be set with objectLockEnabled: false; remove one of them');
    }
    Annotations.of(scope).addWarningV2(OBJECT_LOCK_DISABLED_WARNING,
      'objectLockEnabled is false: an administrator of the log-archive account who gets past the bucket policy ' +
      '(with the root user, or a stack update that rewrites it) can delete log object versions at once.');
    return undefined;
  }
  if (lock !== undefined) return lock;
  const retentionDays = retention.isUnresolved() ? DEFAULT_LOCK_DAYS : retention.toDays({ integral: false });
  return {
    mode: s3.ObjectLockMode.GOVERNANCE,
    retention: Duration.days(Math.max(1, Math.min(DEFAULT_LOCK_DAYS, Math.floor(retentionDays)))),
  };
}

/** The S3 lifecycle rules for the validated lifecycle. */
export function lifecycleRules(lifecycle: ArchiveLifecycle): s3.LifecycleRule[] {
  return [
    {
      id: 'trail-log-retention',
      expiration: Duration.days(lifecycle.retentionDays),
      transitions: lifecycle.transitions.map((t) => ({
        storageClass: t.storageClass,
        transitionAfter: Duration.days(t.days),
      })),
      // Versioning keeps what a delete or an overwrite replaced, and what expiration retired; never
      // shorter than the retention, so that a delete cannot become a purge before the logs were due.
      noncurrentVersionExpiration: Duration.days(lifecycle.noncurrentVersionDays),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    },
    {
      // Once every version of a key is gone, its delete marker only slows LIST; S3 rejects this
      // flag in a rule that also expires current versions by age, hence its own rule.
      id: 'expired-delete-markers',
      expiredObjectDeleteMarker: true,
    },
  ];
}

function isToken(n: number): boolean {
  return Token.isUnresolved(n);
}
