import { TrailIdentity } from '../identity/trail-identity';

/** Partition column holding the recorded account (organization trails only). */
export const ACCOUNT_COLUMN = 'account';
/** Partition column holding the region folder. */
export const REGION_COLUMN = 'region';
/** Partition column holding the `yyyy/MM/dd` delivery-day folder. */
export const DAY_COLUMN = 'day';
/** Java date format of the day folders, as partition projection reads it. */
export const DAY_FORMAT = 'yyyy/MM/dd';

/** The folder CloudTrail writes a kind of record under, below the account folder. */
export enum LogFolder {
  EVENTS = 'CloudTrail',
  INSIGHTS = 'CloudTrail-Insight',
}

/** Where one kind of record lives in the archive bucket, as object key parts. */
export interface LogLayout {
  /** The fixed key prefix above the first projected folder, ending in `/`. */
  readonly prefix: string;
  /** The key of a day folder with `${column}` placeholders, no trailing `/`. */
  readonly pathTemplate: string;
  /** The partition columns in the order they appear in the path. */
  readonly partitionColumns: string[];
}

/**
 * CloudTrail writes `[prefix/]AWSLogs/<orgId>/<account>/<folder>/<region>/yyyy/MM/dd/` for
 * organization trails and `[prefix/]AWSLogs/<account>/<folder>/<region>/yyyy/MM/dd/` for trails of
 * one account. The `${...}` placeholders are Athena's `storage.location.template` syntax, not
 * JavaScript interpolation.
 */
export function logLayout(identity: TrailIdentity, folder: string): LogLayout {
  if (identity.isOrganizationTrail) {
    const prefix = identity.accountsPrefix;
    return {
      prefix,
      pathTemplate: `${prefix}\${${ACCOUNT_COLUMN}}/${folder}/\${${REGION_COLUMN}}/\${${DAY_COLUMN}}`,
      partitionColumns: [ACCOUNT_COLUMN, REGION_COLUMN, DAY_COLUMN],
    };
  }
  const prefix = `${identity.accountsPrefix}${identity.ownerAccount}/${folder}/`;
  return {
    prefix,
    pathTemplate: `${prefix}\${${REGION_COLUMN}}/\${${DAY_COLUMN}}`,
    partitionColumns: [REGION_COLUMN, DAY_COLUMN],
  };
}
