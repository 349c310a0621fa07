import * as glue from 'aws-cdk-lib/aws-glue';
import { CloudTrailSchema } from './cloudtrail-schema';
import { ACCOUNT_COLUMN, DAY_COLUMN, REGION_COLUMN } from './log-layout';

/**
 * The Athena statements of the columnar tier, rendered at synth time. The day bounds are filled in
 * at run time by the conversion state machine: each `{{day}}`, `{{since}}` and `{{before}}` is
 * replaced by a `yyyy/MM/dd` day computed from the execution's start time.
 */

/** Replaced by the day one MERGE converts. */
export const DAY_PLACEHOLDER = '{{day}}';
/** Replaced by the first day OPTIMIZE compacts. */
export const SINCE_PLACEHOLDER = '{{since}}';
/** Replaced by the first day retention keeps: rows of earlier days are deleted. */
export const BEFORE_PLACEHOLDER = '{{before}}';

/** What the statements need to know of the two tables. */
export interface ColumnarSqlTables {
  /** The raw table's Glue database. */
  readonly rawDatabase: string;
  /** The raw table's name. */
  readonly rawTable: string;
  /** Whether the raw table has an `account` partition (organization trails). */
  readonly rawHasAccountPartition: boolean;
  /** The account of an account trail's logs, written to the `account` column when the raw table has none. */
  readonly ownerAccount: string;
  /** The columnar table's database. */
  readonly database: string;
  /** The columnar table's name. */
  readonly table: string;
  /** The S3 folder of the Iceberg table (`s3://bucket/prefix/`). */
  readonly location: string;
  /** `vacuum_max_snapshot_age_seconds`. */
  readonly snapshotRetentionSeconds: number;
}

/**
 * The columnar table's columns: every column of the raw events table, with the same names and types
 * (so every saved query, built-in or custom, reads the same values), then `account`, `region` and
 * `day` as ordinary columns. `day` stays the raw table's `yyyy/MM/dd` delivery-day string: the saved
 * queries' SQL and parameters (`day BETWEEN '2024/05/01' AND '2024/05/07'`) are then the same on both
 * tiers, and a string in that format sorts like the date it names, so partition pruning is exact.
 */
export function columnarColumns(): glue.Column[] {
  return [
    ...CloudTrailSchema.eventColumns(),
    { name: ACCOUNT_COLUMN, type: glue.Schema.STRING },
    { name: REGION_COLUMN, type: glue.Schema.STRING },
    { name: DAY_COLUMN, type: glue.Schema.STRING },
  ];
}

const EVENT_COLUMN_NAMES = () => CloudTrailSchema.eventColumns().map(c => c.name);

/**
 * `CREATE TABLE IF NOT EXISTS` of the Iceberg table, partitioned by `day` (identity), data in Parquet
 * with ZSTD. Athena DDL names tables unquoted (`db.table`); Glue names of this library are
 * `[a-z0-9_]` only.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-creating-tables.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/vacuum-statement.html (`vacuum_max_snapshot_age_seconds`)
 */
export function createTableStatement(t: ColumnarSqlTables): string {
  const columns = columnarColumns().map(c => `  ${c.name} ${c.type.inputString}`).join(',\n');
  return [
    `CREATE TABLE IF NOT EXISTS ${t.database}.${t.table} (`,
    columns,
    ')',
    `PARTITIONED BY (${DAY_COLUMN})`,
    `LOCATION '${t.location}'`,
    'TBLPROPERTIES (',
    "  'table_type'='ICEBERG',",
    "  'format'='parquet',",
    "  'write_compression'='zstd',",
    `  'vacuum_max_snapshot_age_seconds'='${t.snapshotRetentionSeconds}'`,
    ')',
  ].join('\n');
}

/**
 * Copies one delivery day of the raw table into the columnar table, inserting only the events whose
 * `eventid` the day does not hold yet: re-running it for a day already converted writes nothing, and
 * a log file delivered late into that day's folder adds just its events. The source reads one raw
 * day (whole JSON objects of one day's folders) and the target is pruned to one partition by the
 * constant `day` in ON, so each statement writes one partition, far below Athena's 100-partition
 * limit on a write. The source keeps one record per `eventid`: MERGE fails when a target row matches
 * more than one source row, which a duplicated record would cause on every later run.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/merge-into-statement.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/ctas-insert-into.html (100 partitions per write)
 */
export function mergeStatement(t: ColumnarSqlTables): string {
  const events = EVENT_COLUMN_NAMES();
  const account = t.rawHasAccountPartition ? ACCOUNT_COLUMN : `'${t.ownerAccount}' AS ${ACCOUNT_COLUMN}`;
  const sourceColumns = [...events, account, REGION_COLUMN, DAY_COLUMN];
  const targetColumns = [...events, ACCOUNT_COLUMN, REGION_COLUMN, DAY_COLUMN];
  return [
    `MERGE INTO "${t.database}"."${t.table}" AS t`,
    'USING (',
    `  SELECT ${sourceColumns.join(', ')}`,
    '  FROM (',
    '    SELECT *, row_number() OVER (PARTITION BY eventid ORDER BY eventtime) AS occurrence',
    `    FROM "${t.rawDatabase}"."${t.rawTable}"`,
    `    WHERE ${DAY_COLUMN} = '${DAY_PLACEHOLDER}'`,
    '  ) AS raw',
    '  WHERE occurrence = 1',
    ') AS s',
    `ON t.${DAY_COLUMN} = '${DAY_PLACEHOLDER}' AND t.eventid = s.eventid`,
    `WHEN NOT MATCHED THEN INSERT (${targetColumns.join(', ')})`,
    `  VALUES (${targetColumns.map(c => `s.${c}`).join(', ')})`,
  ].join('\n');
}

/**
 * Deletes the days older than the retention. A predicate on the partition column alone lets Iceberg
 * drop whole partitions without rewriting files.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/delete-statement.html
 */
export function retentionStatement(t: ColumnarSqlTables): string {
  return `DELETE FROM "${t.database}"."${t.table}" WHERE ${DAY_COLUMN} < '${BEFORE_PLACEHOLDER}'`;
}

/**
 * Compacts the recent days, whose hourly MERGEs left many small files, into files near the target
 * size. Older days are already compact, so the statement names only the look-back window.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-data-optimization.html
 */
export function optimizeStatement(t: ColumnarSqlTables): string {
  return `OPTIMIZE ${t.database}.${t.table} REWRITE DATA USING BIN_PACK WHERE ${DAY_COLUMN} >= '${SINCE_PLACEHOLDER}'`;
}

/**
 * Expires snapshots older than `vacuum_max_snapshot_age_seconds` and removes the files only they
 * referenced (the small files OPTIMIZE replaced, the rows retention deleted).
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/vacuum-statement.html
 */
export function vacuumStatement(t: ColumnarSqlTables): string {
  return `VACUUM ${t.database}.${t.table}`;
}

/** Fills the run-time placeholders of a statement (what the state machine does with JSONata `$replace`). */
export function bindDays(sql: string, days: { day?: string; since?: string; before?: string }): string {
  let bound = sql;
  if (days.day !== undefined) bound = bound.split(DAY_PLACEHOLDER).join(days.day);
  if (days.since !== undefined) bound = bound.split(SINCE_PLACEHOLDER).join(days.since);
  if (days.before !== undefined) bound = bound.split(BEFORE_PLACEHOLDER).join(days.before);
  return bound;
}
