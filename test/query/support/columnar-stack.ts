import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ARCHIVE_BUCKET } from './fixture-stacks';
import { StandInArchive } from './stand-in-archive';
import { TrailIdentity } from '../../../src/identity/trail-identity';
import {
  CloudTrailTable, ColumnarConversion, ColumnarConversionProps, ColumnarSavedQueries, ColumnarTrailTable,
  ColumnarTrailTableProps, TrailAnalytics, TrailTableProps,
} from '../../../src/query';

/** A synthesized log-archive stack with the raw table, TrailAnalytics and the columnar tier. */
export interface ColumnarStack {
  readonly stack: Stack;
  readonly raw: CloudTrailTable;
  readonly analytics: TrailAnalytics;
  readonly columnar: ColumnarTrailTable;
  readonly conversion: ColumnarConversion;
  readonly saved: ColumnarSavedQueries;
  readonly template: any;
}

export function columnarStack(identity: TrailIdentity, options: {
  table?: Omit<TrailTableProps, 'identity' | 'archive'>;
  columnar?: Omit<ColumnarTrailTableProps, 'source'>;
  conversion?: Omit<ColumnarConversionProps, 'table' | 'analytics' | 'alarmTopic'>;
} = {}): ColumnarStack {
  const app = new App();
  const stack = new Stack(app, 'LogArchive', { env: { account: '999999999999', region: 'us-east-1' } });
  const archive = new StandInArchive(stack, 'Archive', {
    identity,
    bucketName: ARCHIVE_BUCKET,
    keyArn: 'arn:aws:kms:us-east-1:999999999999:key/11111111-2222-3333-4444-555555555555',
    accessLogsBucketName: 'archive-access-logs',
  });
  const raw = new CloudTrailTable(stack, 'Events', { identity, archive, ...options.table });
  const analytics = new TrailAnalytics(stack, 'Analytics', { table: raw });
  const columnar = new ColumnarTrailTable(stack, 'Columnar', { source: raw, ...options.columnar });
  const health = sns.Topic.fromTopicArn(stack, 'Health', 'arn:aws:sns:us-east-1:999999999999:health');
  const conversion = new ColumnarConversion(stack, 'Conversion', {
    table: columnar, analytics, alarmTopic: health, ...options.conversion,
  });
  const saved = new ColumnarSavedQueries(stack, 'ColumnarQueries', { table: columnar, analytics });
  const template = app.synth().getStackByName(stack.stackName).template;
  return { stack, raw, analytics, columnar, conversion, saved, template };
}

/** The state machine's definition, parsed (its DefinitionString joined: the partition as `aws`, other references as `<logical id>`). */
export function stateMachineDefinition(template: any): any {
  const [machine] = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::StepFunctions::StateMachine') as any[];
  const def = machine.Properties.DefinitionString;
  const text = typeof def === 'string' ? def : def['Fn::Join'][1].map((part: any) => {
    if (typeof part === 'string') return part;
    return part.Ref === 'AWS::Partition' ? 'aws' : `<${part.Ref ?? JSON.stringify(part)}>`;
  }).join('');
  return JSON.parse(text);
}
