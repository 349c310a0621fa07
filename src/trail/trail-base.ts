import { Annotations, Duration, RemovalPolicy, Resource, Stack, Token, TokenComparison, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { DataEvents } from './event-selection/data-events';
import { InsightType } from './event-selection/insights';
import { ManagementEvents } from './event-selection/management-events';
import { NetworkActivityEvents } from './event-selection/network-activity';
import { DataEventPresets } from './event-selection/presets';
import { renderEventSelection } from './event-selection/render';
import { ImportedTrail, trailIncomingLogEvents } from './imported-trail';
import { ITrail, TrailAttributes } from './trail-ref';
import { ITrailArchive } from '../archive/archive-base';
import { TrailArchive } from '../archive/trail-archive';
import { TrailIdentity } from '../identity/trail-identity';
import { claimName } from '../private/name-registry';
import { rotatingKey } from '../private/secure';
import { ValidationError } from '../private/validation';

/**
 * Delivery of the trail's events to CloudWatch Logs (needed for metric-filter alarms).
 */
export interface TrailCloudWatchLogsOptions {
  /**
   * Name of the log group.
   *
   * @default `/aws/cloudtrail/<trailName>`
   */
  readonly logGroupName?: string;

  /**
   * How long events are kept in the log group.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;

  /**
   * What happens to the log group and its key when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Options shared by organization and account trails.
 */
export interface TrailOptions {
  /** The archive the trail writes to (same stack, or imported with `TrailArchive.fromAttributes`). */
  readonly archive: ITrailArchive;

  /**
   * Record events in every region (true) or only in the home region (false).
   *
   * @default true
   */
  readonly multiRegion?: boolean;

  /**
   * Record events of global services (IAM, STS global endpoint, CloudFront). A multi-region trail must
   * include them; a single-region trail only receives them in us-east-1.
   *
   * @default true
   */
  readonly includeGlobalServiceEvents?: boolean;

  /**
   * Write digest files that prove log files were not changed or deleted.
   *
   * @default true
   */
  readonly logFileValidation?: boolean;

  /**
   * Also deliver events to a KMS-encrypted CloudWatch Logs group.
   *
   * @default - no CloudWatch Logs delivery
   */
  readonly cloudWatchLogs?: TrailCloudWatchLogsOptions;

  /**
   * SNS topic notified of every log file delivery. A topic created in the same stack gets a policy
   * statement that lets only this trail publish.
   *
   * @default - no notification
   */
  readonly deliveryTopic?: sns.ITopic;

  /**
   * Which management events to record.
   *
   * @default ManagementEvents.all()
   */
  readonly managementEvents?: ManagementEvents;

  /**
   * Which data events to record.
   *
   * @default - none
   */
  readonly dataEvents?: DataEvents[];

  /**
   * Which network activity events (VPC endpoint API calls) to record.
   *
   * @default - none
   */
  readonly networkActivityEvents?: NetworkActivityEvents[];

  /**
   * CloudTrail Insights types to enable.
   *
   * @default - none
   */
  readonly insights?: InsightType[];

  /**
   * Also record the message calls on the forwarding dead-letter queues of every account the trail records
   * (`DataEventPresets.forwardingDeadLetterQueueMessages()`): draining that queue message by message is otherwise
   * invisible, because SQS message calls are data events.
   *
   * @default true
   */
  readonly recordForwardingQueueMessages?: boolean;

  /**
   * Exclude the archive's log bucket and access-log bucket from S3 data events. Logging them is a
   * feedback loop: every delivered log file is an S3 data event that is logged in the next file.
   *
   * @default true
   */
  readonly excludeArchiveFromDataEvents?: boolean;

  /**
   * What happens to the trail when it leaves the stack (the stack is deleted, or the construct removed).
   * Retained by default: deleting a stack must not stop the recording of the organization's activity, and
   * CloudTrail records the `DeleteTrail` call itself only until the trail is gone.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The parts of a trail shared by {@link OrganizationTrail} and {@link AccountTrail}: the `CfnTrail`,
 * its optional CloudWatch Logs delivery, and the checks against the TrailIdentity.
 */
export abstract class TrailBase extends Resource implements ITrail {
  /**
   * A trail built elsewhere (another stack, another app, the console), for constructs that take an `ITrail`
   * and for its metrics. Nothing is checked against the deployed trail: the identity must be the one it was
   * built from.
   */
  public static fromTrailAttributes(scope: Construct, id: string, attrs: TrailAttributes): ITrail {
    return new ImportedTrail(scope, id, attrs);
  }

  /** The trail resource. */
  public readonly trail: cloudtrail.CfnTrail;

  /** The identity the trail was built from. */
  public readonly identity: TrailIdentity;

  /** The trail's ARN (from the identity; equal to the resource's `Arn` attribute). */
  public readonly trailArn: string;

  /** The trail's name (from the identity). */
  public readonly trailName: string;

  /**
   * The CloudWatch Logs group the trail delivers to.
   *
   * @default - no CloudWatch Logs delivery
   */
  public readonly logGroup?: logs.ILogGroup;

  /**
   * The key that encrypts the CloudWatch Logs group.
   *
   * @default - no CloudWatch Logs delivery
   */
  public readonly logGroupKey?: kms.IKey;

  /**
   * Whether the trail records KMS key administration events (`DisableKey`, `ScheduleKeyDeletion`,
   * `PutKeyPolicy`, ...), which CIS 4.7, the key-tampering detections and the KMS forensic query need. False only
   * when the trail records no write management events.
   */
  public readonly recordsKmsWriteEvents: boolean;

  protected constructor(scope: Construct, id: string, identity: TrailIdentity, options: TrailOptions) {
    // The identity fixes the name; without physicalName a cross-environment reference would be refused
    // instead of resolving to that literal name.
    super(scope, id, { physicalName: identity.trailName });
    this.identity = identity;
    this.trailArn = identity.trailArn;
    this.trailName = identity.trailName;
    const stack = Stack.of(this);
    checkSameEnvironment(this, stack, identity);
    claimName(this, 'CloudTrail trail', identity.trailName, 'identity.trailName', `trail ${identity.trailName}`,
      'Give each trail its own trailName.');

    const multiRegion = options.multiRegion ?? true;
    const includeGlobalServiceEvents = options.includeGlobalServiceEvents ?? true;
    if (multiRegion && !includeGlobalServiceEvents) {
      throw new ValidationError(this, 'includeGlobalServiceEvents false cannot be combined with multiRegion true: ' +
        'CloudTrail requires a multi-region trail to record global service events');
    }
    if (!multiRegion && includeGlobalServiceEvents && !Token.isUnresolved(identity.homeRegion)
      && identity.homeRegion !== 'us-east-1') {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:trail:globalEventsOutsideUsEast1',
        `A single-region trail in ${identity.homeRegion} records no global service events (IAM, STS, ` +
        'CloudFront): CloudTrail delivers them only in us-east-1. Use a multi-region trail to record them.');
    }
    if (options.logFileValidation === false) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:trail:logFileValidationOff',
        'logFileValidation is false: nobody can prove later that log files were not altered or deleted.');
    }

    checkArchiveWiring(this, stack, identity, options.archive);

    this.recordsKmsWriteEvents = (options.managementEvents ?? ManagementEvents.all()).recordsKmsWriteEvents;
    const selection = renderEventSelection(this, {
      managementEvents: options.managementEvents,
      dataEvents: withForwardingQueue(options),
      networkActivityEvents: options.networkActivityEvents,
      insights: options.insights,
      partition: identity.partition,
      excludedBucketArns: options.excludeArchiveFromDataEvents === false ? [] : archiveBucketArns(this, options.archive, identity.partition),
      archiveExclusionDisabled: options.excludeArchiveFromDataEvents === false,
    });

    let cloudWatchLogsRoleArn: string | undefined;
    let cloudWatchLogsLogGroupArn: string | undefined;
    const deliveryDependencies: Construct[] = [];
    if (options.cloudWatchLogs) {
      const delivery = this.createLogsDelivery(options.cloudWatchLogs);
      this.logGroup = delivery.logGroup;
      this.logGroupKey = delivery.key;
      deliveryDependencies.push(delivery.role, delivery.policy);
      cloudWatchLogsRoleArn = delivery.role.roleArn;
      cloudWatchLogsLogGroupArn = delivery.logGroup.logGroupArn;
    }

    if (options.deliveryTopic) {
      // aws:SourceArn = the trail, as the CloudTrail user guide's topic policy has it
      // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html).
      const topicPolicy = options.deliveryTopic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudTrailDeliveryNotification',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [options.deliveryTopic.topicArn],
        conditions: identity.sourceArnCondition(),
      }));
      if (!topicPolicy.statementAdded) {
        Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:trail:deliveryTopicPolicyNotAdded',
          `deliveryTopic ${options.deliveryTopic.node.path} is imported, so no policy statement can be added to it: ` +
          'its topic policy must let cloudtrail.amazonaws.com sns:Publish (conditioned on aws:SourceArn ' +
          `${identity.trailArn}), or CloudTrail refuses to create the trail.`);
      }
    }

    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: identity.trailName,
      s3BucketName: options.archive.bucket.bucketName,
      s3KeyPrefix: identity.s3KeyPrefix,
      kmsKeyId: options.archive.key.keyArn,
      isLogging: true,
      isMultiRegionTrail: multiRegion,
      includeGlobalServiceEvents,
      isOrganizationTrail: identity.isOrganizationTrail ? true : undefined,
      enableLogFileValidation: options.logFileValidation ?? true,
      cloudWatchLogsLogGroupArn,
      cloudWatchLogsRoleArn,
      snsTopicName: options.deliveryTopic?.topicArn,
      advancedEventSelectors: selection.advancedEventSelectors,
      insightSelectors: selection.insightSelectors,
    });

    const removalPolicy = options.removalPolicy ?? RemovalPolicy.RETAIN;
    this.trail.applyRemovalPolicy(removalPolicy);
    if (removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:trail:trailNotRetained',
        `removalPolicy is ${removalPolicy}: deleting the stack (or removing the trail from it) deletes the trail ` +
        'and stops recording, with nothing left to record who did it');
    }

    // CloudTrail checks the bucket policy and the key policy when it creates the trail.
    if (Stack.of(options.archive) === stack) this.trail.node.addDependency(options.archive);
    // CloudTrail checks that it can assume the delivery role and write to the group when it creates the trail.
    deliveryDependencies.forEach((d) => this.trail.node.addDependency(d));
  }

  /**
   * The number of events the trail's log group receives (`AWS/Logs` `IncomingLogEvents`, Sum, dimension
   * `LogGroupName`). Throws when the trail has no `cloudWatchLogs` delivery.
   *
   * @param props options of the metric; the default period is 5 minutes
   */
  public metricIncomingLogEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return trailIncomingLogEvents(this, props);
  }

  private createLogsDelivery(options: TrailCloudWatchLogsOptions) {
    const removalPolicy = options.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:trail:logGroupNotRetained',
        `cloudWatchLogs.removalPolicy is ${removalPolicy}: deleting the stack deletes the log group (and the key ` +
        'that decrypts it) with the events the detections read.');
    }
    const logGroupName = options.logGroupName ?? `/aws/cloudtrail/${this.identity.trailName}`;
    claimName(this, 'CloudWatch Logs log group', logGroupName, 'cloudWatchLogs.logGroupName',
      `the log group of trail ${this.identity.trailName}`, 'Set a distinct cloudWatchLogs.logGroupName.');
    // The key policy names the log group by ARN, so the name is fixed up front (no cycle with the group).
    const { partition, homeRegion, ownerAccount: account } = this.identity;
    const logGroupArn = `arn:${partition}:logs:${homeRegion}:${account}:log-group:${logGroupName}`;

    const key = rotatingKey(this, 'LogGroupKey', {
      description: `Encrypts the CloudWatch Logs group of trail ${this.identity.trailName}`,
      removalPolicy,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryption',
      principals: [new iam.ServicePrincipal(`logs.${homeRegion}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
    }));

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: key,
      retention: options.retention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    // The key policy must exist before CloudWatch Logs validates the key.
    logGroup.node.addDependency(key);

    // No aws:SourceArn/aws:SourceAccount in the trust policy: "The role policy doesn't support the use of
    // aws:SourceArn and aws:SourceAccount" (CloudTrail user guide, Role policy document for CloudTrail to use
    // CloudWatch Logs for monitoring,
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
    // What the role can do is scoped instead: the streams of this one log group.
    const role = new iam.Role(this, 'LogsDeliveryRole', {
      description: `Lets trail ${this.identity.trailName} deliver events to ${logGroupName}`,
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
      maxSessionDuration: Duration.hours(1),
    });
    // A customer managed policy rather than an inline one: audit tooling (NIST/HIPAA/PCI packs) flags
    // inline policies because they cannot be reviewed or reused on their own.
    const policy = new iam.ManagedPolicy(this, 'LogsDeliveryPolicy', {
      description: `Lets trail ${this.identity.trailName} write to ${logGroupName} only`,
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroupArn}:log-stream:*`],
      })],
    });
    // cdk-nag names a finding after the resource it flags; an ARN with tokens (an environment-agnostic stack, a
    // parameter) cannot be spelled at synth time, and the policy's only statement is this one anyway.
    Validations.of(policy).acknowledge({
      id: Token.isUnresolved(logGroupArn) ? 'AwsSolutions-IAM5' : `AwsSolutions-IAM5[Resource::${logGroupArn}:log-stream:*]`,
      reason: 'CloudTrail creates and names the log streams itself (per account and region); the wildcard covers ' +
        'only the streams of this one log group.',
    });
    return { key, logGroup, role, policy };
  }
}

/**
 * The trail's data events, with the forwarding dead-letter queues' message calls unless switched off. Added only
 * where the trail records something else too, so a trail that would record nothing is still refused as such.
 */
function withForwardingQueue(options: TrailOptions): DataEvents[] | undefined {
  const records = (options.managementEvents ?? ManagementEvents.all()).recordsEvents
    || (options.dataEvents ?? []).length > 0 || (options.networkActivityEvents ?? []).length > 0;
  if (!(options.recordForwardingQueueMessages ?? true) || !records || !Array.isArray(options.dataEvents ?? [])) return options.dataEvents;
  return [...(options.dataEvents ?? []), ...DataEventPresets.forwardingDeadLetterQueueMessages()];
}

/**
 * The archive's bucket ARNs, literal (in the trail's partition) where the bucket names are known, so the
 * exclusion reads as the bucket it names.
 */
function archiveBucketArns(scope: IConstruct, archive: ITrailArchive, partition: string): string[] {
  const buckets: Array<[string, s3.IBucket]> = [['archive.bucket', archive.bucket]];
  if (archive.accessLogsBucket) buckets.push(['archive.accessLogsBucket', archive.accessLogsBucket]);
  return buckets.map(([label, b]) => {
    if (Token.isUnresolved(b.bucketName)) return b.bucketArn;
    try {
      s3.Bucket.validateBucketName(b.bucketName);
    } catch (e) {
      throw new ValidationError(scope, `${label} name "${b.bucketName}" must be a valid S3 bucket name: ${(e as Error).message}`);
    }
    return `arn:${partition}:s3:::${b.bucketName}`;
  });
}

/**
 * CloudTrail checks at create time that the bucket policy lets this trail write, so an archive that
 * does not list the trail fails the deployment; a TrailArchive of another environment cannot be referenced
 * directly (its bucket name is a token of another stack).
 */
function checkArchiveWiring(trail: Construct, stack: Stack, identity: TrailIdentity, archive: ITrailArchive) {
  if (archive instanceof TrailArchive) {
    const archiveStack = Stack.of(archive);
    const differs = (a: string, b: string) => Token.compareStrings(a, b) === TokenComparison.DIFFERENT;
    if (archiveStack !== stack && (differs(archiveStack.account, stack.account) || differs(archiveStack.region, stack.region))) {
      throw new ValidationError(trail, `archive ${archive.node.path} is in another environment (${archiveStack.account}/${archiveStack.region}) ` +
        `than the trail (${stack.account}/${stack.region}): import it in the trail's stack with ` +
        'TrailArchive.fromAttributes({ bucketName, keyArn, writers }), with the bucket name set on the archive');
    }
  }
  const writers = archive.writers;
  if (writers === undefined || Token.isUnresolved(identity.trailArn)) return;
  if (writers.some((w) => Token.isUnresolved(w.trailArn))) return;
  if (!writers.some((w) => w.trailArn === identity.trailArn)) {
    throw new ValidationError(trail, `archive ${archive.node.path} does not list the trail (${identity.trailArn}) among ` +
      `its writers (${writers.map((w) => w.trailArn).join(', ') || 'none'}): CloudTrail refuses to create a trail whose ` +
      'bucket policy does not let it write; add its TrailIdentity to the archive\'s writers');
  }
}

/** A trail's ARN is fixed by its identity, so the stack must be deployed exactly there. */
function checkSameEnvironment(trail: IConstruct, stack: Stack, identity: TrailIdentity) {
  if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(identity.ownerAccount)
    && stack.account !== identity.ownerAccount) {
    throw new ValidationError(trail, `The stack's account ${stack.account} differs from the TrailIdentity's account ` +
      `${identity.ownerAccount}: deploy the trail in the account its identity names`);
  }
  if (!Token.isUnresolved(stack.region) && !Token.isUnresolved(identity.homeRegion)
    && stack.region !== identity.homeRegion) {
    throw new ValidationError(trail, `The stack's region ${stack.region} differs from the TrailIdentity's homeRegion ` +
      `${identity.homeRegion}: deploy the trail in its home region`);
  }
}
