import { DataEvents } from './data-events';
import { FieldSelector, SelectorField } from './field-selector';
import { EventReadWrite } from './read-write';
import { DetectionForwardingNames } from '../../detection/forwarding-names';

/**
 * Data event selections for common compliance asks. Each returns a list to spread into the trail's
 * `dataEvents`, alone or with other entries. S3 selections leave out the trail's archive buckets.
 *
 * @example
 * new AccountTrail(this, 'Trail', { identity, archive, dataEvents: DataEventPresets.cisS3ObjectWriteEvents() });
 */
export class DataEventPresets {
  /**
   * Object-level write events for all S3 buckets: CIS AWS Foundations Benchmark v3.0.0 control 3.8
   * ("Ensure that Object-level logging for write events is enabled for S3 bucket"; 3.10 in v1.4 and
   * v2.0). Writes are a small share of S3 traffic, so this is the cheap half of object-level logging.
   */
  public static cisS3ObjectWriteEvents(): DataEvents[] {
    return [DataEvents.s3AllBuckets({ readWrite: EventReadWrite.WRITE_ONLY, name: 'CIS 3.8: S3 object-level write events' })];
  }

  /**
   * Object-level read events for all S3 buckets: CIS AWS Foundations Benchmark v3.0.0 control 3.9
   * (3.11 in v1.4 and v2.0). Reads are most of S3 traffic: expect this to dominate the trail's bill.
   */
  public static cisS3ObjectReadEvents(): DataEvents[] {
    return [DataEvents.s3AllBuckets({ readWrite: EventReadWrite.READ_ONLY, name: 'CIS 3.9: S3 object-level read events' })];
  }

  /** CIS 3.8 and 3.9 together: one selector for read and write object-level events of all S3 buckets. */
  public static cisS3ObjectLogging(): DataEvents[] {
    return [DataEvents.s3AllBuckets({ name: 'CIS 3.8 and 3.9: S3 object-level read and write events' })];
  }

  /** Every Lambda function invocation (`Invoke`) in the accounts the trail records. */
  public static lambdaInvocations(): DataEvents[] {
    return [DataEvents.lambdaFunctions({ name: 'Lambda function invocations' })];
  }

  /**
   * Write data events only, for the data stores whose contents change: objects in S3 general purpose
   * and directory buckets and items in DynamoDB tables. Who changed or deleted data is recorded; who
   * read it is not, which keeps the volume (and the bill) a fraction of full data event logging.
   */
  public static writeDataEventsOnly(): DataEvents[] {
    const readWrite = EventReadWrite.WRITE_ONLY;
    return [
      DataEvents.s3AllBuckets({ readWrite }),
      DataEvents.s3ExpressObjects({ readWrite }),
      DataEvents.dynamoDbTables({ readWrite }),
    ];
  }

  /**
   * Every message call on the forwarding dead-letter queues (`DetectionForwardingNames.DEAD_LETTER_QUEUE_NAME`) of
   * the accounts the trail records: who sent, received, deleted or hid the detection events that could not be
   * forwarded. Those calls are SQS data events; `PIPELINE-FORWARDING-HEALTH-TAMPERING` reads them. The queues are
   * empty unless forwarding fails, so the volume is tiny. Trails add this selection by default
   * (`recordForwardingQueueMessages`).
   */
  public static forwardingDeadLetterQueueMessages(): DataEvents[] {
    return [DataEvents.sqsQueues({
      name: 'Forwarding dead-letter queue messages',
      fieldSelectors: [FieldSelector.endsWith(SelectorField.RESOURCES_ARN, [`:${DetectionForwardingNames.DEAD_LETTER_QUEUE_NAME}`])],
    })];
  }

  private constructor() {}
}
