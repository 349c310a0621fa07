/* eslint-disable no-console */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { TrailIdentity } from '../src/identity/trail-identity';
import { CloudTrailSchema, CloudTrailTable, ColumnarSavedQueries, ColumnarTrailTable, ForensicQuery, ForensicQueryTable, TrailAnalytics } from '../src/query';
import { ColumnarConversion } from '../src/query/columnar-conversion';
import { bindDays, columnarColumns } from '../src/query/columnar-sql';
import { toDuckDb, bindExecutionParameters } from '../test/query/support/athena-emulator';
import { generateCorpus } from '../test/query/support/columnar-corpus';
import { decode, duckDbType, parseHiveType } from '../test/query/support/hive-types';
import { StandInArchive } from '../test/query/support/stand-in-archive';

/**
 * What the saved investigations would be billed for by Athena on the raw JSON table and on the columnar copy,
 * over a generated organization archive of ~1 million events. Run with
 * `node -r sucrase/register/ts bench/columnar-bytes.ts` (not part of `npm test`).
 *
 * Billing rules applied (Athena: $5 per TB scanned, 10 MB minimum per query):
 * - JSON: every object of every partition the query reads, whole (gzip is not splittable).
 * - Parquet: for each data file of the days read, the column chunks of the columns the query names, in the row
 *   groups whose min/max statistics may satisfy the query's predicates (read from `parquet_metadata()`).
 */

const ACCOUNTS = Array.from({ length: 40 }, (_, i) => String(210000000000 + i * 1111));
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'us-east-2', 'sa-east-1'];
const DAYS = Array.from({ length: 32 }, (_, i) => new Date(Date.UTC(2024, 4, 1 + i)).toISOString().slice(0, 10).replace(/-/g, '/'));
const WINDOW = DAYS.slice(1, 31); // 30 days
const EVENTS_PER_DAY = Number(process.env.EVENTS_PER_DAY ?? 32_000);
const SORTED_ROW_GROUP = 10_000;
const MIN_BILLED = 10 * 1000 * 1000;
const PRICE_PER_TB = 5;

const identity = TrailIdentity.organization({
  trailName: 'org-trail', organizationId: 'o-a1b2c3d4e5', managementAccount: ACCOUNTS[0], homeRegion: 'us-east-1',
});

/** The predicates Trino can turn into min/max domains for each built-in query (ranges per column; [lo, hi) ). */
type Ranges = Array<[string, string]>;
const point = (v: string): [string, string] => [v, `${v}\u0000`];
const prefix = (p: string): [string, string] => [p, `${p}\uffff`];
function catalogDomain(query: ForensicQuery): { [column: string]: Ranges } {
  const sql = query.sql({ qualifiedTableName: 't', accountFilter: false });
  const domain: { [column: string]: Ranges } = {};
  const source = /eventsource = '([^']+)'/.exec(sql);
  if (source) domain.eventsource = [point(source[1])];
  const inList = /eventname IN \(([^)]*)\)/.exec(sql);
  if (inList) domain.eventname = inList[1].split(',').map(v => point(v.trim().replace(/'/g, '')));
  const single = /eventname = '([^']+)' AND/.exec(sql);
  if (single && !sql.includes('LIKE \'Delete%\'')) domain.eventname = [point(single[1])];
  // who_deleted_resource: an OR of prefixes (and one name) on eventname is one union of ranges.
  if (sql.includes("eventname LIKE 'Delete%'")) {
    domain.eventname = [prefix('Delete'), prefix('Terminate'), prefix('Remove'), prefix('Deregister'), point('ScheduleKeyDeletion')];
  }
  // Predicates on nested fields, OR across columns (principal_activity), infix LIKE and <> give no domain here.
  return domain;
}

/** Whether the query reads a leaf column: its path, or a struct above it used whole. */
function reads(sql: string, leaf: string[]): boolean {
  for (let k = 1; k <= leaf.length; k++) {
    const dotted = leaf.slice(0, k).join('.').replace(/\./g, '\\.');
    if (new RegExp(`\\b${dotted}\\b(?!\\.)`).test(sql)) return true;
  }
  return false;
}

interface ChunkRow { file: string; rg: number; path: string[]; min: string | null; max: string | null; size: number }

async function rows(c: DuckDBConnection, sql: string): Promise<any[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJson() as any[];
}

function fmt(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'columnar-bench-'));
  const bucketDir = path.join(work, 'bucket');
  const ndjson = path.join(work, 'raw.ndjson');
  const fd = fs.openSync(ndjson, 'w');
  const columns = CloudTrailSchema.eventColumns().map(c => ({ name: c.name, type: parseHiveType(c.type.inputString) }));
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) fs.writeSync(fd, pending.join('\n') + '\n');
    pending = [];
  };

  let t = Date.now();
  const corpus = generateCorpus({
    bucketDir,
    accountsPrefix: identity.accountsPrefix,
    accounts: ACCOUNTS,
    regions: REGIONS,
    days: DAYS,
    eventsPerDay: EVENTS_PER_DAY,
    seed: 42,
    onRecord: (record, partition) => {
      // The Hive JSON SerDe's view of the record, as the raw table returns it.
      const byLower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
      const row: any = {};
      for (const c of columns) row[c.name] = decode(byLower.get(c.name), c.type);
      pending.push(JSON.stringify({ ...row, ...partition }));
      if (pending.length >= 5000) flush();
    },
  });
  flush();
  fs.closeSync(fd);
  const generateSeconds = (Date.now() - t) / 1000;
  console.log(`generated ${corpus.events} events in ${corpus.objects} objects (${fmt(corpus.bytes)} gzip JSON) in ${generateSeconds.toFixed(0)} s`);

  // The constructs, for the statements the conversion runs and the saved queries' SQL.
  const app = new App();
  const stack = new Stack(app, 'Bench', { env: { account: '999999999999', region: 'us-east-1' } });
  const archive = new StandInArchive(stack, 'Archive', { identity, bucketName: 'archive', keyArn: 'arn:aws:kms:us-east-1:999999999999:key/k' });
  const raw = new CloudTrailTable(stack, 'Events', { identity, archive, accounts: ACCOUNTS, regions: REGIONS });
  const analytics = new TrailAnalytics(stack, 'Analytics', { table: raw });
  const columnar = new ColumnarTrailTable(stack, 'Columnar', { source: raw });
  new ColumnarConversion(stack, 'Conversion', { table: columnar, analytics, alarmTopic: sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:us-east-1:999999999999:t') });
  const saved = new ColumnarSavedQueries(stack, 'Saved', { table: columnar, analytics });
  const queries = ForensicQuery.all().filter(q => q.table === ForensicQueryTable.EVENTS);

  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)');
  await c.run('CREATE MACRO array_join(l, sep) AS array_to_string(l, sep)');
  await c.run(`CREATE SCHEMA "${raw.databaseName}"`);
  const rawColumns = [...columns.map(col => ({ name: col.name, type: duckDbType(col.type) })),
    { name: 'account', type: 'VARCHAR' }, { name: 'region', type: 'VARCHAR' }, { name: 'day', type: 'VARCHAR' }];
  await c.run(`CREATE TABLE ${raw.qualifiedName} AS SELECT * FROM read_json('${ndjson}', format = 'newline_delimited', ` +
    `columns = {${rawColumns.map(col => `"${col.name}": '${col.type}'`).join(', ')}})`);
  fs.rmSync(ndjson);

  // The conversion's own statements: one MERGE per day.
  const target = columnarColumns().map(col => `"${col.name}" ${duckDbType(parseHiveType(col.type.inputString))}`);
  await c.run(`CREATE TABLE ${columnar.qualifiedName} (${target.join(', ')})`);
  t = Date.now();
  for (const day of DAYS) await c.run(toDuckDb(bindDays(columnar.mergeSql(), { day })));
  const again = await rows(c, toDuckDb(bindDays(columnar.mergeSql(), { day: DAYS[5] })));
  console.log(`converted ${DAYS.length} days with MERGE in ${((Date.now() - t) / 1000).toFixed(1)} s; re-run of a day wrote ${Object.values(again[0])[0]} rows`);

  const layouts = {
    // What Athena's writer produces at this volume: one file per day in arrival order; Iceberg's default 128 MB
    // row group is larger than a day here, so each file is one row group and only column pruning applies.
    arrival: { order: 'eventtime', rowGroup: 10_000_000 },
    // The same rows sorted by API name within each day, in 10,000-row groups: min/max statistics then skip the row
    // groups of other APIs.
    sorted: { order: 'eventname, eventsource, eventtime', rowGroup: SORTED_ROW_GROUP },
  };
  const results: any[] = [];
  for (const [layout, { order, rowGroup }] of Object.entries(layouts)) {
    const dir = path.join(work, layout);
    fs.mkdirSync(dir);
    for (const day of DAYS) {
      await c.run(`COPY (SELECT * FROM ${columnar.qualifiedName} WHERE day = '${day}' ORDER BY ${order}) TO ` +
        `'${path.join(dir, `${day.replace(/\//g, '-')}.parquet`)}' (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE ${rowGroup})`);
    }
    const windowFiles = WINDOW.map(day => path.join(dir, `${day.replace(/\//g, '-')}.parquet`));
    const list = `[${windowFiles.map(f => `'${f}'`).join(', ')}]`;
    const meta = await rows(c, 'SELECT file_name, row_group_id, path_in_schema, stats_min_value, stats_max_value, total_compressed_size ' +
      `FROM parquet_metadata(${list})`);
    const chunks: ChunkRow[] = meta.map(m => ({
      file: m.file_name,
      rg: Number(m.row_group_id),
      path: String(m.path_in_schema).split(', ').filter(p => !['list', 'element', 'key_value'].includes(p)),
      min: m.stats_min_value,
      max: m.stats_max_value,
      size: Number(m.total_compressed_size),
    }));
    const totalParquet = windowFiles.reduce((s, f) => s + fs.statSync(f).size, 0);
    const rowGroups = new Set(chunks.map(ch => `${ch.file}#${ch.rg}`)).size;
    await c.run(`CREATE OR REPLACE VIEW ${columnar.qualifiedName.replace('events_columnar', `events_${layout}`)} AS SELECT * FROM read_parquet(${list})`);
    console.log(`${layout}: ${fmt(totalParquet)} of Parquet for the 30 days, ${rowGroups} row groups`);

    for (const query of queries) {
      const domain = catalogDomain(query);
      const sql = saved.namedQueries[query.id].queryString;
      const matching = new Set<string>();
      for (const group of new Set(chunks.map(ch => `${ch.file}#${ch.rg}`))) {
        const groupChunks = chunks.filter(ch => `${ch.file}#${ch.rg}` === group);
        const ok = Object.entries(domain).every(([column, ranges]) => {
          const chunk = groupChunks.find(ch => ch.path.join('.') === column);
          if (!chunk || chunk.min === null || chunk.max === null) return true;
          return ranges.some(([lo, hi]) => chunk.min! < hi && chunk.max! >= lo);
        });
        if (ok) matching.add(group);
      }
      const scanned = chunks.filter(ch => matching.has(`${ch.file}#${ch.rg}`) && reads(sql, ch.path)).reduce((s, ch) => s + ch.size, 0);
      results.push({ layout, id: query.id, scanned, rowGroups: matching.size, of: rowGroups });
    }
  }

  // Raw JSON: every object of the 30 days' folders of every projected account and region.
  let rawBytes = 0;
  for (const [folder, size] of corpus.folderBytes) if (WINDOW.includes(folder.split('/').slice(2).join('/'))) rawBytes += size;
  // Time to read those objects once (gunzip + parse), the least any engine does for a JSON query.
  t = Date.now();
  let parsed = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (WINDOW.some(day => full.includes(`/${day}/`))) parsed += JSON.parse(zlib.gunzipSync(fs.readFileSync(full)).toString()).Records.length;
    }
  };
  walk(bucketDir);
  const rawSeconds = (Date.now() - t) / 1000;

  const probes = corpus.probes;
  const parameter: { [name: string]: string } = {
    resource: `'${probes.deletedResource}'`,
    principal_arn: `'${probes.principalArn}'`,
    access_key_id: `'${probes.accessKeyId}'`,
    source_ip: `'${probes.sourceIp}'`,
  };
  const billed = (b: number) => Math.max(b, MIN_BILLED);
  console.log(`\nraw JSON for the 30 days: ${fmt(rawBytes)} in objects holding ${parsed} events; reading them once takes ${rawSeconds.toFixed(1)} s\n`);
  console.log('| query | raw JSON billed | columnar (arrival order) billed | ratio | columnar (sorted by API) billed | ratio | row groups read (sorted) | rows | query time on Parquet |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const query of queries) {
    const arrival = results.find(r => r.layout === 'arrival' && r.id === query.id);
    const sorted = results.find(r => r.layout === 'sorted' && r.id === query.id);
    const args = [`'${WINDOW[0]}'`, `'${WINDOW[WINDOW.length - 1]}'`, ...query.parameters.map(p => parameter[p.name])];
    const sql = saved.namedQueries[query.id].queryString.replace('events_columnar', 'events_sorted');
    t = Date.now();
    const found = await rows(c, toDuckDb(bindExecutionParameters(sql, args)));
    const ms = Date.now() - t;
    const ratio = (r: any) => `${(billed(rawBytes) / billed(r.scanned)).toFixed(1)}x`;
    console.log(`| ${query.id} | ${fmt(billed(rawBytes))} | ${fmt(billed(arrival.scanned))} | ${ratio(arrival)} | ` +
      `${fmt(billed(sorted.scanned))} | ${ratio(sorted)} | ${sorted.rowGroups}/${sorted.of} | ${found.length} | ${ms} ms |`);
  }
  const cost = (b: number) => (billed(b) / 1e12) * PRICE_PER_TB;
  console.log(`\nper investigation: raw $${cost(rawBytes).toFixed(4)}; columnar at most $${cost(Math.max(...results.map(r => r.scanned))).toFixed(4)}`);
  c.closeSync();
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
