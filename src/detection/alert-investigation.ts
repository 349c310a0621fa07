/**
 * The Athena statement an alert carries, so that an investigator can run it in the query editor of the
 * forensic workgroup (`TrailAnalytics`).
 *
 * The alert's `investigate` object holds `workGroup` (when named), `statement` (the `EXECUTE ... USING` line, with
 * a `?` for each value that comes from the event) and `parameters` (those values, in the order of the `?`s, each
 * a whole JSON value). Replace each `?` with the next parameter as an SQL string literal (`'...'`) to run it. The
 * principal ARN is not pasted into the SQL text: role session names are chosen by the caller, and EventBridge
 * pastes a field inside a string of the alert unescaped.
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
   * The alert's statement is `EXECUTE <name> USING ?` with the principal's ARN as its parameter.
   *
   * @default - 'principal_activity', the statement `TrailAnalytics` saves, run over the day before to the day
   * after the event: `EXECUTE principal_activity USING <day before>, <day after>, ?`, the days as Athena
   * expressions over the event time (`date_format(from_iso8601_timestamp(?) - interval '1' day, '%Y/%m/%d')`),
   * with the parameters `[<event time>, <event time>, <principal ARN>]`
   */
  readonly principalStatementName?: string;

  /**
   * For the default statement: whether the table's account partition is injected (an organization table with no
   * `accounts`, see `CloudTrailTable.requiresAccountFilter`), so the statement takes the account after the days
   * (one more `?`, the event's account among the parameters before the principal).
   *
   * @default false
   */
  readonly accountParameter?: boolean;

  /**
   * For a statement of your own (`principalStatementName`): whether it takes the alert's event time (the record's
   * `eventTime`, ISO 8601, such as `2025-03-11T09:14:02Z`) as its second parameter, to read only the partitions
   * around it (`EXECUTE <name> USING ?, ?`, parameters `[<principal ARN>, <event time>]`). EventBridge input
   * transformers insert fields as they are and cannot compute a day from the time, so the statement has to derive
   * it (for example `date(from_iso8601_timestamp(?))`).
   *
   * @default false
   */
  readonly passEventTime?: boolean;
}
