/**
 * What {@link IntegrityCheck} looks for in a trail's digest files and log files. Each check is a saved query
 * (a named query and a prepared statement of the same name) and an alarm on the scheduled run's result.
 */
export enum DigestCheck {
  /**
   * Log files in the archive that no digest names: planted, or delivered while log file validation was off.
   * Statement `digest_unvouched_log_files`.
   */
  UNVOUCHED_LOG_FILES = 'digest_unvouched_log_files',

  /**
   * Log files a digest names that are not in the archive (or no longer hold a record): deleted or emptied.
   * Statement `digest_missing_log_files`.
   */
  MISSING_LOG_FILES = 'digest_missing_log_files',

  /**
   * Digests whose previous digest, which they name, is not in the archive: a digest was deleted or moved.
   * Statement `digest_chain_breaks`.
   */
  CHAIN_BREAKS = 'digest_chain_breaks',

  /**
   * More than an hour between one digest's end and the next one's start, per account, region and trail:
   * hours no digest covers. Statement `digest_gaps`.
   */
  GAPS = 'digest_gaps',

  /**
   * Digests that start a new chain (no previous digest) after an earlier one, with the CloudTrail calls of
   * the hours around them that explain a restart (StopLogging, StartLogging, UpdateTrail, DeleteTrail,
   * CreateTrail). Statement `digest_chain_restarts`.
   */
  CHAIN_RESTARTS = 'digest_chain_restarts',
}
