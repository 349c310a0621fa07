import { Annotations, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct, IConstruct } from 'constructs';
import { ITrailArchive } from '../archive/archive-base';
import { TrailArchive } from '../archive/trail-archive';
import { TrailIdentity } from '../identity/trail-identity';
import {
  fail, isUnresolved, show, validateAccount, validateNonEmpty, validateRegion, validateString, validateUnique, ValidationError,
} from '../private/validation';

/**
 * The checks of a table's projection inputs against what Athena, Glue and the archive make of them:
 * a value that is well-formed can still project folders that never hold a log file.
 */

const DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;
// Glue TableInput.Parameters: "Value Length Constraints: Maximum length of 512000".
const MAX_PARAMETER_VALUE = 512_000;
// Athena's partition projection guide: "we recommend limiting the use of enum based partition
// projections to a few dozen or less".
const ENUM_RECOMMENDED_MAX = 50;

export function validateDay(scope: Construct, prop: string, value: string): void {
  if (isUnresolved(value)) return;
  const m = DAY.exec(value);
  const rule = 'must be a calendar day written yyyy/MM/dd, such as 2024/01/31';
  if (!m) fail(scope, prop, value, rule);
  const [year, month, day] = [Number(m![1]), Number(m![2]), Number(m![3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    fail(scope, prop, value, rule);
  }
  // A warning, not an error: the template becomes right on that day, and whether it is refused must
  // not depend on the day the app is synthesized. Until then every query returns no rows.
  if (date.getTime() > Date.now()) {
    Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:query:projectionStartInFuture',
      `${prop} ${show(value)} is after today: Athena projects no day before it, so every query returns no rows ` +
      'until then. Use the day the trail started delivering logs, or leave the default.');
  }
}

export function resolveRegions(scope: Construct, identity: TrailIdentity, regions: string[] | undefined): string[] {
  if (regions !== undefined) {
    if (isUnresolved(regions) || !Array.isArray(regions)) {
      throw new ValidationError(scope, 'regions must be a list written out at synth time, not a list token (its elements may be ' +
      'tokens): partition projection needs each value');
    }
    validateNonEmpty(scope, 'regions', regions);
    regions.forEach((r, i) => {
      validateString(scope, `regions[${i}]`, r);
      validateRegion(scope, `regions[${i}]`, r);
    });
    validateUnique(scope, 'regions', regions, r => r);
    checkKnownRegions(scope, identity, regions);
    return [...regions];
  }
  if (Token.isUnresolved(identity.partition)) {
    throw new ValidationError(scope, 'regions must be given when the trail\'s homeRegion is a token: the partition, and so ' +
      'its regions, is unknown at synth time');
  }
  checkKnownRegions(scope, identity, []);
  return RegionInfo.regions.filter(r => r.partition === identity.partition).map(r => r.name).sort();
}

export function resolveAccounts(scope: Construct, identity: TrailIdentity, accounts: string[] | undefined): string[] | undefined {
  if (accounts === undefined) return undefined;
  if (!identity.isOrganizationTrail) {
    throw new ValidationError(scope, 'accounts must not be set for an account trail: its logs hold one account, ' +
      `${identity.ownerAccount}, which the table location already names`);
  }
  if (isUnresolved(accounts) || !Array.isArray(accounts)) {
    throw new ValidationError(scope, 'accounts must be a list written out at synth time, not a list token (its elements may be ' +
      'tokens): partition projection needs each value');
  }
  validateNonEmpty(scope, 'accounts', accounts);
  accounts.forEach((a, i) => {
    validateString(scope, `accounts[${i}]`, a);
    validateAccount(scope, `accounts[${i}]`, a);
  });
  validateUnique(scope, 'accounts', accounts, a => a);
  const length = accounts.join(',').length;
  if (length > MAX_PARAMETER_VALUE) {
    throw new ValidationError(scope, `accounts lists ${accounts.length} accounts, ${length} characters as the projection's value list; ` +
      `Glue allows at most ${MAX_PARAMETER_VALUE} characters in a table parameter: leave accounts unset ` +
      '(an injected account partition) and name the account in each query');
  }
  if (accounts.length > ENUM_RECOMMENDED_MAX) {
    Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:query:largeAccountProjection',
      `accounts lists ${accounts.length} accounts: Athena recommends enum projections of a few dozen values at most, ` +
      'and a query that does not filter on account reads every listed account\'s folders. Leave accounts unset ' +
      '(an injected account partition) to make every query name its accounts.');
  }
  return [...accounts];
}

/**
 * A region of another partition can never hold this trail's logs; a region unknown to region-info is
 * either newer than this aws-cdk-lib or a typo, and a typo silently projects an empty folder (in the
 * trail's homeRegion, it also names a trail ARN no trail will have).
 */
export function checkKnownRegions(scope: Construct, identity: TrailIdentity, regions: string[], prop: string = 'regions'): void {
  const known = new Map(RegionInfo.regions.map(r => [r.name, r.partition]));
  const unknown: string[] = [];
  if (!isUnresolved(identity.homeRegion) && !known.has(identity.homeRegion)) {
    unknown.push(`the identity's homeRegion ${show(identity.homeRegion)}`);
  }
  regions.forEach((region, i) => {
    if (isUnresolved(region)) return;
    const partition = known.get(region);
    if (partition === undefined) {
      unknown.push(`${prop}[${i}] ${show(region)}`);
    } else if (!isUnresolved(identity.partition) && partition !== identity.partition) {
      fail(scope, `${prop}[${i}]`, region, `is in the ${partition} partition, but the trail's home region ` +
        `${identity.homeRegion} is in ${identity.partition}: a trail records only the regions of its own partition`);
    }
  });
  if (unknown.length > 0) {
    Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:query:unknownRegion',
      `${unknown.join(', ')}: not known to aws-cdk-lib/region-info. Check the spelling (a misspelled region ` +
      'projects an empty folder and its queries return no rows), or acknowledge this warning for a region newer ' +
      'than this aws-cdk-lib.');
  }
}

/**
 * A `TrailArchive`'s bucket policy lets only its writers write, under their own log prefixes; a table
 * over any other prefix of that bucket can never find a log file.
 */
export function checkWriters(scope: IConstruct, identity: TrailIdentity, archive: ITrailArchive, tablePrefix: string): void {
  if (!(archive instanceof TrailArchive) || isUnresolved(tablePrefix)) return;
  const writers = archive.writers ?? [];
  const prefixes = writers.flatMap(w => w.logPrefixes);
  if (prefixes.length === 0 || prefixes.some(p => isUnresolved(p))) return;
  if (prefixes.some(p => tablePrefix.startsWith(p))) return;
  throw new ValidationError(scope, `identity ${identity.trailArn} does not write to archive ${archive.node.path}: the archive's ` +
    `writers are ${writers.map(w => w.trailArn).join(', ')}, and its bucket policy lets CloudTrail write ` +
    `only under ${prefixes.join(', ')}, so the table over ${tablePrefix} would always be empty. Add the trail's ` +
    'identity to the archive\'s writers, or give the table the identity of one of them.');
}
