import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DigestCheck } from './digest-check';
import { DIGEST_FOLDER, DigestQuery, digestQueryParameters, DigestQueryTarget } from './digest-queries';
import { ForensicQueryTable } from './forensic-query-types';
import type { IntegrityCheckProps } from './integrity-check';
import { TrailAnalytics } from './trail-analytics';
import {
  fail, isUnresolved, validateAccount, validateEnum, validateInteger, validateNonEmpty, validateString, validateUnique, ValidationError,
} from '../private/validation';

/** The checks of {@link IntegrityCheck}'s props, and the saved queries' descriptions. */

const MAX_LOOKBACK_DAYS = 30;

export function describeQuery(query: DigestQuery, target: DigestQueryTarget): string {
  const parameters = digestQueryParameters(target).map(p => `${p.name}, e.g. ${p.example} (${p.description})`);
  return `${query.description} Parameters, in order: ${parameters.join('; ')}.`;
}

export function validateProps(scope: Construct, props: IntegrityCheckProps): void {
  if (!props || props.digestTable?.folder !== DIGEST_FOLDER || typeof props.digestTable.qualifiedName !== 'string') {
    fail(scope, 'digestTable', pathOf(props?.digestTable), 'must be a table of the trail\'s digest files (a DigestTable or DigestTable.fromTableAttributes())');
  }
  const events = props.eventsTable;
  if (typeof events !== 'object' || events === null || events.records !== ForensicQueryTable.EVENTS || typeof events.qualifiedName !== 'string') {
    fail(scope, 'eventsTable', pathOf(events), 'must be a table of the trail\'s events (a CloudTrailTable or CloudTrailTable.fromTableAttributes())');
  }
  if (!(props.analytics instanceof TrailAnalytics)) fail(scope, 'analytics', pathOf(props.analytics), 'must be a TrailAnalytics');
  if (!props.alarmTopic || typeof props.alarmTopic.topicArn !== 'string') {
    fail(scope, 'alarmTopic', pathOf(props.alarmTopic), 'must be an SNS topic (sns.ITopic)');
  }
  const digests = props.digestTable;
  const sameTrail = isUnresolved(digests.identity.trailArn) || isUnresolved(events.identity.trailArn) ||
    digests.identity.trailArn === events.identity.trailArn;
  if (!sameTrail) {
    fail(scope, 'eventsTable', events.identity.trailArn, `must read the same trail as digestTable (${digests.identity.trailArn})`);
  }
  // A region or account only one table projects would make its files look missing, or never checked.
  for (const [prop, a, b] of [['regions', digests.regions, events.regions], ['accounts', digests.accounts, events.accounts]] as const) {
    if (isUnresolved(a) || isUnresolved(b)) continue;
    const text = (list: readonly string[] | undefined) => list === undefined ? 'injected' : [...list].sort().join(',');
    if (text(a) !== text(b)) {
      throw new ValidationError(scope, `digestTable and eventsTable must project the same ${prop}: the digest table has ` +
        `${text(a)}, the events table ${text(b)}`);
    }
  }
  if (props.checks !== undefined) {
    validateNonEmpty(scope, 'checks', props.checks);
    props.checks.forEach((c, i) => validateEnum(scope, `checks[${i}]`, c, DigestCheck));
    validateUnique(scope, 'checks', props.checks, c => c);
  }
  validateInteger(scope, 'lookbackDays', props.lookbackDays, 1, MAX_LOOKBACK_DAYS);
  if (props.queryTimeout !== undefined && !(props.queryTimeout instanceof Duration)) {
    fail(scope, 'queryTimeout', props.queryTimeout, 'must be a Duration, such as Duration.minutes(30)');
  }
  if (props.queryTimeout !== undefined && !props.queryTimeout.isUnresolved() && props.queryTimeout.toSeconds() < 60) {
    fail(scope, 'queryTimeout', props.queryTimeout.toString(), 'must be at least 1 minute');
  }
  if (digests.requiresAccountFilter) {
    if (props.accounts === undefined) {
      throw new ValidationError(scope, 'accounts must be given: the tables\' account partition is injected, so each run ' +
        'must name the accounts it checks');
    }
    if (isUnresolved(props.accounts) || !Array.isArray(props.accounts)) {
      throw new ValidationError(scope, 'accounts must be a list written out at synth time, not a list token');
    }
    validateNonEmpty(scope, 'accounts', props.accounts);
    props.accounts.forEach((a, i) => {
      validateString(scope, `accounts[${i}]`, a);
      validateAccount(scope, `accounts[${i}]`, a);
    });
    validateUnique(scope, 'accounts', props.accounts, a => a);
  } else if (props.accounts !== undefined) {
    throw new ValidationError(scope, 'accounts must not be set: the tables ' + (digests.identity.isOrganizationTrail
      ? 'list their accounts, and every run checks all of them'
      : 'are an account trail\'s, which records one account'));
  }
}

function pathOf(value: unknown): unknown {
  return (value as Construct | undefined)?.node?.path ?? value;
}
