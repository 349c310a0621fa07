import { IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { DIGEST_FOLDER } from './digest-queries';
import { GLUE_NAME, GLUE_NAME_RULE } from './imported-trail-table';
import { logLayout } from './log-layout';
import { partitionProjection, projectedRegions, warnAboutAccounts } from './private/table-projection';
import { checkWriters, resolveAccounts, resolveRegions, validateDay } from './table-inputs';
import { TrailTableProps } from './trail-table';
import { TrailTableAttributes } from './trail-table-ref';
import { ITrailArchive } from '../archive/archive-base';
import { TrailIdentity } from '../identity/trail-identity';
import { claimName } from '../private/name-registry';
import { fail, validatePattern, validateString, ValidationError } from '../private/validation';


const DEFAULT_TABLE_NAME = 'digests';
const DEFAULT_PROJECTION_START = '2013/11/01';

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
    if (!props || !(props.identity instanceof TrailIdentity)) {
      fail(this, 'identity', props?.identity, 'must be a TrailIdentity (TrailIdentity.organization() or TrailIdentity.account())');
    }
    if (!props.archive || !props.archive.bucket) {
      fail(this, 'archive', props.archive, 'must be an ITrailArchive (a TrailArchive or TrailArchive.fromAttributes())');
    }
    const identity = props.identity;
    if (props.database && props.databaseName !== undefined) {
      throw new ValidationError(this, 'databaseName must not be set together with database: it names the database this table creates');
    }
    validateString(this, 'databaseName', props.databaseName);
    validateString(this, 'tableName', props.tableName);
    validateString(this, 'projectionStartDay', props.projectionStartDay);
    validatePattern(this, 'databaseName', props.databaseName, GLUE_NAME, GLUE_NAME_RULE);
    validatePattern(this, 'tableName', props.tableName, GLUE_NAME, GLUE_NAME_RULE);
    const projectionStartDay = props.projectionStartDay ?? DEFAULT_PROJECTION_START;
    validateDay(this, 'projectionStartDay', projectionStartDay);
    this.regions = projectedRegions(this, identity, props);
    this.accounts = resolveAccounts(this, identity, props.accounts);
    this.identity = identity;
    this.archive = props.archive;
    this.tableName = props.tableName ?? DEFAULT_TABLE_NAME;
    if (props.database) {
      this.database = props.database;
      this.databaseName = props.database.databaseName;
    } else {
      this.databaseName = props.databaseName ?? defaultDatabaseName(this, identity);
      this.database = sharedDatabase(this, this.databaseName);
    }
    this.qualifiedName = `"${this.databaseName}"."${this.tableName}"`;

    const layout = logLayout(identity, DIGEST_FOLDER);
    checkWriters(this, identity, props.archive, layout.prefix);
    const description = `CloudTrail digest files of trail ${identity.trailName}`;
    claimName(this, 'Glue table', `${this.databaseName}.${this.tableName}`, 'databaseName and tableName', description,
      'Set a different tableName or databaseName on one of them.');
    const bucketName = props.archive.bucket.bucketName;
    this.location = `s3://${bucketName}/${layout.prefix}`;
    this.locationTemplate = `s3://${bucketName}/${layout.pathTemplate}`;
    this.partitionColumns = layout.partitionColumns;
    this.requiresAccountFilter = identity.isOrganizationTrail && this.accounts === undefined;
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
    return grantDefinition(this, grantee);
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
    if (!attrs || !(attrs.identity instanceof TrailIdentity)) {
      fail(this, 'identity', attrs?.identity, 'must be a TrailIdentity (TrailIdentity.organization() or TrailIdentity.account())');
    }
    if (!attrs.archive || !attrs.archive.bucket) {
      fail(this, 'archive', attrs.archive, 'must be an ITrailArchive (a TrailArchive or TrailArchive.fromAttributes())');
    }
    if (attrs.databaseName === undefined) fail(this, 'databaseName', attrs.databaseName, 'must be given: it names the table\'s database');
    validateString(this, 'databaseName', attrs.databaseName);
    validateString(this, 'tableName', attrs.tableName);
    validatePattern(this, 'databaseName', attrs.databaseName, GLUE_NAME, GLUE_NAME_RULE);
    validatePattern(this, 'tableName', attrs.tableName, GLUE_NAME, GLUE_NAME_RULE);
    this.identity = attrs.identity;
    this.archive = attrs.archive;
    this.regions = resolveRegions(this, attrs.identity, attrs.regions);
    this.accounts = resolveAccounts(this, attrs.identity, attrs.accounts);
    this.requiresAccountFilter = attrs.identity.isOrganizationTrail && this.accounts === undefined;
    this.databaseName = attrs.databaseName;
    this.tableName = attrs.tableName ?? DEFAULT_TABLE_NAME;
    this.qualifiedName = `"${this.databaseName}"."${this.tableName}"`;
    this.database = glue.Database.fromDatabaseArn(this, 'Database',
      this.stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }));
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantReadDefinition(grantee).combine(this.archive.grantRead(grantee));
  }

  public grantReadDefinition(grantee: iam.IGrantable): iam.Grant {
    return grantDefinition(this, grantee);
  }
}

// The actions of the events table's grantReadDefinition, on the same three resources.
function grantDefinition(table: IDigestTable, grantee: iam.IGrantable): iam.Grant {
  const stack = Stack.of(table);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
    resourceArns: [
      table.database.catalog.catalogArn,
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: table.databaseName }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${table.databaseName}/${table.tableName}` }),
    ],
  });
}

// The events table's defaults (trail-table.ts): by default every table of a trail shares one database per stack.
function defaultDatabaseName(scope: IConstruct, identity: TrailIdentity): string {
  if (Token.isUnresolved(identity.trailName)) {
    throw new ValidationError(scope, 'databaseName (or database) must be given when the trailName is a token');
  }
  return `cloudtrail_${identity.trailName.toLowerCase().replace(/[^a-z0-9]/g, '_')}`.slice(0, 255);
}

function sharedDatabase(scope: Construct, databaseName: string): glue.IDatabase {
  const stack = Stack.of(scope);
  // The id trail-table.ts gives the database, so the events, Insights and digest tables find the same one.
  const id = `CloudTrailDatabase-${databaseName}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as glue.Database;
  const database = new glue.Database(stack, id, {
    databaseName,
    description: 'CloudTrail log tables (partition projection)',
  });
  claimName(database, 'Glue database', databaseName, 'databaseName', `the CloudTrail database of stack ${stack.node.path}`,
    'Give the tables of one stack another databaseName, or pass the other stack\'s database as database.');
  return database;
}
