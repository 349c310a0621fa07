import { IResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TrailIdentity } from '../identity/trail-identity';

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
