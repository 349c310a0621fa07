import { partitionOrToken, validateOrganizationId } from '../private/secure/validators';
import {
  fail, isUnresolved, validateAccount, validatePattern, validateRegion, validateString, ValidationError,
} from '../private/validation';

/**
 * Names an organization trail.
 */
export interface OrganizationTrailIdentityProps {
  /**
   * The trail's name. Required: every policy that lets CloudTrail write is scoped to the trail's ARN,
   * which is built from this name.
   */
  readonly trailName: string;

  /**
   * The AWS Organizations id (`o-` followed by 10 to 32 lowercase letters or digits).
   */
  readonly organizationId: string;

  /**
   * The account that owns the organization trail: the management account, or the CloudTrail
   * delegated administrator account.
   */
  readonly managementAccount: string;

  /**
   * The region the trail is created in (its home region).
   */
  readonly homeRegion: string;

  /**
   * The S3 key prefix the trail writes under, without leading or trailing slash.
   *
   * @default - no prefix: logs are written under `AWSLogs/`
   */
  readonly s3KeyPrefix?: string;
}

/**
 * Names a trail that records one account.
 */
export interface AccountTrailIdentityProps {
  /**
   * The trail's name. Required: every policy that lets CloudTrail write is scoped to the trail's ARN,
   * which is built from this name.
   */
  readonly trailName: string;

  /**
   * The account that owns the trail.
   */
  readonly account: string;

  /**
   * The region the trail is created in (its home region).
   */
  readonly homeRegion: string;

  /**
   * The S3 key prefix the trail writes under, without leading or trailing slash.
   *
   * @default - no prefix: logs are written under `AWSLogs/`
   */
  readonly s3KeyPrefix?: string;
}

/**
 * CloudTrail's trail naming rule: 3-128 characters of letters, digits, `.`, `_` and `-`, starting and
 * ending with a letter or digit, no two adjacent separators.
 */
const TRAIL_NAME = /^(?=.{3,128}$)[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$/;
const TRAIL_NAME_RULE =
  'must be 3-128 characters of letters, digits, ".", "_" and "-", start and end with a letter or digit, ' +
  'and have no adjacent ".", "_" or "-"';
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
// CloudTrail caps the prefix at 200 characters; S3's safe characters only, so every consumer (bucket
// policy resources, Glue locations, Athena paths) can use it unescaped.
const KEY_PREFIX = /^(?=.{1,200}$)[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const KEY_PREFIX_RULE =
  'must be 1-200 characters of letters, digits and !_.*\'()- separated by single "/", ' +
  'with no leading or trailing "/"';

/**
 * The one fact every part of a CloudTrail setup must agree on: which trail it is.
 *
 * The trail's ARN is deterministic (`arn:<partition>:cloudtrail:<homeRegion>:<account>:trail/<name>`),
 * so the archive's bucket and key policies, the Glue table's S3 layout and the trail itself can be
 * built from the same TrailIdentity in different stacks and accounts, without cross-stack references
 * and without the policy cycle that referencing the trail resource's ARN would create.
 */
export class TrailIdentity {
  /**
   * An organization trail, owned by the management (or delegated administrator) account, that
   * records every account of the organization.
   */
  public static organization(props: OrganizationTrailIdentityProps): TrailIdentity {
    requireProps(props);
    required('organizationId', props.organizationId, 'an organization trail writes under AWSLogs/<organizationId>/');
    required('managementAccount', props.managementAccount, 'the trail\'s ARN names the account that owns it');
    validateString(undefined, 'organizationId', props.organizationId);
    validateString(undefined, 'managementAccount', props.managementAccount);
    validateOrganizationId(undefined, 'organizationId', props.organizationId);
    validateAccount(undefined, 'managementAccount', props.managementAccount);
    return new TrailIdentity(props.trailName, props.managementAccount, props.homeRegion, props.s3KeyPrefix,
      props.organizationId);
  }

  /**
   * A trail that records the account it is created in.
   */
  public static account(props: AccountTrailIdentityProps): TrailIdentity {
    requireProps(props);
    required('account', props.account, 'the trail\'s ARN names the account that owns it');
    validateString(undefined, 'account', props.account);
    validateAccount(undefined, 'account', props.account);
    return new TrailIdentity(props.trailName, props.account, props.homeRegion, props.s3KeyPrefix, undefined);
  }

  /** The trail's name. */
  public readonly trailName: string;

  /** The account that owns the trail (the management account for organization trails). */
  public readonly ownerAccount: string;

  /** The region the trail is created in. */
  public readonly homeRegion: string;

  /**
   * The organization id, for organization trails.
   *
   * @default - not an organization trail
   */
  public readonly organizationId?: string;

  /**
   * The S3 key prefix the trail writes under, as given (no leading or trailing slash).
   *
   * @default - no prefix
   */
  public readonly s3KeyPrefix?: string;

  /** The ARN partition of the home region (`aws`, `aws-cn`, `aws-us-gov`, ...). */
  public readonly partition: string;

  /** `arn:<partition>:cloudtrail:<homeRegion>:<account>:trail/<trailName>`. */
  public readonly trailArn: string;

  private constructor(trailName: string, account: string, homeRegion: string, s3KeyPrefix: string | undefined,
    organizationId: string | undefined) {
    required('trailName', trailName, 'every policy that lets CloudTrail write is scoped to the trail\'s ARN, which is built from it');
    required('homeRegion', homeRegion, 'the trail\'s ARN names the region it is created in');
    validateString(undefined, 'trailName', trailName);
    validateString(undefined, 'homeRegion', homeRegion);
    validateString(undefined, 's3KeyPrefix', s3KeyPrefix);
    validatePattern(undefined, 'trailName', trailName, TRAIL_NAME, TRAIL_NAME_RULE);
    if (!isUnresolved(trailName) && IP_ADDRESS.test(trailName)) {
      fail(undefined, 'trailName', trailName, 'must not be formatted as an IP address');
    }
    validateRegion(undefined, 'homeRegion', homeRegion);
    validatePattern(undefined, 's3KeyPrefix', s3KeyPrefix, KEY_PREFIX, KEY_PREFIX_RULE);

    this.trailName = trailName;
    this.ownerAccount = account;
    this.homeRegion = homeRegion;
    this.organizationId = organizationId;
    this.s3KeyPrefix = s3KeyPrefix;
    this.partition = partitionOrToken(homeRegion);
    this.trailArn = `arn:${this.partition}:cloudtrail:${homeRegion}:${account}:trail/${trailName}`;
  }

  /** Whether this is an organization trail. */
  public get isOrganizationTrail(): boolean {
    return this.organizationId !== undefined;
  }

  /** The key prefix with a trailing slash, or the empty string when there is none. */
  public get keyPrefixPath(): string {
    return this.s3KeyPrefix ? `${this.s3KeyPrefix}/` : '';
  }

  /**
   * The object key prefixes the trail writes under, each ending in `/`: `[prefix/]AWSLogs/<account>/`,
   * and for organization trails also `[prefix/]AWSLogs/<organizationId>/`.
   */
  public get logPrefixes(): string[] {
    const prefixes = [`${this.keyPrefixPath}AWSLogs/${this.ownerAccount}/`];
    if (this.organizationId) prefixes.push(`${this.keyPrefixPath}AWSLogs/${this.organizationId}/`);
    return prefixes;
  }

  /**
   * The key prefix below which each recorded account has its own `<account>/` folder:
   * `[prefix/]AWSLogs/<organizationId>/` for organization trails, `[prefix/]AWSLogs/` otherwise.
   */
  public get accountsPrefix(): string {
    return this.organizationId
      ? `${this.keyPrefixPath}AWSLogs/${this.organizationId}/`
      : `${this.keyPrefixPath}AWSLogs/`;
  }

  /**
   * The value CloudTrail puts in the `aws:cloudtrail:arn` KMS encryption context matches this pattern:
   * `arn:<partition>:cloudtrail:*:<account>:trail/*`.
   */
  public get encryptionContextArnPattern(): string {
    return `arn:${this.partition}:cloudtrail:*:${this.ownerAccount}:trail/*`;
  }

  /**
   * The condition that scopes a CloudTrail service-principal statement to this trail:
   * `{ StringEquals: { 'aws:SourceArn': trailArn } }`.
   */
  public sourceArnCondition(): { [operator: string]: any } {
    return { StringEquals: { 'aws:SourceArn': this.trailArn } };
  }

  /**
   * The condition on `kms:GenerateDataKey*` (and on log readers' `kms:Decrypt`) that limits the key to
   * this trail's account: `{ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': pattern } }`.
   */
  public encryptionContextCondition(): { [operator: string]: any } {
    return { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': this.encryptionContextArnPattern } };
  }
}

// Plain JavaScript callers can leave out required props; each must fail naming itself.
function requireProps(props: unknown): void {
  if (!props || typeof props !== 'object') fail(undefined, 'props', props, 'must be an object');
}

function required(prop: string, value: unknown, why: string): void {
  if (value === undefined || value === null || value === '') throw new ValidationError(undefined, `${prop} must be given: ${why}`);
}
