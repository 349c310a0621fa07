import { IResource, Resource } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DIGEST_FOLDER } from './digest-queries';
import { logLayout } from './log-layout';
import { partitionProjection, warnAboutAccounts } from './private/table-projection';
import { grantTableDefinition, resolveImportedTable, resolveTable } from './private/table-source';
import { checkWriters } from './table-inputs';
import { TrailTableProps } from './trail-table';
import { TrailTableAttributes } from './trail-table-ref';
import { ITrailArchive } from '../archive/archive-base';
import { TrailIdentity } from '../identity/trail-identity';
import { claimName } from '../private/name-registry';


const DEFAULT_TABLE_NAME = 'digests';

// A digest file is one JSON document, not CloudTrail's {"Records":[...]}: a plain text input format with the
// Hive JSON SerDe, which reads one object per line, gives one row per digest file.
const DATA_FORMAT = new glue.DataFormat({
  inputFormat: glue.InputFormat.TEXT,
  outputFormat: glue.OutputFormat.HIVE_IGNORE_KEY_TEXT,
  serializationLibrary: glue.SerializationLibrary.HIVE_JSON,
});

const S = glue.Schema;
const col = (name: string, type: glue.Type = S.STRING): glue.Column => ({ name, type });

// The fields of "CloudTrail digest file structure" (page above), lowercased as Glue stores column names; the
// Hive JSON SerDe matches the JSON keys (digestStartTime, logFiles[].s3Object, ...) case-insensitively. Times
// stay ISO 8601 strings (2015-08-17T14:01:31Z), as eventtime does in the events table: they compare
// correctly as text, and from_iso8601_timestamp reads them.
const DIGEST_COLUMNS: glue.Column[] = [
  col('awsaccountid'),
  col('digeststarttime'),
  col('digestendtime'),
  col('digests3bucket'),
  col('digests3object'),
  col('digestpublickeyfingerprint'),
  col('digestsignaturealgorithm'),
  col('newesteventtime'),
  col('oldesteventtime'),
  col('previousdigests3bucket'),
  col('previousdigests3object'),
  col('previousdigesthashvalue'),
  col('previousdigesthashalgorithm'),
  col('previousdigestsignature'),
  col('logfiles', S.array(S.struct([
    col('s3bucket'), col('s3object'), col('hashvalue'), col('hashalgorithm'), col('newesteventtime'), col('oldesteventtime'),
  ]))),
];

/**
 * Properties of {@link DigestTable}: those of the trail's other tables. The table name defaults to `digests`.
 */
export interface DigestTableProps extends TrailTableProps {}

/**
 * A Glue table over a trail's digest files: a {@link DigestTable}, or one imported with
 * `DigestTable.fromTableAttributes`.
 */
export interface IDigestTable extends IResource {
  /** The trail whose digest files the table reads. */
  readonly identity: TrailIdentity;

  /** The folder below each account folder that holds the files the table reads: `CloudTrail-Digest`. */
  readonly folder: string;

  /** The archive holding the digest files. */
  readonly archive: ITrailArchive;

  /** The Glue database of the table. */
  readonly database: glue.IDatabase;

  /**
   * The database name.
   *
   * @attribute
   */
  readonly databaseName: string;

  /**
   * The table name.
   *
   * @attribute
   */
  readonly tableName: string;

  /** `"<database>"."<table>"`, the name queries use. */
  readonly qualifiedName: string;

  /** The regions projected for the `region` partition. */
  readonly regions: string[];

  /**
   * The accounts projected for the `account` partition.
   *
   * @default - none: an account trail, or an injected account partition
   */
  readonly accounts?: string[];

  /** Whether every query must name the account (an organization trail with an injected account partition). */
  readonly requiresAccountFilter: boolean;

  /** Lets `grantee` read the table definition and the digest files (`archive.grantRead`). */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /** Lets `grantee` read the table definition only (`glue:GetDatabase`, `glue:GetTable`, `glue:GetPartitions`). */
  grantReadDefinition(grantee: iam.IGrantable): iam.Grant;
}

/**
 * The Glue table over a trail's hourly digest files (`CloudTrail-Digest/`): one row per digest file, with
 * the log files it vouches for (`logfiles`) and the link to the previous digest, partitioned like the
 * events table (`account` for organization trails, `region`, `day`) with partition projection.
 *
 * Athena's `"$path"` pseudo-column of this table is each digest's own object; `"$path"` of the
 * {@link CloudTrailTable} is each log file's. {@link IntegrityCheck} compares the two.
 *
 * ```ts
 * const digests = new DigestTable(this, 'Digests', { identity, archive, accounts: ['111122223333'] });
 * // SELECT digeststarttime, cardinality(logfiles) FROM "cloudtrail_org_trail"."digests"
 * //   WHERE day = '2024/05/01' AND region = 'us-east-1'
 * ```
 */
export class DigestTable extends Resource implements IDigestTable {
  /**
   * A digest table built elsewhere (another stack or app). Nothing is checked against the deployed table:
   * the attributes must describe it.
   */
  public static fromTableAttributes(scope: Construct, id: string, attrs: TrailTableAttributes): IDigestTable {
    return new ImportedDigestTable(scope, id, attrs);
  }

  /** The trail whose digest files the table reads. */
  public readonly identity: TrailIdentity;

  /** The folder below each account folder that holds the digest files: `CloudTrail-Digest`. */
  public readonly folder: string = DIGEST_FOLDER;

  /** The archive holding the digest files. */
  public readonly archive: ITrailArchive;

  /** The Glue database of the table. */
  public readonly database: glue.IDatabase;

  /** The database name. */
  public readonly databaseName: string;

  /** The table name. */
  public readonly tableName: string;

  /** `"<database>"."<table>"`, the name queries use. */
  public readonly qualifiedName: string;

  /** The regions projected for the `region` partition. */
  public readonly regions: string[];

  /**
   * The accounts projected for the `account` partition.
   *
   * @default - none: an account trail, or an injected account partition
   */
  public readonly accounts?: string[];

  /** Whether every query must name the account (an organization trail with an injected account partition). */
  public readonly requiresAccountFilter: boolean;

  /** The underlying Glue table. */
  public readonly table: glue.S3Table;

  /** The table's S3 location: the fixed key prefix above the projected folders. */
  public readonly location: string;

  /** Athena's `storage.location.template`: the S3 URI of a day folder with `${column}` placeholders. */
  public readonly locationTemplate: string;

  /** The partition columns, in the order they appear in the S3 path. */
  public readonly partitionColumns: string[];

  constructor(scope: Construct, id: string, props: DigestTableProps) {
    super(scope, id);
    const resolved = resolveTable(this, props, DEFAULT_TABLE_NAME);
    const { identity, projectionStartDay } = resolved;
    this.identity = identity;
    this.archive = resolved.archive;
    this.regions = resolved.regions;
    this.accounts = resolved.accounts;
    this.tableName = resolved.tableName;
    this.databaseName = resolved.databaseName;
    this.database = resolved.database;
    this.qualifiedName = resolved.qualifiedName;

    const layout = logLayout(identity, DIGEST_FOLDER);
    checkWriters(this, identity, props.archive, layout.prefix);
    const description = `CloudTrail digest files of trail ${identity.trailName}`;
    claimName(this, 'Glue table', `${this.databaseName}.${this.tableName}`, 'databaseName and tableName', description,
      'Set a different tableName or databaseName on one of them.');
    const bucketName = props.archive.bucket.bucketName;
    this.location = `s3://${bucketName}/${layout.prefix}`;
    this.locationTemplate = `s3://${bucketName}/${layout.pathTemplate}`;
    this.partitionColumns = layout.partitionColumns;
    this.requiresAccountFilter = resolved.requiresAccountFilter;
    warnAboutAccounts(this, this.tableName, this.accounts, this.requiresAccountFilter);

    // The same projection as the events table's: the digest folders have the same account, region and day levels.
    const projection = partitionProjection(identity, this.regions, this.accounts, projectionStartDay);

    this.table = new glue.S3Table(this, 'Table', {
      database: this.database,
      tableName: this.tableName,
      description,
      columns: DIGEST_COLUMNS,
      partitionKeys: layout.partitionColumns.map(name => ({ name, type: S.STRING })),
      dataFormat: DATA_FORMAT,
      storage: glue.S3TableStorage.fromBucket(props.archive.bucket),
      s3Prefix: layout.prefix,
      partitionProjection: projection,
      parameters: {
        'classification': 'json',
        'storage.location.template': this.locationTemplate,
      },
      // Digest files are SSE-S3 encrypted, which S3 undoes on read; the flag is for client-side encryption.
      hasEncryptedData: false,
    });
  }

  /**
   * Lets `grantee` read the table definition (`glue:GetDatabase`, `glue:GetTable`, `glue:GetPartitions` on the
   * catalog, database and table) and the digest files (`archive.grantRead`). Running queries also needs
   * {@link TrailAnalytics.grantQuery}.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantReadDefinition(grantee).combine(this.archive.grantRead(grantee));
  }

  /** Lets `grantee` read the table definition only, without the digest files. */
  public grantReadDefinition(grantee: iam.IGrantable): iam.Grant {
    return grantTableDefinition(this, grantee);
  }
}

/** A digest table built in another stack or app; users see it as `IDigestTable`. */
class ImportedDigestTable extends Resource implements IDigestTable {
  public readonly identity: TrailIdentity;
  public readonly folder: string = DIGEST_FOLDER;
  public readonly archive: ITrailArchive;
  public readonly database: glue.IDatabase;
  public readonly databaseName: string;
  public readonly tableName: string;
  public readonly qualifiedName: string;
  public readonly regions: string[];
  public readonly accounts?: string[];
  public readonly requiresAccountFilter: boolean;

  constructor(scope: Construct, id: string, attrs: TrailTableAttributes) {
    super(scope, id);
    const resolved = resolveImportedTable(this, attrs, DEFAULT_TABLE_NAME);
    this.identity = resolved.identity;
    this.archive = resolved.archive;
    this.regions = resolved.regions;
    this.accounts = resolved.accounts;
    this.requiresAccountFilter = resolved.requiresAccountFilter;
    this.databaseName = resolved.databaseName;
    this.tableName = resolved.tableName;
    this.qualifiedName = resolved.qualifiedName;
    this.database = resolved.database;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantReadDefinition(grantee).combine(this.archive.grantRead(grantee));
  }

  public grantReadDefinition(grantee: iam.IGrantable): iam.Grant {
    return grantTableDefinition(this, grantee);
  }
}
