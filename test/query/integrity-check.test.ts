import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { integrityStack, IntegrityStack, savedDigestQueries } from './support/digest-stacks';
import {
  ACCOUNT_IDENTITY, ARCHIVE_BUCKET, LISTED_REGIONS, MANAGEMENT_ACCOUNT, ORG_IDENTITY, WORKLOAD_ACCOUNT,
} from './support/fixture-stacks';
import { StandInArchive } from './support/stand-in-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import {
  CloudTrailTable, DigestCheck, DigestTable, InsightsTable, IntegrityCheck, IntegrityCheckProps, TrailAnalytics,
} from '../../src/query';

const LISTED = { accounts: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT], allowedRegions: LISTED_REGIONS };
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';
const ALL = Object.values(DigestCheck);
const METRICS: { [check: string]: string } = {
  [DigestCheck.UNVOUCHED_LOG_FILES]: 'UnvouchedLogFiles',
  [DigestCheck.MISSING_LOG_FILES]: 'MissingLogFiles',
  [DigestCheck.CHAIN_BREAKS]: 'DigestChainBreaks',
  [DigestCheck.GAPS]: 'DigestGaps',
  [DigestCheck.CHAIN_RESTARTS]: 'DigestChainRestarts',
};

let org: IntegrityStack;
let injected: IntegrityStack;

beforeAll(() => {
  org = integrityStack(ORG_IDENTITY, LISTED);
  injected = integrityStack(ORG_IDENTITY, { allowedRegions: LISTED_REGIONS }, { accounts: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT] });
});

/** The state machine's definition, its DefinitionString joined with `aws` for the partition. */
function definition(template: any): any {
  const machines = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::StepFunctions::StateMachine');
  expect(machines).toHaveLength(1);
  const def = machines[0].Properties.DefinitionString;
  const text = typeof def === 'string' ? def : def['Fn::Join'][1].map((part: any) => {
    if (typeof part === 'string') return part;
    if (part.Ref === 'AWS::Partition') return 'aws';
    throw new Error(`unexpected token in the definition: ${JSON.stringify(part)}`);
  }).join('');
  return JSON.parse(text);
}

/** The states of one check's branch, by state name. */
function branchStates(fixture: IntegrityStack, check: DigestCheck): { [name: string]: any } {
  const branches: any[] = definition(fixture.template).States.Checks.Branches;
  const branch = branches.find(b => JSON.stringify(b).includes(`"Run ${check}"`));
  const states = branch.States;
  const map = Object.values<any>(states).find(s => s.Type === 'Map');
  return map ? { ...states, ...map.ItemProcessor.States } : states;
}

function policyStatements(fixture: IntegrityStack): any[] {
  const role = fixture.stack.getLogicalId(fixture.check.role.node.defaultChild as any);
  const policies = Object.values<any>(fixture.template.Resources)
    .filter(r => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type) && (r.Properties.Roles ?? []).some((x: any) => x.Ref === role));
  // Only a customer managed policy: no inline policy, which audit tooling flags.
  expect(policies.map(p => p.Type)).toEqual(['AWS::IAM::ManagedPolicy']);
  // The log delivery and X-Ray statement is checked on its own.
  return policies.flatMap(p => p.Properties.PolicyDocument.Statement).filter((st: any) => !JSON.stringify(st.Action).includes('xray:'));
}

describe('the state machine', () => {
  test('JSONata throughout: the window of days, then every check in parallel, in catalog order', () => {
    const def = definition(org.template);
    expect(def.QueryLanguage).toBe('JSONata');
    expect(def.StartAt).toBe('Window');
    expect(def.States.Window).toMatchObject({
      Type: 'Pass',
      Next: 'Checks',
      Assign: {
        firstDay: "{% $fromMillis($toMillis($states.context.Execution.StartTime) - 86400000, '[Y0001]/[M01]/[D01]') %}",
        lastDay: "{% $fromMillis($toMillis($states.context.Execution.StartTime), '[Y0001]/[M01]/[D01]') %}",
      },
    });
    expect(def.States.Checks.Type).toBe('Parallel');
    expect(def.States.Checks.End).toBe(true);
    expect(def.States.Checks.Branches.map((b: any) => b.StartAt)).toEqual(ALL.map(c => `Run ${c}`));
  });

  test.each(ALL)('%s: runs the saved SQL in the workgroup and waits, reads one row, publishes 1 or 0', (check) => {
    const states = branchStates(org, check);
    const saved = savedDigestQueries(org)[check];
    expect(states[`Run ${check}`]).toEqual({
      Type: 'Task',
      QueryLanguage: 'JSONata',
      Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
      Arguments: {
        QueryString: saved.namedQuery,
        WorkGroup: 'org-trail-forensics',
        ResultConfiguration: {},
        ExecutionParameters: ["{% \"'\" & $firstDay & \"'\" %}", "{% \"'\" & $lastDay & \"'\" %}"],
      },
      TimeoutSeconds: 1800,
      Retry: [{ ErrorEquals: ['Athena.TooManyRequestsException'], IntervalSeconds: 30, MaxAttempts: 6, BackoffRate: 2 }],
      Next: `Read ${check}`,
    });
    expect(saved.preparedStatement).toBe(saved.namedQuery);
    expect(states[`Read ${check}`]).toEqual({
      Type: 'Task',
      QueryLanguage: 'JSONata',
      Resource: 'arn:aws:states:::athena:getQueryResults',
      Arguments: { QueryExecutionId: '{% $states.input.QueryExecution.QueryExecutionId %}', MaxResults: 2 },
      Output: {
        check,
        found: '{% $count($states.result.ResultSet.Rows) > 1 %}',
        queryExecutionId: '{% $states.input.QueryExecution.QueryExecutionId %}',
      },
      Next: `${check} found?`,
    });
    expect(states[`${check} found?`]).toEqual({
      Type: 'Choice',
      QueryLanguage: 'JSONata',
      Choices: [{ Condition: '{% $states.input.found %}', Next: `Report ${check} found` }],
      Default: `Report ${check} clean`,
    });
    for (const [name, value] of [['found', 1], ['clean', 0]] as const) {
      expect(states[`Report ${check} ${name}`]).toEqual({
        Type: 'Task',
        QueryLanguage: 'JSONata',
        Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
        Arguments: {
          Namespace: 'CloudTrailGovernance/Integrity',
          MetricData: [{ MetricName: METRICS[check], Dimensions: [{ Name: 'Trail', Value: TRAIL_ARN }], Value: value, Unit: 'Count' }],
        },
        Output: '{% $states.input %}',
        End: true,
      });
    }
  });

  test('an injected account partition: one query per account, one at a time, the account third', () => {
    const branches: any[] = definition(injected.template).States.Checks.Branches;
    expect(branches.map(b => b.StartAt)).toEqual(ALL.map(c => `Accounts ${c}`));
    const map = branches[0].States[`Accounts ${DigestCheck.UNVOUCHED_LOG_FILES}`];
    expect(map).toMatchObject({ Type: 'Map', Items: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT], MaxConcurrency: 1, End: true });
    const run = map.ItemProcessor.States[`Run ${DigestCheck.UNVOUCHED_LOG_FILES}`];
    expect(run.Arguments.ExecutionParameters).toEqual([
      "{% \"'\" & $firstDay & \"'\" %}", "{% \"'\" & $lastDay & \"'\" %}", "{% \"'\" & $states.input & \"'\" %}",
    ]);
    expect(run.Arguments.QueryString).toContain('WHERE day BETWEEN ? AND ? AND account = ?');
  });

  test('lookbackDays and queryTimeout set the window and the query timeout', () => {
    const fixture = integrityStack(ORG_IDENTITY, LISTED, { lookbackDays: 3, queryTimeout: Duration.minutes(90) });
    const def = definition(fixture.template);
    expect(def.States.Window.Assign.firstDay).toContain(`- ${3 * 86_400_000},`);
    expect(branchStates(fixture, DigestCheck.GAPS)[`Run ${DigestCheck.GAPS}`].TimeoutSeconds).toBe(5400);
  });

  test('no Lambda function anywhere', () => {
    Template.fromJSON(org.template).resourceCountIs('AWS::Lambda::Function', 0);
  });
});

describe('least privilege', () => {
  test('the role: queries in the workgroup only, the two tables, the archive, the results, the namespace\'s metrics', () => {
    const statements = policyStatements(org);
    const join = (...parts: any[]) => ({ 'Fn::Join': ['', parts] });
    const partition = { Ref: 'AWS::Partition' };
    expect(statements[0]).toEqual({
      Effect: 'Allow',
      Action: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
      Resource: join('arn:', partition, ':athena:us-east-1:999999999999:workgroup/org-trail-forensics'),
    });
    expect(statements[1]).toEqual({
      Effect: 'Allow',
      Action: 'athena:GetDataCatalog',
      Resource: join('arn:', partition, ':athena:us-east-1:999999999999:datacatalog/AwsDataCatalog'),
    });
    for (const [i, table] of [[2, 'digests'], [3, 'events']] as const) {
      expect(statements[i]).toMatchObject({
        Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        Resource: expect.arrayContaining([join('arn:', partition, `:glue:us-east-1:999999999999:table/cloudtrail_org_trail/${table}`)]),
      });
    }
    expect(statements.slice(4, 7).map(s => s.Action)).toEqual(['s3:GetObject', ['s3:ListBucket', 's3:GetBucketLocation'], 'kms:Decrypt']);
    expect(statements[4].Resource).toEqual(expect.arrayContaining([
      join('arn:', partition, `:s3:::${ARCHIVE_BUCKET}/org-trail/AWSLogs/o-a1b2c3d4e5/*`),
    ]));
    expect(statements.slice(7, 10).map(s => s.Action)).toEqual([
      ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      ['kms:Decrypt', 'kms:GenerateDataKey'],
    ]);
    expect(statements[10]).toEqual({
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'CloudTrailGovernance/Integrity' } },
    });
    expect(statements).toHaveLength(11);
    // None of the integrations' own defaults (s3:* on *, glue:CreateTable, lakeformation:GetDataAccess ...).
    const actions = statements.flatMap(s => [s.Action].flat());
    expect(actions.filter(a => /^(lakeformation|glue:(Create|Delete|Update|Batch)|s3:CreateBucket)/.test(a))).toEqual([]);
    expect(statements.filter(s => s.Resource === '*').map(s => s.Action)).toEqual(['cloudwatch:PutMetricData']);
  });

  test('only Step Functions of this account assumes the role, and the state machine waits for its policy', () => {
    const template = Template.fromJSON(org.template);
    const role = org.stack.getLogicalId(org.check.role.node.defaultChild as any);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } },
        }],
      },
    });
    const machine = Object.values<any>(org.template.Resources).find(r => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machine.Properties.RoleArn).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
    expect(machine.DependsOn).toEqual(expect.arrayContaining([role, expect.stringMatching(/^IntegrityPolicy/)]));
    // Every execution is logged (encrypted, a year) and traced.
    expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  test('the schedule starts this state machine, daily at 02:00 UTC, and may do nothing else', () => {
    const template = Template.fromJSON(org.template);
    const machine = org.stack.getLogicalId(org.check.stateMachine.node.defaultChild as any);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      Target: { Arn: { Ref: machine } },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machine } }] },
    });
    // No inline policy anywhere: audit tooling flags them.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': Match.anyValue(), 'aws:SourceArn': Match.anyValue() }) },
        })],
      },
    });
  });

  test('a schedule of your own', () => {
    const fixture = integrityStack(ORG_IDENTITY, LISTED, { schedule: scheduler.ScheduleExpression.expression('rate(12 hours)') });
    Template.fromJSON(fixture.template).hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(12 hours)' });
  });
});

describe('alarms', () => {
  test.each(ALL)('%s: at least one row in the latest run; the state is kept between runs', (check) => {
    const alarm = org.stack.getLogicalId(org.check.alarms[check].node.defaultChild as any);
    const topic = org.stack.getLogicalId(org.topic.node.defaultChild as any);
    expect(org.template.Resources[alarm].Properties).toEqual({
      AlarmDescription: expect.stringContaining(`(saved query ${check}, trail org-trail): the latest run found at least one`),
      Namespace: 'CloudTrailGovernance/Integrity',
      MetricName: METRICS[check],
      Dimensions: [{ Name: 'Trail', Value: TRAIL_ARN }],
      Statistic: 'Maximum',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
      AlarmActions: [{ Ref: topic }],
    });
  });

  test('failed runs alarm, on the state machine\'s ExecutionsFailed', () => {
    const machine = org.stack.getLogicalId(org.check.stateMachine.node.defaultChild as any);
    const topic = org.stack.getLogicalId(org.topic.node.defaultChild as any);
    Template.fromJSON(org.template).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
    });
    Template.fromJSON(org.template).resourceCountIs('AWS::CloudWatch::Alarm', ALL.length + 1);
  });

  test('the topic lets this account\'s alarms publish', () => {
    Template.fromJSON(org.template).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowIntegrityAlarmsToPublish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
        })]),
      },
    });
  });

  test('metricForCheck is what the alarm reads; a check not run has none', () => {
    expect(org.check.metricForCheck(DigestCheck.GAPS).metricName).toBe('DigestGaps');
    const fixture = integrityStack(ORG_IDENTITY, LISTED, { checks: [DigestCheck.GAPS] });
    expect(() => fixture.check.metricForCheck(DigestCheck.CHAIN_BREAKS))
      .toThrow('check "digest_chain_breaks" is not one of this construct\'s checks (digest_gaps)');
  });
});

describe('saved queries', () => {
  test('a named query and a prepared statement per check, in the workgroup, describing their parameters', () => {
    const template = Template.fromJSON(org.template);
    const workGroup = org.stack.getLogicalId(org.analytics.workGroup);
    for (const check of ALL) {
      template.hasResourceProperties('AWS::Athena::PreparedStatement', { StatementName: check, WorkGroup: { Ref: workGroup } });
    }
    template.resourceCountIs('AWS::Athena::PreparedStatement', ALL.length);
    template.resourceCountIs('AWS::Athena::NamedQuery', ALL.length);
    template.hasResourceProperties('AWS::Athena::NamedQuery', {
      Name: 'Hours no digest covers', Database: 'cloudtrail_org_trail', WorkGroup: { Ref: workGroup },
    });
    for (const [fixture, parameters] of [[org, 'start_day'], [injected, 'account, e.g.']] as const) {
      for (const saved of Object.values(savedDigestQueries(fixture))) {
        expect(saved.description.length).toBeLessThanOrEqual(1024);
        expect(saved.description).toContain('Parameters, in order: start_day, e.g. \'2024/05/01\'');
        expect(saved.description).toContain(parameters);
      }
    }
  });

  test('checks narrows what is saved, run and alarmed', () => {
    const fixture = integrityStack(ORG_IDENTITY, LISTED, { checks: [DigestCheck.CHAIN_BREAKS, DigestCheck.GAPS] });
    expect(Object.keys(savedDigestQueries(fixture))).toEqual([DigestCheck.CHAIN_BREAKS, DigestCheck.GAPS]);
    expect(definition(fixture.template).States.Checks.Branches).toHaveLength(2);
    Template.fromJSON(fixture.template).resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });
});

describe('validation', () => {
  /** A stack with both tables of `identity`; `build` creates the check with overrides. */
  function parts(identity: TrailIdentity = ORG_IDENTITY, tableProps: object = LISTED) {
    const stack = new Stack(new App(), 'Stack', { env: { account: '999999999999', region: 'us-east-1' } });
    const archive = new StandInArchive(stack, 'Archive', {
      identity, bucketName: ARCHIVE_BUCKET, keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc',
    });
    const eventsTable = new CloudTrailTable(stack, 'Events', { identity, archive, ...tableProps });
    const digestTable = new DigestTable(stack, 'Digests', { identity, archive, ...tableProps });
    const analytics = new TrailAnalytics(stack, 'Analytics', { table: eventsTable, queries: [] });
    const alarmTopic = new sns.Topic(stack, 'Topic');
    let built = 0;
    const build = (props: Partial<IntegrityCheckProps> = {}) => new IntegrityCheck(stack, `Check${built++}`, {
      digestTable, eventsTable, analytics, alarmTopic, ...props,
    });
    return { stack, archive, eventsTable, digestTable, analytics, build };
  }

  test('the tables must be the trail\'s digests and events, with the same projection', () => {
    const p = parts();
    const insights = new InsightsTable(p.stack, 'Insights', { identity: ORG_IDENTITY, archive: p.archive, ...LISTED });
    expect(() => p.build({ eventsTable: insights })).toThrow(/eventsTable "Stack\/Insights" must be a table of the trail's events/);
    expect(() => p.build({ digestTable: p.eventsTable as any })).toThrow(/digestTable "Stack\/Events" must be a table of the trail's digest files/);
    const narrower = new CloudTrailTable(p.stack, 'Narrower', {
      identity: ORG_IDENTITY, archive: p.archive, ...LISTED, allowedRegions: ['us-east-1'], tableName: 'narrow',
    });
    expect(() => p.build({ eventsTable: narrower })).toThrow('digestTable and eventsTable must project the same regions: the digest ' +
      'table has eu-west-1,us-east-1, the events table us-east-1');
    const other = TrailIdentity.organization({
      trailName: 'other-trail', organizationId: 'o-a1b2c3d4e5', managementAccount: MANAGEMENT_ACCOUNT, homeRegion: 'us-east-1', s3KeyPrefix: 'org-trail',
    });
    const foreign = CloudTrailTable.fromTableAttributes(p.stack, 'Foreign', { identity: other, archive: p.archive, databaseName: 'x', ...LISTED });
    expect(() => p.build({ eventsTable: foreign })).toThrow(`eventsTable "arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT}:trail/other-trail" ` +
      `must read the same trail as digestTable (${TRAIL_ARN})`);
  });

  test('analytics, alarmTopic, checks, lookbackDays and queryTimeout are checked', () => {
    const p = parts();
    expect(() => p.build({ analytics: {} as any })).toThrow(/analytics .* must be a TrailAnalytics/);
    expect(() => p.build({ alarmTopic: undefined as any })).toThrow(/alarmTopic undefined must be an SNS topic/);
    expect(() => p.build({ checks: [] })).toThrow('checks must not be empty');
    expect(() => p.build({ checks: ['gaps' as any] })).toThrow(/checks\[0\] "gaps" must be one of digest_unvouched_log_files/);
    expect(() => p.build({ checks: [DigestCheck.GAPS, DigestCheck.GAPS] })).toThrow('checks contains "digest_gaps" more than once');
    expect(() => p.build({ lookbackDays: 0 })).toThrow('lookbackDays 0 must be an integer between 1 and 30');
    expect(() => p.build({ lookbackDays: 1.5 })).toThrow('lookbackDays 1.5 must be an integer between 1 and 30');
    expect(() => p.build({ queryTimeout: Duration.seconds(30) })).toThrow('queryTimeout "Duration.seconds(30)" must be at least 1 minute');
  });

  test('accounts: required for an injected account partition, refused otherwise', () => {
    const injectedParts = parts(ORG_IDENTITY, { allowedRegions: LISTED_REGIONS });
    expect(() => injectedParts.build()).toThrow(/accounts must be given: the tables' account partition is injected/);
    expect(() => injectedParts.build({ accounts: ['1234'] })).toThrow('accounts[0] "1234" must be a 12-digit AWS account id');
    expect(() => parts().build({ accounts: [MANAGEMENT_ACCOUNT] })).toThrow(/accounts must not be set: the tables list their accounts/);
    expect(() => parts(ACCOUNT_IDENTITY, { allowedRegions: ['us-east-1'] }).build({ accounts: [MANAGEMENT_ACCOUNT] }))
      .toThrow(/accounts must not be set: the tables are an account trail's/);
  });
});
