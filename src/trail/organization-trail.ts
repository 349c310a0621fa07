import { Construct } from 'constructs';
import { TrailBase, TrailOptions } from './trail-base';
import { TrailIdentity } from '../identity/trail-identity';

/**
 * Properties of an {@link OrganizationTrail}.
 */
export interface OrganizationTrailProps extends TrailOptions {
  /** The organization trail's identity (`TrailIdentity.organization(...)`). */
  readonly identity: TrailIdentity;
}

/**
 * A CloudTrail organization trail: created in the management account (or the CloudTrail delegated
 * administrator), it records every account of the organization into one archive.
 *
 * Built on `CfnTrail` because the L2 `Trail` cannot express advanced event selectors and builds
 * bucket and key policies that miss the organization's log path.
 */
export class OrganizationTrail extends TrailBase {
  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    if (!props.identity.isOrganizationTrail) {
      throw new Error(`identity of trail "${props.identity.trailName}" must be an organization identity ` +
        '(TrailIdentity.organization): an AccountTrail records a single account');
    }
    super(scope, id, props.identity, props);
  }
}
