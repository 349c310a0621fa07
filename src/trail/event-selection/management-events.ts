import { SelectorField, SelectorOperator } from './field-selector';
import { Condition, MANAGEMENT, SelectorDraft } from './model';
import { EventReadWrite } from './read-write';

/**
 * A high-volume management event source that CloudTrail lets a trail leave out.
 */
export enum ManagementEventSource {
  /**
   * The read-only events of AWS KMS (`kms.amazonaws.com`): `Encrypt`, `Decrypt`, `GenerateDataKey`, `ReEncrypt*`,
   * `Sign`, `Verify`, `DescribeKey`, `List*`, `Get*`. Its write events (`DisableKey`, `ScheduleKeyDeletion`,
   * `PutKeyPolicy`, `CreateGrant`, alias changes, ...) are still recorded.
   */
  KMS = 'kms.amazonaws.com',
  /** The Amazon RDS Data API (`rdsdata.amazonaws.com`). */
  RDS_DATA_API = 'rdsdata.amazonaws.com',
}

/**
 * Options for the management events a trail records.
 */
export interface ManagementEventsOptions {
  /**
   * High-volume event sources to leave out. Excluding AWS KMS drops only its read-only events (the
   * cryptographic calls of encrypted workloads: `Encrypt`, `Decrypt`, `GenerateDataKey`, ...), and with them
   * the record of who decrypted what: keep it if you investigate key use. KMS write events (`DisableKey`,
   * `ScheduleKeyDeletion`, `PutKeyPolicy`, ...) stay recorded, through a second selector for write events.
   * Excluding the RDS Data API drops all of its events.
   *
   * @default - no source is excluded
   */
  readonly excludedSources?: ManagementEventSource[];
}

/**
 * Which management events (control-plane API calls such as `CreateBucket` or `AttachRolePolicy`) a
 * trail records.
 *
 * The first copy of management events in each region is delivered free of charge; a trail that
 * records no management events cannot use Insights on management events.
 */
export class ManagementEvents {
  /** Read and write management events. This is what CloudTrail records by default. */
  public static all(options: ManagementEventsOptions = {}): ManagementEvents {
    return new ManagementEvents(EventReadWrite.ALL, options.excludedSources ?? []);
  }

  /** Only read-only management events (`Describe*`, `List*`, `Get*`). */
  public static readOnly(options: ManagementEventsOptions = {}): ManagementEvents {
    return new ManagementEvents(EventReadWrite.READ_ONLY, options.excludedSources ?? []);
  }

  /** Only write management events (calls that create, change or delete). */
  public static writeOnly(options: ManagementEventsOptions = {}): ManagementEvents {
    return new ManagementEvents(EventReadWrite.WRITE_ONLY, options.excludedSources ?? []);
  }

  /**
   * No management events: the trail records only the data and network activity events it is given.
   * Not valid on its own (the trail would record nothing).
   */
  public static none(): ManagementEvents {
    return new ManagementEvents(undefined, []);
  }

  /**
   * Which management events are recorded.
   *
   * @default - none are recorded
   */
  public readonly readWrite?: EventReadWrite;

  /** The event sources left out. */
  public readonly excludedSources: ManagementEventSource[];

  private constructor(readWrite: EventReadWrite | undefined, excludedSources: ManagementEventSource[]) {
    this.readWrite = readWrite;
    this.excludedSources = excludedSources;
  }

  /** Whether any management events are recorded. */
  public get recordsEvents(): boolean {
    return this.readWrite !== undefined;
  }

  /** Whether write management events are recorded (needed by API call rate Insights). */
  public get recordsWriteEvents(): boolean {
    return this.readWrite === EventReadWrite.ALL || this.readWrite === EventReadWrite.WRITE_ONLY;
  }

  /**
   * The selectors for these events (none for `none()`).
   *
   * Excluding AWS KMS drops only its read-only events (`Encrypt`, `Decrypt`, `GenerateDataKey`, ...), the
   * volume the option exists for. KMS write events (`DisableKey`, `ScheduleKeyDeletion`, `PutKeyPolicy`, ...)
   * are what CIS 4.7, the key-tampering detections and the KMS forensic query look for, and CloudTrail's
   * `eventSource` condition cannot be limited to reads, so a second selector records every write event.
   * The first selector keeps no `readOnly` condition, so that compliance checks that look for one selector
   * recording read and write management events still find it.
   *
   * @internal
   */
  public _drafts(path: string): SelectorDraft[] {
    if (!this.readWrite) return [];
    const keepsKmsWrites = this.excludedSources.includes(ManagementEventSource.KMS)
      && this.readWrite !== EventReadWrite.READ_ONLY;
    if (this.readWrite === EventReadWrite.WRITE_ONLY) {
      // Every write event, KMS's included: only the other excluded sources are left out.
      return [this.draft(path, EventReadWrite.WRITE_ONLY, this.excludedSources.filter(s => s !== ManagementEventSource.KMS))];
    }
    const drafts = [this.draft(path, this.readWrite, this.excludedSources)];
    if (keepsKmsWrites) {
      drafts.push(this.draft(path, EventReadWrite.WRITE_ONLY,
        this.excludedSources.filter(s => s !== ManagementEventSource.KMS), 'Write management events of AWS KMS'));
    }
    return drafts;
  }

  /** Whether KMS key administration events (`DisableKey`, `ScheduleKeyDeletion`, ...) are recorded. */
  public get recordsKmsWriteEvents(): boolean {
    return this.recordsWriteEvents;
  }

  /** Whether KMS cryptographic (read-only) events such as `Decrypt` are recorded. */
  public get recordsKmsReadEvents(): boolean {
    return (this.readWrite === EventReadWrite.ALL || this.readWrite === EventReadWrite.READ_ONLY)
      && !this.excludedSources.includes(ManagementEventSource.KMS);
  }

  private draft(path: string, readWrite: EventReadWrite, excluded: ManagementEventSource[], name?: string): SelectorDraft {
    const conditions: Condition[] = [
      { field: SelectorField.EVENT_CATEGORY, operator: SelectorOperator.EQUALS, values: [MANAGEMENT], path, fixed: true },
    ];
    if (readWrite !== EventReadWrite.ALL) {
      conditions.push({
        field: SelectorField.READ_ONLY,
        operator: SelectorOperator.EQUALS,
        values: [readWrite === EventReadWrite.READ_ONLY ? 'true' : 'false'],
        path,
        fixed: true,
      });
    }
    if (excluded.length > 0) {
      // Checked like a user condition: the list comes straight from the user's options.
      conditions.push({
        field: SelectorField.EVENT_SOURCE,
        operator: SelectorOperator.NOT_EQUALS,
        values: excluded,
        path: `${path}.excludedSources`,
        valuesPath: `${path}.excludedSources`,
      });
    }
    return { path, category: MANAGEMENT, name: name ?? this.name(), conditions };
  }

  private name(): string {
    const kind = this.readWrite === EventReadWrite.READ_ONLY ? 'Read-only management events'
      : this.readWrite === EventReadWrite.WRITE_ONLY ? 'Write-only management events'
        : 'All management events';
    if (this.excludedSources.length === 0) return kind;
    const described = this.excludedSources.map(s => s === ManagementEventSource.KMS && this.readWrite !== EventReadWrite.WRITE_ONLY
      ? `read-only ${s}` : s);
    return `${kind} except ${described.join(', ')}`;
  }
}
