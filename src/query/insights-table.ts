import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { CloudTrailSchema } from './cloudtrail-schema';
import { ForensicQueryTable } from './forensic-query-types';
import { ImportedTrailTable } from './imported-trail-table';
import { LogFolder } from './log-layout';
import { TrailTableBase, TrailTableProps } from './trail-table';
import { ITrailTable, TrailTableAttributes } from './trail-table-ref';

/**
 * The Glue table over a trail's CloudTrail Insights log files (the `CloudTrail-Insight/` folders),
 * with the Insights record fields and the same partitions and projection as {@link CloudTrailTable}.
 * Empty unless the trail logs Insights events.
 */
export class InsightsTable extends TrailTableBase {
  /**
   * A table built elsewhere (another stack or app), for `TrailAnalytics` and grants. Nothing is checked
   * against the deployed table: the attributes must describe it.
   */
  public static fromTableAttributes(scope: Construct, id: string, attrs: TrailTableAttributes): ITrailTable {
    return new ImportedTrailTable(scope, id, attrs, ForensicQueryTable.INSIGHTS, 'insights');
  }

  /** Which records the table holds. */
  public readonly records: ForensicQueryTable = ForensicQueryTable.INSIGHTS;

  constructor(scope: Construct, id: string, props: TrailTableProps) {
    super(scope, id, props);
  }

  protected columns(): glue.Column[] {
    return CloudTrailSchema.insightsColumns();
  }

  protected logFolder(): string {
    return LogFolder.INSIGHTS;
  }

  protected defaultTableName(): string {
    return 'insights';
  }

  protected tableDescription(): string {
    return `CloudTrail Insights events of trail ${this.identity.trailName}`;
  }
}
