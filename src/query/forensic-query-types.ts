/**
 * The table a forensic query reads.
 */
export enum ForensicQueryTable {
  /** The trail's event records ({@link CloudTrailTable}). */
  EVENTS = 'EVENTS',
  /** The trail's Insights records ({@link InsightsTable}). */
  INSIGHTS = 'INSIGHTS',
}

/**
 * One positional input of a forensic query: a `?` in the SQL, supplied at run time with
 * `EXECUTE <statement> USING ...` or `--execution-parameters`.
 */
export interface ForensicQueryParameter {
  /** A snake_case name, used in descriptions and documentation. */
  readonly name: string;

  /** What the value is and how it is matched. */
  readonly description: string;

  /**
   * An example value written as Athena expects it: a SQL literal, so strings are single-quoted
   * (`'203.0.113.10'`).
   */
  readonly example: string;
}

/**
 * A forensic query over a trail's tables. Every query is bounded by the `day` partition: its first
 * two parameters are the first and last delivery day (`'yyyy/MM/dd'`), then the account when the
 * table's account partition is injected, then the query's own parameters.
 */
export interface ForensicQueryProps {
  /**
   * The prepared statement name: lowercase letters, digits and underscores, starting with a letter,
   * 2-64 characters. Unique within a `TrailAnalytics`.
   */
  readonly id: string;

  /** The saved (named) query's name, at most 128 characters. */
  readonly title: string;

  /** What the query finds, at most 600 characters. */
  readonly description: string;

  /**
   * The table the query reads.
   *
   * @default ForensicQueryTable.EVENTS
   */
  readonly table?: ForensicQueryTable;

  /**
   * The select list, without `SELECT`: expressions over the table's columns, each optionally named
   * (`useridentity.arn AS principal_arn`). Must not contain `?` (Athena accepts parameters only in WHERE).
   *
   * Like `where`, `groupBy` and `orderBy`, it is checked when the query is made: it is refused if it holds a
   * comment, a `;`, an unclosed quote, parentheses that do not balance, a subquery or set operation
   * (`SELECT`, `TABLE`, `VALUES`, `WITH`, `UNION`, `INTERSECT`, `EXCEPT`, `JOIN`, `LATERAL`), a statement
   * keyword (`DROP`, `INSERT`, `DELETE`, `CREATE`, `ALTER`, ...), a clause keyword outside parentheses
   * (`FROM`, `WHERE`, `GROUP`, `HAVING`, `ORDER`, `LIMIT`, `OFFSET`, `FETCH`, `WINDOW`), or a name that is not
   * a column of the table (or a field of its struct).
   */
  readonly select: string;

  /**
   * The query's own condition, without `WHERE`. It is rendered in parentheses of its own and AND-ed to the
   * partition bounds, so `a OR b` narrows them like any other condition. Each `?` outside quotes is one
   * parameter, in the order of `parameters`. Checked like `select`.
   *
   * @default - no condition beyond the partition bounds
   */
  readonly where?: string;

  /**
   * The parameters of `where`, one per `?`, in order.
   *
   * @default - none
   */
  readonly parameters?: ForensicQueryParameter[];

  /**
   * The GROUP BY list, without `GROUP BY`: column expressions or positions in the select list (`1`); Athena
   * does not resolve select aliases here. Checked like `select`.
   *
   * @default - no grouping
   */
  readonly groupBy?: string;

  /**
   * The ORDER BY list, without `ORDER BY`: column expressions, select aliases or positions, each optionally
   * `ASC`/`DESC` and `NULLS FIRST`/`NULLS LAST`. Checked like `select`.
   *
   * @default - unordered
   */
  readonly orderBy?: string;
}

/**
 * The table a forensic query is rendered against.
 */
export interface ForensicQueryTarget {
  /** The table as SQL names it: `"<database>"."<table>"`. */
  readonly qualifiedTableName: string;

  /** Whether the table needs an `account = ?` condition (an injected account partition). */
  readonly accountFilter: boolean;
}
