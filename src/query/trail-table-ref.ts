import { IResource } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ForensicQueryTable } from './forensic-query-types';
import { ITrailArchive } from '../archive/archive-base';
import { TrailIdentity } from '../identity/trail-identity';

/**
 * A Glue table over a trail's log files: a {@link CloudTrailTable} or {@link InsightsTable}, or one imported with
 * `CloudTrailTable.fromTableAttributes` / `InsightsTable.fromTableAttributes`.
 */
export interface ITrailTable extends IResource {
  /** The trail the table reads. */
  readonly identity: TrailIdentity;

  /** The archive holding the log files. */
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

  /** Which records the table holds: the trail's events or its Insights records. */
  readonly records: ForensicQueryTable;

  /** The regions projected for the `region` partition. */
  readonly regions: string[];

  /**
   * The accounts projected for the `account` partition.
   *
   * @default - none: an account trail, or an injected account partition
   */
  readonly accounts?: string[];

  /**
   * Whether every query must name the account: an organization trail whose `account` partition is
   * injected because no accounts were listed.
   */
  readonly requiresAccountFilter: boolean;

  /**
   * Lets `grantee` read the table definition and the log files it points at (`archive.grantRead`).
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` read the table definition only (`glue:GetDatabase`, `glue:GetTable`, `glue:GetPartitions`).
   */
  grantReadDefinition(grantee: iam.IGrantable): iam.Grant;
}

/**
 * What `CloudTrailTable.fromTableAttributes` and `InsightsTable.fromTableAttributes` need to know of a table
 * built elsewhere. The values must describe the deployed table: the saved queries are written from them.
 */
export interface TrailTableAttributes {
  /** The trail whose log files the table reads. */
  readonly identity: TrailIdentity;

  /** The archive that holds the trail's log files (same stack, or `TrailArchive.fromAttributes`). */
  readonly archive: ITrailArchive;

  /**
   * The name of the table's Glue database, in the account and region of the stack that imports it:
   * lowercase letters, digits and underscores, at most 255 characters.
   */
  readonly databaseName: string;

  /**
   * The table name: lowercase letters, digits and underscores, at most 255 characters.
   *
   * @default - `events` for a CloudTrailTable, `insights` for an InsightsTable
   */
  readonly tableName?: string;

  /**
   * The regions the table projects.
   *
   * @default - every region of the home region's partition that `aws-cdk-lib/region-info` knows
   */
  readonly regions?: string[];

  /**
   * For organization trails: the accounts the table projects. Leave unset when the table's account partition
   * is injected; the saved queries then take the account as a parameter.
   *
   * @default - injected account partition (organization trails); not allowed for account trails
   */
  readonly accounts?: string[];
}
