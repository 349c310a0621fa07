import { Row } from './support/athena-emulator';
import { addMinutes, ArchiveWriter, at, event } from './support/digest-chain';
import { DigestAthenaEmulator } from './support/digest-emulator';
import { integrityStack, IntegrityStack, SavedDigestQuery, savedDigestQueries } from './support/digest-stacks';
import {
  ACCOUNT_IDENTITY, ARCHIVE_BUCKET, LISTED_REGIONS, MANAGEMENT_ACCOUNT, ORG_IDENTITY, STANDALONE_ACCOUNT, WORKLOAD_ACCOUNT,
} from './support/fixture-stacks';
import { DigestCheck } from '../../src/query';

// Every saved digest query runs in both forms (named query with execution parameters, prepared statement with
// EXECUTE ... USING) over generated archives: hourly chains from 2024-04-30T22:31:07Z for two accounts and two
// regions, with the days 2024/05/01-2024/05/02 searched. The chains' first digests (2024/04/30) start them; the
// digests of 2024/05/03 vouch for the last log files of 2024/05/02.
const START = "'2024/05/01'";
const END = "'2024/05/02'";
const CHAIN_START = at('2024-04-30T22:31:07Z');
const CHAIN_HOURS = 50;
const ALL = Object.values(DigestCheck);
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';

let org: IntegrityStack;
let injected: IntegrityStack;
let accountTrail: IntegrityStack;

beforeAll(() => {
  org = integrityStack(ORG_IDENTITY, { accounts: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT], allowedRegions: LISTED_REGIONS });
  injected = integrityStack(ORG_IDENTITY, { allowedRegions: LISTED_REGIONS }, { accounts: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT] });
  accountTrail = integrityStack(ACCOUNT_IDENTITY, { allowedRegions: ['us-east-1'] });
});

/** An archive with the given chains and changes, loaded into a fresh emulator with the stack's saved queries. */
class Scenario {
  public static async of(fixture: IntegrityStack, build: (archive: ArchiveWriter) => void): Promise<Scenario> {
    const archive = new ArchiveWriter(fixture.events.identity, ARCHIVE_BUCKET);
    build(archive);
    const emulator = await DigestAthenaEmulator.create();
    const loaded = await emulator.loadTemplate(fixture.template, ARCHIVE_BUCKET, archive.dir);
    const saved = savedDigestQueries(fixture);
    for (const [id, query] of Object.entries(saved)) await emulator.prepare(query.workGroup, id, query.preparedStatement);
    return new Scenario(archive, emulator, saved, loaded);
  }

  private constructor(public readonly archive: ArchiveWriter, private readonly emulator: DigestAthenaEmulator,
    private readonly saved: { [id: string]: SavedDigestQuery }, public readonly loaded: { [table: string]: string[] }) {}

  /** Runs both forms of a saved query and checks they agree; returns the rows. */
  public async run(check: DigestCheck, ...parameters: string[]): Promise<Row[]> {
    const query = this.saved[check];
    const viaNamedQuery = await this.emulator.query(query.namedQuery, parameters);
    const viaStatement = await this.emulator.execute(query.workGroup, `EXECUTE ${check} USING ${parameters.join(', ')}`);
    expect(viaStatement).toEqual(viaNamedQuery);
    return viaNamedQuery;
  }

  /** The checks that return rows, with their row counts. */
  public async findings(...parameters: string[]): Promise<{ [check: string]: number }> {
    const found: { [check: string]: number } = {};
    for (const check of ALL) {
      const rows = await this.run(check, ...parameters);
      if (rows.length > 0) found[check] = rows.length;
    }
    return found;
  }

  public close(): void {
    this.emulator.close();
    this.archive.cleanUp();
  }
}

/** The ordinary hourly chains of the organization's accounts and regions, except `skip` (`account/region`). */
function orgChains(archive: ArchiveWriter, skip: string[] = []): void {
  for (const account of [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT]) {
    for (const region of LISTED_REGIONS) {
      if (!skip.includes(`${account}/${region}`)) archive.hours(account, region, CHAIN_START, CHAIN_HOURS);
    }
  }
}

const pick = (rows: Row[], ...columns: string[]) => rows.map(r => columns.map(c => r[c]));

describe('a clean chain', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.of(org, archive => orgChains(archive));
  });
  afterAll(() => scenario?.close());

  test('the tables read what partition projection reaches: every log file and digest of the archive', () => {
    expect(scenario.loaded.digests).toHaveLength(4 * CHAIN_HOURS);
    expect(scenario.loaded.events).toHaveLength(4 * CHAIN_HOURS);
  });

  test('no check returns a row, for the searched days or for every day of the chains', async () => {
    expect(await scenario.findings(START, END)).toEqual({});
    expect(await scenario.findings("'2024/04/30'", "'2024/05/03'")).toEqual({});
  });

  test('the days bound what is read: a window before the chains finds nothing either', async () => {
    expect(await scenario.findings("'2024/04/01'", "'2024/04/02'")).toEqual({});
  });
});

describe('a planted log file', () => {
  let scenario: Scenario;
  let planted: string;
  let late: string;
  let misnamed: string;
  beforeAll(async () => {
    scenario = await Scenario.of(org, archive => {
      orgChains(archive);
      const records = (t: string) => [event(WORKLOAD_ACCOUNT, 'eu-west-1', at(t), 'RunInstances')];
      planted = archive.logFile(WORKLOAD_ACCOUNT, 'eu-west-1', at('2024-05-01T10:12:00Z'), records('2024-05-01T10:10:00Z'), { vouched: false });
      // After the start of the newest digest of 2024/05/02 (22:31): not judged until 2024/05/03 is read.
      late = archive.logFile(WORKLOAD_ACCOUNT, 'eu-west-1', at('2024-05-02T22:40:00Z'), records('2024-05-02T22:38:00Z'), { vouched: false });
      misnamed = `org-trail/AWSLogs/o-a1b2c3d4e5/${WORKLOAD_ACCOUNT}/CloudTrail/eu-west-1/2024/05/02/notes.json.gz`;
      archive.put(misnamed, records('2024-05-02T23:50:00Z'));
    });
  });
  afterAll(() => scenario?.close());

  test('digest_unvouched_log_files returns it, and a file not named like CloudTrail\'s however recent', async () => {
    const rows = await scenario.run(DigestCheck.UNVOUCHED_LOG_FILES, START, END);
    expect(pick(rows, 'account', 'region', 'day', 'log_file')).toEqual([
      [WORKLOAD_ACCOUNT, 'eu-west-1', '2024/05/01', scenario.archive.uri(planted)],
      [WORKLOAD_ACCOUNT, 'eu-west-1', '2024/05/02', scenario.archive.uri(misnamed)],
    ]);
  });

  test('a file delivered after the newest digest read is judged once the next day is read', async () => {
    const rows = await scenario.run(DigestCheck.UNVOUCHED_LOG_FILES, START, "'2024/05/03'");
    expect(rows.map(r => r.log_file)).toEqual([planted, late, misnamed].map(k => scenario.archive.uri(k)).sort());
  });

  test('the other checks find nothing', async () => {
    expect(await scenario.findings(START, END)).toEqual({ [DigestCheck.UNVOUCHED_LOG_FILES]: 2 });
  });

  test('the day bounds exclude it', async () => {
    expect(await scenario.run(DigestCheck.UNVOUCHED_LOG_FILES, "'2024/05/02'", "'2024/05/02'")).toHaveLength(1);
  });
});

describe('a deleted digest', () => {
  let scenario: Scenario;
  let deleted: string;
  let next: string;
  let orphan: string;
  beforeAll(async () => {
    scenario = await Scenario.of(org, archive => {
      orgChains(archive, [`${WORKLOAD_ACCOUNT}/us-east-1`]);
      const digests = archive.hours(WORKLOAD_ACCOUNT, 'us-east-1', CHAIN_START, CHAIN_HOURS);
      // The digest of 2024-05-01 11:31-12:31, and the next one.
      deleted = digests[13];
      next = digests[14];
      archive.remove(deleted);
    });
    orphan = scenario.loaded.events.find(k => k.includes(`${WORKLOAD_ACCOUNT}_CloudTrail_us-east-1_20240501T1136Z`))!;
  });
  afterAll(() => scenario?.close());

  test('digest_chain_breaks returns the next digest, naming the missing one', async () => {
    const rows = await scenario.run(DigestCheck.CHAIN_BREAKS, START, END);
    expect(pick(rows, 'account', 'region', 'trail', 'day', 'digest_start', 'digest_file', 'missing_previous_digest')).toEqual([[
      WORKLOAD_ACCOUNT, 'us-east-1', 'org-trail', '2024/05/01', '2024-05-01T12:31:07Z',
      scenario.archive.uri(next), scenario.archive.uri(deleted),
    ]]);
  });

  test('the log files only the deleted digest named are no longer vouched for', async () => {
    const rows = await scenario.run(DigestCheck.UNVOUCHED_LOG_FILES, START, END);
    expect(rows.map(r => r.log_file)).toEqual([scenario.archive.uri(orphan)]);
  });

  test('one missing hourly digest is not a gap of more than an hour, nor a restart', async () => {
    expect(await scenario.findings(START, END)).toEqual({
      [DigestCheck.CHAIN_BREAKS]: 1, [DigestCheck.UNVOUCHED_LOG_FILES]: 1,
    });
  });

  test('a previous digest in a day folder before the first day read is not looked for', async () => {
    // The first digest of 2024/05/01 names one of 2024/04/30, which this window does not read.
    expect(await scenario.run(DigestCheck.CHAIN_BREAKS, "'2024/05/02'", END)).toEqual([]);
  });
});

describe('deleted and emptied log files', () => {
  let scenario: Scenario;
  let deleted: string;
  let emptied: string;
  beforeAll(async () => {
    scenario = await Scenario.of(org, archive => {
      orgChains(archive);
      const logs = archive.logKeys.filter(k => k.includes(`/${MANAGEMENT_ACCOUNT}/CloudTrail/eu-west-1/`));
      deleted = logs.find(k => k.includes('_20240502T0336Z_'))!;
      emptied = logs.find(k => k.includes('_20240501T2036Z_'))!;
      // After their digests were written.
      archive.remove(deleted);
      archive.put(emptied, []);
    });
  });
  afterAll(() => scenario?.close());

  test('digest_missing_log_files returns them with the digests that name them', async () => {
    const rows = await scenario.run(DigestCheck.MISSING_LOG_FILES, START, END);
    expect(pick(rows, 'account', 'region', 'digest_day', 'log_file')).toEqual([
      [MANAGEMENT_ACCOUNT, 'eu-west-1', '2024/05/01', scenario.archive.uri(emptied)],
      [MANAGEMENT_ACCOUNT, 'eu-west-1', '2024/05/02', scenario.archive.uri(deleted)],
    ]);
    expect(rows.map(r => r.digest_file)).toEqual([
      expect.stringContaining('_CloudTrail-Digest_eu-west-1_org-trail_us-east-1_20240501T213107Z.json.gz'),
      expect.stringContaining('_CloudTrail-Digest_eu-west-1_org-trail_us-east-1_20240502T043107Z.json.gz'),
    ]);
  });

  test('the other checks find nothing', async () => {
    expect(await scenario.findings(START, END)).toEqual({ [DigestCheck.MISSING_LOG_FILES]: 2 });
  });
});

describe('a 3-hour gap', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.of(org, archive => {
      orgChains(archive, [`${MANAGEMENT_ACCOUNT}/eu-west-1`]);
      // Digests until 2024-05-01 14:31, then the next one, still linked to it, from 17:31.
      archive.hours(MANAGEMENT_ACCOUNT, 'eu-west-1', CHAIN_START, 16);
      archive.hours(MANAGEMENT_ACCOUNT, 'eu-west-1', at('2024-05-01T17:31:07Z'), 31);
    });
  });
  afterAll(() => scenario?.close());

  test('digest_gaps returns it, per account, region and trail', async () => {
    const rows = await scenario.run(DigestCheck.GAPS, START, END);
    expect(pick(rows, 'account', 'region', 'trail', 'gap_start', 'gap_end', 'gap_minutes')).toEqual([
      [MANAGEMENT_ACCOUNT, 'eu-west-1', 'org-trail', '2024-05-01T14:31:07Z', '2024-05-01T17:31:07Z', '180'],
    ]);
    expect(rows[0].previous_digest_file).toMatch(/_20240501T143107Z\.json\.gz$/);
    expect(rows[0].next_digest_file).toMatch(/_20240501T183107Z\.json\.gz$/);
  });

  test('the links are intact: only the gap is reported', async () => {
    expect(await scenario.findings(START, END)).toEqual({ [DigestCheck.GAPS]: 1 });
  });
});

describe('a restart after StopLogging and StartLogging', () => {
  let scenario: Scenario;
  let restart: string;
  let unexplained: string;
  const M = MANAGEMENT_ACCOUNT;
  const cloudtrail = (t: string, name: string, requestParameters: object, errorCode?: string) =>
    event(M, 'us-east-1', at(t), name, { eventSource: 'cloudtrail.amazonaws.com', requestParameters, errorCode });
  beforeAll(async () => {
    scenario = await Scenario.of(org, archive => {
      orgChains(archive, [`${M}/us-east-1`, `${WORKLOAD_ACCOUNT}/eu-west-1`]);
      // Until the digest ending 2024-05-02 08:31; then the calls of 08:40-08:44 in the hour's log file.
      archive.hours(M, 'us-east-1', CHAIN_START, 34);
      archive.logFile(M, 'us-east-1', at('2024-05-02T08:45:00Z'), [
        cloudtrail('2024-05-02T08:40:00Z', 'StopLogging', { name: TRAIL_ARN }),
        cloudtrail('2024-05-02T08:42:00Z', 'UpdateTrail', { name: 'org-trail', enableLogFileValidation: false }),
        cloudtrail('2024-05-02T08:43:00Z', 'StopLogging', { name: TRAIL_ARN }, 'AccessDeniedException'),
        cloudtrail('2024-05-02T08:44:00Z', 'StopLogging', { name: 'other-trail' }),
      ]);
      archive.digest(M, 'us-east-1', at('2024-05-02T08:31:07Z'), at('2024-05-02T09:31:07Z'));
      // Logging starts again at 11:50: a starting digest, then hourly ones.
      archive.logFile(M, 'us-east-1', at('2024-05-02T11:55:00Z'), [cloudtrail('2024-05-02T11:50:00Z', 'StartLogging', { name: 'org-trail' })]);
      restart = archive.digest(M, 'us-east-1', at('2024-05-02T11:50:00Z'), at('2024-05-02T12:50:00Z'), { restart: true });
      archive.hours(M, 'us-east-1', at('2024-05-02T12:50:00Z'), 12);
      // A restart no call explains, without a gap.
      archive.hours(WORKLOAD_ACCOUNT, 'eu-west-1', CHAIN_START, 20);
      unexplained = archive.digest(WORKLOAD_ACCOUNT, 'eu-west-1', at('2024-05-01T18:31:07Z'), at('2024-05-01T19:31:07Z'), { restart: true });
      archive.hours(WORKLOAD_ACCOUNT, 'eu-west-1', at('2024-05-01T19:31:07Z'), 29);
    });
  });
  afterAll(() => scenario?.close());

  test('digest_chain_restarts returns each restart with the successful calls on the trail around it', async () => {
    const rows = await scenario.run(DigestCheck.CHAIN_RESTARTS, START, END);
    expect(pick(rows, 'account', 'region', 'trail', 'restart_start', 'eventtime', 'eventname', 'cause', 'enable_log_file_validation'))
      .toEqual([
        [M, 'us-east-1', 'org-trail', '2024-05-02T11:50:00Z', '2024-05-02T08:40:00Z', 'StopLogging', 'logging stopped', null],
        [M, 'us-east-1', 'org-trail', '2024-05-02T11:50:00Z', '2024-05-02T08:42:00Z', 'UpdateTrail', 'log file validation turned off', 'false'],
        [M, 'us-east-1', 'org-trail', '2024-05-02T11:50:00Z', '2024-05-02T11:50:00Z', 'StartLogging', 'logging started', null],
        [WORKLOAD_ACCOUNT, 'eu-west-1', 'org-trail', '2024-05-01T18:31:07Z', null, null, null, null],
      ]);
    expect(rows[0].restart_digest_file).toBe(scenario.archive.uri(restart));
    expect(rows[0].previous_end).toBe('2024-05-02T09:31:07Z');
    expect(rows[0]).toMatchObject({ principal_arn: `arn:aws:sts::${M}:assumed-role/Admin/mallory`, event_account: M, event_region: 'us-east-1' });
    expect(rows[3].restart_digest_file).toBe(scenario.archive.uri(unexplained));
  });

  test('the stop shows as a gap too; nothing is unvouched or missing', async () => {
    expect(await scenario.findings(START, END)).toEqual({ [DigestCheck.CHAIN_RESTARTS]: 4, [DigestCheck.GAPS]: 1 });
    const [gap] = await scenario.run(DigestCheck.GAPS, START, END);
    expect(pick([gap], 'gap_start', 'gap_end', 'gap_minutes')).toEqual([['2024-05-02T09:31:07Z', '2024-05-02T11:50:00Z', '138']]);
  });

  test('a chain\'s first digest in the days read is not a restart', async () => {
    expect(await scenario.run(DigestCheck.CHAIN_RESTARTS, "'2024/04/30'", "'2024/04/30'")).toEqual([]);
  });
});

describe('an injected account partition', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.of(injected, archive => {
      orgChains(archive, [`${WORKLOAD_ACCOUNT}/us-east-1`]);
      archive.remove(archive.hours(WORKLOAD_ACCOUNT, 'us-east-1', CHAIN_START, CHAIN_HOURS)[13]);
    });
  });
  afterAll(() => scenario?.close());

  test('every query takes the account third and reads only that account', async () => {
    const rows = await scenario.run(DigestCheck.CHAIN_BREAKS, START, END, `'${WORKLOAD_ACCOUNT}'`);
    expect(pick(rows, 'account', 'digest_start')).toEqual([[WORKLOAD_ACCOUNT, '2024-05-01T12:31:07Z']]);
    expect(await scenario.findings(START, END, `'${MANAGEMENT_ACCOUNT}'`)).toEqual({});
    expect(await scenario.findings(START, END, `'${WORKLOAD_ACCOUNT}'`)).toEqual({
      [DigestCheck.CHAIN_BREAKS]: 1, [DigestCheck.UNVOUCHED_LOG_FILES]: 1,
    });
  });
});

describe('an account trail', () => {
  let scenario: Scenario;
  let planted: string;
  beforeAll(async () => {
    scenario = await Scenario.of(accountTrail, archive => {
      archive.hours(STANDALONE_ACCOUNT, 'us-east-1', CHAIN_START, CHAIN_HOURS);
      planted = archive.logFile(STANDALONE_ACCOUNT, 'us-east-1', addMinutes(at('2024-05-01T10:00:00Z'), 3),
        [event(STANDALONE_ACCOUNT, 'us-east-1', at('2024-05-01T10:01:00Z'), 'RunInstances')], { vouched: false });
    });
  });
  afterAll(() => scenario?.close());

  test('the queries have no account column; the planted file is the only finding', async () => {
    const rows = await scenario.run(DigestCheck.UNVOUCHED_LOG_FILES, START, END);
    expect(rows).toEqual([{ region: 'us-east-1', day: '2024/05/01', log_file: scenario.archive.uri(planted) }]);
    expect(planted).toMatch(/^AWSLogs\/444444444444\/CloudTrail\/us-east-1\/2024\/05\/01\/444444444444_CloudTrail_us-east-1_20240501T1003Z_/);
    expect(await scenario.findings(START, END)).toEqual({ [DigestCheck.UNVOUCHED_LOG_FILES]: 1 });
  });
});
