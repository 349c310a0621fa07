import { IResource, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TrailIdentity } from '../identity/trail-identity';
import { incomingLogEventsMetric } from '../private/log-metrics';
import { fail } from '../private/validation';

/**
 * A CloudTrail trail: one built by {@link OrganizationTrail} or {@link AccountTrail}, or one imported with
 * `TrailBase.fromTrailAttributes`.
 */
export interface ITrail extends IResource {
  /**
   * The trail's ARN.
   *
   * @attribute
   */
  readonly trailArn: string;

  /**
   * The trail's name.
   *
   * @attribute
   */
  readonly trailName: string;

  /** The identity the trail's ARN, log path and policies derive from. */
  readonly identity: TrailIdentity;

  /**
   * The CloudWatch Logs group the trail delivers to.
   *
   * @default - no CloudWatch Logs delivery (or none known)
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The number of events the trail's log group receives (`AWS/Logs` `IncomingLogEvents`, Sum, dimension
   * `LogGroupName`). A drop to zero means the trail stopped delivering, its delivery role was changed or the
   * log group's key was disabled. Throws when the trail has no known log group.
   *
   * @param props options of the metric; the default period is 5 minutes
   */
  metricIncomingLogEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * What `TrailBase.fromTrailAttributes` needs to know of a trail built elsewhere.
 */
export interface TrailAttributes {
  /** The identity the trail was built from (`TrailIdentity.organization(...)` or `TrailIdentity.account(...)`). */
  readonly identity: TrailIdentity;

  /**
   * The CloudWatch Logs group the trail delivers to, such as `logs.LogGroup.fromLogGroupName(...)`.
   *
   * @default - none: `metricIncomingLogEvents` throws
   */
  readonly logGroup?: logs.ILogGroup;
}

/**
 * The metric behind `ITrail.metricIncomingLogEvents`, shared by created and imported trails.
 */
export function trailIncomingLogEvents(trail: ITrail, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  if (!trail.logGroup) {
    throw new Error(`trail ${trail.node.path} has no CloudWatch Logs group: set cloudWatchLogs on the trail ` +
      '(or logGroup when importing it) to measure its log group\'s incoming events');
  }
  return incomingLogEventsMetric(trail.logGroup, props);
}

/** A trail built in another stack or app; not exported, users see it as `ITrail`. */
export class ImportedTrail extends Resource implements ITrail {
  public readonly trailArn: string;
  public readonly trailName: string;
  public readonly identity: TrailIdentity;
  public readonly logGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, attrs: TrailAttributes) {
    if (!attrs || !(attrs.identity instanceof TrailIdentity)) {
      fail('identity', attrs?.identity, 'must be a TrailIdentity (TrailIdentity.organization() or TrailIdentity.account())');
    }
    super(scope, id, { account: attrs.identity.ownerAccount, region: attrs.identity.homeRegion });
    this.identity = attrs.identity;
    this.trailArn = attrs.identity.trailArn;
    this.trailName = attrs.identity.trailName;
    this.logGroup = attrs.logGroup;
  }

  public metricIncomingLogEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return trailIncomingLogEvents(this, props);
  }
}
