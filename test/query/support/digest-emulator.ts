import { AthenaEmulator, CLOUDTRAIL_RECORDS, glueTables, outsideQuotes, RecordFormat } from './athena-emulator';

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

/** The digest queries' functions in the DuckDB dialect (after athena-emulator's own translation). */
export function digestSqlToDuckDb(sql: string): string {
  return outsideQuotes(sql, code => code
    .replace(/\bregexp_extract\(/gi, 'trino_regexp_extract(')
    .replace(/\bdate_diff\(/gi, 'date_sub('));
}

const DIGEST_MACROS = [
  'CREATE MACRO trino_regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END, ' +
    '(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END',
  "CREATE MACRO from_iso8601_timestamp(s) AS CAST(replace(s, 'Z', '') AS TIMESTAMP)",
];

/** The Athena emulator with the digest queries' shims, the `"$path"` column and the Hive JSON SerDe. */
export class DigestAthenaEmulator extends AthenaEmulator {
  public static async create(): Promise<DigestAthenaEmulator> {
    const options = { macros: DIGEST_MACROS, translate: digestSqlToDuckDb };
    const { connection, workDir } = await AthenaEmulator.open(options);
    return new DigestAthenaEmulator(connection, workDir, options.translate);
  }

  /** Loads every Glue table of `template` from the objects of `bucketDir` that partition projection reaches. */
  public async loadTemplate(template: any, bucketName: string, bucketDir: string): Promise<{ [table: string]: string[] }> {
    const formats = tableFormats(template);
    const loaded: { [table: string]: string[] } = {};
    for (const table of glueTables(template)) {
      loaded[table.name] = await this.loadTable(table, bucketName, bucketDir, { ...recordsOf(formats[table.name]), pathColumn: PATH_COLUMN });
    }
    return loaded;
  }
}

/** How the table's input format and SerDe turn an object's text into records. */
function recordsOf(format: { inputFormat: string; serde: string }): RecordFormat {
  if (format.inputFormat === CLOUDTRAIL_INPUT) return CLOUDTRAIL_RECORDS;
  if (format.inputFormat === TEXT_INPUT && format.serde === HIVE_JSON_SERDE) {
    return {
      records: (text, key) => text.split('\n').filter(line => line.trim() !== '').map(line => {
        try {
          return JSON.parse(line);
        } catch (e) {
          throw new Error(`${key}: the Hive JSON SerDe reads one JSON object per line; this line is not one: ${(e as Error).message}`);
        }
      }),
    };
  }
  throw new Error(`input format ${format.inputFormat} with SerDe ${format.serde} is not emulated`);
}

