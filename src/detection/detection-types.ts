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
 * Which detections are on unless chosen otherwise.
 */
export enum DetectionTier {
  /** High confidence, few false positives: on in `SecurityAlerts` unless switched off. */
  DEFAULT = 'DEFAULT',
  /** Noisier, for threat hunting and tuned deployments: opt-in. */
  HUNTING = 'HUNTING',
}

/**
 * The MITRE ATT&CK tactic a detection is mainly about.
 */
export enum DetectionTactic {
  /** TA0001: getting in. */
  INITIAL_ACCESS = 'INITIAL_ACCESS',
  /** TA0002: running code. */
  EXECUTION = 'EXECUTION',
  /** TA0003: keeping access. */
  PERSISTENCE = 'PERSISTENCE',
  /** TA0004: gaining higher permissions. */
  PRIVILEGE_ESCALATION = 'PRIVILEGE_ESCALATION',
  /** TA0005: avoiding being detected. */
  DEFENSE_EVASION = 'DEFENSE_EVASION',
  /** TA0006: stealing credentials and secrets. */
  CREDENTIAL_ACCESS = 'CREDENTIAL_ACCESS',
  /** TA0007: finding out about the environment. */
  DISCOVERY = 'DISCOVERY',
  /** TA0008: moving to other systems. */
  LATERAL_MOVEMENT = 'LATERAL_MOVEMENT',
  /** TA0009: gathering data. */
  COLLECTION = 'COLLECTION',
  /** TA0010: taking data out. */
  EXFILTRATION = 'EXFILTRATION',
  /** TA0040: destroying, encrypting or hijacking. */
  IMPACT = 'IMPACT',
}

/**
 * Trusted principals a detection leaves out. Only identity fields that AWS fills in from the caller's
 * credentials can be excluded: fields the caller chooses (user agent, source IP, VPC endpoint) would let anyone
 * who knows the exclusion pass unseen.
 */
export interface DetectionExclusions {
  /**
   * ARNs of IAM users or roles, of the root user, or of assumed-role sessions (`userIdentity.arn`). `*` matches
   * any characters in the last segment (`arn:aws:iam::111122223333:user/ci-*`); in a session ARN the role
   * name must be literal (`arn:aws:sts::111122223333:assumed-role/Deployer/*`), because anyone who may assume
   * some role chooses its session name. The account id is always literal.
   *
   * @default - none
   */
  readonly principalArns?: string[];

  /**
   * ARNs of the roles behind assumed-role sessions (`userIdentity.sessionContext.sessionIssuer.arn`), which
   * exclude every session of those roles. `*` is allowed in the role name only.
   *
   * @default - none
   */
  readonly sessionIssuerArns?: string[];

  /**
   * Account ids of the calling principals (`userIdentity.accountId`), such as a sandbox account's.
   *
   * @default - none
   */
  readonly principalAccounts?: string[];
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
   *
   * It must pin `source` to AWS sources (`["aws.iam"]`, or `[{"prefix": "aws."}]` across services):
   * EventBridge refuses `aws.` sources in PutEvents from customers, so such a pattern cannot be fired by a
   * forged event. See `allowForgeableSource`.
   */
  readonly eventPattern: { [key: string]: any };

  /**
   * Accept a pattern that does not pin an AWS `source` (events of your own applications, for example). Anyone
   * allowed to put events on the bus can then trigger the alert; `SecurityAlerts` warns
   * (`cdk-cloudtrail-governance:detection:forgeableDetectionSource`).
   *
   * @default false
   */
  readonly allowForgeableSource?: boolean;

  /**
   * The tier: `DEFAULT` detections are on when a list is built with `Detection.defaultTier()`.
   *
   * @default DetectionTier.HUNTING
   */
  readonly tier?: DetectionTier;

  /**
   * The MITRE ATT&CK tactic the detection is about.
   *
   * @default - none
   */
  readonly tactic?: DetectionTactic;

  /**
   * MITRE ATT&CK technique ids, such as `T1562.008`.
   *
   * @default - none
   */
  readonly techniques?: string[];

  /**
   * Why the activity is worth an alert.
   *
   * @default - the description
   */
  readonly rationale?: string;

  /**
   * Legitimate activity that fires the detection too.
   *
   * @default - none documented
   */
  readonly falsePositives?: string;

  /**
   * Whether the detection needs data events (S3 object-level, Lambda invocations) logged by the trail.
   *
   * @default false
   */
  readonly dataEventsNeeded?: boolean;

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
