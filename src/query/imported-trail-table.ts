import { Resource } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ForensicQueryTable } from './forensic-query-types';
import { grantTableDefinition, resolveImportedTable } from './private/table-source';
import { ITrailTable, TrailTableAttributes } from './trail-table-ref';
import { ITrailArchive } from '../archive/archive-base';
import { TrailIdentity } from '../identity/trail-identity';

export { GLUE_NAME, GLUE_NAME_RULE, grantTableDefinition } from './private/table-source';

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
    const resolved = resolveImportedTable(this, attrs, defaultTableName);
    this.identity = resolved.identity;
    this.archive = resolved.archive;
    this.records = records;
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
