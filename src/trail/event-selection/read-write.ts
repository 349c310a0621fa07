/**
 * Which events of a category to record, by CloudTrail's `readOnly` field.
 */
export enum EventReadWrite {
  /** Read and write events (no `readOnly` condition). */
  ALL = 'All',
  /** Only read events (`readOnly` = `true`). */
  READ_ONLY = 'ReadOnly',
  /** Only write events (`readOnly` = `false`). */
  WRITE_ONLY = 'WriteOnly',
}
