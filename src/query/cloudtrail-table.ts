import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { CloudTrailSchema } from './cloudtrail-schema';
import { ForensicQueryTable } from './forensic-query-types';
import { ImportedTrailTable } from './imported-trail-table';
import { LogFolder } from './log-layout';
import { TrailTableBase, TrailTableProps } from './trail-table';
import { ITrailTable, TrailTableAttributes } from './trail-table-ref';

/**
 * The Glue table over a trail's event log files (management, data and network activity events):
 * every column of AWS's CloudTrail table for Athena, partitioned by `account` (organization trails),
 * `region` and `day` with partition projection over the archive's real S3 layout.
 *
 * ```ts
 * const events = new CloudTrailTable(this, 'Events', { identity, archive, accounts: ['111122223333'] });
 * // SELECT eventname FROM "cloudtrail_org_trail"."events"
 * //   WHERE day BETWEEN '2024/05/01' AND '2024/05/07' AND region = 'us-east-1'
 * ```
 */
export class CloudTrailTable extends TrailTableBase {
  /**
   * A table built elsewhere (another stack or app), for `TrailAnalytics` and grants. Nothing is checked
   * against the deployed table: the attributes must describe it.
   */
  public static fromTableAttributes(scope: Construct, id: string, attrs: TrailTableAttributes): ITrailTable {
    return new ImportedTrailTable(scope, id, attrs, ForensicQueryTable.EVENTS, 'events');
  }

  /** Which records the table holds. */
  public readonly records: ForensicQueryTable = ForensicQueryTable.EVENTS;

  constructor(scope: Construct, id: string, props: TrailTableProps) {
    super(scope, id, props);
  }

  protected columns(): glue.Column[] {
    return CloudTrailSchema.eventColumns();
  }

  protected logFolder(): string {
    return LogFolder.EVENTS;
  }

  protected defaultTableName(): string {
    return 'events';
  }

  protected tableDescription(): string {
    return `CloudTrail events of trail ${this.identity.trailName}`;
  }
}
