/**
 * The Athena statement an alert carries, so that an investigator can paste it into the query editor of the
 * forensic workgroup (`TrailAnalytics`).
 */
export interface AlertInvestigation {
  /**
   * The Athena workgroup that holds the prepared statement, named in the alert.
   *
   * @default - not named: the alert says only which statement to run
   */
  readonly workGroupName?: string;

  /**
   * A prepared statement of your own that lists everything a principal did; it takes the principal's ARN (an
   * IAM user or role ARN, or one assumed-role session's ARN) as its first parameter.
   *
   * @default - 'principal_activity', the statement `TrailAnalytics` saves, run over the day before to the day
   * after the event: `EXECUTE principal_activity USING <day before>, <day after>, '<principal ARN>'`, the days
   * as Athena expressions over the event time
   */
  readonly principalStatementName?: string;

  /**
   * For the default statement: whether the table's account partition is injected (an organization table with no
   * `accounts`, see `CloudTrailTable.requiresAccountFilter`), so the statement takes the account after the days.
   *
   * @default false
   */
  readonly accountParameter?: boolean;

  /**
   * For a statement of your own (`principalStatementName`): whether it takes the alert's event time (ISO 8601, such as `2025-03-11T09:14:02Z`) as its
   * second parameter, to read only the partitions around it. EventBridge input transformers paste fields as they
   * are and cannot compute a day from the time, so the statement has to derive it (for example
   * `date(from_iso8601_timestamp(?))`).
   *
   * @default false
   */
  readonly passEventTime?: boolean;
}
