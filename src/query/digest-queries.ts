import { DigestCheck } from './digest-check';
import { ForensicQueryParameter } from './forensic-query-types';
import { ACCOUNT_COLUMN, DAY_COLUMN, REGION_COLUMN } from './log-layout';

// The saved queries of IntegrityCheck, in Athena engine version 3 (Trino) SQL.
//
// Each query reads the day partitions of its tables once, bounded by the two day parameters (and the account,
// when the account partition is injected). Athena accepts `?` only in WHERE clauses and binds each by position,
// so a query that reads both tables reads them as one UNION ALL under a single WHERE: Trino pushes that
// condition into both scans, and the saved queries keep the catalog's parameter list (start day, end day,
// account) instead of repeating it per table
// (https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html).
//
// Facts the SQL relies on (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html):
// - a digest names the log files delivered in its hour, and the previous digest of its chain;
// - digests are filed under the day their hour ends, so the first digest of a day names files of the day before;
// - a digest file is named <account>_CloudTrail-Digest_<region>_<trail>_<home region>_<end, yyyyMMddTHHmmssZ>.json.gz,
//   a backfill digest (log files a digest missed because of processing delays) ends in _backfill.json.gz;
// - a starting digest (validation or logging turned on again) has no previous digest fields.
// Log files are named <account>_CloudTrail_<region>_<delivery, yyyyMMddTHHmmZ>_<unique>.json.gz
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
// Athena's "$path" is each row's object as s3://<bucket>/<key>.

/**
 * The folder CloudTrail writes digest files under, below each account folder: "Digest files are delivered to
 * an Amazon S3 bucket location that follows this syntax: `s3://<bucket>/<optional-prefix>/AWSLogs/<account>/
 * CloudTrail-Digest/<region>/<digest-end-year>/<digest-end-month>/<digest-end-date>/...`", with the
 * organization id before the account for organization trails
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html).
 * The day folder is the day the digest's hour ends.
 */
export const DIGEST_FOLDER = 'CloudTrail-Digest';

/** The tables a digest query reads. */
export interface DigestQueryTarget {
  /** `"<database>"."<table>"` of the events table. */
  readonly eventsTable: string;
  /** `"<database>"."<table>"` of the digest table. */
  readonly digestTable: string;
  /** Whether the tables have an `account` partition (organization trails). */
  readonly organization: boolean;
  /** Whether the account partition is injected, so every query takes the account as a parameter. */
  readonly accountFilter: boolean;
}

/** One saved digest query. */
export interface DigestQuery {
  readonly check: DigestCheck;
  /** The named query's name. */
  readonly title: string;
  /** What a row means. */
  readonly description: string;
  /** The CloudWatch metric the scheduled run publishes for it. */
  readonly metricName: string;
  /** The SQL, with a `?` per parameter of {@link digestQueryParameters}. */
  sql(target: DigestQueryTarget): string;
}

const START_DAY: ForensicQueryParameter = {
  name: 'start_day',
  description: 'first day folder read, yyyy/MM/dd, inclusive',
  example: "'2024/05/01'",
};
const END_DAY: ForensicQueryParameter = {
  name: 'end_day',
  description: 'last day folder read, yyyy/MM/dd, inclusive',
  example: "'2024/05/07'",
};
const ACCOUNT: ForensicQueryParameter = {
  name: 'account',
  description: 'the member account checked (the tables\' account partition is injected)',
  example: "'111122223333'",
};

/** The parameters of every digest query, in the order `EXECUTE ... USING` takes them. */
export function digestQueryParameters(target: DigestQueryTarget): ForensicQueryParameter[] {
  return target.accountFilter ? [START_DAY, END_DAY, ACCOUNT] : [START_DAY, END_DAY];
}

const BACKFILL = "'%backfill.json.gz'";
/** The trail name in a digest file's name (a trail name has no `/`; a region has no `_`). */
const trailOf = (path: string) =>
  `regexp_extract(${path}, '_CloudTrail-Digest_[^_]+_(.+)_[^_]+_[0-9]{8}T[0-9]{6}Z(_backfill)?\\.json\\.gz$', 1)`;
/** The `yyyy/MM/dd` folder of an object of `folder`. */
const dayFolderOf = (key: string, folder: string) =>
  `regexp_extract(${key}, '/${folder}/[^/]+/([0-9]{4}/[0-9]{2}/[0-9]{2})/[^/]+$', 1)`;
/** `yyyyMMddTHHmm` of a log file's delivery, from its name. */
const deliveryOf = (path: string) => `regexp_extract(${path}, '_([0-9]{8}T[0-9]{4})Z_[^_/]+$', 1)`;
/** The same `yyyyMMddTHHmm` form of an ISO 8601 time (2024-05-01T10:00:31Z). */
const compactTime = (iso: string) => `replace(replace(substr(${iso}, 1, 16), '-', ''), ':', '')`;
const seconds = (from: string, to: string) =>
  `date_diff('second', from_iso8601_timestamp(${from}), from_iso8601_timestamp(${to}))`;

function bounds(target: DigestQueryTarget): string {
  const where = [`${DAY_COLUMN} BETWEEN ? AND ?`];
  if (target.accountFilter) where.push(`${ACCOUNT_COLUMN} = ?`);
  return where.join(' AND ');
}

/** The chain partition: account (organization trails) and region. */
function keys(target: DigestQueryTarget): string[] {
  return target.organization ? [ACCOUNT_COLUMN, REGION_COLUMN] : [REGION_COLUMN];
}

const list = (alias: string, columns: string[]) => columns.map(c => `${alias}.${c}`).join(', ');
const joinOn = (left: string, right: string, columns: string[]) =>
  columns.map(c => `${right}.${c} = ${left}.${c}`).join(' AND ');

/**
 * Log files, digests and the log files each digest names, as rows of one relation: kind `log` (object = the
 * log file), `digest` (object = the digest) or `named` (object = a log file the digest names).
 */
function logsAndDigests(target: DigestQueryTarget): string {
  const k = keys(target).join(', ');
  return [
    'WITH files AS (',
    '  SELECT * FROM (',
    `    SELECT 'log' AS kind, ${k}, ${DAY_COLUMN}, "$path" AS object, CAST(NULL AS varchar) AS digest_file,`,
    '      CAST(NULL AS varchar) AS digest_start',
    `    FROM ${target.eventsTable}`,
    '    UNION ALL',
    `    SELECT 'digest' AS kind, ${k}, ${DAY_COLUMN}, "$path" AS object, "$path" AS digest_file, digeststarttime AS digest_start`,
    `    FROM ${target.digestTable}`,
    '    UNION ALL',
    `    SELECT 'named' AS kind, ${k}, ${DAY_COLUMN}, named.object, "$path" AS digest_file, digeststarttime AS digest_start`,
    `    FROM ${target.digestTable}`,
    "    CROSS JOIN UNNEST(transform(logfiles, f -> 's3://' || f.s3bucket || '/' || f.s3object)) AS named (object)",
    '  ) AS f',
    `  WHERE ${bounds(target)}`,
    ')',
  ].join('\n');
}

const UNVOUCHED: DigestQuery = {
  check: DigestCheck.UNVOUCHED_LOG_FILES,
  title: 'Log files no digest vouches for',
  description: 'Log files in the archive that no digest of the days read names: planted, or delivered while log file ' +
    'validation was off. A file delivered after the start of the newest digest of its account and region is not ' +
    'judged yet (its digest, or a backfill digest, may still come): read one more day to judge the last hours.',
  metricName: 'UnvouchedLogFiles',
  sql: target => {
    const k = keys(target);
    return [
      logsAndDigests(target) + ',',
      'newest AS (',
      `  SELECT ${k.join(', ')}, max(digest_start) AS newest_digest_start`,
      `  FROM files WHERE kind = 'digest' AND object NOT LIKE ${BACKFILL}`,
      `  GROUP BY ${k.join(', ')}`,
      ')',
      `SELECT ${list('l', k)}, l.${DAY_COLUMN}, l.object AS log_file`,
      `FROM (SELECT DISTINCT ${k.join(', ')}, ${DAY_COLUMN}, object FROM files WHERE kind = 'log') AS l`,
      'LEFT JOIN (SELECT DISTINCT object FROM files WHERE kind = \'named\') AS v ON v.object = l.object',
      `LEFT JOIN newest AS n ON ${joinOn('l', 'n', k)}`,
      `CROSS JOIN (SELECT max(digest_start) AS newest_digest_start FROM files WHERE kind = 'digest' AND object NOT LIKE ${BACKFILL}) AS g`,
      'WHERE v.object IS NULL',
      // A file of an account and region without digests is judged against the newest digest of any; a file
      // whose name is not CloudTrail's, or with no digest at all in the days read, is always reported.
      `  AND coalesce(${deliveryOf('l.object')} < ${compactTime('coalesce(n.newest_digest_start, g.newest_digest_start)')}, true)`,
      `ORDER BY ${list('l', k)}, l.${DAY_COLUMN}, log_file`,
    ].join('\n');
  },
};

const MISSING: DigestQuery = {
  check: DigestCheck.MISSING_LOG_FILES,
  title: 'Log files a digest names that are missing',
  description: 'Log files a digest of the days read names that are not in the archive, or hold no record any more: ' +
    'deleted, moved or emptied. Files in a day folder before the first day read are not judged.',
  metricName: 'MissingLogFiles',
  sql: target => {
    const k = keys(target);
    return [
      logsAndDigests(target),
      `SELECT ${list('v', k)}, v.${DAY_COLUMN} AS digest_day, v.digest_file, v.object AS log_file`,
      `FROM (SELECT DISTINCT ${k.join(', ')}, ${DAY_COLUMN}, digest_file, object FROM files WHERE kind = 'named') AS v`,
      'LEFT JOIN (SELECT DISTINCT object FROM files WHERE kind = \'log\') AS l ON l.object = v.object',
      'WHERE l.object IS NULL',
      // The first digests of a day name files of the day before, which the events table was not asked to read.
      `  AND coalesce(${dayFolderOf('v.object', 'CloudTrail')} >= (SELECT min(${DAY_COLUMN}) FROM files WHERE kind = 'digest'), true)`,
      `ORDER BY ${list('v', k)}, v.digest_file, log_file`,
    ].join('\n');
  },
};

const CHAIN_BREAKS: DigestQuery = {
  check: DigestCheck.CHAIN_BREAKS,
  title: 'Digests whose previous digest is missing',
  description: 'Digests whose previous digest, which they name, is not in the archive: a digest was deleted or moved. ' +
    'A previous digest in a day folder before the first day read is not looked for.',
  metricName: 'DigestChainBreaks',
  sql: target => {
    const k = keys(target);
    const previous = "'s3://' || d.previousdigests3bucket || '/' || d.previousdigests3object";
    return [
      'WITH digests AS (',
      `  SELECT ${k.join(', ')}, ${DAY_COLUMN}, "$path" AS digest_file, digeststarttime, previousdigests3bucket, previousdigests3object`,
      `  FROM ${target.digestTable}`,
      `  WHERE ${bounds(target)}`,
      ')',
      `SELECT ${list('d', k)}, ${trailOf('d.digest_file')} AS trail, d.${DAY_COLUMN}, d.digeststarttime AS digest_start,`,
      `  d.digest_file, ${previous} AS missing_previous_digest`,
      'FROM digests AS d',
      `LEFT JOIN digests AS p ON p.digest_file = ${previous}`,
      "WHERE coalesce(d.previousdigests3object, '') <> ''",
      '  AND p.digest_file IS NULL',
      `  AND d.digest_file NOT LIKE ${BACKFILL}`,
      `  AND coalesce(${dayFolderOf('d.previousdigests3object', DIGEST_FOLDER)} >= (SELECT min(${DAY_COLUMN}) FROM digests), true)`,
      `ORDER BY ${list('d', k)}, trail, digest_start`,
    ].join('\n');
  },
};

const GAPS: DigestQuery = {
  check: DigestCheck.GAPS,
  title: 'Hours no digest covers',
  description: 'Consecutive digests of one account, region and trail whose first one ends more than an hour before ' +
    'the next one starts: hours without a digest, so without proof of what was delivered. A gap still open at the ' +
    'end of the days read shows once digests resume.',
  metricName: 'DigestGaps',
  sql: target => {
    const k = keys(target);
    const chain = `PARTITION BY ${k.join(', ')}, trail ORDER BY digeststarttime`;
    return [
      'WITH chain AS (',
      `  SELECT ${k.join(', ')}, ${trailOf('"$path"')} AS trail, "$path" AS digest_file, digeststarttime, digestendtime`,
      `  FROM ${target.digestTable}`,
      `  WHERE ${bounds(target)}`,
      `    AND "$path" NOT LIKE ${BACKFILL}`,
      '),',
      'linked AS (',
      '  SELECT *,',
      `    lag(digestendtime) OVER (${chain}) AS previous_end,`,
      `    lag(digest_file) OVER (${chain}) AS previous_digest_file`,
      '  FROM chain',
      ')',
      `SELECT ${k.join(', ')}, trail, previous_digest_file, previous_end AS gap_start, digest_file AS next_digest_file,`,
      '  digeststarttime AS gap_end, date_diff(\'minute\', from_iso8601_timestamp(previous_end), from_iso8601_timestamp(digeststarttime)) AS gap_minutes',
      'FROM linked',
      'WHERE previous_end IS NOT NULL',
      `  AND ${seconds('previous_end', 'digeststarttime')} > 3600`,
      `ORDER BY ${k.join(', ')}, trail, gap_start`,
    ].join('\n');
  },
};

/** The calls that stop, restart, re-create or reconfigure a trail, and so can start a new digest chain. */
const RESTART_EVENTS = ['StopLogging', 'StartLogging', 'UpdateTrail', 'DeleteTrail', 'CreateTrail'];

const CHAIN_RESTARTS: DigestQuery = {
  check: DigestCheck.CHAIN_RESTARTS,
  title: 'Digest chain restarts and their causes',
  description: 'Digests without a previous digest that follow an earlier digest of the same account, region and trail: ' +
    'logging or log file validation was stopped and started again. Each is listed with the successful CloudTrail calls ' +
    'on that trail between the start of the previous digest and the end of the restarting one, read from the events ' +
    'table (an organization trail\'s calls are in the management account); none listed means no call explains it.',
  metricName: 'DigestChainRestarts',
  sql: target => {
    const k = keys(target);
    const chain = `PARTITION BY ${k.join(', ')}, trail ORDER BY start_time`;
    const none = (name: string) => `CAST(NULL AS varchar) AS ${name}`;
    return [
      'WITH files AS (',
      '  SELECT * FROM (',
      `    SELECT 'digest' AS kind, ${k.join(', ')}, ${DAY_COLUMN}, "$path" AS object, digeststarttime AS start_time,`,
      '      digestendtime AS end_time, previousdigests3object AS previous_object, previousdigestsignature AS previous_signature,',
      `      ${['eventname', 'requestparameters', 'principal_arn', 'event_account', 'event_region', 'eventid'].map(none).join(', ')}`,
      `    FROM ${target.digestTable}`,
      `    WHERE "$path" NOT LIKE ${BACKFILL}`,
      '    UNION ALL',
      `    SELECT 'event' AS kind, ${k.join(', ')}, ${DAY_COLUMN}, "$path" AS object, eventtime AS start_time, eventtime AS end_time,`,
      `      ${none('previous_object')}, ${none('previous_signature')}, eventname, requestparameters, useridentity.arn AS principal_arn,`,
      '      recipientaccountid AS event_account, awsregion AS event_region, eventid',
      `    FROM ${target.eventsTable}`,
      "    WHERE eventsource = 'cloudtrail.amazonaws.com'",
      `      AND eventname IN (${RESTART_EVENTS.map(e => `'${e}'`).join(', ')})`,
      '      AND errorcode IS NULL',
      '  ) AS f',
      `  WHERE ${bounds(target)}`,
      '),',
      'chain AS (',
      `  SELECT ${k.join(', ')}, ${trailOf('object')} AS trail, object AS digest_file, start_time, end_time, previous_object,`,
      '    previous_signature',
      "  FROM files WHERE kind = 'digest'",
      '),',
      'linked AS (',
      '  SELECT *,',
      `    lag(digest_file) OVER (${chain}) AS previous_digest_file,`,
      `    lag(start_time) OVER (${chain}) AS previous_start,`,
      `    lag(end_time) OVER (${chain}) AS previous_end`,
      '  FROM chain',
      '),',
      'calls AS (',
      // requestParameters.name is the trail's name or ARN; a trail name has no "/".
      "  SELECT start_time AS eventtime, eventname, regexp_extract(json_extract_scalar(requestparameters, '$.name'), '[^/]+$') AS trail_name,",
      "    json_extract_scalar(requestparameters, '$.enableLogFileValidation') AS enable_log_file_validation,",
      '    principal_arn, event_account, event_region, eventid, object AS log_file',
      "  FROM files WHERE kind = 'event'",
      ')',
      `SELECT ${list('r', k)}, r.trail, r.previous_digest_file, r.previous_end, r.digest_file AS restart_digest_file,`,
      '  r.start_time AS restart_start, c.eventtime, c.eventname,',
      "  CASE WHEN c.eventname = 'StopLogging' THEN 'logging stopped'",
      "    WHEN c.eventname = 'StartLogging' THEN 'logging started'",
      "    WHEN c.eventname IN ('UpdateTrail', 'CreateTrail') AND c.enable_log_file_validation = 'false' THEN 'log file validation turned off'",
      "    WHEN c.eventname = 'UpdateTrail' THEN 'trail updated'",
      "    WHEN c.eventname = 'DeleteTrail' THEN 'trail deleted'",
      "    WHEN c.eventname = 'CreateTrail' THEN 'trail created'",
      '  END AS cause,',
      '  c.enable_log_file_validation, c.principal_arn, c.event_account, c.event_region, c.eventid, c.log_file',
      'FROM linked AS r',
      'LEFT JOIN calls AS c ON c.trail_name = r.trail AND c.eventtime BETWEEN r.previous_start AND r.end_time',
      'WHERE r.previous_digest_file IS NOT NULL',
      "  AND (coalesce(r.previous_object, '') = '' OR coalesce(r.previous_signature, '') = '')",
      `ORDER BY ${list('r', k)}, r.trail, restart_start, c.eventtime`,
    ].join('\n');
  },
};

/** Every digest query, in the order the checks are listed. */
export const DIGEST_QUERIES: DigestQuery[] = [UNVOUCHED, MISSING, CHAIN_BREAKS, GAPS, CHAIN_RESTARTS];

export function digestQuery(check: DigestCheck): DigestQuery {
  const query = DIGEST_QUERIES.find(q => q.check === check);
  if (!query) throw new Error(`no digest query for check ${check}`);
  return query;
}
