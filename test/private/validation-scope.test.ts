import { App, Duration, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as lib from '../../src';
import { TrailArchiveKey } from '../../src/archive/archive-key';
import { TrailArchive } from '../../src/archive/trail-archive';
import { CloudTrailBaseline } from '../../src/baseline/cloudtrail-baseline';
import { CentralDetectionBus } from '../../src/detection/central-detection-bus';
import { CisAlarms } from '../../src/detection/cis-alarms';
import { Detection } from '../../src/detection/detection';
import { DetectionForwarder } from '../../src/detection/detection-forwarder';
import { DetectionForwardingRule } from '../../src/detection/detection-forwarding-rule';
import { SecurityAlerts } from '../../src/detection/security-alerts';
import { VolumeAlarms } from '../../src/detection/volume-alarms';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { OrganizationGuardrails } from '../../src/organization/organization-guardrails';
import { ValidationError, withScope } from '../../src/private/validation';
import { CloudTrailTable } from '../../src/query/cloudtrail-table';
import { ForensicQuery } from '../../src/query/forensic-query';
import { InsightsTable } from '../../src/query/insights-table';
import { TrailAnalytics } from '../../src/query/trail-analytics';
import { AccountTrail } from '../../src/trail/account-trail';
import { InsightType } from '../../src/trail/event-selection/insights';
import { OrganizationTrail } from '../../src/trail/organization-trail';
import { TrailBase } from '../../src/trail/trail-base';

/**
 * In an app with several archives, trails or alert stacks, a validation error must say which construct
 * was given the bad value: its message starts with the construct's full path, and still names the
 * property, the value and the rule. Value objects have no construct, so their errors stay unscoped.
 * Every case throws in a constructor: nothing is synthesized.
 */

const ENV = { account: '444444444444', region: 'us-east-1' };
const ACCOUNT = TrailIdentity.account({ trailName: 'account-trail', account: ENV.account, homeRegion: ENV.region });
const ORG = TrailIdentity.organization({
  trailName: 'org-trail', managementAccount: ENV.account, organizationId: 'o-a1b2c3d4e5', homeRegion: ENV.region,
});
const BUS = 'arn:aws:events:us-east-1:111111111111:event-bus/security-detections';

const archive = (s: Construct, identity = ACCOUNT) => new TrailArchive(s, 'TrailArchive', { writers: [identity] });
const table = (s: Construct) => new CloudTrailTable(s, 'Events', { identity: ACCOUNT, archive: archive(s) });
const logGroup = (s: Construct) => logs.LogGroup.fromLogGroupName(s, 'Logs', 'trail-logs');

/** [construct, build (throws), the path the message starts with, the rest of the message (property, value, rule)]. */
const CASES: Array<[string, (stack: Stack) => void, string, string]> = [
  ['TrailArchive', s => new TrailArchive(s, 'Archive', { writers: [] }),
    'Stack/Archive', 'writers must not be empty'],
  ['TrailArchive, in a construct of the user\'s', s => new TrailArchive(new Construct(s, 'Team'), 'Archive', { writers: [] }),
    'Stack/Team/Archive', 'writers must not be empty'],
  ['TrailArchive lifecycle', s => new TrailArchive(s, 'Archive', { writers: [ACCOUNT], retention: Duration.hours(36) }),
    'Stack/Archive', 'retention "1 day 12 hours" must be a whole number of days, at least 1 day'],
  ['TrailArchive.fromAttributes', s => TrailArchive.fromAttributes(s, 'Imported', {
    bucketName: 'Log_Archive', keyArn: 'arn:aws:kms:us-east-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  }), 'Stack/Imported', 'bucketName "Log_Archive" must be a valid S3 bucket name'],
  ['TrailArchiveKey', s => new TrailArchiveKey(s, 'Key', { writers: [ACCOUNT], keyAlias: 'alias/aws/logs' }),
    'Stack/Key', 'keyAlias "alias/aws/logs" must be "alias/" followed by letters, digits'],
  ['AccountTrail', s => new AccountTrail(s, 'Trail', { identity: ACCOUNT, archive: archive(s), includeGlobalServiceEvents: false }),
    'Stack/Trail', 'includeGlobalServiceEvents false cannot be combined with multiRegion true'],
  ['AccountTrail event selection', s => new AccountTrail(s, 'Trail', {
    identity: ACCOUNT, archive: archive(s), insights: [InsightType.API_CALL_RATE, InsightType.API_CALL_RATE],
  }), 'Stack/Trail', 'insights contains ApiCallRateInsight more than once'],
  ['OrganizationTrail', s => new OrganizationTrail(s, 'Trail', { identity: ACCOUNT, archive: archive(s) }),
    'Stack/Trail', 'identity of trail "account-trail" must be an organization identity'],
  ['TrailBase.fromTrailAttributes', s => TrailBase.fromTrailAttributes(s, 'Imported', { identity: 'account-trail' as any }),
    'Stack/Imported', 'identity "account-trail" must be a TrailIdentity'],
  ['SecurityAlerts', s => new SecurityAlerts(s, 'Alerts', { retryAttempts: 186 }),
    'Stack/Alerts', 'retryAttempts 186 must be an integer between 0 and 185'],
  ['DetectionForwardingRule', s => new DetectionForwardingRule(s, 'Forwarding', { centralBusArn: 'security-detections' }),
    'Stack/Forwarding', 'centralBusArn "security-detections" must be an event bus ARN'],
  ['DetectionForwarder', s => new DetectionForwarder(s, 'Forwarder', {
    centralBusArn: BUS, organizationalUnitIds: ['r-a1b2'], regions: ['us-east-1', 'us-east-1'],
  }), 'Stack/Forwarder', 'regions contains "us-east-1" more than once'],
  ['CentralDetectionBus', s => new CentralDetectionBus(s, 'Bus', { organizationId: 'o-short' }),
    'Stack/Bus', 'organizationId "o-short" must be "o-" followed by 10 to 32 lowercase letters or digits'],
  ['CisAlarms', s => new CisAlarms(s, 'Cis', { logGroup: logGroup(s), logGroupSilencePeriod: Duration.minutes(2) }),
    'Stack/Cis', 'logGroupSilencePeriod "2 minutes" must be whole minutes between 5 minutes and 1 day'],
  ['VolumeAlarms', s => new VolumeAlarms(s, 'Volume', { logGroup: logGroup(s), period: Duration.seconds(90) }),
    'Stack/Volume', 'period "1 minute 30 seconds" must be a whole number of minutes from 1 to 60'],
  ['CloudTrailTable', s => new CloudTrailTable(s, 'Table', { identity: ACCOUNT, archive: archive(s), tableName: 'Events!' }),
    'Stack/Table', 'tableName "Events!" must be 1-255 lowercase letters, digits or underscores'],
  ['InsightsTable', s => new InsightsTable(s, 'Insights', { identity: ACCOUNT, archive: archive(s), regions: ['us-east-1', 'us-east-1'] }),
    'Stack/Insights', 'regions contains "us-east-1" more than once'],
  ['CloudTrailTable.fromTableAttributes', s => CloudTrailTable.fromTableAttributes(s, 'Imported', {
    identity: ACCOUNT, archive: archive(s), databaseName: 'Trail-Logs', regions: ['us-east-1'],
  }), 'Stack/Imported', 'databaseName "Trail-Logs" must be 1-255 lowercase letters, digits or underscores'],
  ['TrailAnalytics', s => new TrailAnalytics(s, 'Analytics', { table: table(s), bytesScannedCutoffPerQuery: 1 }),
    'Stack/Analytics', 'bytesScannedCutoffPerQuery 1 must be an integer between'],
  ['TrailAnalytics results bucket', s => new TrailAnalytics(s, 'Analytics', { table: table(s), resultsRetention: Duration.hours(36) }),
    'Stack/Analytics', 'resultsRetention "1 day 12 hours" must be a whole number of days, at least 1 day'],
  ['CloudTrailBaseline', s => new CloudTrailBaseline(s, 'Baseline', { cloudWatchLogs: false }),
    'Stack/Baseline', 'cisAlarms true requires cloudWatchLogs true'],
  ['CloudTrailBaseline, for the identity it builds', s => new CloudTrailBaseline(s, 'Baseline', { trailName: 'my trail' }),
    'Stack/Baseline', 'trailName "my trail" must'],
  ['OrganizationGuardrails', s => new OrganizationGuardrails(s, 'Guardrails', { targetIds: [] }),
    'Stack/Guardrails', 'targetIds must not be empty'],
];

function thrownBy(build: () => unknown): unknown {
  try {
    build();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, none was thrown');
}

describe('validation errors carry the path of the construct that was given the bad value', () => {
  test.each(CASES)('%s', (_construct, build, path, rest) => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const error = thrownBy(() => build(stack));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe(path);
    expect((error as Error).message.startsWith(`${path}: ${rest}`)).toBe(true);
  });

  test('the message names the construct once', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const trail = new AccountTrail(stack, 'Trail', { identity: ACCOUNT, archive: archive(stack) });
    expect(() => trail.metricIncomingLogEvents()).toThrow(new Error('Stack/Trail: the trail has no CloudWatch Logs group: ' +
      'set cloudWatchLogs on the trail (or logGroup when importing it) to measure its log group\'s incoming events'));
  });

  test('an organization trail given to AccountTrail is refused with the trail\'s path, before anything is built', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    // The archive does not list the trail either: the kind of identity is what the user is told first.
    const accountArchive = archive(stack);
    expect(() => new AccountTrail(stack, 'Trail', { identity: ORG, archive: accountArchive }))
      .toThrow(/^Stack\/Trail: identity of trail "org-trail" must be an account identity \(TrailIdentity.account\)/);
    expect(stack.node.tryFindChild('Trail')).toBeUndefined();
    expect(() => new OrganizationTrail(stack, 'Trail', { identity: ACCOUNT, archive: accountArchive }))
      .toThrow(expect.objectContaining({ constructPath: 'Stack/Trail', name: 'ValidationError' }));
    expect(stack.node.tryFindChild('Trail')).toBeUndefined();
  });

  test('a check before the construct exists names the path it would have', () => {
    const app = new App();
    expect(ValidationError.ofChild(new Stack(app, 'Stack'), 'Child', 'x must be y').message).toBe('Stack/Child: x must be y');
    expect(ValidationError.ofChild(app, 'Stack', 'x must be y').constructPath).toBe('Stack');
  });
});

describe('value objects have no construct: their errors stay unscoped', () => {
  test.each([
    ['TrailIdentity.account', () => TrailIdentity.account({ trailName: 'trail', account: '12345', homeRegion: 'us-east-1' }),
      'account "12345" must be a 12-digit AWS account id'],
    ['Detection.custom', () => Detection.custom({
      id: 'bad id', title: 'Bad', severity: lib.DetectionSeverity.LOW, eventPattern: { source: ['aws.iam'] },
    }), 'id "bad id" must'],
    ['ForensicQuery.custom', () => ForensicQuery.custom({
      id: 'Bad id', title: 'Bad', description: 'Bad', select: 'eventname',
    }), 'id "Bad id" must be 2-64 lowercase letters, digits or underscores, starting with a letter'],
  ])('%s', (_factory, build, message) => {
    const error = thrownBy(build);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBeUndefined();
    expect((error as Error).message.startsWith(message)).toBe(true);
  });
});

describe('ValidationError', () => {
  test('is an Error named ValidationError, with the path as a prefix only when a construct is given', () => {
    const stack = new Stack(new App(), 'Stack');
    const scoped = new ValidationError(new Construct(stack, 'Archive'), 'writers must not be empty');
    expect(scoped).toBeInstanceOf(Error);
    expect(scoped.name).toBe('ValidationError');
    expect(scoped.message).toBe('Stack/Archive: writers must not be empty');
    expect(scoped.constructPath).toBe('Stack/Archive');
    const bare = new ValidationError(undefined, 'writers must not be empty');
    expect(bare.message).toBe('writers must not be empty');
    expect(bare.constructPath).toBeUndefined();
    const root = new ValidationError(new App(), 'writers must not be empty');
    expect([root.message, root.constructPath]).toEqual(['writers must not be empty', undefined]);
  });

  test('withScope scopes an unscoped error only: a scoped one keeps its construct, other errors pass through', () => {
    const stack = new Stack(new App(), 'Stack');
    const owner = new Construct(stack, 'Baseline');
    const inner = new Construct(stack, 'Trail');
    expect(() => withScope(owner, () => { throw new ValidationError(undefined, 'trailName "x" must be y'); }))
      .toThrow(new ValidationError(owner, 'trailName "x" must be y'));
    const scoped = thrownBy(() => withScope(owner, () => { throw new ValidationError(inner, 'retention must be z'); }));
    expect((scoped as ValidationError).constructPath).toBe('Stack/Trail');
    const other = new TypeError('not a validation');
    expect(thrownBy(() => withScope(owner, () => { throw other; }))).toBe(other);
    expect(withScope(owner, () => 42)).toBe(42);
  });

  test('is private: not part of the library\'s API', () => {
    expect(Object.keys(lib)).not.toContain('ValidationError');
  });
});
