import * as athena from 'aws-cdk-lib/aws-athena';
import { Construct } from 'constructs';
import { ColumnarTrailTable } from './columnar-table';
import { ForensicQuery } from './forensic-query';
import { ForensicQueryTable, ForensicQueryTarget } from './forensic-query-types';
import { TrailAnalytics } from './trail-analytics';
import { fail } from '../private/validation';

/**
 * Properties of {@link ColumnarSavedQueries}.
 */
export interface ColumnarSavedQueriesProps {
  /** The columnar table the queries read. */
  readonly table: ColumnarTrailTable;

  /** The workgroup to save the queries in. */
  readonly analytics: TrailAnalytics;

  /**
   * The queries to save. Queries of the Insights table are refused: the columnar table holds events.
   *
   * @default - every event query of `analytics.queries`
   */
  readonly queries?: ForensicQuery[];

  /**
   * Appended to each query id to name its prepared statement, and to each title for its named query.
   *
   * @default '_columnar'
   */
  readonly suffix?: string;
}

const STATEMENT_SUFFIX = /^_[a-z0-9_]{1,63}$/;

/**
 * The saved forensic queries again, against a {@link ColumnarTrailTable}: for each query a named query and a
 * prepared statement `<id>_columnar` in the `TrailAnalytics` workgroup. The SQL is the query's own, rendered by
 * `ForensicQuery.sql` with the columnar table as target: the columnar table has the raw table's columns and its
 * `day` values, so the same parameters return the same rows for every day the conversion has copied.
 */
export class ColumnarSavedQueries extends Construct {
  /**
   * The target that renders a forensic query against a columnar table (`query.sql(target)`). The account
   * condition follows the source table, so a saved query takes the same parameters, in the same order, on both
   * tiers: an investigation moves from one to the other by changing the statement name only.
   */
  public static targetOf(table: ColumnarTrailTable): ForensicQueryTarget {
    return { qualifiedTableName: table.qualifiedName, accountFilter: table.source.requiresAccountFilter };
  }

  /** The saved queries. */
  public readonly queries: ForensicQuery[];

  /** The named query of each saved query, by query id. */
  public readonly namedQueries: { [queryId: string]: athena.CfnNamedQuery };

  /** The prepared statement of each saved query, by query id. */
  public readonly preparedStatements: { [queryId: string]: athena.CfnPreparedStatement };

  constructor(scope: Construct, id: string, props: ColumnarSavedQueriesProps) {
    super(scope, id);
    const suffix = props.suffix ?? '_columnar';
    if (!STATEMENT_SUFFIX.test(suffix)) {
      fail(this, 'suffix', suffix, 'must be "_" followed by 1-63 lowercase letters, digits or underscores');
    }
    const queries = props.queries ?? props.analytics.queries.filter(q => q.table === ForensicQueryTable.EVENTS);
    for (const query of queries) {
      if (query.table !== ForensicQueryTable.EVENTS) {
        fail(this, 'queries', query.id, 'reads the Insights table; the columnar table holds the trail\'s events only');
      }
    }
    this.queries = [...queries];
    const target = ColumnarSavedQueries.targetOf(props.table);
    this.namedQueries = {};
    this.preparedStatements = {};
    for (const query of this.queries) {
      const sql = query.sql(target);
      const parameters = query.parametersFor(target).map(p => p.name).join(', ');
      const description = `${query.description} Columnar copy; parameters, in order: ${parameters}.`.slice(0, 1024);
      this.namedQueries[query.id] = new athena.CfnNamedQuery(this, `Query-${query.id}`, {
        name: `${query.title} (columnar)`.slice(0, 128),
        description,
        database: props.table.databaseName,
        workGroup: props.analytics.workGroup.ref,
        queryString: sql,
      });
      this.preparedStatements[query.id] = new athena.CfnPreparedStatement(this, `Statement-${query.id}`, {
        statementName: `${query.id}${suffix}`,
        description,
        workGroup: props.analytics.workGroup.ref,
        queryStatement: sql,
      });
    }
  }
}
