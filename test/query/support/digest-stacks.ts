import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ARCHIVE_BUCKET } from './fixture-stacks';
import { StandInArchive } from './stand-in-archive';
import { TrailIdentity } from '../../../src/identity/trail-identity';
import {
  CloudTrailTable, DigestTable, IntegrityCheck, IntegrityCheckProps, TrailAnalytics, TrailTableProps,
} from '../../../src/query';

/** A synthesized log-archive stack with the events and digest tables, TrailAnalytics and an IntegrityCheck. */
export interface IntegrityStack {
  readonly stack: Stack;
  readonly events: CloudTrailTable;
  readonly digests: DigestTable;
  readonly analytics: TrailAnalytics;
  readonly topic: sns.Topic;
  readonly check: IntegrityCheck;
  readonly template: any;
}

export function integrityStack(identity: TrailIdentity,
  tableProps: Omit<TrailTableProps, 'identity' | 'archive'> = {},
  checkProps: Partial<IntegrityCheckProps> = {},
  workGroupName?: string): IntegrityStack {
  const app = new App();
  const stack = new Stack(app, 'LogArchive', { env: { account: '999999999999', region: 'us-east-1' } });
  const archive = new StandInArchive(stack, 'Archive', {
    identity,
    bucketName: ARCHIVE_BUCKET,
    keyArn: 'arn:aws:kms:us-east-1:999999999999:key/11111111-2222-3333-4444-555555555555',
  });
  const events = new CloudTrailTable(stack, 'Events', { identity, archive, ...tableProps });
  const digests = new DigestTable(stack, 'Digests', { identity, archive, ...tableProps });
  const analytics = new TrailAnalytics(stack, 'Analytics', { table: events, queries: [], workGroupName });
  const topic = new sns.Topic(stack, 'Alarms');
  const check = new IntegrityCheck(stack, 'Integrity', {
    digestTable: digests, eventsTable: events, analytics, alarmTopic: topic, ...checkProps,
  });
  const template = app.synth().getStackByName(stack.stackName).template;
  return { stack, events, digests, analytics, topic, check, template };
}

/** One saved digest query as the template holds it. */
export interface SavedDigestQuery {
  readonly workGroup: string;
  readonly namedQuery: string;
  readonly preparedStatement: string;
  readonly description: string;
}

/** The saved queries of an IntegrityCheck, by statement name. */
export function savedDigestQueries(fixture: IntegrityStack): { [id: string]: SavedDigestQuery } {
  const resources: { [id: string]: any } = fixture.template.Resources;
  const resource = (construct: CfnElement) => resources[fixture.stack.getLogicalId(construct)];
  const workGroup = resource(fixture.analytics.workGroup).Properties.Name;
  const result: { [id: string]: SavedDigestQuery } = {};
  for (const [id, statement] of Object.entries(fixture.check.preparedStatements)) {
    const props = resource(statement).Properties;
    if (props.StatementName !== id) throw new Error(`statement ${id} is named ${props.StatementName}`);
    const named = resource(fixture.check.namedQueries[id]).Properties;
    if (typeof named.QueryString !== 'string' || typeof props.QueryStatement !== 'string') {
      throw new Error(`the SQL of ${id} is not a plain string`);
    }
    result[id] = { workGroup, namedQuery: named.QueryString, preparedStatement: props.QueryStatement, description: named.Description };
  }
  return result;
}
