import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { allowAlarmsToPublish } from '../private/alert-topic';
import { globalServiceRegionOf } from '../private/global-region';
import { claimName } from '../private/name-registry';
import { validateCustomerManagedKey } from '../private/secure';
import {
  fail, isUnresolved, show, validateNonEmpty, validatePattern, validateRegion, validateString, validateUnique, ValidationError,
} from '../private/validation';

/**
 * Properties of RegionActivityAlarm.
 */
export interface RegionActivityAlarmProps {
  /**
   * The log group the trail delivers to. For an organization trail it is in the management account and holds every
   * member account's records, in every region the trail records, which no member can switch off.
   */
  readonly logGroup: logs.ILogGroup;

  /**
   * The regions your accounts may use. Pass the same list as `OrganizationGuardrails.allowedRegions` (the region-deny
   * policy) and the tables' `allowedRegions`. A record of any other region raises the alarm: a call the policy denied,
   * a call of the management account (which no service control policy binds), a service-linked role's call. The events
   * of the global services (IAM, STS, CloudFront, Route 53, Organizations, console sign-in) are recorded in us-east-1
   * (in `aws`) wherever the caller works: when that region is not listed, the pattern lets those services' events
   * through there, and everything else in it raises the alarm.
   *
   * The pattern names each region, and CloudWatch Logs allows 1,024 characters in a filter pattern: about 28 regions fit
   * with us-east-1 among them, about 19 without (the global services' term takes the room of nine); more are refused.
   */
  readonly allowedRegions: string[];

  /**
   * The topic the alarm notifies, such as `CisAlarms.topic`. Its policy (and its key's, when it is encrypted) gets
   * statements that let CloudWatch alarms of this account publish, when the topic belongs to this app. A topic
   * encrypted with an AWS managed key (`alias/aws/sns`) is refused: its policy cannot admit CloudWatch.
   */
  readonly topic: sns.ITopic;

  /**
   * The alarm's name: 1-255 printable ASCII characters. Alarm names are unique per account and region.
   *
   * @default - CloudFormation generates the name
   */
  readonly alarmName?: string;
}

/** CloudWatch Logs' limit for a filter pattern (PutMetricFilter, `filterPattern`: maximum length 1,024). */
const MAX_FILTER_PATTERN = 1024;

/**
 * The services CloudTrail records in the partition's global-service region whichever region the caller works in:
 * "For global services such as AWS Identity and Access Management (IAM), AWS STS, Amazon CloudFront, and Route 53,
 * events are delivered to any trail that includes global services, and are logged as occurring in US East
 * (N. Virginia) Region" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html); the
 * Organizations endpoint and the global sign-in endpoint are there too.
 */
const GLOBAL_EVENT_SOURCES = [
  'iam.amazonaws.com', 'sts.amazonaws.com', 'cloudfront.amazonaws.com', 'route53.amazonaws.com',
  'organizations.amazonaws.com', 'signin.amazonaws.com',
];

/**
 * An alarm on activity outside the allowed regions: a metric filter on the trail's log group that matches every
 * record whose `awsRegion` (the region the request was made to) is none of `allowedRegions`, and an alarm that fires
 * when it matches once in 5 minutes (missing data is not breaching) and notifies the topic. AWS service events
 * (`eventType` `AwsServiceEvent`) do not count: no principal of the organization made them.
 *
 * It is the detective side of `OrganizationGuardrails.allowedRegions`: the region-deny policy stops member accounts'
 * principals, and this alarm reports what it stopped and what it cannot stop (the management account, the exempt
 * roles, service-linked roles). Deploy it in the management account, on the organization trail's log group.
 *
 * ```ts
 * import * as logs from 'aws-cdk-lib/aws-logs';
 * import * as sns from 'aws-cdk-lib/aws-sns';
 * import { RegionActivityAlarm } from 'cdk-cloudtrail-governance';
 *
 * declare const trailLogGroup: logs.ILogGroup;
 * declare const alarmTopic: sns.ITopic;
 *
 * new RegionActivityAlarm(this, 'RegionActivity', {
 *   logGroup: trailLogGroup,
 *   allowedRegions: ['eu-west-1', 'eu-central-1', 'us-east-1'],
 *   topic: alarmTopic,
 * });
 * ```
 */
export class RegionActivityAlarm extends Construct {
  /** The namespace of the metric. */
  public static readonly METRIC_NAMESPACE = 'CloudTrailGovernance';

  /** The name of the metric: the count of records outside the allowed regions. */
  public static readonly METRIC_NAME = 'ActivityOutsideAllowedRegions';

  /** The metric filter's pattern. */
  public readonly filterPattern: string;

  /** The allowed regions. */
  public readonly allowedRegions: string[];

  /** The metric filter on the trail's log group. */
  public readonly metricFilter: logs.MetricFilter;

  /** The alarm. */
  public readonly alarm: cloudwatch.Alarm;

  /** The topic the alarm notifies. */
  public readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: RegionActivityAlarmProps) {
    super(scope, id);
    const regions = props.allowedRegions;
    if (isUnresolved(regions) || !Array.isArray(regions)) {
      throw new ValidationError(this, 'allowedRegions must be a list written out at synth time, not a list token (its elements may ' +
        'be tokens): the metric filter pattern names each region');
    }
    validateNonEmpty(this, 'allowedRegions', regions);
    regions.forEach((r, i) => {
      validateString(this, `allowedRegions[${i}]`, r);
      validateRegion(this, `allowedRegions[${i}]`, r);
    });
    validateUnique(this, 'allowedRegions', regions, r => r);
    this.checkPartition(regions);
    if (props.alarmName !== undefined) {
      validatePattern(this, 'alarmName', props.alarmName, /^[^\s][\x20-\x7e]{0,254}$/,
        'must be 1-255 printable ASCII characters, not starting with a space');
    }
    if (!props.topic || typeof props.topic.topicArn !== 'string') fail(this, 'topic', props.topic, 'must be an SNS topic (sns.ITopic)');
    validateCustomerManagedKey(this, 'topic.masterKey', props.topic.masterKey, 'CloudWatch, whose alarm notifies the topic,');

    this.allowedRegions = [...regions];
    this.filterPattern = regionActivityPattern(regions);
    if (!regions.some(r => isUnresolved(r)) && this.filterPattern.length > MAX_FILTER_PATTERN) {
      throw new ValidationError(this, `allowedRegions lists ${regions.length} regions, a metric filter pattern of ` +
        `${this.filterPattern.length} characters; CloudWatch Logs allows at most ${MAX_FILTER_PATTERN} characters in a filter ` +
        'pattern (PutMetricFilter filterPattern, not adjustable): list only the regions your accounts use');
    }
    this.topic = props.topic;
    this.metricFilter = new logs.MetricFilter(this, 'Filter', {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.literal(this.filterPattern),
      metricNamespace: RegionActivityAlarm.METRIC_NAMESPACE,
      metricName: RegionActivityAlarm.METRIC_NAME,
      metricValue: '1',
    });
    if (props.alarmName !== undefined) {
      claimName(this, 'CloudWatch alarm', props.alarmName, 'alarmName', `the region activity alarm ${this.node.path}`,
        'Give each alarm its own alarmName.');
    }
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription: `Activity outside the allowed regions (${regions.join(', ')}) in the trail's log group: search it ` +
        `with the filter pattern of ${this.node.path} to see who called what, where`,
      metric: this.metric(),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));
    if (!allowAlarmsToPublish(this, this.topic, 'AllowRegionActivityAlarm')) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:alarmTopicPolicy',
        'the alarm topic is imported: make sure its policy (and its key\'s, if encrypted) lets ' +
        'cloudwatch.amazonaws.com publish for the alarms of this account');
    }
  }

  /**
   * The count of records outside the allowed regions (Sum over 5 minutes, as the alarm reads it).
   *
   * @param props options of the metric
   */
  public metric(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricFilter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props });
  }

  /** The trail records one partition, the stack's: a region of another one can never appear in its log group. */
  private checkPartition(regions: string[]): void {
    const stackRegion = Stack.of(this).region;
    const home = isUnresolved(stackRegion) ? undefined : RegionInfo.get(stackRegion).partition;
    const unknown: string[] = [];
    regions.forEach((region, i) => {
      if (isUnresolved(region)) return;
      const partition = RegionInfo.get(region).partition;
      if (partition === undefined) {
        unknown.push(show(region));
      } else if (home !== undefined && partition !== home) {
        fail(this, `allowedRegions[${i}]`, region, `is in the ${partition} partition, but the log group's stack is in ${home} ` +
          `(${stackRegion}): a trail records only the regions of its own partition`);
      }
    });
    if (unknown.length > 0) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:detection:unknownRegion',
        `allowedRegions ${unknown.join(', ')} are not known to this aws-cdk-lib version; check the spelling (a misspelled ` +
        'region leaves the real one raising the alarm)');
    }
  }
}

/**
 * `{ ($.awsRegion != "<r1>") && ... && ($.eventType != "AwsServiceEvent") }`. When the global-service region is not
 * allowed, its term lets the global services' events through there: `(($.awsRegion != "us-east-1") ||
 * (($.eventSource != "iam.amazonaws.com") && ...))`.
 */
function regionActivityPattern(allowedRegions: readonly string[]): string {
  const terms = allowedRegions.map(r => `($.awsRegion != "${r}")`);
  const known = allowedRegions.find(r => !isUnresolved(r));
  const global = known === undefined ? undefined : globalServiceRegionOf(known);
  if (global !== undefined && !allowedRegions.includes(global)) {
    const sources = GLOBAL_EVENT_SOURCES.map(s => `($.eventSource != "${s}")`).join(' && ');
    terms.push(`(($.awsRegion != "${global}") || (${sources}))`);
  }
  terms.push('($.eventType != "AwsServiceEvent")');
  return `{ ${terms.join(' && ')} }`;
}
