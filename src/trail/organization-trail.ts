import { Construct } from 'constructs';
import { TrailBase, TrailOptions } from './trail-base';
import { TrailIdentity } from '../identity/trail-identity';
import { ValidationError } from '../private/validation';

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
    // Before super: a trail given the wrong kind of identity builds nothing, and this is the error it reports.
    if (!props.identity.isOrganizationTrail) {
      throw ValidationError.ofChild(scope, id, `identity of trail "${props.identity.trailName}" must be an organization identity ` +
        '(TrailIdentity.organization): an AccountTrail records a single account');
    }
    super(scope, id, props.identity, props);
  }
}
