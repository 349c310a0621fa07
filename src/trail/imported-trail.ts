import { Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ITrail, TrailAttributes } from './trail-ref';
import { TrailIdentity } from '../identity/trail-identity';
import { incomingLogEventsMetric } from '../private/log-metrics';
import { show, ValidationError } from '../private/validation';

/**
 * The metric behind `ITrail.metricIncomingLogEvents`, shared by created and imported trails.
 */
export function trailIncomingLogEvents(trail: ITrail, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  if (!trail.logGroup) {
    throw new ValidationError(trail, 'the trail has no CloudWatch Logs group: set cloudWatchLogs on the trail ' +
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
    // Before super: the identity gives the resource its environment.
    if (!(attrs?.identity instanceof TrailIdentity)) {
      throw ValidationError.ofChild(scope, id, `identity ${show(attrs?.identity)} must be a TrailIdentity ` +
        '(TrailIdentity.organization() or TrailIdentity.account())');
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
