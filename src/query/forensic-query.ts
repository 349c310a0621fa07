import * as glue from 'aws-cdk-lib/aws-glue';
import { CloudTrailSchema } from './cloudtrail-schema';
import { CATALOG } from './forensic-catalog';
import {
  ForensicQueryParameter, ForensicQueryProps, ForensicQueryTable, ForensicQueryTarget,
} from './forensic-query-types';
import { ACCOUNT_COLUMN, DAY_COLUMN, REGION_COLUMN } from './log-layout';
import { checkColumns, FragmentProp, FragmentSchema, parseColumnType, SqlFragment } from './private/sql-fragment';
import { BuiltIns } from '../private/built-ins';
import { fail, isUnresolved, validateEnum, validatePattern, validateString } from '../private/validation';

const BUILT_IN = new BuiltIns<ForensicQueryProps, ForensicQuery>(CATALOG);

const ID = /^[a-z][a-z0-9_]{1,63}$/;
const PARAMETER_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_TITLE = 128;
const MAX_DESCRIPTION = 600;
const MAX_PARAMETER_DESCRIPTION = 120;

const START_DAY: ForensicQueryParameter = {
  name: 'start_day',
  description: 'first delivery day searched, yyyy/MM/dd, inclusive',
  example: "'2024/05/01'",
};
const END_DAY: ForensicQueryParameter = {
  name: 'end_day',
  description: 'last delivery day searched, yyyy/MM/dd, inclusive',
  example: "'2024/05/07'",
};
const ACCOUNT: ForensicQueryParameter = {
  name: 'account',
  description: 'the member account searched (the table\'s account partition is injected)',
  example: "'111122223333'",
};
const RESERVED = new Set([START_DAY.name, END_DAY.name, ACCOUNT.name]);

const FRAGMENTS: FragmentProp[] = ['select', 'where', 'groupBy', 'orderBy'];

/**
 * The columns each table's queries may name: its Glue columns and its partition columns. `account` is a
 * partition of organization trails' tables only; a query naming it fails in Athena against an account
 * trail's table, which the query, made before any table, cannot know.
 */
function fragmentSchema(description: string, columns: glue.Column[]): FragmentSchema {
  const map = new Map(columns.map(c => [c.name, parseColumnType(c.type.inputString)]));
  for (const partition of [ACCOUNT_COLUMN, REGION_COLUMN, DAY_COLUMN]) map.set(partition, { kind: 'primitive', name: 'string' });
  return { description, columns: map };
}

const SCHEMAS: { readonly [table in ForensicQueryTable]: FragmentSchema } = {
  [ForensicQueryTable.EVENTS]: fragmentSchema('the events table', CloudTrailSchema.eventColumns()),
  [ForensicQueryTable.INSIGHTS]: fragmentSchema('the Insights table', CloudTrailSchema.insightsColumns()),
};

/**
 * A saved forensic query: rendered as an Athena named query and as a prepared statement by
 * {@link TrailAnalytics}.
 *
 * The built-in catalog covers the questions an investigation starts with; `ForensicQuery.custom`
 * adds your own. Every query is bounded by the `day` partition, so its first two parameters are
 * always the first and last delivery day to search.
 */
export class ForensicQuery {
  /** Who deleted a resource, given its name, id or ARN. */
  public static readonly WHO_DELETED_RESOURCE = ForensicQuery.builtIn('who_deleted_resource');
  /** Everything an IAM user or role (or one session) did. */
  public static readonly PRINCIPAL_ACTIVITY = ForensicQuery.builtIn('principal_activity');
  /** Everything an access key did. */
  public static readonly ACCESS_KEY_ACTIVITY = ForensicQuery.builtIn('access_key_activity');
  /** Activity from a source IP address. */
  public static readonly SOURCE_IP_ACTIVITY = ForensicQuery.builtIn('source_ip_activity');
  /** Root user activity. */
  public static readonly ROOT_ACTIVITY = ForensicQuery.builtIn('root_activity');
  /** Successful console sign-ins without MFA. */
  public static readonly CONSOLE_SIGN_IN_WITHOUT_MFA = ForensicQuery.builtIn('console_sign_in_without_mfa');
  /** Failed console sign-ins. */
  public static readonly FAILED_CONSOLE_SIGN_INS = ForensicQuery.builtIn('failed_console_sign_ins');
  /** Calls refused for missing permissions, counted per principal. */
  public static readonly ACCESS_DENIED_BY_PRINCIPAL = ForensicQuery.builtIn('access_denied_by_principal');
  /** IAM policy changes. */
  public static readonly IAM_POLICY_CHANGES = ForensicQuery.builtIn('iam_policy_changes');
  /** Calls that stop, narrow or delete CloudTrail recording. */
  public static readonly CLOUDTRAIL_TAMPERING = ForensicQuery.builtIn('cloudtrail_tampering');
  /** Security group changes. */
  public static readonly SECURITY_GROUP_CHANGES = ForensicQuery.builtIn('security_group_changes');
  /** KMS keys disabled or scheduled for deletion. */
  public static readonly KMS_KEY_DISABLE_OR_DELETION = ForensicQuery.builtIn('kms_key_disable_or_deletion');
  /** S3 bucket policy, ACL and Block Public Access changes. */
  public static readonly S3_BUCKET_POLICY_AND_PUBLIC_ACCESS_CHANGES =
    ForensicQuery.builtIn('s3_bucket_policy_and_public_access_changes');
  /** The timeline of CloudTrail Insights events (needs an {@link InsightsTable}). */
  public static readonly INSIGHTS_TIMELINE = ForensicQuery.builtIn('insights_timeline');

  /**
   * Every built-in query, in catalog order.
   */
  public static all(): ForensicQuery[] {
    return CATALOG.map(props => ForensicQuery.builtIn(props.id));
  }

  /**
   * A query of your own, checked like the built-in ones when it is made:
   *
   * - `select`, `where`, `groupBy` and `orderBy` are each the body of their clause, read as Athena
   *   (Trino) tokenizes them: no comments, no `;`, quotes closed, parentheses balanced and never closing
   *   one the library opened; no subquery or set operation (`SELECT`, `UNION`, `WITH`, ...), no statement
   *   keyword (`DROP`, `INSERT`, ...), no clause keyword outside parentheses (`FROM`, `LIMIT`, ...).
   *   `where` is rendered inside parentheses after the partition bounds, so `a OR b` stays one condition.
   * - Every column named is a column of the table the query reads (its partition columns included), and
   *   every `.field` a field of its struct; an unknown name fails with the closest ones.
   *   Select aliases may be named in `orderBy` only, as in Trino.
   * - A `?` per parameter, in `where` only.
   */
  public static custom(props: ForensicQueryProps): ForensicQuery {
    return new ForensicQuery(props);
  }

  private static builtIn(id: string): ForensicQuery {
    const found = BUILT_IN.get(id, props => new ForensicQuery(props));
    if (!found) throw new Error(`no built-in forensic query "${id}" in the catalog`);
    return found;
  }

  /** The prepared statement name. */
  public readonly id: string;

  /** The named query's name. */
  public readonly title: string;

  /** What the query finds. */
  public readonly description: string;

  /** The table the query reads. */
  public readonly table: ForensicQueryTable;

  /** The query's own parameters, after the day bounds (and the account, when injected). */
  public readonly parameters: ForensicQueryParameter[];

  private readonly props: ForensicQueryProps;

  private constructor(props: ForensicQueryProps) {
    for (const prop of ['id', 'title', 'description', ...FRAGMENTS] as const) validateString(undefined, prop, props[prop]);
    validatePattern(undefined, 'id', props.id, ID, 'must be 2-64 lowercase letters, digits or underscores, starting with a letter');
    if ((props.title ?? '').trim() === '' || props.title.length > MAX_TITLE) {
      fail(undefined, 'title', props.title, `must be 1-${MAX_TITLE} characters`);
    }
    if ((props.description ?? '').trim() === '' || props.description.length > MAX_DESCRIPTION) {
      fail(undefined, 'description', props.description, `must be 1-${MAX_DESCRIPTION} characters`);
    }
    if ((props.select ?? '').trim() === '') fail(undefined, 'select', props.select, 'must not be empty');
    validateEnum(undefined, 'table', props.table, ForensicQueryTable);
    if (props.parameters !== undefined && !Array.isArray(props.parameters)) {
      fail(undefined, 'parameters', props.parameters, 'must be a list');
    }
    const parameters = props.parameters ?? [];
    validateParameters(parameters);
    const table = props.table ?? ForensicQueryTable.EVENTS;
    checkFragments(props, SCHEMAS[table], parameters.length);
    this.props = props;
    this.id = props.id;
    this.title = props.title;
    this.description = props.description;
    this.table = table;
    this.parameters = [...parameters];
  }

  /**
   * Every parameter of the query against `target`, in the order `EXECUTE ... USING` takes them:
   * start day, end day, the account when the table's account partition is injected, then the
   * query's own.
   */
  public parametersFor(target: ForensicQueryTarget): ForensicQueryParameter[] {
    return [START_DAY, END_DAY, ...(target.accountFilter ? [ACCOUNT] : []), ...this.parameters];
  }

  /**
   * The SQL text against `target`, with a `?` per parameter of {@link parametersFor}. The query's own
   * `where` comes last, in parentheses of its own: whatever it says, it narrows the partition bounds.
   */
  public sql(target: ForensicQueryTarget): string {
    const p = this.props;
    const where = [`${DAY_COLUMN} BETWEEN ? AND ?`];
    if (target.accountFilter) where.push(`${ACCOUNT_COLUMN} = ?`);
    if (p.where !== undefined && p.where.trim() !== '') where.push(`(${p.where})`);
    const lines = [
      `SELECT ${p.select}`,
      `FROM ${target.qualifiedTableName}`,
      `WHERE ${where.join('\n  AND ')}`,
    ];
    if (p.groupBy) lines.push(`GROUP BY ${p.groupBy}`);
    if (p.orderBy) lines.push(`ORDER BY ${p.orderBy}`);
    return lines.join('\n');
  }
}

function validateParameters(parameters: ForensicQueryParameter[]): void {
  const seen = new Set<string>();
  for (const parameter of parameters) {
    validatePattern(undefined, 'parameters[].name', parameter.name, PARAMETER_NAME,
      'must be lowercase letters, digits or underscores, starting with a letter');
    if (RESERVED.has(parameter.name)) {
      fail(undefined, 'parameters[].name', parameter.name, `is reserved: ${[...RESERVED].join(', ')} are added to every query`);
    }
    if (seen.has(parameter.name)) fail(undefined, 'parameters[].name', parameter.name, 'must be unique');
    seen.add(parameter.name);
    if (parameter.description.trim() === '' || parameter.description.length > MAX_PARAMETER_DESCRIPTION) {
      fail(undefined, 'parameters[].description', parameter.description, `must be 1-${MAX_PARAMETER_DESCRIPTION} characters`);
    }
  }
}

/**
 * Scans every fragment (a syntax error is reported before a column of another fragment), then checks the
 * columns each names against the table. A fragment that is a token is skipped, and with a select that is
 * one, the columns are not checked at all: its aliases are unknown.
 */
function checkFragments(props: ForensicQueryProps, schema: FragmentSchema, parameterCount: number): void {
  const fragments = FRAGMENTS
    .filter(prop => props[prop] !== undefined && !isUnresolved(props[prop]))
    .map(prop => SqlFragment.scan(prop, props[prop]!));
  const where = fragments.find(f => f.prop === 'where');
  if (!isUnresolved(props.where)) {
    const placeholders = where?.placeholders ?? 0;
    if (placeholders !== parameterCount) {
      fail(undefined, 'where', props.where ?? '', `has ${placeholders} ? placeholder(s) but ${parameterCount} parameter(s) ` +
        'are declared: declare one parameter per ?, in order');
    }
  }
  const select = fragments.find(f => f.prop === 'select');
  if (!select) return;
  const aliases = [...select.aliases.values()];
  for (const fragment of fragments) checkColumns(fragment, schema, aliases);
}
