import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DigestCheck } from './digest-check';
import { DIGEST_QUERIES, digestQuery, DigestQuery, DigestQueryTarget } from './digest-queries';
import { IDigestTable } from './digest-table';
import { describeQuery, validateProps } from './integrity-check-inputs';
import { QueryResults } from './query-results';
import { TrailAnalytics } from './trail-analytics';
import { ITrailTable } from './trail-table-ref';
import { ITrailArchive } from '../archive/archive-base';
import { failureAlarm } from '../private/alert-health';
import { allowAlarmsToPublish } from '../private/alert-topic';
import { managedPolicyGrantee } from '../private/managed-grantee';
import { encryptedLogGroup } from '../private/secure';
import { fail } from '../private/validation';

/**
 * Properties of {@link IntegrityCheck}.
 */
export interface IntegrityCheckProps {
  /** The table of the trail's digest files. */
  readonly digestTable: IDigestTable;

  /**
   * The table of the trail's event log files (a `CloudTrailTable` or `CloudTrailTable.fromTableAttributes()`),
   * with the same regions and accounts as `digestTable`: its `"$path"` lists the log files in the archive.
   */
  readonly eventsTable: ITrailTable;

  /**
   * The workgroup the checks run in, and whose results bucket receives their results.
   */
  readonly analytics: TrailAnalytics;

  /**
   * The topic every alarm of the check notifies. A topic of this app gets a policy statement (and, when encrypted,
   * a key policy statement) letting this account's CloudWatch alarms publish; an imported topic's policies must
   * already allow it.
   */
  readonly alarmTopic: sns.ITopic;

  /**
   * The checks to save and run.
   *
   * @default - every check of {@link DigestCheck}
   */
  readonly checks?: DigestCheck[];

  /**
   * When the checks run. Each run reads the day folders from `lookbackDays` days before its day to its day.
   *
   * @default - every day at 02:00 UTC, when the digests of the day before have all been delivered
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * How many days before the day of a run it reads, in whole days from 1 to 30. A log file is judged only
   * once a digest of a later hour has been read, so the last hours before a run are judged by the next one;
   * with 1, every day is read by two runs. Every run reads every log file of its days: the cost of a run grows
   * with this number.
   *
   * @default 1
   */
  readonly lookbackDays?: number;

  /**
   * For tables whose account partition is injected: the accounts each run checks, one query per account and
   * check. Not allowed when the tables list their accounts (every run checks all of them) or are an account
   * trail's.
   *
   * @default - the tables' projected accounts
   */
  readonly accounts?: string[];

  /**
   * How long one query may run before the run fails (and alarms).
   *
   * @default Duration.minutes(30)
   */
  readonly queryTimeout?: Duration;
}

const NAMESPACE = 'CloudTrailGovernance/Integrity';
const DAY_MILLIS = 86_400_000;
// The Step Functions integration's own policy for StartQueryExecution .sync and GetQueryResults
// (https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html), on this workgroup only.
const WORKGROUP_ACTIONS = [
  'athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
];

/**
 * Proof that the record is whole, checked every day without a Lambda function: the digest queries saved in a
 * {@link TrailAnalytics} workgroup (named queries and prepared statements) and a schedule that runs them
 * and alarms when one returns rows.
 *
 * - EventBridge Scheduler starts a Step Functions state machine (daily by default).
 * - The state machine runs each check's query in the workgroup and waits for it
 *   (`athena:startQueryExecution.sync`), reads at most its first row, and publishes 1 (rows found) or 0
 *   to the metric `CloudTrailGovernance/Integrity` / `<check metric>` with dimension `Trail` = the trail ARN.
 * - One alarm per check (at least 1 in the latest run; it keeps its state until the next run) and one on the
 *   state machine's failed executions notify `alarmTopic`.
 * - The state machine's role may run queries only in that workgroup, read the two tables and the archive,
 *   and read and write query results; the metric data it may put is limited to the namespace.
 *
 * The results of each run stay in the workgroup's results bucket: the execution's output names each
 * check's query execution, whose results are the findings.
 */
export class IntegrityCheck extends Construct {
  /** The CloudWatch namespace of the checks' metrics. */
  public static readonly METRIC_NAMESPACE = NAMESPACE;

  /** The checks saved and run. */
  public readonly checks: DigestCheck[];

  /** The state machine that runs the checks. */
  public readonly stateMachine: sfn.StateMachine;

  /** The role the state machine runs as. */
  public readonly role: iam.Role;

  /** The schedule that starts the state machine. */
  public readonly schedule: scheduler.Schedule;

  /** The named query of each check, by check (its statement name). */
  public readonly namedQueries: { [check: string]: athena.CfnNamedQuery };

  /** The prepared statement of each check, by check (its statement name). */
  public readonly preparedStatements: { [check: string]: athena.CfnPreparedStatement };

  /** The alarm of each check, by check: at least one row in the latest run. */
  public readonly alarms: { [check: string]: cloudwatch.Alarm };

  /** The alarm on failed runs (`ExecutionsFailed` of the state machine). */
  public readonly failedRunsAlarm: cloudwatch.Alarm;

  private readonly trailArn: string;

  constructor(scope: Construct, id: string, props: IntegrityCheckProps) {
    super(scope, id);
    validateProps(this, props);
    const { digestTable, eventsTable, analytics } = props;
    this.trailArn = digestTable.identity.trailArn;
    this.checks = [...(props.checks ?? DIGEST_QUERIES.map(q => q.check))];
    const lookbackDays = props.lookbackDays ?? 1;
    const target: DigestQueryTarget = {
      eventsTable: eventsTable.qualifiedName,
      digestTable: digestTable.qualifiedName,
      organization: digestTable.identity.isOrganizationTrail,
      accountFilter: digestTable.requiresAccountFilter,
    };

    this.namedQueries = {};
    this.preparedStatements = {};
    for (const check of this.checks) {
      const query = digestQuery(check);
      const sql = query.sql(target);
      const description = describeQuery(query, target);
      const namedQuery = new athena.CfnNamedQuery(this, `Query-${check}`, {
        name: query.title,
        description,
        database: digestTable.databaseName,
        workGroup: analytics.workGroup.ref,
        queryString: sql,
      });
      const statement = new athena.CfnPreparedStatement(this, `Statement-${check}`, {
        statementName: check,
        description,
        workGroup: analytics.workGroup.ref,
        queryStatement: sql,
      });
      // The SQL names the tables literally; Athena may analyze a prepared statement when it is created.
      for (const table of [digestTable, eventsTable]) {
        namedQuery.node.addDependency(table);
        statement.node.addDependency(table);
      }
      this.namedQueries[check] = namedQuery;
      this.preparedStatements[check] = statement;
    }

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: `Runs the digest checks of trail ${digestTable.identity.trailName} in workgroup ${analytics.workGroupName}`,
    });
    // A customer managed policy, not the role's inline default policy (NIST, HIPAA and PCI packs flag inline ones).
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Run the digest checks of trail ${digestTable.identity.trailName}, and nothing else`,
      roles: [this.role],
    });
    this.grantRun(policy, managedPolicyGrantee(this.role, policy), props);
    const logGroupName = `/cloudtrail-governance/integrity-checks/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    const { logGroup } = encryptedLogGroup(this, 'Log', {
      logGroupName,
      description: `Encrypts the execution log of the digest checks of ${this.node.path}`,
      retention: logs.RetentionDays.ONE_YEAR,
    });
    // Step Functions delivers execution logs through CloudWatch Logs' log delivery and traces through X-Ray; neither
    // API takes a resource ARN ("Logging using CloudWatch Logs" and "Tracing with X-Ray", Step Functions guide).
    policy.addStatements(new iam.PolicyStatement({
      actions: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
        'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      resources: ['*'],
    }));
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5',
      reason: 'cloudwatch:PutMetricData, the log delivery and X-Ray actions take no resource ARN (PutMetricData is narrowed ' +
        'by its namespace); the archive and results grants cover the log files and the results prefix, which Athena ' +
        'reads and writes object by object.',
    });

    const window = sfn.Pass.jsonata(this, 'Window', {
      comment: `The day folders this run reads: ${lookbackDays} day(s) before the run's day (UTC) to that day`,
      assign: {
        firstDay: `{% $fromMillis($toMillis($states.context.Execution.StartTime) - ${lookbackDays * DAY_MILLIS}, '[Y0001]/[M01]/[D01]') %}`,
        lastDay: "{% $fromMillis($toMillis($states.context.Execution.StartTime), '[Y0001]/[M01]/[D01]') %}",
      },
    });
    const checks = sfn.Parallel.jsonata(this, 'Checks', {
      comment: 'Each check runs its query and publishes whether it returned rows',
    });
    for (const check of this.checks) {
      checks.branch(this.checkBranch(digestQuery(check), target, props));
    }

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: `Digest checks of trail ${digestTable.identity.trailName}`,
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(window.next(checks)),
      // The service integrations would add their own, broader statements (s3:GetObject on *, glue:CreateTable,
      // lakeformation:GetDataAccess ...): the role gets exactly the grants above instead.
      role: this.role.withoutPolicyUpdates(),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    this.stateMachine.node.addDependency(policy);

    // The schedule's own role, with a customer managed policy: the target would otherwise create one with an inline
    // policy. EventBridge Scheduler's confused-deputy conditions: the account and the schedule group
    // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
    const stack = Stack.of(this);
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      description: `Lets EventBridge Scheduler start the digest checks of trail ${digestTable.identity.trailName}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
        },
      }),
    });
    new iam.ManagedPolicy(this, 'SchedulePolicy', {
      description: 'Start the digest checks, and nothing else',
      roles: [scheduleRole],
      statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] })],
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Runs the digest checks of trail ${digestTable.identity.trailName}`,
      schedule: props.schedule ?? scheduler.ScheduleExpression.cron({ minute: '0', hour: '2' }),
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, { role: scheduleRole.withoutPolicyUpdates() }),
    });

    allowAlarmsToPublish(this, props.alarmTopic, 'AllowIntegrityAlarms');
    const action = new cloudwatchActions.SnsAction(props.alarmTopic);
    this.alarms = {};
    for (const check of this.checks) {
      const query = digestQuery(check);
      const alarm = new cloudwatch.Alarm(this, `Alarm-${check}`, {
        alarmDescription: `${query.title} (saved query ${check}, trail ${digestTable.identity.trailName}): the latest run ` +
          'found at least one. The execution output of the state machine names the query execution whose results list them.',
        metric: this.metricForCheck(check),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // Runs are a day apart: between them the alarm keeps what the latest run said.
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
      alarm.addAlarmAction(action);
      this.alarms[check] = alarm;
    }
    this.failedRunsAlarm = failureAlarm(this, 'FailedRuns', {
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5) }),
      description: `A run of the digest checks of trail ${digestTable.identity.trailName} failed: a query failed, ` +
        'timed out or could not read the tables, so nothing was checked. The execution history names the step.',
      action,
    });
  }

  /**
   * The metric a check publishes after each run: 1 when its query returned rows, 0 when none (Maximum over an
   * hour, as the check's alarm reads it).
   */
  public metricForCheck(check: DigestCheck, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.checks.includes(check)) fail(this, 'check', check, `is not one of this construct's checks (${this.checks.join(', ')})`);
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName: digestQuery(check).metricName,
      dimensionsMap: { Trail: this.trailArn },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.hours(1),
      ...props,
    });
  }

  private grantRun(policy: iam.ManagedPolicy, role: iam.IGrantable, props: IntegrityCheckProps): void {
    const stack = Stack.of(this);
    const { analytics, digestTable, eventsTable } = props;
    policy.addStatements(new iam.PolicyStatement({ actions: WORKGROUP_ACTIONS, resources: [analytics.workGroupArn] }));
    policy.addStatements(new iam.PolicyStatement({
      actions: ['athena:GetDataCatalog'],
      resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
    }));
    digestTable.grantReadDefinition(role);
    eventsTable.grantReadDefinition(role);
    for (const archive of new Set<ITrailArchive>([digestTable.archive, eventsTable.archive])) archive.grantRead(role);
    QueryResults.grantReadWrite(analytics.resultsBucket, analytics.resultsKey, role);
    policy.addStatements(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      // PutMetricData has no resource-level permissions; the namespace condition is what narrows it.
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': NAMESPACE } },
    }));
  }

  /** Run the query (for each account, when they are injected), read one row, publish 1 or 0. */
  private checkBranch(query: DigestQuery, target: DigestQueryTarget, props: IntegrityCheckProps): sfn.IChainable {
    const check = query.check;
    const literal = (expression: string) => `{% "'" & ${expression} & "'" %}`;
    const parameters = [literal('$firstDay'), literal('$lastDay')];
    if (target.accountFilter) parameters.push(literal('$states.input'));
    const run = tasks.AthenaStartQueryExecution.jsonata(this, `Run ${check}`, {
      queryString: query.sql(target),
      workGroup: props.analytics.workGroupName,
      executionParameters: parameters,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      taskTimeout: sfn.Timeout.duration(props.queryTimeout ?? Duration.minutes(30)),
    });
    // Athena's quota of concurrent queries is per account; a throttled start is worth waiting for.
    run.addRetry({
      errors: ['Athena.TooManyRequestsException'],
      interval: Duration.seconds(30),
      maxAttempts: 6,
      backoffRate: 2,
    });
    const read = tasks.AthenaGetQueryResults.jsonata(this, `Read ${check}`, {
      queryExecutionId: '{% $states.input.QueryExecution.QueryExecutionId %}',
      // The header row, then at most one row: enough to know whether there are findings.
      maxResults: 2,
      outputs: {
        check,
        found: '{% $count($states.result.ResultSet.Rows) > 1 %}',
        queryExecutionId: '{% $states.input.QueryExecution.QueryExecutionId %}',
      },
    });
    const report = (value: number, name: string) => tasks.CallAwsService.jsonata(this, `Report ${check} ${name}`, {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: {
        Namespace: NAMESPACE,
        MetricData: [{
          MetricName: query.metricName,
          Dimensions: [{ Name: 'Trail', Value: this.trailArn }],
          Value: value,
          Unit: 'Count',
        }],
      },
      iamResources: ['*'],
      outputs: '{% $states.input %}',
    });
    const chain = run.next(read).next(sfn.Choice.jsonata(this, `${check} found?`)
      .when(sfn.Condition.jsonata('{% $states.input.found %}'), report(1, 'found'))
      .otherwise(report(0, 'clean')));
    if (!target.accountFilter) return chain;
    const accounts = props.accounts!;
    return sfn.Map.jsonata(this, `Accounts ${check}`, {
      comment: 'One query per account: the account partition is injected',
      items: sfn.ProvideItems.jsonArray(accounts),
      // Athena runs a limited number of queries at once per account and region.
      maxConcurrency: 1,
    }).itemProcessor(chain);
  }
}
