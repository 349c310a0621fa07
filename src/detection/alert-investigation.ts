import { Token } from 'aws-cdk-lib';
import { validatePattern } from '../private/validation';

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
   * The prepared statement that lists everything a principal did; it takes the principal's ARN (an IAM user or
   * role ARN, or one assumed-role session's ARN) as its first parameter.
   *
   * @default 'principal_activity' (the statement `TrailAnalytics` saves for the forensic query of that id)
   */
  readonly principalStatementName?: string;

  /**
   * Whether the statement takes the alert's event time (ISO 8601, such as `2025-03-11T09:14:02Z`) as its
   * second parameter, to read only the partitions around it. EventBridge input transformers paste fields as they
   * are and cannot compute a day from the time, so the statement has to derive it (for example
   * `date(from_iso8601_timestamp(?))`).
   *
   * @default false
   */
  readonly passEventTime?: boolean;
}

const ATHENA_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const STATEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

/** Validates the names the alert text will contain; tokens are accepted (and pasted as resolved). */
export function validateInvestigation(investigation: AlertInvestigation | undefined): void {
  if (!investigation) return;
  const { workGroupName, principalStatementName } = investigation;
  if (workGroupName !== undefined && !Token.isUnresolved(workGroupName)) {
    validatePattern('investigation.workGroupName', workGroupName, ATHENA_NAME,
      'must be 1-128 letters, digits, ".", "_" or "-" (an Athena workgroup name)');
  }
  if (principalStatementName !== undefined && !Token.isUnresolved(principalStatementName)) {
    validatePattern('investigation.principalStatementName', principalStatementName, STATEMENT_NAME,
      'must be an Athena prepared statement name: letters, digits and "_", not starting with a digit');
  }
}
