import { Resource } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ForensicQueryTable } from './forensic-query-types';
import { logLayout } from './log-layout';
import { partitionProjection, warnAboutAccounts } from './private/table-projection';
import { grantTableDefinition, resolveTable } from './private/table-source';
import { checkWriters } from './table-inputs';
import { ITrailTable } from './trail-table-ref';
import { ITrailArchive } from '../archive/archive-base';
import { TrailIdentity } from '../identity/trail-identity';
import { claimName } from '../private/name-registry';

/**
 * Properties shared by {@link CloudTrailTable} and {@link InsightsTable}.
 */
export interface TrailTableProps {
  /**
   * The trail whose log files the table reads. Its organization id, account and S3 key prefix
   * decide the table's S3 layout.
   */
  readonly identity: TrailIdentity;

  /**
   * The archive that holds the trail's log files: a `TrailArchive` in the same stack or one
   * imported with `TrailArchive.fromAttributes`.
   */
  readonly archive: ITrailArchive;

  /**
   * The Glue database to create the table in.
   *
   * @default - a database named `databaseName`, created once per stack and shared by every table
   * of this library in that stack that uses the same name
   */
  readonly database?: glue.IDatabase;

  /**
   * The name of the database to create when `database` is not given: lowercase letters, digits and
   * underscores, at most 255 characters. Database names are unique per account and region, so two
   * stacks in one account and region need different names.
   *
   * @default - `cloudtrail_` followed by the trail name, lowercased, with every character other
   * than a letter or digit replaced by `_`
   */
  readonly databaseName?: string;

  /**
   * The table name: lowercase letters, digits and underscores, at most 255 characters.
   *
   * @default - `events` for {@link CloudTrailTable}, `insights` for {@link InsightsTable}
   */
  readonly tableName?: string;

  /**
   * The first delivery day Athena projects, as `yyyy/MM/dd`. The projection runs from this day to
   * the current day, so every day folder in between can be queried without loading partitions. A day
   * after the synthesis day gets a warning: until it comes, every query returns no rows.
   *
   * @default '2013/11/01' (the month CloudTrail launched, so no archived day falls outside)
   */
  readonly projectionStartDay?: string;

  /**
   * The regions Athena projects for the `region` partition: the regions your accounts may use. Pass the same list
   * as `OrganizationGuardrails.allowedRegions` (the region-deny policy) and `RegionActivityAlarm.allowedRegions`
   * (the alarm on activity elsewhere), so the table reaches every region the policy lets anyone use. A record of a
   * region left out (an attempt the policy denied, the management account, which no service control policy binds)
   * is in the archive but cannot be queried through this table.
   *
   * A region of another partition than the trail's home region is refused (the trail cannot record it); a
   * well-formed region that `aws-cdk-lib/region-info` does not know gets a warning, since a typo there silently
   * returns no rows. A list without the region where CloudTrail records the global services' events (us-east-1 in
   * `aws`: IAM, STS, CloudFront, Route 53, Organizations) gets a warning: the table cannot see them without it.
   *
   * @default - every region of the home region's partition that `aws-cdk-lib/region-info` knows, opt-in regions
   * included (a multi-region trail records each region once it is enabled)
   */
  readonly allowedRegions?: string[];

  /**
   * The regions Athena projects for the `region` partition.
   *
   * @deprecated use `allowedRegions`, which means the same; this is its former name
   * @default - every region of the home region's partition that `aws-cdk-lib/region-info` knows
   */
  readonly regions?: string[];

  /**
   * For organization trails: the member accounts Athena projects for the `account` partition.
   * Only listed accounts can be queried. Athena recommends enum projections of a few dozen values at
   * most (more than 50 get a warning); for a larger organization leave this unset and name the account
   * in each query. The list must fit Glue's 512,000-character limit on a table parameter.
   *
   * The list is fixed at synth time: an account that joins the organization later is invisible to the table
   * until it is added and the stack redeployed (a warning says so). The columnar table (ColumnarTrailTable) keeps
   * account and region as columns and reaches every account without a list.
   *
   * Without a list the `account` partition is `injected`: Athena then requires every query to name
   * the account (`account = '111122223333'` or `account IN (...)`), and the saved queries take the
   * account as an extra parameter.
   *
   * @default - injected account partition (organization trails); not allowed for account trails
   */
  readonly accounts?: string[];
}

const DATA_FORMAT = new glue.DataFormat({
  // AWS's current CloudTrail table: CloudTrail's input format unwraps each file's Records array,
  // and the Hive JSON SerDe maps record fields to columns (the CloudTrail SerDe is legacy).
  inputFormat: glue.InputFormat.CLOUDTRAIL,
  outputFormat: glue.OutputFormat.HIVE_IGNORE_KEY_TEXT,
  serializationLibrary: glue.SerializationLibrary.HIVE_JSON,
});

/**
 * A Glue table over one kind of CloudTrail log file in a trail archive, partitioned by the
 * folders CloudTrail writes (`account` for organization trails, `region`, `day`) with Athena
 * partition projection, so new days, regions and accounts need no crawler and no
 * `MSCK REPAIR TABLE`.
 */
export abstract class TrailTableBase extends Resource implements ITrailTable {
  /** The trail the table reads. */
  public readonly identity: TrailIdentity;

  /** The archive holding the log files. */
  public readonly archive: ITrailArchive;

  /** The Glue database of the table. */
  public readonly database: glue.IDatabase;

  /** The underlying Glue table. */
  public readonly table: glue.S3Table;

  /** The database name. */
  public readonly databaseName: string;

  /** The table name. */
  public readonly tableName: string;

  /** Which records the table holds: the trail's events or its Insights records. */
  public abstract readonly records: ForensicQueryTable;

  /** `"<database>"."<table>"`, the name queries use. */
  public readonly qualifiedName: string;

  /** The table's S3 location: the fixed key prefix above the projected folders. */
  public readonly location: string;

  /** Athena's `storage.location.template`: the S3 URI of a day folder with `${column}` placeholders. */
  public readonly locationTemplate: string;

  /** The partition columns, in the order they appear in the S3 path. */
  public readonly partitionColumns: string[];

  /** The regions projected for the `region` partition. */
  public readonly regions: string[];

  /**
   * The accounts projected for the `account` partition.
   *
   * @default - none: an account trail, or an injected account partition
   */
  public readonly accounts?: string[];

  /**
   * Whether every query must name the account: an organization trail whose `account` partition is
   * injected because no accounts were listed.
   */
  public readonly requiresAccountFilter: boolean;

  protected constructor(scope: Construct, id: string, props: TrailTableProps) {
    super(scope, id);
    const resolved = resolveTable(this, props, this.defaultTableName());
    const { identity, projectionStartDay } = resolved;
    this.identity = identity;
    this.archive = resolved.archive;
    this.regions = resolved.regions;
    this.accounts = resolved.accounts;
    this.tableName = resolved.tableName;
    this.databaseName = resolved.databaseName;
    this.database = resolved.database;
    this.qualifiedName = resolved.qualifiedName;

    const layout = logLayout(identity, this.logFolder());
    checkWriters(this, identity, props.archive, layout.prefix);
    claimName(this, 'Glue table', `${this.databaseName}.${this.tableName}`, 'databaseName and tableName',
      this.tableDescription(),
      props.databaseName === undefined && props.database === undefined
        ? 'Set tableName or databaseName on one of them. The default databaseName is "cloudtrail_" followed by ' +
          'the trail name with every character other than a letter or digit replaced by "_", so trail names ' +
          'such as "Org-Trail" and "org.trail" share one.'
        : 'Set a different tableName or databaseName on one of them.');
    const bucketName = props.archive.bucket.bucketName;
    this.location = `s3://${bucketName}/${layout.prefix}`;
    this.locationTemplate = `s3://${bucketName}/${layout.pathTemplate}`;
    this.partitionColumns = layout.partitionColumns;
    this.requiresAccountFilter = resolved.requiresAccountFilter;
    warnAboutAccounts(this, this.tableName, this.accounts, this.requiresAccountFilter);

    const projection = partitionProjection(identity, this.regions, this.accounts, projectionStartDay);

    this.table = new glue.S3Table(this, 'Table', {
      database: this.database,
      tableName: this.tableName,
      description: this.tableDescription(),
      columns: this.columns(),
      partitionKeys: layout.partitionColumns.map(name => ({ name, type: glue.Schema.STRING })),
      dataFormat: DATA_FORMAT,
      storage: glue.S3TableStorage.fromBucket(props.archive.bucket),
      s3Prefix: layout.prefix,
      partitionProjection: projection,
      parameters: {
        'classification': 'cloudtrail',
        'storage.location.template': this.locationTemplate,
      },
      // CloudTrail encrypts server-side (SSE-KMS), which S3 undoes on read; the flag is for
      // client-side encrypted data only.
      hasEncryptedData: false,
    });
  }

  /**
   * Lets `grantee` read the table definition (`glue:GetDatabase`, `glue:GetTable`,
   * `glue:GetPartitions` on the catalog, database and table) and the log files it points at
   * (`archive.grantRead`). Running queries also needs {@link TrailAnalytics.grantQuery}.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantReadDefinition(grantee).combine(this.archive.grantRead(grantee));
  }

  /**
   * Lets `grantee` read the table definition only, without the log files.
   */
  public grantReadDefinition(grantee: iam.IGrantable): iam.Grant {
    return grantTableDefinition(this, grantee);
  }

  /** The table's non-partition columns. */
  protected abstract columns(): glue.Column[];

  /** The folder below each account folder that holds this kind of log file (`CloudTrail`, ...). */
  protected abstract logFolder(): string;

  /** The table name used when `tableName` is not given. */
  protected abstract defaultTableName(): string;

  /** The Glue description of the table. */
  protected abstract tableDescription(): string;
}


