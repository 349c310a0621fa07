import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Template } from 'aws-cdk-lib/assertions';
import { AthenaEmulator, glueTables, Row } from './support/athena-emulator';
import { Corpus, generateCorpus } from './support/columnar-corpus';
import { columnarStack, ColumnarStack } from './support/columnar-stack';
import {
  ACCOUNT_IDENTITY, ARCHIVE_BUCKET, LISTED_REGIONS, MANAGEMENT_ACCOUNT, ORG_IDENTITY, UNLISTED_ACCOUNT, WORKLOAD_ACCOUNT,
} from './support/fixture-stacks';
import { duckDbType, parseHiveType } from './support/hive-types';
import { ColumnarSavedQueries, ForensicQuery, ForensicQueryTable } from '../../src/query';
import { bindDays, columnarColumns } from '../../src/query/columnar-sql';

// The conversion's own MERGE statements copy a generated archive into a DuckDB table (DuckDB runs MERGE INTO
// natively), the copy goes through Parquet, and every saved query then runs on the raw table and on the copy
// with the same parameters: the rows must be the same.
const DAYS = ['2024/05/01', '2024/05/02', '2024/05/03'];
const OUTSIDE = '2024/05/04';
const ACCOUNTS = [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT];

let emulator: AthenaEmulator;
let bucketDir: string;
let corpus: Corpus;
let org: ColumnarStack;

async function createColumnarTable(name: string): Promise<void> {
  const columns = columnarColumns().map(c => `"${c.name}" ${duckDbType(parseHiveType(c.type.inputString))}`);
  await emulator.query(`CREATE TABLE ${name} (${columns.join(', ')})`);
}

async function count(table: string): Promise<number> {
  return Number((await emulator.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
}

async function convert(days: string[]): Promise<number[]> {
  const written: number[] = [];
  for (const day of days) {
    const [result] = await emulator.query(bindDays(org.columnar.mergeSql(), { day }));
    written.push(Number(Object.values(result)[0]));
  }
  return written;
}

beforeAll(async () => {
  bucketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'columnar-archive-'));
  corpus = generateCorpus({
    bucketDir,
    accountsPrefix: ORG_IDENTITY.accountsPrefix,
    accounts: [...ACCOUNTS, UNLISTED_ACCOUNT],
    regions: [...LISTED_REGIONS, 'ap-southeast-2'],
    days: [...DAYS, OUTSIDE],
    eventsPerDay: 500,
    notableShare: 0.2,
    seed: 7,
  });
  org = columnarStack(ORG_IDENTITY, { table: { accounts: ACCOUNTS, regions: LISTED_REGIONS } });
  emulator = await AthenaEmulator.create();
  for (const table of glueTables(org.template)) await emulator.loadTable(table, ARCHIVE_BUCKET, bucketDir);
  await createColumnarTable(org.columnar.qualifiedName);
}, 30_000);

afterAll(() => {
  emulator?.close();
  fs.rmSync(bucketDir, { recursive: true, force: true });
});

describe('conversion', () => {
  test('each MERGE copies its day\'s events of the projected accounts and regions, and nothing else', async () => {
    const written = await convert(DAYS);
    const raw = org.raw.qualifiedName;
    for (const [i, day] of DAYS.entries()) {
      expect(written[i]).toBe(await count(`${raw} WHERE day = '${day}'`));
      expect(written[i]).toBeGreaterThan(100);
    }
    const copy = org.columnar.qualifiedName;
    expect(await count(copy)).toBe(written.reduce((a, b) => a + b, 0));
    expect(await count(`${copy} WHERE account = '${UNLISTED_ACCOUNT}' OR region = 'ap-southeast-2'`)).toBe(0);
    expect(await count(`${copy} WHERE account IS NULL OR region IS NULL OR day IS NULL`)).toBe(0);
  });

  test('is idempotent: a second run of the window writes nothing', async () => {
    const before = await count(org.columnar.qualifiedName);
    expect(await convert(DAYS)).toEqual([0, 0, 0]);
    expect(await count(org.columnar.qualifiedName)).toBe(before);
  });

  test('a log file delivered late into a converted day adds only its new events, a repeated record once', async () => {
    const day = DAYS[1];
    const [existing] = await emulator.query(`SELECT eventid FROM ${org.raw.qualifiedName} WHERE day = '${day}' LIMIT 1`);
    const folder = path.join(bucketDir, ...ORG_IDENTITY.accountsPrefix.split('/'), MANAGEMENT_ACCOUNT, 'CloudTrail', 'us-east-1', ...day.split('/'));
    const late = (eventID: string) => ({
      eventVersion: '1.09',
      eventTime: `${day.replace(/\//g, '-')}T23:59:58Z`,
      eventSource: 's3.amazonaws.com',
      eventName: 'DeleteBucket',
      awsRegion: 'us-east-1',
      eventID,
      recipientAccountId: MANAGEMENT_ACCOUNT,
      userIdentity: { type: 'Root', arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:root` },
      readOnly: false,
    });
    const records = [late('late-1'), late('late-2'), late('late-2'), late(existing.eventid)];
    fs.writeFileSync(path.join(folder, `${MANAGEMENT_ACCOUNT}_CloudTrail_us-east-1_late.json.gz`),
      zlib.gzipSync(JSON.stringify({ Records: records })));
    const before = await count(org.columnar.qualifiedName);
    await emulator.query(`DROP TABLE ${org.raw.qualifiedName}`);
    for (const table of glueTables(org.template)) await emulator.loadTable(table, ARCHIVE_BUCKET, bucketDir);
    expect(await convert([day])).toEqual([2]);
    expect(await count(org.columnar.qualifiedName)).toBe(before + 2);
    expect(await count(`${org.columnar.qualifiedName} WHERE eventid = 'late-2'`)).toBe(1);
  });
});

describe('saved queries on both tiers', () => {
  const parameters: { [name: string]: () => string } = {
    resource: () => `'${corpus.probes.deletedResource}'`,
    principal_arn: () => `'${corpus.probes.principalArn}'`,
    access_key_id: () => `'${corpus.probes.accessKeyId}'`,
    source_ip: () => `'${corpus.probes.sourceIp}'`,
  };
  const eventQueries = ForensicQuery.all().filter(q => q.table === ForensicQueryTable.EVENTS);

  beforeAll(async () => {
    await convert([OUTSIDE]);
    // The copy is read from Parquet, as Athena reads the Iceberg table's data files.
    const file = path.join(bucketDir, 'columnar.parquet');
    await emulator.query(`COPY ${org.columnar.qualifiedName} TO '${file}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
    await emulator.query(`DROP TABLE ${org.columnar.qualifiedName}`);
    await emulator.query(`CREATE VIEW ${org.columnar.qualifiedName} AS SELECT * FROM read_parquet('${file}')`);
    for (const query of eventQueries) {
      await emulator.prepare(org.analytics.workGroupName, `${query.id}_columnar`, org.saved.preparedStatements[query.id].queryStatement);
    }
  });

  test('every saved event query has a columnar twin', () => {
    expect(Object.keys(org.saved.preparedStatements).sort()).toEqual(eventQueries.map(q => q.id).sort());
    for (const query of eventQueries) {
      expect(org.saved.namedQueries[query.id].queryString).toBe(org.analytics.namedQueries[query.id].queryString
        .replace(org.raw.qualifiedName, org.columnar.qualifiedName));
    }
  });

  test.each(eventQueries.map(q => [q.id, q]))('%s returns the same rows from the columnar table', async (id, query) => {
    const args = [`'${DAYS[0]}'`, `'${DAYS[2]}'`, ...query.parameters.map(p => parameters[p.name]())];
    const raw = await emulator.query(org.analytics.namedQueries[id].queryString, args);
    const columnar: Row[] = await emulator.query(org.saved.namedQueries[id].queryString, args);
    const statement = await emulator.execute(org.analytics.workGroupName, `EXECUTE ${id}_columnar USING ${args.join(', ')}`);
    // Rows that tie on the ORDER BY keys may come in either order; the keys' sequence must be the same.
    const sorted = (rows: Row[]) => rows.map(r => JSON.stringify(r)).sort();
    const keys = (rows: Row[]) => rows.map(r => r.eventtime ?? r.principal);
    expect(sorted(columnar)).toEqual(sorted(raw));
    expect(keys(columnar)).toEqual(keys(raw));
    expect(sorted(statement)).toEqual(sorted(raw));
    expect(raw.length).toBeGreaterThan(0);
  });

  test('the day bounds exclude a converted day outside the window', async () => {
    expect(await count(`${org.columnar.qualifiedName} WHERE day = '${OUTSIDE}'`)).toBeGreaterThan(0);
    const sql = org.saved.namedQueries.principal_activity.queryString;
    const rows = await emulator.query(sql, [`'${DAYS[0]}'`, `'${DAYS[2]}'`, `'${corpus.probes.principalArn}'`]);
    expect(rows.every(r => r.eventtime < '2024-05-04')).toBe(true);
  });
});

describe('ColumnarSavedQueries', () => {
  test('named queries and prepared statements <id>_columnar in the TrailAnalytics workgroup', () => {
    const template = Template.fromJSON(org.template);
    template.hasResourceProperties('AWS::Athena::PreparedStatement', {
      StatementName: 'principal_activity_columnar',
      QueryStatement: org.saved.namedQueries.principal_activity.queryString,
    });
    template.hasResourceProperties('AWS::Athena::NamedQuery', { Name: 'Everything a principal did (columnar)' });
  });

  test('an injected account partition keeps the account parameter on the columnar twin', () => {
    const query = ForensicQuery.ROOT_ACTIVITY;
    const target = { qualifiedTableName: '"db"."events_columnar"', accountFilter: true };
    expect(query.sql(target)).toContain('AND account = ?');
    expect(query.parametersFor(target).map(p => p.name)).toEqual(['start_day', 'end_day', 'account']);
  });

  test('the target of an account trail\'s copy has no account condition', () => {
    const single = columnarStack(ACCOUNT_IDENTITY);
    expect(ColumnarSavedQueries.targetOf(single.columnar)).toEqual({
      qualifiedTableName: '"cloudtrail_account_trail"."events_columnar"', accountFilter: false,
    });
    expect(single.columnar.mergeSql()).toContain(`'${ACCOUNT_IDENTITY.ownerAccount}' AS account`);
  });

  test('refuses an Insights query and a bad suffix', () => {
    expect(() => new ColumnarSavedQueries(org.stack, 'Bad', {
      table: org.columnar, analytics: org.analytics, queries: [ForensicQuery.INSIGHTS_TIMELINE],
    })).toThrow('queries "insights_timeline" reads the Insights table');
    expect(() => new ColumnarSavedQueries(org.stack, 'Bad2', { table: org.columnar, analytics: org.analytics, suffix: 'x' }))
      .toThrow('suffix "x" must be "_" followed by');
  });
});
