import * as path from 'path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { StandInArchive } from './stand-in-archive';
import { TrailIdentity } from '../../../src/identity/trail-identity';
import { CloudTrailTable, InsightsTable, TrailAnalytics, TrailAnalyticsProps, TrailTableProps } from '../../../src/query';

/** The fixture tree: the root of the archive bucket `ARCHIVE_BUCKET`. */
export const FIXTURE_ROOT = path.join(__dirname, '..', '..', 'fixtures', 'cloudtrail-logs');
export const ARCHIVE_BUCKET = 'archive-bucket';
export const ORGANIZATION_ID = 'o-a1b2c3d4e5';
export const MANAGEMENT_ACCOUNT = '111111111111';
export const WORKLOAD_ACCOUNT = '222222222222';
/** Has logs in the fixtures but is not in the organization table's account list. */
export const UNLISTED_ACCOUNT = '333333333333';
/** The account of the account-trail fixtures (no key prefix). */
export const STANDALONE_ACCOUNT = '444444444444';
export const LISTED_REGIONS = ['us-east-1', 'eu-west-1'];

export const ORG_IDENTITY = TrailIdentity.organization({
  trailName: 'org-trail',
  organizationId: ORGANIZATION_ID,
  managementAccount: MANAGEMENT_ACCOUNT,
  homeRegion: 'us-east-1',
  s3KeyPrefix: 'org-trail',
});

export const ACCOUNT_IDENTITY = TrailIdentity.account({
  trailName: 'account-trail',
  account: STANDALONE_ACCOUNT,
  homeRegion: 'us-east-1',
});

/** A synthesized stack with the query constructs over the fixture archive. */
export interface FixtureStack {
  readonly stack: Stack;
  readonly table: CloudTrailTable;
  readonly insights: InsightsTable;
  readonly analytics: TrailAnalytics;
  readonly template: any;
}

/**
 * Events and Insights tables plus TrailAnalytics for `identity` over the fixture bucket, in an
 * account other than the trail's (the log-archive account of an organization).
 */
export function fixtureStack(identity: TrailIdentity,
  tableProps: Omit<TrailTableProps, 'identity' | 'archive'> = {},
  analyticsProps: Omit<TrailAnalyticsProps, 'table' | 'insightsTable'> = {}): FixtureStack {
  const app = new App();
  const stack = new Stack(app, 'LogArchive', { env: { account: '999999999999', region: 'us-east-1' } });
  const archive = new StandInArchive(stack, 'Archive', {
    identity,
    bucketName: ARCHIVE_BUCKET,
    keyArn: 'arn:aws:kms:us-east-1:999999999999:key/11111111-2222-3333-4444-555555555555',
    accessLogsBucketName: 'archive-access-logs',
  });
  const table = new CloudTrailTable(stack, 'Events', { identity, archive, ...tableProps });
  const insights = new InsightsTable(stack, 'Insights', { identity, archive, ...tableProps });
  const analytics = new TrailAnalytics(stack, 'Analytics', { table, insightsTable: insights, ...analyticsProps });
  const template = app.synth().getStackByName(stack.stackName).template;
  return { stack, table, insights, analytics, template };
}

/** The saved queries of a synthesized fixture stack, by statement name. */
export interface SavedQuery {
  readonly workGroup: string;
  readonly namedQuery: string;
  readonly preparedStatement: string;
}

export function savedQueries(fixture: FixtureStack): { [id: string]: SavedQuery } {
  const resources: { [id: string]: any } = fixture.template.Resources;
  const resource = (construct: CfnElement) => resources[fixture.stack.getLogicalId(construct)];
  const workGroup = resource(fixture.analytics.workGroup).Properties.Name;
  const result: { [id: string]: SavedQuery } = {};
  for (const [id, statement] of Object.entries(fixture.analytics.preparedStatements)) {
    const statementProps = resource(statement).Properties;
    if (statementProps.StatementName !== id) throw new Error(`statement ${id} is named ${statementProps.StatementName}`);
    result[id] = {
      workGroup,
      namedQuery: resource(fixture.analytics.namedQueries[id]).Properties.QueryString,
      preparedStatement: statementProps.QueryStatement,
    };
  }
  return result;
}
