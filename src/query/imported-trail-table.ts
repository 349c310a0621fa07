import { Resource, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ForensicQueryTable } from './forensic-query-types';
import { resolveAccounts, resolveRegions } from './table-inputs';
import { ITrailTable, TrailTableAttributes } from './trail-table-ref';
import { ITrailArchive } from '../archive/archive-base';
import { TrailIdentity } from '../identity/trail-identity';
import { fail, validatePattern, validateString } from '../private/validation';

export const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
export const GLUE_NAME_RULE = 'must be 1-255 lowercase letters, digits or underscores';

/**
 * The Glue actions that read a table's definition, on the catalog, the database and the table.
 */
export function grantTableDefinition(table: ITrailTable, grantee: iam.IGrantable): iam.Grant {
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

/** A table built in another stack or app; not exported, users see it as `ITrailTable`. */
export class ImportedTrailTable extends Resource implements ITrailTable {
  public readonly identity: TrailIdentity;
  public readonly archive: ITrailArchive;
  public readonly database: glue.IDatabase;
  public readonly databaseName: string;
  public readonly tableName: string;
  public readonly qualifiedName: string;
  public readonly records: ForensicQueryTable;
  public readonly regions: string[];
  public readonly accounts?: string[];
  public readonly requiresAccountFilter: boolean;

  constructor(scope: Construct, id: string, attrs: TrailTableAttributes, records: ForensicQueryTable, defaultTableName: string) {
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
    this.records = records;
    this.regions = resolveRegions(this, attrs.identity, attrs.regions);
    this.accounts = resolveAccounts(this, attrs.identity, attrs.accounts);
    this.requiresAccountFilter = attrs.identity.isOrganizationTrail && this.accounts === undefined;
    this.databaseName = attrs.databaseName;
    this.tableName = attrs.tableName ?? defaultTableName;
    this.qualifiedName = `"${this.databaseName}"."${this.tableName}"`;
    this.database = glue.Database.fromDatabaseArn(this, 'Database',
      this.stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }));
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantReadDefinition(grantee).combine(this.archive.grantRead(grantee));
  }

  public grantReadDefinition(grantee: iam.IGrantable): iam.Grant {
    return grantTableDefinition(this, grantee);
  }
}
