import { CloudTrailSchema } from '../../src/query';
import {
  bindDays, columnarColumns, ColumnarSqlTables, createTableStatement, mergeStatement, optimizeStatement, retentionStatement,
  vacuumStatement,
} from '../../src/query/columnar-sql';

const TABLES: ColumnarSqlTables = {
  rawDatabase: 'cloudtrail_org_trail',
  rawTable: 'events',
  rawHasAccountPartition: true,
  ownerAccount: '111111111111',
  database: 'cloudtrail_org_trail',
  table: 'events_columnar',
  location: 's3://columnar-bucket/cloudtrail_org_trail/events_columnar/',
  snapshotRetentionSeconds: 432000,
};

describe('columns', () => {
  test('the raw table\'s columns with their types, then account, region and day as strings', () => {
    const columns = columnarColumns();
    const raw = CloudTrailSchema.eventColumns();
    expect(columns.slice(0, raw.length).map(c => [c.name, c.type.inputString])).toEqual(raw.map(c => [c.name, c.type.inputString]));
    expect(columns.slice(raw.length).map(c => [c.name, c.type.inputString])).toEqual([
      ['account', 'string'], ['region', 'string'], ['day', 'string'],
    ]);
  });
});

describe('CREATE TABLE', () => {
  const sql = createTableStatement(TABLES);

  test('an Iceberg table partitioned by day, Parquet with ZSTD, created only if missing', () => {
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS cloudtrail_org_trail\.events_columnar \(\n/);
    expect(sql).toContain('\nPARTITIONED BY (day)\n');
    expect(sql).toContain("LOCATION 's3://columnar-bucket/cloudtrail_org_trail/events_columnar/'");
    expect(sql).toContain("'table_type'='ICEBERG'");
    expect(sql).toContain("'format'='parquet'");
    expect(sql).toContain("'write_compression'='zstd'");
    expect(sql).toContain("'vacuum_max_snapshot_age_seconds'='432000'");
    expect(sql).not.toMatch(/EXTERNAL/);
  });

  test('declares every column with its Hive type', () => {
    expect(sql).toContain('  useridentity struct<type:string,principalid:string,arn:string,');
    expect(sql).toContain('  resources array<struct<arn:string,accountid:string,type:string>>,');
    expect(sql).toContain('  account string,\n  region string,\n  day string\n)');
  });
});

describe('MERGE', () => {
  const sql = mergeStatement(TABLES);

  test('reads one raw day and prunes the target to the same day', () => {
    expect(sql).toContain('FROM "cloudtrail_org_trail"."events"\n    WHERE day = \'{{day}}\'');
    expect(sql).toContain("ON t.day = '{{day}}' AND t.eventid = s.eventid");
    expect(sql.match(/\{\{day\}\}/g)).toHaveLength(2);
  });

  test('inserts only unmatched events, one per eventid, and never updates or deletes', () => {
    expect(sql).toContain('WHEN NOT MATCHED THEN INSERT (');
    expect(sql).not.toMatch(/WHEN MATCHED/);
    expect(sql).toContain('row_number() OVER (PARTITION BY eventid ORDER BY eventtime) AS occurrence');
    expect(sql).toContain('WHERE occurrence = 1');
  });

  test('an account trail writes its account as a literal; an organization trail copies the partition', () => {
    expect(sql).toMatch(/SELECT eventversion, .*, tlsdetails, account, region, day\n/);
    const single = mergeStatement({ ...TABLES, rawHasAccountPartition: false, ownerAccount: '444444444444' });
    expect(single).toContain("tlsdetails, '444444444444' AS account, region, day");
  });

  test('bindDays fills every placeholder', () => {
    expect(bindDays(sql, { day: '2024/05/02' })).not.toContain('{{');
    expect(bindDays(sql, { day: '2024/05/02' }).match(/'2024\/05\/02'/g)).toHaveLength(2);
  });
});

describe('maintenance', () => {
  test('retention deletes whole days before the cutoff', () => {
    expect(bindDays(retentionStatement(TABLES), { before: '2023/05/05' }))
      .toBe('DELETE FROM "cloudtrail_org_trail"."events_columnar" WHERE day < \'2023/05/05\'');
  });

  test('OPTIMIZE bin-packs the recent days only; VACUUM the table', () => {
    expect(bindDays(optimizeStatement(TABLES), { since: '2024/05/01' }))
      .toBe("OPTIMIZE cloudtrail_org_trail.events_columnar REWRITE DATA USING BIN_PACK WHERE day >= '2024/05/01'");
    expect(vacuumStatement(TABLES)).toBe('VACUUM cloudtrail_org_trail.events_columnar');
  });
});
