/**
 * The EventBridge envelope CloudTrail puts around a log record when it delivers the record to an event bus,
 * so that tests can run detections against records copied from a trail's log files.
 *
 * What the envelope looks like (EventBridge user guide, "AWS service events delivered via AWS CloudTrail"):
 * `detail` is the record itself, `detail-type` follows the record's `eventType`, `source` is `aws.` plus the
 * service part of `eventSource`, and `account`, `region`, `time` come from the record.
 */

const DETAIL_TYPES: { readonly [eventType: string]: string } = {
  AwsApiCall: 'AWS API Call via CloudTrail',
  // The EventBridge user guide spells this one "Signin" in one place and "Sign In" in another;
  // detections in this library match sign-in events on `source` and `detail.eventName` instead.
  AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
  AwsConsoleAction: 'AWS Console Action via CloudTrail',
  AwsCloudTrailInsight: 'AWS Insight via CloudTrail',
};

// Services whose EventBridge source is not derived from their CloudTrail event source by the usual rule.
const SOURCE_EXCEPTIONS: { readonly [eventSource: string]: string } = {
  'monitoring.amazonaws.com': 'aws.cloudwatch',
};

/**
 * Builds the EventBridge event CloudTrail delivers for a CloudTrail log record.
 */
export class CloudTrailEventEnvelope {
  /**
   * The event EventBridge receives for `record` (one element of a log file's `Records` array).
   *
   * `id` is a deterministic stand-in derived from the record's `eventID` (EventBridge assigns its own).
   *
   * @param record a CloudTrail record, as found in a trail's log files or in CloudWatch Logs
   * @throws Error when the record has no `eventType` EventBridge delivers, or lacks the fields the envelope needs
   */
  public static fromRecord(record: { [key: string]: any }): { [key: string]: any } {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new Error('record must be a CloudTrail record object');
    }
    const detailType = CloudTrailEventEnvelope.detailTypeOf(record);
    const account = record.recipientAccountId ?? record.userIdentity?.accountId;
    for (const [field, value] of [['eventTime', record.eventTime], ['awsRegion', record.awsRegion],
      ['eventID', record.eventID], ['recipientAccountId', account]] as const) {
      if (typeof value !== 'string' || value === '') {
        throw new Error(`record ${field} ${JSON.stringify(value)} must be a non-empty string`);
      }
    }
    return {
      'version': '0',
      'id': record.eventID,
      'detail-type': detailType,
      'source': CloudTrailEventEnvelope.sourceOf(record),
      'account': account,
      'time': record.eventTime,
      'region': record.awsRegion,
      'resources': [],
      'detail': JSON.parse(JSON.stringify(record)),
    };
  }

  /**
   * The `detail-type` EventBridge uses for a record, from its `eventType`.
   *
   * @param record a CloudTrail record
   */
  public static detailTypeOf(record: { [key: string]: any }): string {
    const detailType = DETAIL_TYPES[record?.eventType];
    if (!detailType) {
      throw new Error(`record eventType ${JSON.stringify(record?.eventType)} must be one of ` +
        `${Object.keys(DETAIL_TYPES).join(', ')}`);
    }
    return detailType;
  }

  /**
   * The `source` EventBridge uses for a record: `aws.<service>` for `<service>.amazonaws.com`, and
   * `aws.cloudtrail` for Insights events (which have no `eventSource`).
   *
   * @param record a CloudTrail record
   */
  public static sourceOf(record: { [key: string]: any }): string {
    if (record?.eventType === 'AwsCloudTrailInsight') return 'aws.cloudtrail';
    const eventSource = record?.eventSource;
    if (typeof eventSource !== 'string' || !eventSource.endsWith('.amazonaws.com')) {
      throw new Error(`record eventSource ${JSON.stringify(eventSource)} must end with ".amazonaws.com"`);
    }
    return SOURCE_EXCEPTIONS[eventSource] ?? `aws.${eventSource.slice(0, -'.amazonaws.com'.length)}`;
  }

  private constructor() {}
}
