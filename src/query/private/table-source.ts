import { Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { projectedRegions } from './table-projection';
import { ITrailArchive } from '../../archive/archive-base';
import { TrailIdentity } from '../../identity/trail-identity';
import { claimName } from '../../private/name-registry';
import { fail, validatePattern, validateString, ValidationError } from '../../private/validation';
import { resolveAccounts, resolveRegions, validateDay } from '../table-inputs';
import type { TrailTableProps } from '../trail-table';
import type { TrailTableAttributes } from '../trail-table-ref';

/**
 * What every table over the trail's folders (events, Insights, digests) resolves from its props the same way:
 * the trail and archive it reads, its database and names, and its projected regions and accounts.
 */

export const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
export const GLUE_NAME_RULE = 'must be 1-255 lowercase letters, digits or underscores';
const DEFAULT_PROJECTION_START = '2013/11/01';

/** A table's names, as grants and queries read them. */
export interface NamedTable extends IConstruct {
  readonly database: glue.IDatabase;
  readonly databaseName: string;
  readonly tableName: string;
}

/** What a table over the trail's folders resolves from its props. */
export interface ResolvedTable {
  readonly identity: TrailIdentity;
  readonly archive: ITrailArchive;
  readonly database: glue.IDatabase;
  readonly databaseName: string;
  readonly tableName: string;
  readonly qualifiedName: string;
  readonly regions: string[];
  readonly accounts?: string[];
  readonly requiresAccountFilter: boolean;
}

/** A table of this app: the props checked, the regions and accounts projected, the shared database found or made. */
export function resolveTable(scope: Construct, props: TrailTableProps, defaultTableName: string):
ResolvedTable & { readonly projectionStartDay: string } {
  const { identity, archive } = checkSource(scope, props);
  if (props.database && props.databaseName !== undefined) {
    throw new ValidationError(scope, 'databaseName must not be set together with database: it names the database this table creates');
  }
  validateString(scope, 'databaseName', props.databaseName);
  validateString(scope, 'tableName', props.tableName);
  validateString(scope, 'projectionStartDay', props.projectionStartDay);
  validatePattern(scope, 'databaseName', props.databaseName, GLUE_NAME, GLUE_NAME_RULE);
  validatePattern(scope, 'tableName', props.tableName, GLUE_NAME, GLUE_NAME_RULE);
  const projectionStartDay = props.projectionStartDay ?? DEFAULT_PROJECTION_START;
  validateDay(scope, 'projectionStartDay', projectionStartDay);
  const regions = projectedRegions(scope, identity, props);
  const accounts = resolveAccounts(scope, identity, props.accounts);
  const tableName = props.tableName ?? defaultTableName;
  // The literal name, not the database's Ref, keeps the saved queries' SQL readable.
  const databaseName = props.database ? props.database.databaseName : props.databaseName ?? defaultDatabaseName(scope, identity);
  const database = props.database ?? sharedDatabase(scope, databaseName);
  return {
    identity,
    archive,
    database,
    databaseName,
    tableName,
    qualifiedName: `"${databaseName}"."${tableName}"`,
    regions,
    accounts,
    requiresAccountFilter: identity.isOrganizationTrail && accounts === undefined,
    projectionStartDay,
  };
}

/** A table built elsewhere: the attributes checked, and read as they describe it. */
export function resolveImportedTable(scope: Construct, attrs: TrailTableAttributes, defaultTableName: string): ResolvedTable {
  const { identity, archive } = checkSource(scope, attrs);
  if (attrs.databaseName === undefined) fail(scope, 'databaseName', attrs.databaseName, 'must be given: it names the table\'s database');
  validateString(scope, 'databaseName', attrs.databaseName);
  validateString(scope, 'tableName', attrs.tableName);
  validatePattern(scope, 'databaseName', attrs.databaseName, GLUE_NAME, GLUE_NAME_RULE);
  validatePattern(scope, 'tableName', attrs.tableName, GLUE_NAME, GLUE_NAME_RULE);
  const regions = resolveRegions(scope, identity, attrs.regions);
  const accounts = resolveAccounts(scope, identity, attrs.accounts);
  const databaseName = attrs.databaseName;
  const tableName = attrs.tableName ?? defaultTableName;
  const database = glue.Database.fromDatabaseArn(scope, 'Database',
    Stack.of(scope).formatArn({ service: 'glue', resource: 'database', resourceName: databaseName }));
  return {
    identity,
    archive,
    database,
    databaseName,
    tableName,
    qualifiedName: `"${databaseName}"."${tableName}"`,
    regions,
    accounts,
    requiresAccountFilter: identity.isOrganizationTrail && accounts === undefined,
  };
}

/** The Glue actions that read a table's definition, on the catalog, the database and the table. */
export function grantTableDefinition(table: NamedTable, grantee: iam.IGrantable): iam.Grant {
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

/** Untyped callers can pass anything: the identity and archive are what every path and policy derive from. */
interface TableSource {
  readonly identity: TrailIdentity;
  readonly archive: ITrailArchive;
}

function checkSource(scope: Construct, props: TableSource | undefined): TableSource {
  if (!props || !(props.identity instanceof TrailIdentity)) {
    fail(scope, 'identity', props?.identity, 'must be a TrailIdentity (TrailIdentity.organization() or TrailIdentity.account())');
  }
  if (!props.archive || !props.archive.bucket) {
    fail(scope, 'archive', props.archive, 'must be an ITrailArchive (a TrailArchive or TrailArchive.fromAttributes())');
  }
  return { identity: props.identity, archive: props.archive };
}

function defaultDatabaseName(scope: IConstruct, identity: TrailIdentity): string {
  if (Token.isUnresolved(identity.trailName)) {
    throw new ValidationError(scope, 'databaseName (or database) must be given when the trailName is a token');
  }
  return `cloudtrail_${identity.trailName.toLowerCase().replace(/[^a-z0-9]/g, '_')}`.slice(0, 255);
}

// One Database per name and stack: the events, Insights and digest tables of a trail share it by default.
function sharedDatabase(scope: Construct, databaseName: string): glue.IDatabase {
  const stack = Stack.of(scope);
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
