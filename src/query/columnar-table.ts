import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ColumnarSqlTables, createTableStatement, mergeStatement, optimizeStatement, retentionStatement, vacuumStatement,
} from './columnar-sql';
import { ForensicQueryTable } from './forensic-query-types';
import { GLUE_NAME, GLUE_NAME_RULE } from './imported-trail-table';
import { ITrailTable } from './trail-table-ref';
import { claimName } from '../private/name-registry';
import { enableServerAccessLogging, hardenedBucket, rotatingKey } from '../private/secure';
import { s3ViaService } from '../private/service-endpoints';
import { fail, validatePattern, validateString } from '../private/validation';

/**
 * Properties of {@link ColumnarTrailTable}.
 */
export interface ColumnarTrailTableProps {
  /**
   * The raw events table the copy is made from: a `CloudTrailTable` or `CloudTrailTable.fromTableAttributes(...)`.
   * The copy holds what this table reaches: its projected accounts and regions.
   */
  readonly source: ITrailTable;

  /**
   * The columnar table's name, in the source table's database: lowercase letters, digits and underscores.
   *
   * @default - the source table's name followed by `_columnar`
   */
  readonly tableName?: string;

  /**
   * The key that encrypts the columnar bucket (SSE-KMS with an S3 Bucket Key).
   *
   * @default - a new key with automatic rotation, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The bucket that receives the columnar bucket's S3 server access logs (under `columnar-trail-table/`),
   * in the same account and region.
   *
   * @default - no server access logs
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long Iceberg keeps old snapshots (the table's `vacuum_max_snapshot_age_seconds`), which is how
   * far back time travel reaches and how long the files OPTIMIZE and retention replaced stay in S3.
   *
   * @default Duration.days(5) (Athena's own default for the property)
   */
  readonly snapshotRetention?: Duration;

  /**
   * What happens to the bucket and the key this construct creates when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** S3 prefix of the server access logs of the columnar bucket. */
const ACCESS_LOGS_PREFIX = 'columnar-trail-table/';
/** Glue actions Athena needs to create an Iceberg table and commit snapshots to it. */
const GLUE_WRITE_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'];
const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable'];

/**
 * A columnar copy of a trail's events: an Apache Iceberg table (Parquet, ZSTD) in a bucket of its own,
 * filled by {@link ColumnarConversion}, that the saved forensic queries read for a fraction of the raw
 * table's scanning cost (see docs/forensics.md, "The columnar tier").
 *
 * Why Iceberg and not Parquet in a Hive table: the copy is refreshed every hour from days that are
 * still receiving log files. Iceberg's `MERGE INTO` inserts only the events a day lacks, so a run can
 * be repeated and late files merged without duplicates, and without rewriting a Hive partition;
 * `OPTIMIZE ... REWRITE DATA USING BIN_PACK` compacts the small files hourly merges leave; `VACUUM`
 * expires old snapshots; `DELETE` drops days past the retention. All of it runs in Athena, without Lambda.
 *
 * Why the table is created by an Athena `CREATE TABLE IF NOT EXISTS` (the conversion's first step)
 * and not as an `AWS::Glue::Table`: an Iceberg table in CloudFormation needs `OpenTableFormatInput`,
 * whose `IcebergInput` declares only `MetadataOperation` and `Version`, while Glue refuses a create
 * request that carries the table's metadata (location, schema) both in `TableInput` and in the Iceberg
 * input ("Table metadata information present at multiple parts of input request"). Athena's DDL
 * writes the Iceberg metadata and the Glue entry together, and a repeat is a no-op.
 *
 * Schema: every column of the raw table, with the same names and types, then `account`, `region` and
 * `day` (the raw table's `yyyy/MM/dd` delivery day). Only `day` partitions the table: an investigation
 * reads the partitions of its days, and accounts and regions are plain columns, so a new account or
 * region needs no change to the columnar table.
 *
 * The bucket is the library's hardened bucket (KMS, TLS only, public access blocked, ACLs off) with one
 * difference that matters: data may be deleted. The raw archive stays the record of truth; this copy is
 * rebuilt from it at will, and OPTIMIZE, VACUUM and retention delete objects by design. The bucket stays
 * versioned, but noncurrent versions expire after a day: long enough to undo a mistake, short enough that
 * compaction does not keep every replaced file, and there is no Object Lock.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-creating-tables.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-glue-table-iceberginput.html
 * @see https://github.com/go-to-k/cdkd/issues/1408 (the create-request shapes Glue and CloudFormation refuse)
 */
export class ColumnarTrailTable extends Construct {
  /** The raw events table the copy is made from. */
  public readonly source: ITrailTable;

  /** The bucket holding the Iceberg data and metadata. */
  public readonly bucket: s3.Bucket;

  /** The key of the bucket. */
  public readonly encryptionKey: kms.IKey;

  /** The Glue database of the table (the source table's). */
  public readonly databaseName: string;

  /** The table name. */
  public readonly tableName: string;

  /** `"<database>"."<table>"`, the name queries use. */
  public readonly qualifiedName: string;

  /** The table's S3 folder: `s3://<bucket>/<database>/<table>/`. */
  public readonly location: string;

  /** The Glue ARN of the table. */
  public readonly tableArn: string;

  /** `vacuum_max_snapshot_age_seconds`. */
  public readonly snapshotRetentionSeconds: number;

  constructor(scope: Construct, id: string, props: ColumnarTrailTableProps) {
    super(scope, id);
    if (!props || typeof props.source !== 'object' || props.source.records !== ForensicQueryTable.EVENTS) {
      fail(this, 'source', (props?.source as any)?.node?.path ?? props?.source,
        'must be a table of the trail\'s events (a CloudTrailTable or CloudTrailTable.fromTableAttributes())');
    }
    validateString(this, 'tableName', props.tableName);
    validatePattern(this, 'tableName', props.tableName, GLUE_NAME, GLUE_NAME_RULE);
    const snapshotRetention = props.snapshotRetention ?? Duration.days(5);
    if (!(snapshotRetention instanceof Duration)) {
      fail(this, 'snapshotRetention', snapshotRetention, 'must be a Duration, such as Duration.days(5)');
    }
    this.snapshotRetentionSeconds = snapshotRetention.toSeconds();
    if (!snapshotRetention.isUnresolved() && this.snapshotRetentionSeconds < 3600) {
      fail(this, 'snapshotRetention', snapshotRetention.toHumanString(), 'must be at least 1 hour: a shorter one can expire ' +
        'the snapshot an hourly conversion is still committing against');
    }
    this.source = props.source;
    this.databaseName = props.source.databaseName;
    this.tableName = props.tableName ?? `${props.source.tableName}_columnar`.slice(0, 255);
    this.qualifiedName = `"${this.databaseName}"."${this.tableName}"`;
    claimName(this, 'Glue table', `${this.databaseName}.${this.tableName}`, 'tableName',
      `the columnar copy of ${props.source.qualifiedName}`, 'Give one of them another tableName.');

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? rotatingKey(this, 'Key', {
      description: `Encrypts the columnar copy of ${props.source.qualifiedName}`,
      removalPolicy,
    });
    this.bucket = hardenedBucket(this, 'Bucket', {
      encryptionKey: this.encryptionKey,
      removalPolicy,
      lifecycleRules: [
        {
          id: 'expire-replaced-files',
          // OPTIMIZE, VACUUM and retention delete on purpose; a day of noncurrent versions is the undo.
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
    });
    if (props.accessLogsBucket) {
      enableServerAccessLogging(this.bucket, props.accessLogsBucket, { prefix: ACCESS_LOGS_PREFIX });
    }
    // VACUUM needs the table in a folder, not at the bucket root.
    this.location = `s3://${this.bucket.bucketName}/${this.databaseName}/${this.tableName}/`;
    this.tableArn = Stack.of(this).formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.tableName}` });
  }

  private get sqlTables(): ColumnarSqlTables {
    return {
      rawDatabase: this.source.databaseName,
      rawTable: this.source.tableName,
      rawHasAccountPartition: this.source.identity.isOrganizationTrail,
      ownerAccount: this.source.identity.ownerAccount,
      database: this.databaseName,
      table: this.tableName,
      location: this.location,
      snapshotRetentionSeconds: this.snapshotRetentionSeconds,
    };
  }

  /** `CREATE TABLE IF NOT EXISTS` of the Iceberg table. */
  public createTableSql(): string {
    return createTableStatement(this.sqlTables);
  }

  /** The MERGE of one day, with a `{{day}}` placeholder. */
  public mergeSql(): string {
    return mergeStatement(this.sqlTables);
  }

  /** The retention DELETE, with a `{{before}}` placeholder. */
  public retentionSql(): string {
    return retentionStatement(this.sqlTables);
  }

  /** The OPTIMIZE of the recent days, with a `{{since}}` placeholder. */
  public optimizeSql(): string {
    return optimizeStatement(this.sqlTables);
  }

  /** The VACUUM of the table. */
  public vacuumSql(): string {
    return vacuumStatement(this.sqlTables);
  }

  /**
   * Lets `grantee` read the table: its Glue definition, the bucket's objects and the key through S3.
   * Running queries also needs {@link TrailAnalytics.grantQuery}.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantGlue(grantee, GLUE_READ_ACTIONS)
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetBucketLocation', 's3:ListBucket'], resourceArns: [this.bucket.bucketArn] }))
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [this.bucket.arnForObjects('*')] }))
      .combine(this.grantKey(grantee, ['kms:Decrypt']));
  }

  /**
   * Lets `grantee` create the table and write, compact, expire and delete its data: what Athena does with
   * the caller's credentials when it runs the conversion's statements.
   */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantGlue(grantee, GLUE_WRITE_ACTIONS)
      .combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resourceArns: [this.bucket.bucketArn],
      }))
      .combine(iam.Grant.addToPrincipal({
        grantee,
        // VACUUM deletes with the caller's credentials; without s3:DeleteObject it succeeds and deletes nothing.
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resourceArns: [this.bucket.arnForObjects(`${this.databaseName}/${this.tableName}/*`)],
      }))
      .combine(this.grantKey(grantee, ['kms:Decrypt', 'kms:GenerateDataKey']));
  }

  private grantGlue(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    const stack = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
        this.tableArn,
      ],
    });
  }

  private grantKey(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': s3ViaService(Stack.of(this)) } },
    });
  }
}
