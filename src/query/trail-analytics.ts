import { createHash } from 'crypto';
import { Annotations, Duration, RemovalPolicy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { ForensicQuery } from './forensic-query';
import { ForensicQueryTable, ForensicQueryTarget } from './forensic-query-types';
import { QueryResults } from './query-results';
import { ITrailTable } from './trail-table-ref';
import { claimName } from '../private/name-registry';
import { fail, isUnresolved, validateInteger, validatePattern, validateString, ValidationError } from '../private/validation';

/**
 * Properties of {@link TrailAnalytics}.
 */
export interface TrailAnalyticsProps {
  /** The table of the trail's event records: a `CloudTrailTable` or `CloudTrailTable.fromTableAttributes(...)`. */
  readonly table: ITrailTable;

  /**
   * The table of the trail's Insights records, for the Insights timeline query: an `InsightsTable` or
   * `InsightsTable.fromTableAttributes(...)`.
   *
   * @default - no Insights queries
   */
  readonly insightsTable?: ITrailTable;

  /**
   * The Athena workgroup name: 1-128 letters, digits, `.`, `_` and `-`, unique per account and region.
   * Two workgroups of one app with the same name in the same account and region are refused at synth.
   *
   * @default - the trail name followed by `-forensics`; for a trail name longer than 118 characters, its
   * first 109 characters, `-`, 8 hexadecimal digits of its SHA-256 and `-forensics` (128 characters)
   */
  readonly workGroupName?: string;

  /**
   * The most bytes one query may scan before Athena cancels it: at least 10 MB (10000000), Athena's
   * minimum. Every saved query is bounded by day, so the cutoff only stops queries that forgot to be.
   *
   * @default 107374182400 (100 GiB, about 0.50 USD of scanning per query at the us-east-1 price)
   */
  readonly bytesScannedCutoffPerQuery?: number;

  /**
   * How long query results are kept, in whole days (at least 1). Results copy log data out of the
   * archive, so they should not outlive the investigation that needed them.
   *
   * @default Duration.days(30)
   */
  readonly resultsRetention?: Duration;

  /**
   * The KMS key that encrypts query results.
   *
   * @default - a new key with automatic rotation, retained when the stack is deleted
   */
  readonly resultsKey?: kms.IKey;

  /**
   * The bucket that receives the results bucket's S3 server access logs (under
   * `athena-query-results/`). S3 requires it to be in the same account and region as the results
   * bucket. A bucket of this app gets a policy statement letting the S3 logging service write there;
   * an imported bucket's policy must already allow it.
   *
   * @default - the archive's `accessLogsBucket` when it is in this stack's account and region;
   * otherwise no access logs (with a warning)
   */
  readonly resultsAccessLogsBucket?: s3.IBucket;

  /**
   * What happens to the results bucket and the results key this construct creates when they leave the
   * stack. Results are copies of log records: `DESTROY` gets a warning
   * (`cdk-cloudtrail-governance:query:resultsNotRetained`). CloudFormation cannot delete a bucket that
   * still holds objects, so `DESTROY` only succeeds once the results have expired; a destroyed key makes
   * the results left anywhere unreadable.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The saved queries to create, as named queries and prepared statements.
   *
   * @default - `ForensicQuery.all()`, without the Insights queries when `insightsTable` is not given
   */
  readonly queries?: ForensicQuery[];
}

const WORKGROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;
const MAX_WORKGROUP_NAME = 128;
const SUPPORTED_REMOVAL_POLICIES: string[] = [
  RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, RemovalPolicy.DESTROY,
];
const WORKGROUP_SUFFIX = '-forensics';
const MIN_CUTOFF = 10_000_000;
const DEFAULT_CUTOFF = 100 * 1024 ** 3;
const ENGINE_VERSION = 'Athena engine version 3';
const MAX_DESCRIPTION = 1024;

// Running and reading queries, saved queries and prepared statements in the workgroup.
const WORKGROUP_ACTIONS = [
  'athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution',
  'athena:GetQueryResults', 'athena:GetQueryResultsStream', 'athena:GetQueryRuntimeStatistics',
  'athena:BatchGetQueryExecution', 'athena:ListQueryExecutions', 'athena:GetWorkGroup',
  'athena:GetNamedQuery', 'athena:BatchGetNamedQuery', 'athena:ListNamedQueries',
  'athena:GetPreparedStatement', 'athena:BatchGetPreparedStatement', 'athena:ListPreparedStatements',
];
// What the Athena console calls to list the databases and tables of the Glue catalog.
const DATA_CATALOG_ACTIONS = [
  'athena:GetDataCatalog', 'athena:GetDatabase', 'athena:ListDatabases', 'athena:GetTableMetadata',
  'athena:ListTableMetadata',
];

/**
 * An Athena workgroup for investigating a trail's logs, with the forensic query catalog saved in it.
 *
 * - Engine version 3; the workgroup configuration is enforced, so clients cannot send results
 *   elsewhere or unencrypted, nor lift the per-query bytes-scanned cutoff; CloudWatch metrics on.
 * - Results go to a dedicated bucket: SSE-KMS, public access blocked, TLS 1.2+ only, versioned,
 *   ACLs disabled, results expire, retained with the stack.
 * - Each {@link ForensicQuery} becomes a named query (the console's Saved queries) and a prepared
 *   statement (`EXECUTE <id> USING '<start day>', '<end day>', ...`), both with `?` parameters.
 */
export class TrailAnalytics extends Construct {
  /** The Athena workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;

  /** The workgroup name. */
  public readonly workGroupName: string;

  /** The workgroup ARN. */
  public readonly workGroupArn: string;

  /** The bucket Athena writes query results to. */
  public readonly resultsBucket: s3.Bucket;

  /** The key that encrypts query results. */
  public readonly resultsKey: kms.IKey;

  /** Where the workgroup writes results: `s3://<results bucket>/results/`. */
  public readonly resultsLocation: string;

  /** The saved queries, in creation order. */
  public readonly queries: ForensicQuery[];

  /** The named query of each saved query, by query id. */
  public readonly namedQueries: { [queryId: string]: athena.CfnNamedQuery };

  /** The prepared statement of each saved query, by query id (the statement name). */
  public readonly preparedStatements: { [queryId: string]: athena.CfnPreparedStatement };

  private readonly tables: ITrailTable[];

  constructor(scope: Construct, id: string, props: TrailAnalyticsProps) {
    super(scope, id);
    if (!props || !holds(props.table, ForensicQueryTable.EVENTS)) {
      fail(this, 'table', pathOf(props?.table), 'must be a table of the trail\'s events (a CloudTrailTable or CloudTrailTable.fromTableAttributes())');
    }
    if (props.insightsTable !== undefined && !holds(props.insightsTable, ForensicQueryTable.INSIGHTS)) {
      fail(this, 'insightsTable', pathOf(props.insightsTable), 'must be a table of the trail\'s Insights records (an InsightsTable or ' +
        'InsightsTable.fromTableAttributes())');
    }
    const { table, insightsTable } = props;
    if (insightsTable && !isUnresolved(table.identity.trailArn) && !isUnresolved(insightsTable.identity.trailArn) &&
      table.identity.trailArn !== insightsTable.identity.trailArn) {
      fail(this, 'insightsTable', insightsTable.identity.trailArn, `must read the same trail as table (${table.identity.trailArn})`);
    }
    validateString(this, 'workGroupName', props.workGroupName);
    this.workGroupName = props.workGroupName ?? defaultWorkGroupName(table.identity.trailName);
    validatePattern(this, 'workGroupName', this.workGroupName, WORKGROUP_NAME,
      'must be 1-128 letters, digits, ".", "_" or "-"');
    claimName(this, 'Athena workgroup', this.workGroupName, 'workGroupName',
      `the forensics workgroup of trail ${table.identity.trailName}`,
      'Give one of them another workGroupName.');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (!SUPPORTED_REMOVAL_POLICIES.includes(removalPolicy)) {
      fail(this, 'removalPolicy', removalPolicy, `must be one of ${SUPPORTED_REMOVAL_POLICIES.join(', ')}: ` +
        'S3 buckets and KMS keys have no snapshots');
    }
    if (removalPolicy === RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:query:resultsNotRetained',
        `removalPolicy is ${removalPolicy}: query results hold copies of log records, and deleting the stack can ` +
        'delete them or the key that decrypts them before an investigation is closed.');
    }
    const cutoff = props.bytesScannedCutoffPerQuery ?? DEFAULT_CUTOFF;
    validateInteger(this, 'bytesScannedCutoffPerQuery', cutoff, MIN_CUTOFF, Number.MAX_SAFE_INTEGER);
    this.queries = resolveQueries(this, props.queries, insightsTable);
    this.tables = insightsTable ? [table, insightsTable] : [table];

    if (props.resultsRetention !== undefined && !(props.resultsRetention instanceof Duration)) {
      fail(this, 'resultsRetention', props.resultsRetention, 'must be a Duration, such as Duration.days(30)');
    }
    checkSameEnvironment(this, 'resultsAccessLogsBucket', props.resultsAccessLogsBucket);
    const results = new QueryResults(this, 'Results', {
      retention: props.resultsRetention ?? Duration.days(30),
      removalPolicy,
      key: props.resultsKey,
      accessLogsBucket: props.resultsAccessLogsBucket ?? sameEnvironmentBucket(this, table.archive.accessLogsBucket),
    });
    if (!results.accessLogged) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:query:resultsNotAccessLogged',
        'The query results bucket has no server access logs: give resultsAccessLogsBucket (same account and ' +
        'region) to record who read investigation results.');
    }
    this.resultsBucket = results.bucket;
    this.resultsKey = results.key;
    this.resultsLocation = results.location;

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: `Forensic queries over the CloudTrail logs of trail ${table.identity.trailName}`,
      state: 'ENABLED',
      // Query history is metadata that expires after 45 days; the results themselves stay in the
      // retained bucket, so the workgroup may be deleted with the history it still holds.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: this.resultsLocation,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.resultsKey.keyArn },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
    this.workGroupArn = Stack.of(this).formatArn({
      service: 'athena', resource: 'workgroup', resourceName: this.workGroupName,
    });

    this.namedQueries = {};
    this.preparedStatements = {};
    for (const query of this.queries) {
      const target = targetOf(query.table === ForensicQueryTable.INSIGHTS ? insightsTable! : table);
      const sql = query.sql(target);
      const description = describe(this, query, target);
      const namedQuery = new athena.CfnNamedQuery(this, `Query-${query.id}`, {
        name: query.title,
        description,
        database: table.databaseName,
        workGroup: this.workGroup.ref,
        queryString: sql,
      });
      const statement = new athena.CfnPreparedStatement(this, `Statement-${query.id}`, {
        statementName: query.id,
        description,
        workGroup: this.workGroup.ref,
        queryStatement: sql,
      });
      // The SQL names the tables literally; Athena may analyze a prepared statement when it is created.
      // An imported table has no resources, so the dependency is empty for it.
      for (const t of this.tables) {
        namedQuery.node.addDependency(t);
        statement.node.addDependency(t);
      }
      this.namedQueries[query.id] = namedQuery;
      this.preparedStatements[query.id] = statement;
    }
  }

  /**
   * Lets `grantee` investigate: run queries, saved queries and prepared statements in the workgroup;
   * read the Glue catalog, database and tables; read and write query results (and use the results
   * key through S3); and read and decrypt the archive's log files (`archive.grantRead`).
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    let grant = iam.Grant.addToPrincipal({ grantee, actions: WORKGROUP_ACTIONS, resourceArns: [this.workGroupArn] });
    grant = grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: DATA_CATALOG_ACTIONS,
      resourceArns: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
    }));
    for (const table of this.tables) grant = grant.combine(table.grantReadDefinition(grantee));
    for (const archive of new Set(this.tables.map(t => t.archive))) grant = grant.combine(archive.grantRead(grantee));
    return grant.combine(QueryResults.grantReadWrite(this.resultsBucket, this.resultsKey, grantee));
  }
}

/**
 * `<trail name>-forensics`, shortened to Athena's 128 characters for long trail names (which may have
 * up to 128 characters themselves), with a digest of the full name so two long names stay distinct.
 */
function defaultWorkGroupName(trailName: string): string {
  const name = `${trailName}${WORKGROUP_SUFFIX}`;
  if (isUnresolved(trailName) || name.length <= MAX_WORKGROUP_NAME) return name;
  const digest = createHash('sha256').update(trailName).digest('hex').slice(0, 8);
  const keep = MAX_WORKGROUP_NAME - WORKGROUP_SUFFIX.length - digest.length - 1;
  return `${trailName.slice(0, keep).replace(/[._-]+$/, '')}-${digest}${WORKGROUP_SUFFIX}`;
}

function resolveQueries(scope: IConstruct, queries: ForensicQuery[] | undefined, insightsTable: ITrailTable | undefined): ForensicQuery[] {
  const resolved = queries ?? ForensicQuery.all().filter(q => q.table !== ForensicQueryTable.INSIGHTS || insightsTable);
  const seen = new Set<string>();
  for (const query of resolved) {
    if (seen.has(query.id)) fail(scope, 'queries', query.id, 'contains this query id more than once');
    seen.add(query.id);
    if (query.table === ForensicQueryTable.INSIGHTS && !insightsTable) {
      fail(scope, 'queries', query.id, 'reads the Insights table: give insightsTable');
    }
  }
  return [...resolved];
}

/** A table is named by its construct path in errors; anything else as given. */
function pathOf(table: unknown): unknown {
  return (table as ITrailTable | undefined)?.node?.path ?? table;
}

function holds(table: ITrailTable | undefined, records: ForensicQueryTable): boolean {
  return typeof table === 'object' && table !== null && table.records === records && typeof table.qualifiedName === 'string';
}

function targetOf(table: ITrailTable): ForensicQueryTarget {
  return { qualifiedTableName: table.qualifiedName, accountFilter: table.requiresAccountFilter };
}

function describe(scope: IConstruct, query: ForensicQuery, target: ForensicQueryTarget): string {
  const parameters = query.parametersFor(target).map(p => `${p.name}, e.g. ${p.example} (${p.description})`);
  const description = `${query.description} Parameters, in order: ${parameters.join('; ')}.`;
  if (description.length > MAX_DESCRIPTION) {
    fail(scope, 'queries', query.id, `has a description of ${description.length} characters with its parameters; ` +
      `Athena allows ${MAX_DESCRIPTION}: shorten the description or parameter descriptions`);
  }
  return description;
}

// S3 delivers server access logs only to a bucket in the source bucket's account and region.
function checkSameEnvironment(scope: Construct, prop: string, bucket: s3.IBucket | undefined): void {
  if (!bucket) return;
  const stack = Stack.of(scope);
  const differs = (a: string, b: string) => Token.compareStrings(a, b) === TokenComparison.DIFFERENT;
  if (differs(bucket.env.account, stack.account) || differs(bucket.env.region, stack.region)) {
    throw new ValidationError(scope, `${prop} ${bucket.node.path} is in account ${bucket.env.account} and region ${bucket.env.region}, ` +
      `the results bucket in account ${stack.account} and region ${stack.region}: S3 delivers server access logs ` +
      'only to a bucket in the source bucket\'s account and region');
  }
}

function sameEnvironmentBucket(scope: Construct, bucket: s3.IBucket | undefined): s3.IBucket | undefined {
  if (!bucket) return undefined;
  const stack = Stack.of(scope);
  const same = (a: string, b: string) => Token.compareStrings(a, b) === TokenComparison.SAME;
  return same(bucket.env.account, stack.account) && same(bucket.env.region, stack.region) ? bucket : undefined;
}
