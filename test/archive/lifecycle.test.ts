import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ArchiveTransition, resolveLifecycle } from '../../src/archive/lifecycle';

const { INFREQUENT_ACCESS: IA, ONE_ZONE_INFREQUENT_ACCESS: ONEZONE, GLACIER_INSTANT_RETRIEVAL: GLACIER_IR, GLACIER, DEEP_ARCHIVE } = s3.StorageClass;

function resolve(opts: { retentionDays?: number; transitions?: ArchiveTransition[]; noncurrentDays?: number; lockDays?: number }) {
  const stack = new Stack(new App(), 'S');
  const result = resolveLifecycle(stack, {
    retention: Duration.days(opts.retentionDays ?? 2557),
    transitions: opts.transitions ?? [],
    noncurrentVersionExpiration: Duration.days(opts.noncurrentDays ?? opts.retentionDays ?? 2557),
    objectLock: opts.lockDays !== undefined
      ? { mode: s3.ObjectLockMode.GOVERNANCE, retention: Duration.days(opts.lockDays) } : undefined,
  });
  return { stack, result };
}
const t = (storageClass: s3.StorageClass, days: number): ArchiveTransition => ({ storageClass, transitionAfter: Duration.days(days) });

test('a valid waterfall resolves to whole days', () => {
  const { result } = resolve({ transitions: [t(IA, 30), t(GLACIER_IR, 90), t(DEEP_ARCHIVE, 365)] });
  expect(result.transitions.map((x) => [x.storageClass.value, x.days])).toEqual([
    ['STANDARD_IA', 30], ['GLACIER_IR', 90], ['DEEP_ARCHIVE', 365],
  ]);
  expect(result.retentionDays).toBe(2557);
});

test('IA classes need at least 30 days', () => {
  expect(() => resolve({ transitions: [t(IA, 10)] }))
    .toThrow('transitions[0].transitionAfter "10 days" must be at least 30 days for STANDARD_IA');
  expect(() => resolve({ transitions: [t(ONEZONE, 29)] }))
    .toThrow('transitions[0].transitionAfter "29 days" must be at least 30 days for ONEZONE_IA');
});

test('transitions must follow the lifecycle order', () => {
  expect(() => resolve({ transitions: [t(GLACIER, 90), t(IA, 120)] }))
    .toThrow('transitions[1].storageClass "STANDARD_IA" must come after GLACIER in the S3 lifecycle order');
  expect(() => resolve({ transitions: [t(GLACIER, 90), t(GLACIER, 120)] }))
    .toThrow('transitions[1].storageClass "GLACIER" must come after GLACIER');
});

test('transition days must increase', () => {
  expect(() => resolve({ transitions: [t(GLACIER_IR, 90), t(DEEP_ARCHIVE, 90)] }))
    .toThrow('transitions[1].transitionAfter "90 days" must be later than transitions[0].transitionAfter (90 days)');
});

test('objects stay 30 days in an IA class before moving on', () => {
  expect(() => resolve({ transitions: [t(IA, 30), t(GLACIER, 45)] }))
    .toThrow('transitions[1].transitionAfter "45 days" must be at least 30 days after the transition to STANDARD_IA (30 days)');
});

test('expiration must come after the last transition', () => {
  expect(() => resolve({ retentionDays: 90, transitions: [t(GLACIER_IR, 90)] }))
    .toThrow('retention "90 days" must be longer than the last transition (GLACIER_IR after 90 days)');
});

test('expiring before the minimum storage duration warns', () => {
  const { stack } = resolve({ retentionDays: 120, transitions: [t(DEEP_ARCHIVE, 30)] });
  Annotations.fromStack(stack).hasWarning('/S', Match.stringLikeRegexp('bills a minimum of 180 days'));
});

test('expiration must not end before the object lock', () => {
  expect(() => resolve({ retentionDays: 365, lockDays: 400 }))
    .toThrow('retention "365 days" must not end before objectLock.retention (400 days)');
  expect(resolve({ retentionDays: 400, lockDays: 400 }).result.objectLock?.days).toBe(400);
});

test('durations must be whole days and positive', () => {
  const stack = new Stack(new App(), 'S');
  expect(() => resolveLifecycle(stack, { retention: Duration.hours(36), transitions: [], noncurrentVersionExpiration: Duration.days(1) }))
    .toThrow('retention "1 day 12 hours" must be a whole number of days');
  expect(() => resolve({ noncurrentDays: 0 })).toThrow('noncurrentVersionExpiration "0 days" must be a whole number of days, at least 1 day');
  expect(() => resolve({ retentionDays: 0 })).toThrow('retention "0 days" must be a whole number of days, at least 1 day');
});

test('noncurrent versions must outlive the retention: a delete must not become a purge', () => {
  expect(() => resolve({ retentionDays: 365, noncurrentDays: 90 })).toThrow(
    'noncurrentVersionExpiration "90 days" must not be shorter than retention (365 days): a noncurrent log version ' +
    'exists only because someone deleted or overwrote the log, and expiring it earlier turns that delete into a purge');
  expect(resolve({ retentionDays: 365, noncurrentDays: 365 }).result.noncurrentVersionDays).toBe(365);
  expect(resolve({ retentionDays: 365, noncurrentDays: 400 }).result.noncurrentVersionDays).toBe(400);
});
