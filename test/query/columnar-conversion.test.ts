import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { columnarStack, ColumnarStack, stateMachineDefinition } from './support/columnar-stack';
import { ORG_IDENTITY } from './support/fixture-stacks';

const ACCOUNTS = ['111111111111', '222222222222'];

let org: ColumnarStack;
let template: Template;
let definition: any;

beforeAll(() => {
  org = columnarStack(ORG_IDENTITY, { table: { accounts: ACCOUNTS } });
  template = Template.fromJSON(org.template);
  definition = stateMachineDefinition(org.template);
});

/** Every Athena task of the definition, the Map's included. */
function athenaTasks(def: any): Array<[string, any]> {
  const states: Array<[string, any]> = Object.entries(def.States);
  return states.flatMap(([name, state]) => (state.Type === 'Map'
    ? athenaTasks(state.ItemProcessor)
    : state.Type === 'Task' ? [[name, state] as [string, any]] : []));
}

describe('state machine', () => {
  test('a standard, JSONata state machine that times out before the next hourly run', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(definition.TimeoutSeconds).toBe(55 * 60);
  });

  test('every statement is an Athena startQueryExecution.sync task in the TrailAnalytics workgroup, retried once', () => {
    const tasks = athenaTasks(definition);
    expect(tasks.map(([name]) => name).sort()).toEqual(
      ['CreateTableIfNotExists', 'DeleteExpiredDays', 'MergeDay', 'OptimizeRecentDays', 'Vacuum']);
    for (const [, task] of tasks) {
      expect(task.Resource).toBe('arn:aws:states:::athena:startQueryExecution.sync');
      expect(task.Arguments.WorkGroup).toBe('org-trail-forensics');
      expect(task.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 })]);
    }
  });

  test('creates the table first, then converts or maintains by the schedule\'s mode', () => {
    expect(definition.StartAt).toBe('ComputeDays');
    expect(definition.States.ComputeDays.Next).toBe('CreateTableIfNotExists');
    const bucket = org.stack.getLogicalId(org.columnar.bucket.node.defaultChild as any);
    expect(definition.States.CreateTableIfNotExists.Arguments.QueryString)
      .toBe(org.columnar.createTableSql().replace(/s3:\/\/[^/]+\//, `s3://<${bucket}>/`));
    expect(definition.States.CreateTableIfNotExists.Next).toBe('ConvertOrMaintain');
    const choice = definition.States.ConvertOrMaintain;
    expect(choice.Choices).toEqual([{ Condition: "{% $mode = 'maintain' %}", Next: 'DeleteExpiredDays' }]);
    expect(choice.Default).toBe('MergeEachDay');
    expect(definition.States.DeleteExpiredDays.Next).toBe('OptimizeRecentDays');
    expect(definition.States.OptimizeRecentDays.Next).toBe('Vacuum');
  });

  test('MERGEs the look-back days one at a time, each statement naming its day', () => {
    const map = definition.States.MergeEachDay;
    expect(map.MaxConcurrency).toBe(1);
    expect(map.Items).toBe('{% $days %}');
    expect(map.ItemSelector).toEqual({ day: '{% $states.context.Map.Item.Value %}', sql: org.columnar.mergeSql() });
    expect(map.ItemProcessor.States.MergeDay.Arguments.QueryString).toBe("{% $replace($states.input.sql, '{{day}}', $states.input.day) %}");
    const assign = definition.States.ComputeDays.Assign;
    expect(assign.days).toBe('{% ($t := $toMillis($states.context.Execution.StartTime); ' +
      "[[0..2].$fromMillis($t - $ * 86400000, '[Y0001]/[M01]/[D01]')]) %}");
    expect(assign.since).toContain('- 172800000,');
    // 365 days kept: the cutoff is 364 days before the run's day.
    expect(assign.before).toContain(`- ${364 * 86400000},`);
    expect(assign.retentionSql).toBe(org.columnar.retentionSql());
    expect(assign.optimizeSql).toBe(org.columnar.optimizeSql());
  });

  test('lookBackDays and retention change the window and the cutoff', () => {
    const custom = columnarStack(ORG_IDENTITY, {
      table: { accounts: ACCOUNTS }, conversion: { lookBackDays: 1, retention: Duration.days(30) },
    });
    const assign = stateMachineDefinition(custom.template).States.ComputeDays.Assign;
    expect(assign.days).toContain('[[0..0]');
    expect(assign.before).toContain(`- ${29 * 86400000},`);
  });
});

describe('schedules', () => {
  test('conversion hourly, maintenance daily at 04:30 UTC, each with its mode', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((r: any) => r.Properties);
    expect(schedules.map(s => [s.ScheduleExpression, JSON.parse(s.Target.Input)]).sort()).toEqual([
      ['cron(30 4 * * ? *)', { mode: 'maintain' }],
      ['rate(1 hour)', { mode: 'convert' }],
    ]);
    const machine = org.stack.getLogicalId(org.conversion.stateMachine.node.defaultChild as any);
    for (const s of schedules) expect(s.Target.Arn).toEqual({ Ref: machine });
  });

  test('schedule and maintenanceSchedule can be set', () => {
    const custom = columnarStack(ORG_IDENTITY, {
      table: { accounts: ACCOUNTS },
      conversion: { schedule: scheduler.ScheduleExpression.rate(Duration.minutes(30)) },
    });
    Template.fromJSON(custom.template).hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });
  });
});

describe('alarm', () => {
  test('one failed or timed-out execution in an hour alarms on the health topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: ['arn:aws:sns:us-east-1:999999999999:health'],
      Metrics: Match.arrayWith([
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsFailed' }), Stat: 'Sum' }) }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut' }) }) }),
      ]),
    });
  });
});

describe('role', () => {
  let statements: any[];
  beforeAll(() => {
    const role = org.stack.getLogicalId(org.conversion.stateMachine.role.node.defaultChild as any);
    statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  });
  const actions = () => statements.flatMap(s => [s.Action].flat());

  test('runs queries in the workgroup only', () => {
    const athena = statements.find(s => [s.Action].flat().includes('athena:StartQueryExecution'));
    expect(JSON.stringify(athena.Resource)).toContain(':workgroup/org-trail-forensics');
  });

  test('least privilege: no wildcard resources, no bucket creation, no Glue deletes, deletes only in the columnar folder', () => {
    expect(statements.filter(s => s.Resource === '*')).toEqual([]);
    expect(actions().filter((a: string) => /CreateBucket|glue:Delete|glue:Batch|\*/.test(a))).toEqual([]);
    const deletes = statements.filter(s => [s.Action].flat().includes('s3:DeleteObject'));
    expect(deletes).toHaveLength(1);
    expect(JSON.stringify(deletes[0].Resource)).toContain('/cloudtrail_org_trail/events_columnar/*');
  });

  test('reads the raw table and its logs, writes the columnar table and the query results', () => {
    expect(actions()).toEqual(expect.arrayContaining(['glue:GetPartitions', 'glue:CreateTable', 'glue:UpdateTable', 's3:PutObject']));
    const resources = JSON.stringify(statements.map(s => s.Resource));
    expect(resources).toContain(':table/cloudtrail_org_trail/events"');
    expect(resources).toContain('AnalyticsResultsBucket');
    expect(resources).toContain('archive-bucket/org-trail/AWSLogs/o-a1b2c3d4e5/*');
  });
});

describe('validation', () => {
  test.each<[string, object, string]>([
    ['look-back of 0 days', { lookBackDays: 0 }, 'lookBackDays 0 must be an integer between 1 and 7'],
    ['look-back of 8 days', { lookBackDays: 8 }, 'lookBackDays 8 must be an integer between 1 and 7'],
    ['retention shorter than the look-back', { retention: Duration.days(2) }, 'retention "2 days" must be a whole number of days, at least 3 days'],
    ['retention in hours', { retention: Duration.hours(100) }, 'retention "4 days 4 hours" must be a whole number of days'],
  ])('rejects a %s', (_, conversion, message) => {
    expect(() => columnarStack(ORG_IDENTITY, { table: { accounts: ACCOUNTS }, conversion })).toThrow(message);
  });

  test('rejects a source whose account partition is injected: it could convert no account', () => {
    expect(() => columnarStack(ORG_IDENTITY)).toThrow(/has an injected account partition: .*List the accounts on the CloudTrailTable/);
  });
});
