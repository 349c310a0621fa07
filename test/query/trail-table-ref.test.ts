import { App, Resource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCOUNT_IDENTITY, ARCHIVE_BUCKET, ORG_IDENTITY } from './support/fixture-stacks';
import { StandInArchive } from './support/stand-in-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { CloudTrailTable, ForensicQueryTable, InsightsTable, ITrailTable, TrailAnalytics } from '../../src/query';

const ENV = { account: '999999999999', region: 'eu-west-1' };

function stackWithArchive(identity: TrailIdentity = ORG_IDENTITY) {
  const stack = new Stack(new App(), 'Forensics', { env: ENV });
  const archive = new StandInArchive(stack, 'Archive', {
    identity, bucketName: ARCHIVE_BUCKET, keyArn: 'arn:aws:kms:eu-west-1:999999999999:key/abc',
  });
  return { stack, archive };
}

describe('created tables are resources', () => {
  test('logical ids of the Glue tables and the shared database do not change', () => {
    const { stack, archive } = stackWithArchive(ACCOUNT_IDENTITY);
    const events = new CloudTrailTable(stack, 'Events', { identity: ACCOUNT_IDENTITY, archive });
    new InsightsTable(stack, 'Insights', { identity: ACCOUNT_IDENTITY, archive });
    expect(Resource.isResource(events)).toBe(true);
    const template = Template.fromStack(stack);
    // The ids the tables had as plain constructs (paths Events/Table, Insights/Table).
    expect(Object.keys(template.findResources('AWS::Glue::Table')).sort()).toEqual(['EventsTable764B9B5E', 'InsightsTable88ADE785']);
    expect(Object.keys(template.findResources('AWS::Glue::Database'))).toEqual(['CloudTrailDatabasecloudtrailaccounttrailC2A0603A']);
  });

  test('each table says which records it holds', () => {
    const { stack, archive } = stackWithArchive();
    expect(new CloudTrailTable(stack, 'Events', { identity: ORG_IDENTITY, archive }).records).toBe(ForensicQueryTable.EVENTS);
    expect(new InsightsTable(stack, 'Insights', { identity: ORG_IDENTITY, archive }).records).toBe(ForensicQueryTable.INSIGHTS);
  });
});

describe('fromTableAttributes', () => {
  test('an imported events table: default name, qualified name, injected account partition', () => {
    const { stack, archive } = stackWithArchive();
    const table = CloudTrailTable.fromTableAttributes(stack, 'Events', { identity: ORG_IDENTITY, archive, databaseName: 'forensics_db' });
    expect(table.records).toBe(ForensicQueryTable.EVENTS);
    expect(table.tableName).toBe('events');
    expect(table.qualifiedName).toBe('"forensics_db"."events"');
    expect(table.requiresAccountFilter).toBe(true);
    expect(table.accounts).toBeUndefined();
    expect(table.regions).toContain('eu-central-1');
    expect(stack.resolve(table.database.databaseName)).toBe('forensics_db');
    expect(Template.fromStack(stack).findResources('AWS::Glue::Table')).toEqual({});
  });

  test('listed accounts and regions are projected, so queries need no account', () => {
    const { stack, archive } = stackWithArchive();
    const table = InsightsTable.fromTableAttributes(stack, 'Insights', {
      identity: ORG_IDENTITY,
      archive,
      databaseName: 'forensics_db',
      tableName: 'org_insights',
      accounts: ['111111111111'],
      regions: ['us-east-1'],
    });
    expect(table.records).toBe(ForensicQueryTable.INSIGHTS);
    expect(table.qualifiedName).toBe('"forensics_db"."org_insights"');
    expect(table.requiresAccountFilter).toBe(false);
    expect(table.accounts).toEqual(['111111111111']);
    expect(table.regions).toEqual(['us-east-1']);
  });

  test.each([
    ['missing databaseName', { databaseName: undefined }, 'databaseName undefined must be given'],
    ['upper-case databaseName', { databaseName: 'Forensics' }, 'databaseName "Forensics" must be 1-255 lowercase letters, digits or underscores'],
    ['table name with a dash', { databaseName: 'db', tableName: 'org-events' }, 'tableName "org-events" must be 1-255 lowercase letters, digits or underscores'],
    ['identity that is not a TrailIdentity', { databaseName: 'db', identity: 'org-trail' }, 'identity "org-trail" must be a TrailIdentity'],
  ])('%s is refused', (_name, override, message) => {
    const { stack, archive } = stackWithArchive();
    expect(() => CloudTrailTable.fromTableAttributes(stack, 'Events', { identity: ORG_IDENTITY, archive, ...(override as any) }))
      .toThrow(message);
  });

  test('accounts are refused for an account trail', () => {
    const { stack, archive } = stackWithArchive(ACCOUNT_IDENTITY);
    expect(() => CloudTrailTable.fromTableAttributes(stack, 'Events', {
      identity: ACCOUNT_IDENTITY, archive, databaseName: 'db', accounts: ['111111111111'],
    })).toThrow(/accounts must not be set for an account trail/);
  });
});

describe('TrailAnalytics over imported tables', () => {
  function importedAnalytics(accounts?: string[]) {
    const { stack, archive } = stackWithArchive();
    const table = CloudTrailTable.fromTableAttributes(stack, 'Events', { identity: ORG_IDENTITY, archive, databaseName: 'forensics_db', accounts });
    const insightsTable = InsightsTable.fromTableAttributes(stack, 'Insights', { identity: ORG_IDENTITY, archive, databaseName: 'forensics_db', accounts });
    const analytics = new TrailAnalytics(stack, 'Analytics', { table, insightsTable });
    return { stack, archive, table, analytics, get template() { return Template.fromStack(stack); } };
  }

  test('saved queries read the imported tables by name, with the Insights timeline, and depend on nothing', () => {
    const { template } = importedAnalytics();
    const queries = Object.values(template.findResources('AWS::Athena::NamedQuery')) as any[];
    const insights = queries.find(q => q.Properties.QueryString.includes('"forensics_db"."insights"'));
    expect(insights).toBeDefined();
    for (const q of queries) {
      expect(q.Properties.Database).toBe('forensics_db');
      expect(q.Properties.QueryString).toMatch(/"forensics_db"\."(events|insights)"/);
      expect(q.DependsOn).toBeUndefined();
    }
    expect(template.findResources('AWS::Glue::Table')).toEqual({});
  });

  test('an injected account partition makes every saved query filter on account; listed accounts do not', () => {
    const injected = Object.values(importedAnalytics().template.findResources('AWS::Athena::PreparedStatement')) as any[];
    expect(injected.every(s => /account\s*=\s*\?/.test(s.Properties.QueryStatement))).toBe(true);
    const listed = Object.values(importedAnalytics(['111111111111']).template.findResources('AWS::Athena::PreparedStatement')) as any[];
    expect(listed.some(s => /account\s*=\s*\?/.test(s.Properties.QueryStatement))).toBe(false);
  });

  test('grantQuery covers the imported tables\' Glue definitions and the archive', () => {
    const { stack, analytics } = importedAnalytics();
    const role = new iam.Role(stack, 'Investigator', { assumedBy: new iam.AccountRootPrincipal() });
    analytics.grantQuery(role);
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':glue:eu-west-1:999999999999:table/forensics_db/events');
    expect(policies).toContain(':glue:eu-west-1:999999999999:table/forensics_db/insights');
    expect(policies).toContain(':glue:eu-west-1:999999999999:database/forensics_db');
    expect(policies).toContain(`:s3:::${ARCHIVE_BUCKET}/org-trail/AWSLogs/o-`);
  });

  test('the events and Insights tables cannot be swapped', () => {
    const { stack, archive } = stackWithArchive();
    const events: ITrailTable = CloudTrailTable.fromTableAttributes(stack, 'Events', { identity: ORG_IDENTITY, archive, databaseName: 'db' });
    const insights: ITrailTable = InsightsTable.fromTableAttributes(stack, 'Insights', { identity: ORG_IDENTITY, archive, databaseName: 'db' });
    expect(() => new TrailAnalytics(stack, 'A', { table: insights }))
      .toThrow('table "Forensics/Insights" must be a table of the trail\'s events (a CloudTrailTable or CloudTrailTable.fromTableAttributes())');
    expect(() => new TrailAnalytics(stack, 'B', { table: events, insightsTable: events }))
      .toThrow('insightsTable "Forensics/Events" must be a table of the trail\'s Insights records');
  });
});
