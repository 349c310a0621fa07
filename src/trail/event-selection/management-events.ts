import { SelectorField, SelectorOperator } from './field-selector';
import { Condition, MANAGEMENT, SelectorDraft } from './model';
import { EventReadWrite } from './read-write';

/**
 * A high-volume management event source that CloudTrail lets a trail leave out.
 */
export enum ManagementEventSource {
  /** AWS KMS (`kms.amazonaws.com`): `Encrypt`, `Decrypt`, `GenerateDataKey` and the like. */
  KMS = 'kms.amazonaws.com',
  /** The Amazon RDS Data API (`rdsdata.amazonaws.com`). */
  RDS_DATA_API = 'rdsdata.amazonaws.com',
}

/**
 * Options for the management events a trail records.
 */
export interface ManagementEventsOptions {
  /**
   * High-volume event sources to leave out. Excluding AWS KMS removes most of the read-only noise of
   * encrypted workloads, but also the record of who decrypted what: keep it if you investigate key use.
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
   * The selector for these events, or undefined for `none()`.
   *
   * @internal
   */
  public _draft(path: string): SelectorDraft | undefined {
    if (!this.readWrite) return undefined;
    const conditions: Condition[] = [
      { field: SelectorField.EVENT_CATEGORY, operator: SelectorOperator.EQUALS, values: [MANAGEMENT], path, fixed: true },
    ];
    if (this.readWrite !== EventReadWrite.ALL) {
      conditions.push({
        field: SelectorField.READ_ONLY,
        operator: SelectorOperator.EQUALS,
        values: [this.readWrite === EventReadWrite.READ_ONLY ? 'true' : 'false'],
        path,
        fixed: true,
      });
    }
    if (this.excludedSources.length > 0) {
      // Checked like a user condition: the list comes straight from the user's options.
      conditions.push({
        field: SelectorField.EVENT_SOURCE,
        operator: SelectorOperator.NOT_EQUALS,
        values: this.excludedSources,
        path: `${path}.excludedSources`,
        valuesPath: `${path}.excludedSources`,
      });
    }
    return { path, category: MANAGEMENT, name: this.name(), conditions };
  }

  private name(): string {
    const kind = this.readWrite === EventReadWrite.READ_ONLY ? 'Read-only management events'
      : this.readWrite === EventReadWrite.WRITE_ONLY ? 'Write-only management events'
        : 'All management events';
    return this.excludedSources.length > 0 ? `${kind} except ${this.excludedSources.join(', ')}` : kind;
  }
}
