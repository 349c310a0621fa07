import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AthenaEmulator, glueTables, Row, writeBucket } from './support/athena-emulator';
import { ARCHIVE_BUCKET, FIXTURE_ROOT, fixtureStack, LISTED_REGIONS, ORG_IDENTITY, SavedQuery, savedQueries } from './support/fixture-stacks';
import { ForensicQuery, ForensicQueryProps, ForensicQueryTable, ForensicQueryTarget } from '../../src/query';
import { CATALOG } from '../../src/query/forensic-catalog';

const TARGET: ForensicQueryTarget = { qualifiedTableName: '"db"."events"', accountFilter: false };
const INJECTED: ForensicQueryTarget = { qualifiedTableName: '"db"."events"', accountFilter: true };

/** `?` outside quotes, as Athena counts parameters. */
const placeholders = (sql: string) => sql.replace(/'(?:[^']|'')*'|"[^"]*"/g, '').split('?').length - 1;

describe('catalog', () => {
  const all = ForensicQuery.all();

  test('one instance per built-in query: the static members are the entries of all()', () => {
    expect(all[0]).toBe(ForensicQuery.WHO_DELETED_RESOURCE);
    expect(all[all.length - 1]).toBe(ForensicQuery.INSIGHTS_TIMELINE);
    expect(ForensicQuery.all()).toEqual(all);
    ForensicQuery.all().forEach((q, i) => expect(q).toBe(all[i]));
  });

  test('answers the issue\'s questions, one query each, with unique statement names', () => {
    expect(all.map(q => q.id)).toEqual([
      'who_deleted_resource', 'principal_activity', 'access_key_activity', 'source_ip_activity', 'root_activity',
      'console_sign_in_without_mfa', 'failed_console_sign_ins', 'access_denied_by_principal', 'iam_policy_changes',
      'cloudtrail_tampering', 'security_group_changes', 'kms_key_disable_or_deletion',
      's3_bucket_policy_and_public_access_changes', 'insights_timeline',
    ]);
  });

  test('the static members are the catalog entries', () => {
    expect(ForensicQuery.WHO_DELETED_RESOURCE.id).toBe('who_deleted_resource');
    expect(ForensicQuery.S3_BUCKET_POLICY_AND_PUBLIC_ACCESS_CHANGES.id).toBe('s3_bucket_policy_and_public_access_changes');
    expect(ForensicQuery.INSIGHTS_TIMELINE.table).toBe(ForensicQueryTable.INSIGHTS);
    expect(all.filter(q => q.table === ForensicQueryTable.INSIGHTS).map(q => q.id)).toEqual(['insights_timeline']);
  });

  test.each(all.map(q => [q.id, q]))('%s is bounded by day and has a ? per parameter, in WHERE only', (_, query) => {
    for (const target of [TARGET, INJECTED]) {
      const sql = query.sql(target);
      const [beforeWhere, where] = sql.split('\nWHERE ');
      expect(beforeWhere).toMatch(/^SELECT [\s\S]+\nFROM "db"\."events"$/);
      expect(where.startsWith(`day BETWEEN ? AND ?${target.accountFilter ? '\n  AND account = ?' : ''}`)).toBe(true);
      expect(placeholders(beforeWhere)).toBe(0);
      const whereOnly = where.split(/\n(?:GROUP BY|ORDER BY) /)[0];
      expect(placeholders(whereOnly)).toBe(query.parametersFor(target).length);
      expect(placeholders(sql)).toBe(placeholders(whereOnly));
      expect(sql).not.toContain(';');
    }
  });

  test('parameters run: start day, end day, account when injected, then the query\'s own', () => {
    const names = (target: ForensicQueryTarget) => ForensicQuery.PRINCIPAL_ACTIVITY.parametersFor(target).map(p => p.name);
    expect(names(TARGET)).toEqual(['start_day', 'end_day', 'principal_arn']);
    expect(names(INJECTED)).toEqual(['start_day', 'end_day', 'account', 'principal_arn']);
    expect(ForensicQuery.ROOT_ACTIVITY.parametersFor(TARGET).map(p => p.name)).toEqual(['start_day', 'end_day']);
  });

  // The built-in queries are made by the constructor every custom query goes through: a mistake in the
  // catalog fails when the module loads, before any stack exists.
  test.each(CATALOG.map(props => [props.id, props]))('%s passes the checks of a custom query', (_, props) => {
    expect(() => ForensicQuery.custom(props)).not.toThrow();
  });

  test.each<[string, (props: ForensicQueryProps) => ForensicQueryProps, string]>([
    ['a misspelled column', q => ({ ...q, orderBy: 'eventtme' }),
      'orderBy "eventtme" names eventtme, which is not a column of the events table (closest: eventtime, eventname, eventtype)'],
    ['a field of JSON text', q => ({ ...q, select: 'requestparameters.bucketname' }),
      'select "requestparameters.bucketname" names requestparameters.bucketname: requestparameters is a string'],
    ['an unbalanced parenthesis', q => ({ ...q, where: `${q.where})` }),
      'where "(eventname LIKE \'Delete%\' OR eventname LIKE \'Terminate%\' OR eventname LIKE \'R..." ' +
      'closes at character 282 a ")" it did not open'],
  ])('a catalog entry with %s fails when the module loads', (_, change, message) => {
    jest.isolateModules(() => {
      jest.doMock('../../src/query/forensic-catalog', () => {
        const actual = jest.requireActual('../../src/query/forensic-catalog');
        return { CATALOG: actual.CATALOG.map((q: ForensicQueryProps, i: number) => (i === 0 ? change(q) : q)) };
      });
      expect(() => jest.requireActual('../../src/query/forensic-query')).toThrow(message);
    });
  });

  test('every parameter has a description and a SQL literal example', () => {
    for (const query of all) {
      for (const p of query.parametersFor(INJECTED)) {
        expect(p.description.length).toBeGreaterThan(5);
        expect(p.example).toMatch(/^'[^']+'$/);
      }
    }
  });
});

describe('custom queries', () => {
  const base: ForensicQueryProps = {
    id: 'console_actions',
    title: 'Console actions',
    description: 'Calls made from the console.',
    select: 'eventtime, eventname',
    where: "sessioncredentialfromconsole = 'true' AND eventsource = ?",
    parameters: [{ name: 'event_source', description: 'the service', example: "'ec2.amazonaws.com'" }],
    orderBy: 'eventtime',
  };

  test('render like the built-in ones', () => {
    expect(ForensicQuery.custom(base).sql(TARGET)).toBe([
      'SELECT eventtime, eventname',
      'FROM "db"."events"',
      'WHERE day BETWEEN ? AND ?',
      "  AND (sessioncredentialfromconsole = 'true' AND eventsource = ?)",
      'ORDER BY eventtime',
    ].join('\n'));
  });

  test('a query without a condition is bounded by day only', () => {
    const query = ForensicQuery.custom({
      ...base,
      where: undefined,
      parameters: undefined,
      groupBy: 'eventname',
      select: 'eventname, count(*) AS calls',
    });
    expect(query.sql(INJECTED)).toBe('SELECT eventname, count(*) AS calls\nFROM "db"."events"\n' +
      'WHERE day BETWEEN ? AND ?\n  AND account = ?\nGROUP BY eventname\nORDER BY eventtime');
    expect(query.table).toBe(ForensicQueryTable.EVENTS);
  });

  test('where is rendered in parentheses of its own: an OR stays inside, after the partition bounds', () => {
    const query = ForensicQuery.custom({ ...base, where: "eventname = 'DeleteBucket' OR eventsource = ?" });
    expect(query.sql(INJECTED).split('\n').slice(2, 5)).toEqual([
      'WHERE day BETWEEN ? AND ?',
      '  AND account = ?',
      "  AND (eventname = 'DeleteBucket' OR eventsource = ?)",
    ]);
  });

  test('a ? inside quotes is not a parameter', () => {
    expect(() => ForensicQuery.custom({ ...base, where: "eventname = '?' AND \"eventsource\" = ?" })).not.toThrow();
  });

  test.each<[string, Partial<ForensicQueryProps>, string]>([
    ['id', { id: 'Who-Deleted' }, 'id "Who-Deleted" must be 2-64 lowercase letters, digits or underscores'],
    ['title', { title: 'x'.repeat(129) }, 'title "xxx'],
    ['empty description', { description: ' ' }, 'description " " must be 1-600 characters'],
    ['empty select', { select: '' }, 'select "" must not be empty'],
    ['missing parameter', { parameters: [] }, 'has 1 ? placeholder(s) but 0 parameter(s) are declared'],
    ['extra parameter', { where: 'eventsource IS NOT NULL' }, 'has 0 ? placeholder(s) but 1 parameter(s)'],
    ['? in select', { select: 'eventtime, ?' }, 'select "eventtime, ?" must not contain ? outside quotes: Athena accepts parameters only in WHERE'],
    ['? in orderBy', { orderBy: '?' }, 'orderBy "?" must not contain ?'],
    ['two statements', { where: 'eventsource = ?; DROP TABLE x' }, 'where "eventsource = ?; DROP TABLE x" must be one statement: no ";"'],
    ['reserved parameter', { parameters: [{ name: 'account', description: 'an account', example: "'1'" }] },
      'parameters[].name "account" is reserved: start_day, end_day, account are added to every query'],
    ['parameter name', { parameters: [{ name: 'Source', description: 'x source', example: "'1'" }] },
      'parameters[].name "Source" must be lowercase letters'],
    ['duplicate parameter', {
      where: 'eventsource = ? OR eventname = ?',
      parameters: [{ name: 'v', description: 'value', example: "'1'" }, { name: 'v', description: 'value', example: "'1'" }],
    }, 'parameters[].name "v" must be unique'],
    // From an untyped caller: a table that is not one of the enum's values would silently read the events table.
    ['table in the wrong case', { table: 'insights' as ForensicQueryTable }, 'table "insights" must be one of EVENTS, INSIGHTS'],
    ['table as a number', { table: 1 as unknown as ForensicQueryTable }, 'table 1 must be one of EVENTS, INSIGHTS'],
  ])('rejects a bad %s', (_, change, message) => {
    expect(() => ForensicQuery.custom({ ...base, ...change })).toThrow(message);
  });
});

/**
 * The point of the parentheses, run: an OR condition that is true for every record still reads only the
 * searched days and account. Without them (the same SQL with the condition unwrapped), AND binds tighter
 * than OR and the query reads every day and every account the table projects.
 */
describe('a custom query with an OR condition, run against the fixture logs', () => {
  const where = "eventname = 'DeleteBucket' OR eventname IS NOT NULL";
  const query = ForensicQuery.custom({
    id: 'delete_bucket_or_anything',
    title: 'DeleteBucket, or anything',
    description: 'A condition true for every record.',
    select: 'day, account, eventtime, eventname',
    where,
    orderBy: 'eventtime, eventname',
  });
  const parameters = ["'2024/05/01'", "'2024/05/03'", "'222222222222'"];
  let emulator: AthenaEmulator;
  let bucketDir: string;
  let saved: SavedQuery;

  beforeAll(async () => {
    bucketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-bucket-'));
    writeBucket(FIXTURE_ROOT, bucketDir);
    emulator = await AthenaEmulator.create();
    // An injected account partition: the account is a bound of its own, after the days.
    const fixture = fixtureStack(ORG_IDENTITY, { regions: LISTED_REGIONS }, { queries: [query] });
    for (const table of glueTables(fixture.template).filter(t => t.name === 'events')) {
      await emulator.loadTable(table, ARCHIVE_BUCKET, bucketDir);
    }
    saved = savedQueries(fixture)[query.id];
    await emulator.prepare(saved.workGroup, query.id, saved.preparedStatement);
  }, 30_000);

  afterAll(() => {
    emulator?.close();
    fs.rmSync(bucketDir, { recursive: true, force: true });
  });

  const days = (rows: Row[]) => [...new Set(rows.map(r => r.day))].sort();
  const accounts = (rows: Row[]) => [...new Set(rows.map(r => r.account))].sort();

  test('reads only the searched days and account, as the named query and as the prepared statement', async () => {
    const rows = await emulator.query(saved.namedQuery, parameters);
    expect(days(rows)).toEqual(['2024/05/01', '2024/05/02']);
    expect(accounts(rows)).toEqual(['222222222222']);
    const all = await emulator.query('SELECT count(*) AS n FROM "cloudtrail_org_trail"."events" ' +
      "WHERE day BETWEEN '2024/05/01' AND '2024/05/03' AND account = '222222222222'");
    expect(rows).toHaveLength(Number(all[0].n));
    expect(await emulator.execute(saved.workGroup, `EXECUTE ${query.id} USING ${parameters.join(', ')}`)).toEqual(rows);
  });

  test('the same condition without its parentheses reads every day and account', async () => {
    expect(saved.namedQuery).toContain(`(${where})`);
    const rows = await emulator.query(saved.namedQuery.replace(`(${where})`, where), parameters);
    expect(days(rows)).toEqual(expect.arrayContaining(['2024/04/30', '2024/05/04']));
    expect(accounts(rows)).toEqual(['111111111111', '222222222222', '333333333333']);
  });
});
