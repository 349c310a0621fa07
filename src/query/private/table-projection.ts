import { Annotations, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { TrailIdentity } from '../../identity/trail-identity';
import { GLOBAL_SERVICE_REGION } from '../../private/global-region';
import {
  isUnresolved, validateNonEmpty, validateRegion, validateString, validateUnique, ValidationError,
} from '../../private/validation';
import { ACCOUNT_COLUMN, DAY_COLUMN, DAY_FORMAT, REGION_COLUMN } from '../log-layout';
import { checkKnownRegions, resolveRegions } from '../table-inputs';

/**
 * The region and account projection rules every table over the trail's folders shares (events, Insights, digests):
 * the digest folders sit beside the log folders, so each table projects exactly the same regions for the same
 * props, with the same errors and warnings.
 */

/** What the region rules read of a table's props. */
export interface RegionProps {
  readonly allowedRegions?: string[];
  readonly regions?: string[];
}

/** Every region of the partition unless `allowedRegions` (or `regions`, checked as before) lists them. */
export function projectedRegions(scope: Construct, identity: TrailIdentity, props: RegionProps): string[] {
  if (props.allowedRegions !== undefined && props.regions !== undefined) {
    throw new ValidationError(scope, 'regions must not be set together with allowedRegions: regions is the former name of allowedRegions');
  }
  if (props.regions !== undefined) {
    return warnAboutGlobalRegion(scope, identity, 'regions', resolveRegions(scope, identity, props.regions));
  }
  const allowed = props.allowedRegions;
  if (allowed === undefined) {
    if (Token.isUnresolved(identity.partition)) {
      throw new ValidationError(scope, 'allowedRegions must be given when the trail\'s homeRegion is a token: the partition, ' +
        'and so its regions, is unknown at synth time');
    }
    return resolveRegions(scope, identity, undefined);
  }
  if (isUnresolved(allowed) || !Array.isArray(allowed)) {
    throw new ValidationError(scope, 'allowedRegions must be a list written out at synth time, not a list token (its elements ' +
      'may be tokens): partition projection needs each value');
  }
  validateNonEmpty(scope, 'allowedRegions', allowed);
  allowed.forEach((r, i) => {
    validateString(scope, `allowedRegions[${i}]`, r);
    validateRegion(scope, `allowedRegions[${i}]`, r);
  });
  validateUnique(scope, 'allowedRegions', allowed, r => r);
  checkKnownRegions(scope, identity, allowed, 'allowedRegions');
  return warnAboutGlobalRegion(scope, identity, 'allowedRegions', [...allowed]);
}

/** A list without the global services' region hides their events (every IAM and STS call) from the table. */
function warnAboutGlobalRegion(scope: Construct, identity: TrailIdentity, prop: string, regions: string[]): string[] {
  if (isUnresolved(identity.partition) || regions.some(r => isUnresolved(r))) return regions;
  const global = GLOBAL_SERVICE_REGION[identity.partition];
  if (global !== undefined && !regions.includes(global)) {
    Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:query:globalRegionNotProjected',
      `${prop} leaves out ${global}, where CloudTrail records the events of the global services (IAM, STS, CloudFront, ` +
      `Route 53, Organizations) wherever the caller works: the table cannot query them. Add ${global} ` +
      '(a region-deny policy still denies everything else there), or acknowledge this warning.');
  }
  return regions;
}

/**
 * The account warnings: an injected account partition makes every query name the account; an enum projection hides
 * an account that joins the organization later until the stack is redeployed with it.
 */
export function warnAboutAccounts(scope: Construct, tableName: string, accounts: string[] | undefined, injected: boolean): void {
  if (injected) {
    Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:query:accountPartitionInjected',
      `No accounts listed: the account partition of ${tableName} is injected, so every query must ` +
      'filter on account (account = \'<id>\' or account IN (...)). List the accounts to query the ' +
      'organization without naming one.');
  }
  if (accounts === undefined) return;
  Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:query:accountProjectionFixed',
    `accounts lists ${accounts.length} account(s): the account partition of ${tableName} projects only ` +
    'these, so an account that joins the organization later is invisible to every query until it is added to ' +
    'accounts and the stack is redeployed. Query the columnar table (ColumnarTrailTable), where account and region ' +
    'are columns, or leave accounts unset (an injected account partition) to reach every account.');
}

/** The partition projection of a table over the trail's day folders: region, day and (organization trails) account. */
export function partitionProjection(identity: TrailIdentity, regions: string[], accounts: string[] | undefined,
  projectionStartDay: string): glue.PartitionProjection {
  const projection: glue.PartitionProjection = {
    [REGION_COLUMN]: glue.PartitionProjectionConfiguration.enum({ values: regions }),
    [DAY_COLUMN]: glue.PartitionProjectionConfiguration.date({
      min: projectionStartDay,
      max: 'NOW',
      format: DAY_FORMAT,
      step: { interval: 1, intervalUnit: glue.DateIntervalUnit.DAYS },
    }),
  };
  if (identity.isOrganizationTrail) {
    projection[ACCOUNT_COLUMN] = accounts
      ? glue.PartitionProjectionConfiguration.enum({ values: accounts })
      : glue.PartitionProjectionConfiguration.injected();
  }
  return projection;
}
