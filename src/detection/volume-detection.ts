import { DetectionSeverity, DetectionTactic } from './detection-types';
import { fail, validateInteger, validatePattern } from '../private/validation';

/** One Contributor Insights filter: a log field and the values it must (or must not) have. */
interface InsightFilter {
  readonly Match: string;
  readonly In?: string[];
  readonly NotIn?: string[];
  readonly StartsWith?: string[];
  readonly IsPresent?: boolean;
}

interface VolumeDefinition {
  readonly id: string;
  readonly title: string;
  readonly severity: DetectionSeverity;
  readonly tactic: DetectionTactic;
  readonly techniques: string[];
  readonly description: string;
  readonly filters: InsightFilter[];
  readonly threshold: number;
  readonly dataEventsNeeded?: boolean;
}

/** Contributor Insights accepts at most 4 filters and 10 values per filter. */
const MAX_FILTERS = 4;
const MAX_VALUES = 10;
const PRINCIPAL = '$.userIdentity.arn';
const ARN = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:[\w+=,.@/-]+$/;

/**
 * Activity where one event is normal and many are not: how many matching CloudTrail records one principal
 * (`userIdentity.arn`) produces in a period, counted by a CloudWatch Contributor Insights rule on the trail's log
 * group and alarmed on when the top contributor passes the threshold.
 *
 * Contributor Insights rather than metric filters with dimensions: a dimension per principal makes one custom
 * metric per principal, CloudWatch Logs disables a metric filter whose dimensions take too many distinct values,
 * and an alarm on "any principal above N" would need a Metrics Insights query over every series. A Contributor
 * Insights rule ranks contributors of any cardinality and publishes the top one as `MaxContributorValue`, which
 * one alarm watches. No Lambda function is involved.
 */
export class VolumeDetection {
  /** Many secrets read by one principal: `GetSecretValue` and `BatchGetSecretValue`. */
  public static readonly SECRETS_RETRIEVAL_BURST = new VolumeDetection({
    id: 'SECRETS-RETRIEVAL-BURST',
    title: 'Secrets read in bulk by one principal',
    severity: DetectionSeverity.HIGH,
    tactic: DetectionTactic.CREDENTIAL_ACCESS,
    techniques: ['T1555.006'],
    description: 'More Secrets Manager `GetSecretValue` or `BatchGetSecretValue` calls by one principal in the period ' +
      'than the threshold. Applications read their few secrets and cache them; harvesting walks the whole vault.',
    filters: [
      { Match: '$.eventSource', In: ['secretsmanager.amazonaws.com'] },
      { Match: '$.eventName', In: ['GetSecretValue', 'BatchGetSecretValue'] },
    ],
    threshold: 30,
  });

  /**
   * Many Systems Manager parameters read with decryption by one principal. Contributor Insights filters compare
   * strings, so the filter is that the request says whether to decrypt (`withDecryption` present), which SDKs
   * and the CLI send only when the caller sets it.
   */
  public static readonly SSM_DECRYPTED_READ_BURST = new VolumeDetection({
    id: 'SSM-DECRYPTED-READ-BURST',
    title: 'Parameters read with decryption in bulk by one principal',
    severity: DetectionSeverity.MEDIUM,
    tactic: DetectionTactic.CREDENTIAL_ACCESS,
    techniques: ['T1552'],
    description: 'More Systems Manager `GetParameter`, `GetParameters` or `GetParametersByPath` calls that set ' +
      '`withDecryption`, by one principal in the period, than the threshold.',
    filters: [
      { Match: '$.eventSource', In: ['ssm.amazonaws.com'] },
      { Match: '$.eventName', In: ['GetParameter', 'GetParameters', 'GetParametersByPath'] },
      { Match: '$.requestParameters.withDecryption', IsPresent: true },
    ],
    threshold: 30,
  });

  /** Many denied List, Describe and Get calls by one principal: enumeration with credentials of unknown reach. */
  public static readonly DENIED_ENUMERATION_BURST = new VolumeDetection({
    id: 'DENIED-ENUMERATION-BURST',
    title: 'Burst of denied list and describe calls by one principal',
    severity: DetectionSeverity.MEDIUM,
    tactic: DetectionTactic.DISCOVERY,
    techniques: ['T1580', 'T1526', 'T1087.004'],
    description: 'More `List*`, `Describe*` or `Get*` calls denied to one principal in the period than the threshold: ' +
      'the pattern of enumeration tools trying every API with stolen credentials.',
    filters: [
      { Match: '$.errorCode', In: ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation'] },
      { Match: '$.eventName', StartsWith: ['List', 'Describe', 'Get'] },
    ],
    threshold: 20,
  });

  /** Many objects deleted by one principal (needs S3 data events for the buckets). */
  public static readonly S3_MASS_DELETE = new VolumeDetection({
    id: 'S3-MASS-DELETE',
    title: 'Objects deleted in bulk by one principal',
    severity: DetectionSeverity.HIGH,
    tactic: DetectionTactic.IMPACT,
    techniques: ['T1485'],
    description: 'More S3 `DeleteObject` or `DeleteObjects` data events by one principal in the period than the ' +
      'threshold. Invisible unless the trail logs S3 data events for the buckets.',
    filters: [
      { Match: '$.eventSource', In: ['s3.amazonaws.com'] },
      { Match: '$.eventName', In: ['DeleteObject', 'DeleteObjects'] },
    ],
    threshold: 100,
    dataEventsNeeded: true,
  });

  /** The built-in volume detections that need only management events. */
  public static managementEventDetections(): VolumeDetection[] {
    return [VolumeDetection.SECRETS_RETRIEVAL_BURST, VolumeDetection.SSM_DECRYPTED_READ_BURST,
      VolumeDetection.DENIED_ENUMERATION_BURST];
  }

  /** Every built-in volume detection. */
  public static all(): VolumeDetection[] {
    return [...VolumeDetection.managementEventDetections(), VolumeDetection.S3_MASS_DELETE];
  }

  /** Identifier, such as `SECRETS-RETRIEVAL-BURST`. */
  public readonly id: string;
  /** Short title. */
  public readonly title: string;
  /** How serious the alarm is. */
  public readonly severity: DetectionSeverity;
  /** The MITRE ATT&CK tactic. */
  public readonly tactic: DetectionTactic;
  /** MITRE ATT&CK technique ids. */
  public readonly techniques: string[];
  /** What is counted and why. */
  public readonly description: string;
  /** Matching records of one principal in one period above which the alarm fires. */
  public readonly threshold: number;
  /** Whether the detection needs data events logged by the trail. */
  public readonly dataEventsNeeded: boolean;
  /** Principal ARNs left out of the count (empty when none). */
  public readonly excludedPrincipalArns: string[];

  private readonly filters: InsightFilter[];

  private constructor(def: VolumeDefinition, excluded: string[] = []) {
    this.id = def.id;
    this.title = def.title;
    this.severity = def.severity;
    this.tactic = def.tactic;
    this.techniques = [...def.techniques];
    this.description = def.description;
    this.threshold = def.threshold;
    this.dataEventsNeeded = def.dataEventsNeeded ?? false;
    this.filters = def.filters.map(f => ({ ...f }));
    this.excludedPrincipalArns = [...excluded];
  }

  /**
   * The same detection with another threshold.
   *
   * @param threshold matching records of one principal in one period above which the alarm fires (1-1000000)
   */
  public withThreshold(threshold: number): VolumeDetection {
    validateInteger(undefined, 'threshold', threshold, 1, 1_000_000);
    return new VolumeDetection({ ...this.definition(), threshold }, this.excludedPrincipalArns);
  }

  /**
   * The same detection without the records of trusted principals (exact ARNs of IAM users, roles or
   * assumed-role sessions: Contributor Insights filters have no wildcards). At most 10 in all.
   *
   * @param principalArns the ARNs (`userIdentity.arn`) to leave out
   */
  public withExcludedPrincipals(principalArns: string[]): VolumeDetection {
    const all = [...new Set([...this.excludedPrincipalArns, ...principalArns])];
    for (const arn of principalArns) {
      validatePattern(undefined, 'principalArns', arn, ARN, 'must be the exact ARN of an IAM user or role or of an assumed-role ' +
        'session, with a 12-digit account id (Contributor Insights filters take no wildcards)');
    }
    if (all.length === 0) fail(undefined, 'principalArns', '[]', 'must name at least one principal');
    if (all.length > MAX_VALUES) fail(undefined, 'principalArns', String(all.length), `must be at most ${MAX_VALUES} in all (a Contributor Insights filter limit)`);
    if (this.filters.length >= MAX_FILTERS && this.excludedPrincipalArns.length === 0) {
      fail(undefined, 'principalArns', this.id, `cannot be added: the rule already has ${MAX_FILTERS} filters`);
    }
    return new VolumeDetection(this.definition(), all);
  }

  /**
   * The Contributor Insights rule body for a log group: CloudTrail records (JSON) counted per principal.
   *
   * @param logGroupName the name of the trail's log group
   */
  public ruleBody(logGroupName: string): { [key: string]: any } {
    const filters: InsightFilter[] = [...this.filters];
    if (this.excludedPrincipalArns.length > 0) filters.push({ Match: PRINCIPAL, NotIn: [...this.excludedPrincipalArns] });
    return {
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: [logGroupName],
      LogFormat: 'JSON',
      Contribution: { Keys: [PRINCIPAL], Filters: filters },
      AggregateOn: 'Count',
    };
  }

  private definition(): VolumeDefinition {
    return {
      id: this.id,
      title: this.title,
      severity: this.severity,
      tactic: this.tactic,
      techniques: this.techniques,
      description: this.description,
      filters: this.filters,
      threshold: this.threshold,
      dataEventsNeeded: this.dataEventsNeeded,
    };
  }
}
