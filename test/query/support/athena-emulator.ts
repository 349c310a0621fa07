import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { decode, duckDbType, HiveType, parseHiveType } from './hive-types';

/**
 * Runs the saved queries' Athena SQL against CloudTrail log files on local disk, with DuckDB as the
 * engine. What it emulates, and nothing more:
 *
 * - S3: a directory is the bucket; object keys are paths below it.
 * - Partition projection: a file belongs to the table when its folder matches the table's
 *   `storage.location.template` with projected values: an `enum` value, a `date` between the
 *   range's start and today (format `yyyy/MM/dd` only), or any value for `injected`.
 * - CloudTrailInputFormat + Hive JSON SerDe: each gzipped `{"Records":[...]}` file yields one row
 *   per record, decoded by the Glue column types (see `decode`).
 * - Trino functions DuckDB lacks or names differently, as macros or rewrites (`SHIM_NOTES`).
 * - Execution parameters (`?` + `--execution-parameters`) and `EXECUTE <name> USING ...`.
 */
export const SHIM_NOTES: { readonly [trino: string]: string } = {
  'json_extract_scalar(json, path)': 'macro over DuckDB json_extract_string(json, path)',
  'array_join(array, delimiter)': 'macro over DuckDB array_to_string(array, delimiter)',
  'transform(array, x -> expr)': 'rewritten to DuckDB list_transform(array, x -> expr) (macros cannot take lambdas)',
  'EXECUTE name USING a, b': 'rewritten to DuckDB EXECUTE name(a, b)',
  '? with --execution-parameters': 'each ? outside quotes replaced, in order, by the parameter\'s SQL literal, as Athena binds them',
};

/** A Glue table as the synthesized template defines it. */
export interface GlueTableDefinition {
  readonly database: string;
  readonly name: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly partitionKeys: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly parameters: { readonly [key: string]: string };
}

/** Reads every `AWS::Glue::Table` of a synthesized template. */
export function glueTables(template: any): GlueTableDefinition[] {
  const resources: { [id: string]: any } = template.Resources;
  const databaseName = (ref: any): string => {
    if (typeof ref === 'string') return ref;
    const db = resources[ref.Ref];
    if (!db || db.Type !== 'AWS::Glue::Database') throw new Error(`cannot resolve database ${JSON.stringify(ref)}`);
    return db.Properties.DatabaseInput.Name;
  };
  return Object.values(resources).filter(r => r.Type === 'AWS::Glue::Table').map(r => {
    const input = r.Properties.TableInput;
    return {
      database: databaseName(r.Properties.DatabaseName),
      name: input.Name,
      columns: input.StorageDescriptor.Columns.map((c: any) => ({ name: c.Name, type: c.Type })),
      partitionKeys: (input.PartitionKeys ?? []).map((c: any) => ({ name: c.Name, type: c.Type })),
      parameters: input.Parameters,
    };
  });
}

/**
 * Copies the fixture tree into `bucketDir` the way CloudTrail delivers it: every `*.json` fixture
 * becomes a gzipped, single-line `*.json.gz` object at the same key. Returns the object keys.
 */
export function writeBucket(fixtureRoot: string, bucketDir: string): string[] {
  const keys: string[] = [];
  for (const file of walk(fixtureRoot)) {
    if (!file.endsWith('.json')) continue;
    const key = `${path.relative(fixtureRoot, file).split(path.sep).join('/')}.gz`;
    const target = path.join(bucketDir, ...key.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, zlib.gzipSync(JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8')))));
    keys.push(key);
  }
  return keys.sort();
}

export function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** Replaces each `${column}` of a `storage.location.template` with its value. */
export function expandTemplate(template: string, values: { readonly [column: string]: string }): string {
  return template.replace(/\$\{(\w+)\}/g, (_, column: string) => {
    const value = values[column];
    if (value === undefined) throw new Error(`no value for \${${column}} in ${template}`);
    return value;
  });
}

/**
 * The partition values of the object at `key` when partition projection would read it for
 * `table`, otherwise undefined.
 */
export function projectedPartition(table: GlueTableDefinition, bucketName: string, key: string):
{ [column: string]: string } | undefined {
  const params = table.parameters;
  if (params['projection.enabled'] !== 'true') throw new Error(`${table.name} has no partition projection`);
  const template = params['storage.location.template'];
  const bucketUri = `s3://${bucketName}/`;
  if (!template.startsWith(bucketUri)) return undefined;
  const columns: string[] = [];
  const pattern = template.slice(bucketUri.length).split(/(\$\{\w+\})/).map(part => {
    const m = /^\$\{(\w+)\}$/.exec(part);
    if (!m) return escapeRegExp(part);
    columns.push(m[1]);
    return params[`projection.${m[1]}.type`] === 'date' ? `(${datePattern(params[`projection.${m[1]}.format`])})` : '([^/]+)';
  }).join('');
  // Athena reads the objects directly in the partition's folder.
  const match = new RegExp(`^${pattern}/[^/]+$`).exec(key);
  if (!match) return undefined;
  const values: { [column: string]: string } = {};
  columns.forEach((column, i) => { values[column] = match[i + 1]; });
  return table.partitionKeys.every(k => isProjected(params, k.name, values[k.name])) ? values : undefined;
}

function isProjected(params: { readonly [key: string]: string }, column: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const type = params[`projection.${column}.type`];
  switch (type) {
    case 'enum': return params[`projection.${column}.values`].split(',').includes(value);
    case 'injected': return true;
    case 'date': {
      const [start, end] = params[`projection.${column}.range`].split(',');
      const today = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
      return value >= start && value <= (end === 'NOW' ? today : end);
    }
    default: throw new Error(`projection type ${type} of ${column} is not emulated`);
  }
}

function datePattern(format: string): string {
  if (format !== 'yyyy/MM/dd') throw new Error(`date format ${format} is not emulated`);
  return '\\d{4}/\\d{2}/\\d{2}';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Applies `edit` to the parts of `sql` outside single-quoted literals and double-quoted names. */
export function outsideQuotes(sql: string, edit: (code: string) => string): string {
  return sql.split(/('(?:[^']|'')*'|"[^"]*")/).map((part, i) => (i % 2 === 0 ? edit(part) : part)).join('');
}

/** Translates Athena (Trino) SQL to the DuckDB dialect the shim covers. */
export function toDuckDb(sql: string): string {
  return outsideQuotes(sql, code => code.replace(/\btransform\(/gi, 'list_transform('));
}

/** Binds Athena execution parameters: each `?` outside quotes becomes the next SQL literal. */
export function bindExecutionParameters(sql: string, parameters: readonly string[]): string {
  let next = 0;
  const bound = outsideQuotes(sql, code => code.replace(/\?/g, () => {
    if (next >= parameters.length) throw new Error(`the query has more ? than the ${parameters.length} parameter(s) given`);
    return parameters[next++];
  }));
  if (next !== parameters.length) throw new Error(`${parameters.length} parameter(s) given for ${next} ?`);
  return bound;
}

/** A row as JSON values (BIGINT as string, DOUBLE as number). */
export type Row = { [column: string]: any };

/** How a table's input format and SerDe turn an object's text into records, and what each row carries besides. */
export interface RecordFormat {
  readonly records: (text: string, key: string) => unknown[];
  /** A pseudo-column with `s3://<bucket>/<key>` of the object each row was read from (Athena's `"$path"`). */
  readonly pathColumn?: string;
}

/** CloudTrailInputFormat: a gzipped `{"Records":[...]}` object yields one row per record. */
export const CLOUDTRAIL_RECORDS: RecordFormat = { records: text => JSON.parse(text).Records };

/** What an emulator adds to the shims of `SHIM_NOTES`: more macros and a further SQL translation. */
export interface EmulatorOptions {
  readonly macros?: string[];
  readonly translate?: (sql: string) => string;
}

/** One DuckDB database emulating Athena over a local bucket directory. */
export class AthenaEmulator {
  public static async create(options: EmulatorOptions = {}): Promise<AthenaEmulator> {
    const { connection, workDir } = await AthenaEmulator.open(options);
    return new AthenaEmulator(connection, workDir, options.translate);
  }

  protected static async open(options: EmulatorOptions): Promise<{ connection: DuckDBConnection; workDir: string }> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)');
    await connection.run('CREATE MACRO array_join(l, sep) AS array_to_string(l, sep)');
    for (const macro of options.macros ?? []) await connection.run(macro);
    return { connection, workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'athena-emulator-')) };
  }

  private readonly translate: (sql: string) => string;

  protected constructor(private readonly connection: DuckDBConnection, private readonly workDir: string,
    translate?: (sql: string) => string) {
    this.translate = (sql) => (translate ?? (x => x))(toDuckDb(sql));
  }

  /**
   * Creates `table` in DuckDB from the objects of `bucketDir` that partition projection reaches,
   * and returns their keys.
   */
  public async loadTable(table: GlueTableDefinition, bucketName: string, bucketDir: string,
    format: RecordFormat = CLOUDTRAIL_RECORDS): Promise<string[]> {
    const fields = [...table.columns, ...table.partitionKeys].map(c => ({ name: c.name, type: parseHiveType(c.type) }));
    const columns = format.pathColumn === undefined ? fields : [...fields, { name: format.pathColumn, type: parseHiveType('string') }];
    const rows: string[] = [];
    const loaded: string[] = [];
    for (const file of walk(bucketDir)) {
      const key = path.relative(bucketDir, file).split(path.sep).join('/');
      const partition = projectedPartition(table, bucketName, key);
      if (!partition) continue;
      loaded.push(key);
      for (const record of format.records(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'), key)) {
        const row = decodeRow(record, partition, fields);
        rows.push(JSON.stringify(format.pathColumn === undefined ? row : { ...row, [format.pathColumn]: `s3://${bucketName}/${key}` }));
      }
    }
    const name = `"${table.database}"."${table.name}"`;
    await this.connection.run(`CREATE SCHEMA IF NOT EXISTS "${table.database}"`);
    await this.connection.run(`CREATE TABLE ${name} (${columns.map(c => `"${c.name}" ${duckDbType(c.type)}`).join(', ')})`);
    if (rows.length > 0) {
      const ndjson = path.join(this.workDir, `${table.database}.${table.name}.ndjson`);
      fs.writeFileSync(ndjson, rows.join('\n'));
      const types = columns.map(c => `"${c.name}": '${duckDbType(c.type)}'`).join(', ');
      await this.connection.run(`INSERT INTO ${name} SELECT * FROM read_json('${ndjson}', ` +
        `format = 'newline_delimited', columns = {${types}})`);
    }
    return loaded.sort();
  }

  /** Runs a query the way `start-query-execution --execution-parameters` does. */
  public async query(sql: string, executionParameters: readonly string[] = []): Promise<Row[]> {
    return this.rows(this.translate(bindExecutionParameters(sql, executionParameters)));
  }

  /** Creates a prepared statement in a workgroup, as `AWS::Athena::PreparedStatement` does. */
  public async prepare(workGroup: string, statementName: string, queryStatement: string): Promise<void> {
    await this.connection.run(`PREPARE ${scoped(workGroup, statementName)} AS ${this.translate(queryStatement)}`);
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

// Prepared statements belong to a workgroup in Athena; DuckDB has one namespace per connection.
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
