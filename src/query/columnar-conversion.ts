import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BEFORE_PLACEHOLDER, DAY_PLACEHOLDER, SINCE_PLACEHOLDER } from './columnar-sql';
import { ColumnarTrailTable } from './columnar-table';
import { QueryResults } from './query-results';
import { TrailAnalytics } from './trail-analytics';
import { wholeDays } from '../private/secure';
import { fail, validateInteger, ValidationError } from '../private/validation';

/**
 * Properties of {@link ColumnarConversion}.
 */
export interface ColumnarConversionProps {
  /** The columnar table to fill. Its source table is what the conversion reads. */
  readonly table: ColumnarTrailTable;

  /**
   * The workgroup the statements run in: its results bucket, encryption and bytes-scanned cutoff apply.
   */
  readonly analytics: TrailAnalytics;

  /** The topic failed or timed-out conversions alarm on: the library's health topic. */
  readonly alarmTopic: sns.ITopic;

  /**
   * How many delivery days each run converts, counting back from the day of the run (today, yesterday,
   * ...): 1-7. A log file delivered into a day's folder after that day's last run is picked up by a
   * later run as long as the day is still in the window; so is a day a failed run missed.
   *
   * @default 3 (today and the previous 2 days)
   */
  readonly lookBackDays?: number;

  /**
   * When conversion runs.
   *
   * @default ScheduleExpression.rate(Duration.hours(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * When maintenance runs: retention DELETE, OPTIMIZE of the look-back window, VACUUM.
   *
   * @default - daily at 04:30 UTC
   */
  readonly maintenanceSchedule?: scheduler.ScheduleExpression;

  /**
   * How long the columnar table keeps a day, in whole days: maintenance deletes the days before it.
   * The raw archive keeps its own retention; older days stay queryable there.
   *
   * @default Duration.days(365)
   */
  readonly retention?: Duration;
}

const MAX_LOOK_BACK = 7;
const DAY_MS = 86_400_000;
/** A JSONata picture of the raw table's `yyyy/MM/dd` day folders. */
const DAY_PICTURE = '[Y0001]/[M01]/[D01]';

/**
 * The Lambda-free conversion of a trail's raw JSON events into its {@link ColumnarTrailTable}: a Step Functions
 * state machine that runs Athena statements, started by EventBridge Scheduler.
 *
 * Every run first creates the Iceberg table if it does not exist. A conversion run (hourly by default) then
 * MERGEs each day of the look-back window, one statement per day, one after the other (concurrent commits to one
 * Iceberg table conflict). A maintenance run (daily) deletes the days past `retention`, compacts the look-back
 * window with `OPTIMIZE ... REWRITE DATA USING BIN_PACK` and expires old snapshots with `VACUUM`. The days are
 * computed from the execution's start time (UTC) with JSONata and written into the statements, so every statement
 * names its days literally and partition projection reads only those days' folders.
 *
 * Each statement is an Athena `startQueryExecution.sync` task: Step Functions waits for the query to finish and
 * fails the task when the query fails. The tasks are written as ASL states rather than with
 * `AthenaStartQueryExecution`, whose generated policy grants `s3:CreateBucket` and every Glue table and database
 * action on `*`; the role here gets exactly the workgroup, the two tables and the buckets involved.
 *
 * A failed or timed-out execution raises the alarm on `alarmTopic`.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/merge-into-statement.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-data-optimization.html
 */
export class ColumnarConversion extends Construct {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;

  /** The conversion schedule. */
  public readonly schedule: scheduler.Schedule;

  /** The maintenance schedule. */
  public readonly maintenanceSchedule: scheduler.Schedule;

  /** The alarm on failed or timed-out executions. */
  public readonly failureAlarm: cloudwatch.Alarm;

  /** The days each run converts. */
  public readonly lookBackDays: number;

  /** The days the columnar table keeps. */
  public readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: ColumnarConversionProps) {
    super(scope, id);
    if (!props || !(props.table instanceof ColumnarTrailTable)) {
      fail(this, 'table', (props?.table as any)?.node?.path ?? props?.table, 'must be a ColumnarTrailTable');
    }
    if (!(props.analytics instanceof TrailAnalytics)) {
      fail(this, 'analytics', (props.analytics as any)?.node?.path ?? props.analytics, 'must be a TrailAnalytics');
    }
    if (!props.alarmTopic || typeof props.alarmTopic.topicArn !== 'string') {
      fail(this, 'alarmTopic', props.alarmTopic, 'must be an SNS topic (the health topic)');
    }
    const { table, analytics } = props;
    if (table.source.requiresAccountFilter) {
      throw new ValidationError(this, `table's source ${table.source.qualifiedName} has an injected account partition: Athena ` +
        'reads such a table only for the accounts a query names, so the conversion could copy no account. List the ' +
        'accounts on the CloudTrailTable (accounts: [...]) to convert them.');
    }
    this.lookBackDays = props.lookBackDays ?? 3;
    validateInteger(this, 'lookBackDays', this.lookBackDays, 1, MAX_LOOK_BACK);
    const retention = props.retention ?? Duration.days(365);
    this.retentionDays = wholeDays(this, 'retention', retention, this.lookBackDays);

    const stack = Stack.of(this);
    const workGroup = analytics.workGroupName;
    const athenaTask = (stateId: string, queryString: string) => {
      const state = new sfn.CustomState(this, stateId, {
        stateJson: {
          Type: 'Task',
          QueryLanguage: 'JSONata',
          Resource: `arn:${stack.partition}:states:::athena:startQueryExecution.sync`,
          Arguments: {
            QueryString: queryString,
            WorkGroup: workGroup,
            QueryExecutionContext: { Database: table.databaseName },
          },
          Output: '{% {\'queryExecutionId\': $states.result.QueryExecution.QueryExecutionId, ' +
            '\'bytesScanned\': $states.result.QueryExecution.Statistics.DataScannedInBytes} %}',
        },
      });
      // Iceberg commits are optimistic: a commit racing another writer fails and succeeds when retried.
      state.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(30), maxAttempts: 2, backoffRate: 2 });
      return state;
    };

    // The statements are literal strings; only the days come from JSONata. The outer [] keeps a one-day window
    // an array (JSONata unwraps a sequence of one).
    const prepare = sfn.Pass.jsonata(this, 'ComputeDays', {
      assign: {
        // The task outputs replace the state's input, so the schedule's mode is kept as a variable.
        mode: '{% $exists($states.input.mode) ? $states.input.mode : \'convert\' %}',
        days: `{% ($t := $toMillis($states.context.Execution.StartTime); [[0..${this.lookBackDays - 1}].$fromMillis($t - $ * ${DAY_MS}, '${DAY_PICTURE}')]) %}`,
        since: `{% $fromMillis($toMillis($states.context.Execution.StartTime) - ${(this.lookBackDays - 1) * DAY_MS}, '${DAY_PICTURE}') %}`,
        before: `{% $fromMillis($toMillis($states.context.Execution.StartTime) - ${(this.retentionDays - 1) * DAY_MS}, '${DAY_PICTURE}') %}`,
        retentionSql: table.retentionSql(),
        optimizeSql: table.optimizeSql(),
      },
    });
    const create = athenaTask('CreateTableIfNotExists', table.createTableSql());

    const merge = athenaTask('MergeDay', `{% $replace($states.input.sql, '${DAY_PLACEHOLDER}', $states.input.day) %}`);
    const mergeDays = sfn.Map.jsonata(this, 'MergeEachDay', {
      items: sfn.ProvideItems.jsonata('{% $days %}'),
      itemSelector: { day: '{% $states.context.Map.Item.Value %}', sql: table.mergeSql() },
      maxConcurrency: 1,
    });
    mergeDays.itemProcessor(merge);

    const deleteExpired = athenaTask('DeleteExpiredDays', `{% $replace($retentionSql, '${BEFORE_PLACEHOLDER}', $before) %}`);
    const optimize = athenaTask('OptimizeRecentDays', `{% $replace($optimizeSql, '${SINCE_PLACEHOLDER}', $since) %}`);
    const vacuum = athenaTask('Vacuum', table.vacuumSql());
    const maintain = deleteExpired.next(optimize).next(vacuum);

    const mode = sfn.Choice.jsonata(this, 'ConvertOrMaintain')
      .when(sfn.Condition.jsonata('{% $mode = \'maintain\' %}'), maintain)
      .otherwise(mergeDays);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(prepare.next(create).next(mode)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // Shorter than the hourly schedule, so two conversions never overlap.
      timeout: Duration.minutes(55),
      comment: `Converts ${table.source.qualifiedName} into ${table.qualifiedName}`,
    });
    this.grantStatements(this.stateMachine.role, table, analytics);

    const start = (input: object) => new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
      input: scheduler.ScheduleTargetInput.fromObject(input),
    });
    this.schedule = new scheduler.Schedule(this, 'ConversionSchedule', {
      schedule: props.schedule ?? scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: start({ mode: 'convert' }),
      description: `Converts the recent days of ${table.source.qualifiedName} into ${table.qualifiedName}`,
    });
    this.maintenanceSchedule = new scheduler.Schedule(this, 'MaintenanceSchedule', {
      schedule: props.maintenanceSchedule ?? scheduler.ScheduleExpression.cron({ minute: '30', hour: '4' }),
      target: start({ mode: 'maintain' }),
      description: `Retention, compaction and snapshot expiry of ${table.qualifiedName}`,
    });

    const failures = new cloudwatch.MathExpression({
      expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
      usingMetrics: {
        failed: this.stateMachine.metricFailed({ statistic: 'Sum' }),
        timedOut: this.stateMachine.metricTimedOut({ statistic: 'Sum' }),
      },
      period: Duration.hours(1),
      label: 'Failed or timed-out conversions',
    });
    this.failureAlarm = failures.createAlarm(this, 'FailureAlarm', {
      alarmDescription: `The conversion of ${table.source.qualifiedName} into ${table.qualifiedName} failed: the columnar table ` +
        'misses events until a run succeeds (the raw table still has them). See the execution in Step Functions.',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failureAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
  }

  /**
   * Athena runs each statement with the state machine's credentials: it needs the workgroup, the raw table and
   * its log files (read), the columnar table and bucket (write, including the deletes of OPTIMIZE, VACUUM and
   * retention) and the results bucket. Nothing else: the tasks' permissions are written here, not generated.
   */
  private grantStatements(role: iam.IRole, table: ColumnarTrailTable, analytics: TrailAnalytics): void {
    const stack = Stack.of(this);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetWorkGroup'],
      resources: [analytics.workGroupArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['athena:GetDataCatalog'],
      resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
    }));
    table.source.grantRead(role);
    table.grantReadWrite(role);
    QueryResults.grantReadWrite(analytics.resultsBucket, analytics.resultsKey, role);
  }
}
