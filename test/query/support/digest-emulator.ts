import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  bindExecutionParameters, glueTables, GlueTableDefinition, projectedPartition, Row, toDuckDb, walk,
} from './athena-emulator';
import { decode, duckDbType, HiveType, parseHiveType } from './hive-types';

/**
 * The Athena emulator of athena-emulator.ts (DuckDB, partition projection, the CloudTrail SerDe), extended with
 * what the digest queries need, and nothing more:
 *
 * - The `"$path"` pseudo-column: every row carries `s3://<bucket>/<key>` of the object it was read from.
 * - A second input format, chosen by the table's synthesized `InputFormat`: `TextInputFormat` with the Hive JSON
 *   SerDe reads one JSON object per line, so a digest file (one JSON document, written on one line) is one row.
 *   A file that is not one object per line fails the load, as the SerDe fails the query.
 * - Trino functions the digest queries use that DuckDB lacks or defines differently (`DIGEST_SHIM_NOTES`).
 */
export const DIGEST_SHIM_NOTES: { readonly [trino: string]: string } = {
  'regexp_extract(s, pattern[, group])': 'rewritten to a macro that returns NULL when nothing matches (DuckDB returns \'\')',
  'from_iso8601_timestamp(s)': 'macro casting the ISO 8601 text (Z suffix) to a TIMESTAMP in UTC',
  'date_diff(unit, t1, t2)': 'rewritten to DuckDB date_sub (whole units elapsed; DuckDB date_diff counts unit boundaries crossed)',
};

const CLOUDTRAIL_INPUT = 'com.amazon.emr.cloudtrail.CloudTrailInputFormat';
const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const HIVE_JSON_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';
const PATH_COLUMN = '$path';

/** The input format and SerDe of each `AWS::Glue::Table` of a template, by table name. */
export function tableFormats(template: any): { [table: string]: { inputFormat: string; serde: string } } {
  const result: { [table: string]: { inputFormat: string; serde: string } } = {};
  for (const r of Object.values<any>(template.Resources)) {
    if (r.Type !== 'AWS::Glue::Table') continue;
    const sd = r.Properties.TableInput.StorageDescriptor;
    result[r.Properties.TableInput.Name] = { inputFormat: sd.InputFormat, serde: sd.SerdeInfo.SerializationLibrary };
  }
  return result;
}

function outsideQuotes(sql: string, edit: (code: string) => string): string {
  return sql.split(/('(?:[^']|'')*'|"[^"]*")/).map((part, i) => (i % 2 === 0 ? edit(part) : part)).join('');
}

/** Athena (Trino) SQL in the DuckDB dialect: athena-emulator's translation, then the digest queries' functions. */
export function digestSqlToDuckDb(sql: string): string {
  return outsideQuotes(toDuckDb(sql), code => code
    .replace(/\bregexp_extract\(/gi, 'trino_regexp_extract(')
    .replace(/\bdate_diff\(/gi, 'date_sub('));
}

export class DigestAthenaEmulator {
  public static async create(): Promise<DigestAthenaEmulator> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)');
    await connection.run('CREATE MACRO array_join(l, sep) AS array_to_string(l, sep)');
    await connection.run('CREATE MACRO trino_regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END, ' +
      '(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END');
    await connection.run("CREATE MACRO from_iso8601_timestamp(s) AS CAST(replace(s, 'Z', '') AS TIMESTAMP)");
    return new DigestAthenaEmulator(connection, fs.mkdtempSync(path.join(os.tmpdir(), 'digest-emulator-')));
  }

  private constructor(private readonly connection: DuckDBConnection, private readonly workDir: string) {}

  /** Loads every Glue table of `template` from the objects of `bucketDir` that partition projection reaches. */
  public async loadTemplate(template: any, bucketName: string, bucketDir: string): Promise<{ [table: string]: string[] }> {
    const formats = tableFormats(template);
    const loaded: { [table: string]: string[] } = {};
    for (const table of glueTables(template)) {
      loaded[table.name] = await this.loadTable(table, formats[table.name], bucketName, bucketDir);
    }
    return loaded;
  }

  /** Creates `table` with its `"$path"` column; returns the keys of the objects it read. */
  public async loadTable(table: GlueTableDefinition, format: { inputFormat: string; serde: string },
    bucketName: string, bucketDir: string): Promise<string[]> {
    const records = recordsOf(format);
    const columns = [...table.columns, ...table.partitionKeys].map(c => ({ name: c.name, type: parseHiveType(c.type) }));
    const all = [...columns, { name: PATH_COLUMN, type: parseHiveType('string') }];
    const rows: string[] = [];
    const loaded: string[] = [];
    for (const file of walk(bucketDir)) {
      const key = path.relative(bucketDir, file).split(path.sep).join('/');
      const partition = projectedPartition(table, bucketName, key);
      if (!partition) continue;
      loaded.push(key);
      for (const record of records(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'), key)) {
        rows.push(JSON.stringify({ ...decodeRow(record, partition, columns), [PATH_COLUMN]: `s3://${bucketName}/${key}` }));
      }
    }
    const name = `"${table.database}"."${table.name}"`;
    await this.connection.run(`CREATE SCHEMA IF NOT EXISTS "${table.database}"`);
    await this.connection.run(`CREATE TABLE ${name} (${all.map(c => `"${c.name}" ${duckDbType(c.type)}`).join(', ')})`);
    if (rows.length > 0) {
      const ndjson = path.join(this.workDir, `${table.database}.${table.name}.ndjson`);
      fs.writeFileSync(ndjson, rows.join('\n'));
      const types = all.map(c => `"${c.name}": '${duckDbType(c.type)}'`).join(', ');
      await this.connection.run(`INSERT INTO ${name} SELECT * FROM read_json('${ndjson}', ` +
        `format = 'newline_delimited', columns = {${types}})`);
    }
    return loaded.sort();
  }

  /** Runs a query the way `start-query-execution --execution-parameters` does. */
  public async query(sql: string, executionParameters: readonly string[] = []): Promise<Row[]> {
    return this.rows(digestSqlToDuckDb(bindExecutionParameters(sql, executionParameters)));
  }

  /** Creates a prepared statement in a workgroup, as `AWS::Athena::PreparedStatement` does. */
  public async prepare(workGroup: string, statementName: string, queryStatement: string): Promise<void> {
    await this.connection.run(`PREPARE ${scoped(workGroup, statementName)} AS ${digestSqlToDuckDb(queryStatement)}`);
  }

  /** Runs Athena's `EXECUTE <statement> USING <literal>, ...` in a workgroup. */
  public async execute(workGroup: string, athenaExecute: string): Promise<Row[]> {
    const m = /^\s*EXECUTE\s+(\w+)(?:\s+USING\s+([\s\S]*))?$/i.exec(athenaExecute);
    if (!m) throw new Error(`not an Athena EXECUTE statement: ${athenaExecute}`);
    return this.rows(`EXECUTE ${scoped(workGroup, m[1])}(${m[2] ?? ''})`);
  }

  public close(): void {
    this.connection.closeSync();
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  private async rows(sql: string): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Row[];
  }
}

/** How the table's input format and SerDe turn an object's text into records. */
function recordsOf(format: { inputFormat: string; serde: string }): (text: string, key: string) => unknown[] {
  if (format.inputFormat === CLOUDTRAIL_INPUT) return text => JSON.parse(text).Records;
  if (format.inputFormat === TEXT_INPUT && format.serde === HIVE_JSON_SERDE) {
    return (text, key) => text.split('\n').filter(line => line.trim() !== '').map(line => {
      try {
        return JSON.parse(line);
      } catch (e) {
        throw new Error(`${key}: the Hive JSON SerDe reads one JSON object per line; this line is not one: ${(e as Error).message}`);
      }
    });
  }
  throw new Error(`input format ${format.inputFormat} with SerDe ${format.serde} is not emulated`);
}

function scoped(workGroup: string, statementName: string): string {
  return `${workGroup.replace(/[^A-Za-z0-9_]/g, '_')}__${statementName}`;
}

function decodeRow(record: unknown, partition: { [column: string]: string },
  columns: ReadonlyArray<{ name: string; type: HiveType }>): Row {
  const byLowerKey = new Map(Object.entries(record as object).map(([k, v]) => [k.toLowerCase(), v]));
  const row: Row = {};
  for (const c of columns) {
    row[c.name] = c.name in partition ? partition[c.name] : decode(byLowerKey.get(c.name), c.type);
  }
  return row;
}
