import { CIS_DEFINITIONS, DetectionDefinition } from './private/catalog';
import { OTHER_DEFINITIONS } from './private/catalog-extra';
import { detailEventSources, patternLength, validateEventPatternShape } from './private/patterns';
import { EventPatternMatcher } from '../private/event-pattern-matcher';
import { fail, validatePattern } from '../private/validation';

/**
 * How serious a detection's alert is.
 */
export enum DetectionSeverity {
  /** Worth knowing; no action expected. */
  INFORMATIONAL = 'INFORMATIONAL',
  /** Review when convenient. */
  LOW = 'LOW',
  /** Review the same day. */
  MEDIUM = 'MEDIUM',
  /** Review now. */
  HIGH = 'HIGH',
  /** Page someone. */
  CRITICAL = 'CRITICAL',
}

/**
 * What a detection's alerts are about, which decides the fields the alert message shows.
 */
export enum DetectionEventKind {
  /** CloudTrail records of API calls, console sign-ins and service events (who did what, from where). */
  CLOUDTRAIL_RECORD = 'CLOUDTRAIL_RECORD',
  /** CloudTrail Insights events (which API, which kind of unusual activity). */
  INSIGHT = 'INSIGHT',
}

/**
 * Defines a detection of your own.
 */
export interface CustomDetectionProps {
  /**
   * Identifier, shown in brackets at the start of the rule description and in every alert.
   * Must not start with `CIS-` (reserved for the benchmark's controls).
   */
  readonly id: string;

  /**
   * Short title, such as `Production database deleted`.
   */
  readonly title: string;

  /**
   * How serious the alert is.
   */
  readonly severity: DetectionSeverity;

  /**
   * The EventBridge event pattern (the JSON object). Test it with `EventPatternMatcher` and
   * `CloudTrailEventEnvelope.fromRecord` before deploying.
   */
  readonly eventPattern: { [key: string]: any };

  /**
   * What the detection looks for and how to respond.
   *
   * @default - the title
   */
  readonly description?: string;

  /**
   * The CIS AWS Foundations Benchmark control the detection implements, such as `4.3`.
   *
   * @default - none
   */
  readonly cisControl?: string;

  /**
   * A CloudWatch Logs metric-filter pattern with the same meaning, for `CisAlarms`.
   *
   * @default - none: the detection has no metric-filter alarm
   */
  readonly metricFilterPattern?: string;

  /**
   * Whether the rule must also receive read-only management events (Get, List, Describe calls), which
   * EventBridge does not deliver to rules by default. Needed for detections of reads, such as data access
   * by a given principal; it makes the rule see many more events.
   *
   * @default false
   */
  readonly includeReadOnlyEvents?: boolean;

  /**
   * Whether the detection is about a global service (IAM, STS global endpoint, AWS Organizations, console
   * sign-in), whose events EventBridge receives in us-east-1 only. SecurityAlerts warns when such a
   * detection runs on the default event bus of another region.
   *
   * @default - true when the pattern's `source` or `detail.eventSource` names only global services
   */
  readonly globalServiceEvents?: boolean;

  /**
   * What the alerts are about, which decides the fields of the alert message.
   *
   * @default DetectionEventKind.CLOUDTRAIL_RECORD
   */
  readonly eventKind?: DetectionEventKind;
}

const CUSTOM_ID = /^(?!CIS-)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CUSTOM_ID_RULE = 'must be 1-64 letters, digits, ".", "_" or "-", start with a letter or digit, and not ' +
  'start with "CIS-" (reserved for the benchmark\'s controls)';
const GLOBAL_EVENT_SOURCES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'organizations.amazonaws.com',
  'signin.amazonaws.com']);
const GLOBAL_SOURCES = new Set(['aws.iam', 'aws.sts', 'aws.organizations', 'aws.signin']);
const BUILT_IN = new Map<string, Detection>();

/**
 * Something dangerous to alert on: an EventBridge event pattern over the events CloudTrail delivers,
 * with an id, a title, a severity and, for CIS controls, the benchmark's CloudWatch Logs metric-filter pattern.
 *
 * The built-in catalog covers the CIS AWS Foundations Benchmark monitoring controls 4.1-4.15
 * (`Detection.CIS_4_1` ... `Detection.CIS_4_15`), CloudTrail tampering, security services being disabled,
 * S3 public access, and CloudTrail Insights. `Detection.custom` defines your own.
 */
export class Detection {
  /** CIS 4.1: unauthorized API calls. */
  public static readonly CIS_4_1 = Detection.builtIn('CIS-4.1');
  /** CIS 4.2: console sign-in without MFA. */
  public static readonly CIS_4_2 = Detection.builtIn('CIS-4.2');
  /** CIS 4.3: root account usage, any activity of the root user. */
  public static readonly CIS_4_3 = Detection.builtIn('CIS-4.3');
  /** CIS 4.4: IAM policy changes. */
  public static readonly CIS_4_4 = Detection.builtIn('CIS-4.4');
  /** CIS 4.5: CloudTrail configuration changes. */
  public static readonly CIS_4_5 = Detection.builtIn('CIS-4.5');
  /** CIS 4.6: console authentication failures. */
  public static readonly CIS_4_6 = Detection.builtIn('CIS-4.6');
  /** CIS 4.7: KMS keys disabled or scheduled for deletion. */
  public static readonly CIS_4_7 = Detection.builtIn('CIS-4.7');
  /** CIS 4.8: S3 bucket policy changes. */
  public static readonly CIS_4_8 = Detection.builtIn('CIS-4.8');
  /** CIS 4.9: AWS Config configuration changes. */
  public static readonly CIS_4_9 = Detection.builtIn('CIS-4.9');
  /** CIS 4.10: security group changes. */
  public static readonly CIS_4_10 = Detection.builtIn('CIS-4.10');
  /** CIS 4.11: network ACL changes. */
  public static readonly CIS_4_11 = Detection.builtIn('CIS-4.11');
  /** CIS 4.12: network gateway changes. */
  public static readonly CIS_4_12 = Detection.builtIn('CIS-4.12');
  /** CIS 4.13: route table changes. */
  public static readonly CIS_4_13 = Detection.builtIn('CIS-4.13');
  /** CIS 4.14: VPC changes. */
  public static readonly CIS_4_14 = Detection.builtIn('CIS-4.14');
  /** CIS 4.15: AWS Organizations changes. */
  public static readonly CIS_4_15 = Detection.builtIn('CIS-4.15');
  /** Root account activity of any kind; the same detection as `CIS_4_3`. */
  public static readonly ROOT_ACTIVITY = Detection.CIS_4_3;
  /** CloudTrail logging stopped, trails deleted or updated, event or Insights selectors changed. */
  public static readonly CLOUDTRAIL_TAMPERING = Detection.builtIn('CLOUDTRAIL-TAMPERING');
  /** GuardDuty detector deleted, or an account disconnected from GuardDuty's administrator. */
  public static readonly GUARDDUTY_DISABLED = Detection.builtIn('GUARDDUTY-DISABLED');
  /** Security Hub disabled, standards disabled, or an account disconnected from its administrator. */
  public static readonly SECURITY_HUB_DISABLED = Detection.builtIn('SECURITYHUB-DISABLED');
  /** AWS Config recording stopped or deleted. */
  public static readonly CONFIG_RECORDER_STOPPED = Detection.builtIn('CONFIG-RECORDER-STOPPED');
  /** S3 Block Public Access removed or weakened, for a bucket or the account. */
  public static readonly S3_PUBLIC_ACCESS_BLOCK_REMOVED = Detection.builtIn('S3-PUBLIC-ACCESS-BLOCK-REMOVED');
  /** A bucket policy or ACL that makes a bucket public. */
  public static readonly S3_BUCKET_MADE_PUBLIC = Detection.builtIn('S3-BUCKET-MADE-PUBLIC');
  /** CloudTrail Insights events (unusual API call or error rates). */
  public static readonly CLOUDTRAIL_INSIGHT = Detection.builtIn('CLOUDTRAIL-INSIGHT');

  /**
   * The CIS AWS Foundations Benchmark monitoring controls 4.1-4.15, in order.
   */
  public static cis(): Detection[] {
    return CIS_DEFINITIONS.map(def => Detection.builtIn(def.id));
  }

  /**
   * Every built-in detection: the CIS controls, then the others.
   */
  public static all(): Detection[] {
    return [...CIS_DEFINITIONS, ...OTHER_DEFINITIONS].map(def => Detection.builtIn(def.id));
  }

  /**
   * The built-in detection with the given id (`CIS-4.3`, `CLOUDTRAIL-TAMPERING`, ...).
   *
   * @param id a built-in detection id
   */
  public static fromId(id: string): Detection {
    const found = BUILT_IN.get(id);
    if (!found) {
      fail('id', id, `must be the id of a built-in detection: ${[...BUILT_IN.keys()].join(', ')}`);
    }
    return found;
  }

  /**
   * A detection of your own.
   */
  public static custom(props: CustomDetectionProps): Detection {
    validatePattern('id', props.id, CUSTOM_ID, CUSTOM_ID_RULE);
    if (props.title.trim() === '' || props.title.length > 200) {
      fail('title', props.title, 'must be 1-200 characters');
    }
    validateEventPatternShape('eventPattern', props.eventPattern);
    const filter = props.metricFilterPattern;
    if (filter !== undefined && (filter.trim() === '' || filter.length > 1024)) {
      fail('metricFilterPattern', filter, 'must be 1-1024 characters (the CloudWatch Logs limit)');
    }
    const sources = detailEventSources(props.eventPattern) ?? [];
    const envelopeSources: unknown[] = Array.isArray(props.eventPattern.source) ? props.eventPattern.source : [];
    const inferredGlobal = (sources.length > 0 && sources.every(s => GLOBAL_EVENT_SOURCES.has(s)))
      || (envelopeSources.length > 0 && envelopeSources.every(s => typeof s === 'string' && GLOBAL_SOURCES.has(s)));
    return new Detection({
      id: props.id,
      title: props.title,
      severity: props.severity,
      description: props.description ?? props.title,
      cisControl: props.cisControl,
      eventPattern: props.eventPattern,
      metricFilterPattern: props.metricFilterPattern,
      includeReadOnlyEvents: props.includeReadOnlyEvents,
      globalServiceEvents: props.globalServiceEvents ?? inferredGlobal,
      insight: (props.eventKind ?? DetectionEventKind.CLOUDTRAIL_RECORD) === DetectionEventKind.INSIGHT,
    });
  }

  private static builtIn(id: string): Detection {
    let found = BUILT_IN.get(id);
    if (!found) {
      const def = [...CIS_DEFINITIONS, ...OTHER_DEFINITIONS].find(d => d.id === id)!;
      found = new Detection(def);
      BUILT_IN.set(id, found);
    }
    return found;
  }

  /** Identifier, such as `CIS-4.3`; shown in brackets at the start of the rule description and in alerts. */
  public readonly id: string;

  /** Short title. */
  public readonly title: string;

  /** How serious the alert is. */
  public readonly severity: DetectionSeverity;

  /** What the detection looks for, including where its EventBridge pattern approximates a CIS filter. */
  public readonly description: string;

  /**
   * The CIS AWS Foundations Benchmark control the detection implements, such as `4.3`.
   *
   * @default - not a CIS control
   */
  public readonly cisControl?: string;

  /**
   * The CloudWatch Logs metric-filter pattern; for CIS controls, the benchmark's text verbatim.
   *
   * @default - none
   */
  public readonly metricFilterPattern?: string;

  /** Whether the rule must also receive read-only management events. */
  public readonly includeReadOnlyEvents: boolean;

  /** Whether the detection's events are delivered in us-east-1 only (IAM, STS, Organizations, sign-in). */
  public readonly globalServiceEvents: boolean;

  /** What the alerts are about. */
  public readonly eventKind: DetectionEventKind;

  private readonly pattern: { [key: string]: any };

  private constructor(def: DetectionDefinition) {
    this.id = def.id;
    this.title = def.title;
    this.severity = DetectionSeverity[def.severity];
    this.description = def.description;
    this.cisControl = def.cisControl;
    this.metricFilterPattern = def.metricFilterPattern;
    this.includeReadOnlyEvents = def.includeReadOnlyEvents ?? false;
    this.globalServiceEvents = def.globalServiceEvents ?? false;
    this.eventKind = def.insight ? DetectionEventKind.INSIGHT : DetectionEventKind.CLOUDTRAIL_RECORD;
    // A private deep copy: callers can neither change the catalog nor be changed by it.
    this.pattern = JSON.parse(JSON.stringify(def.eventPattern));
  }

  /** The EventBridge event pattern (a fresh copy on every read). */
  public get eventPattern(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.pattern));
  }

  /** The length of the pattern as EventBridge counts it (its compact JSON text). */
  public get eventPatternLength(): number {
    return patternLength(this.pattern);
  }

  /** The rule description: `[<id>] <title>`. */
  public get ruleDescription(): string {
    return `[${this.id}] ${this.title}`;
  }

  /**
   * Whether the detection matches an EventBridge event (see `EventPatternMatcher`).
   *
   * @param candidate the event as EventBridge delivers it
   */
  public matches(candidate: { [key: string]: any }): boolean {
    return EventPatternMatcher.matches(this.pattern, candidate);
  }
}

