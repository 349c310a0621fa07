import { Construct } from 'constructs';
import { TrailBase, TrailOptions } from './trail-base';
import { TrailIdentity } from '../identity/trail-identity';
import { ValidationError } from '../private/validation';

/**
 * Properties of an {@link AccountTrail}.
 */
export interface AccountTrailProps extends TrailOptions {
  /** The trail's identity (`TrailIdentity.account(...)`). */
  readonly identity: TrailIdentity;
}

/**
 * A CloudTrail trail that records the account it is created in.
 */
export class AccountTrail extends TrailBase {
  constructor(scope: Construct, id: string, props: AccountTrailProps) {
    // Before super: a trail given the wrong kind of identity builds nothing, and this is the error it reports.
    if (props.identity.isOrganizationTrail) {
      throw ValidationError.ofChild(scope, id, `identity of trail "${props.identity.trailName}" must be an account identity ` +
        '(TrailIdentity.account): use OrganizationTrail for an organization identity');
    }
    super(scope, id, props.identity, props);
  }
}
