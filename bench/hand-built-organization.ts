import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  FORWARDED_REGIONS, HOME_REGION, LOG_ARCHIVE_ACCOUNT, MANAGEMENT_ACCOUNT, SECURITY_ACCOUNT,
} from '../examples/organization/stacks';

const ACCOUNTS = { management: MANAGEMENT_ACCOUNT, logArchive: LOG_ARCHIVE_ACCOUNT, security: SECURITY_ACCOUNT };

type Json = { [key: string]: any };

/**
 * The strings the organization example is made of (event patterns, filter patterns, queries, table
 * columns, the member template): data, not construct work, so the hand-built app takes them from the
 * library's own output and both sides synthesize the same content.
 */
export interface OrganizationScope {
  readonly keyPolicyStatements: { [stack: string]: { [keyId: string]: Json[] } };
  readonly bucketPolicyStatements: { [bucketId: string]: Json[] };
  readonly tables: Array<{ id: string; input: Json }>;
  readonly workGroup: Json;
  readonly namedQueries: Json[];
  readonly preparedStatements: Json[];
  readonly advancedEventSelectors: Json[];
  readonly metricFilters: Array<{ pattern: string; metricName: string; alarmName: string; description: string }>;
  readonly stackSet: Json;
  readonly forwardingPattern: Json;
  readonly alertRules: Array<{ pattern: Json; description: string; inputPathsMap: Json; inputTemplate: string }>;
}

function resourcesOf(templates: { [stack: string]: Json }, stack: string, type: string): Array<[string, Json]> {
  return Object.entries<Json>(templates[stack].Resources).filter(([, r]) => r.Type === type);
}

/** Reads the scope from the organization example's synthesized templates (by stack name). */
export function organizationScope(templates: { [stack: string]: Json }): OrganizationScope {
  const props = (stack: string, type: string) => resourcesOf(templates, stack, type).map(([, r]) => r.Properties);
  const keyPolicyStatements: OrganizationScope['keyPolicyStatements'] = {};
  for (const stack of Object.keys(templates)) {
    keyPolicyStatements[stack] = {};
    for (const [id, key] of resourcesOf(templates, stack, 'AWS::KMS::Key')) {
      // The account-root statement is what kms.Key adds by itself.
      keyPolicyStatements[stack][id] = key.Properties.KeyPolicy.Statement.filter((s: Json) => s.Action !== 'kms:*');
    }
  }
  const bucketPolicyStatements: OrganizationScope['bucketPolicyStatements'] = {};
  for (const [id, policy] of resourcesOf(templates, 'CloudTrailLogArchive', 'AWS::S3::BucketPolicy')) {
    bucketPolicyStatements[id] = policy.Properties.PolicyDocument.Statement;
  }
  const management = 'CloudTrailManagement';
  const alarms = props(management, 'AWS::CloudWatch::Alarm');
  return {
    keyPolicyStatements,
    bucketPolicyStatements,
    tables: resourcesOf(templates, 'CloudTrailLogArchive', 'AWS::Glue::Table').map(([id, r]) => ({ id, input: r.Properties.TableInput })),
    workGroup: props('CloudTrailLogArchive', 'AWS::Athena::WorkGroup')[0],
    namedQueries: props('CloudTrailLogArchive', 'AWS::Athena::NamedQuery'),
    preparedStatements: props('CloudTrailLogArchive', 'AWS::Athena::PreparedStatement'),
    advancedEventSelectors: props(management, 'AWS::CloudTrail::Trail')[0].AdvancedEventSelectors,
    metricFilters: props(management, 'AWS::Logs::MetricFilter').map((f, i) => ({
      pattern: f.FilterPattern,
      metricName: f.MetricTransformations[0].MetricName,
      alarmName: alarms[i].AlarmName,
      description: alarms[i].AlarmDescription,
    })),
    stackSet: props(management, 'AWS::CloudFormation::StackSet')[0],
    forwardingPattern: props(management, 'AWS::Events::Rule')[0].EventPattern,
    alertRules: props('CloudTrailSecurity', 'AWS::Events::Rule').map(r => ({
      pattern: r.EventPattern,
      description: r.Description,
      inputPathsMap: r.Targets[0].InputTransformer.InputPathsMap,
      inputTemplate: r.Targets[0].InputTransformer.InputTemplate,
    })),
  };
}

/**
 * Policy statements as the library wrote them, with references to the library's bucket turned into
 * references to the hand-built one (`{ Fn::GetAtt: [bucket, Arn] }`, optionally joined with a key suffix).
 */
function statements(list: Json[] | undefined, bucket?: s3.IBucket): iam.PolicyStatement[] {
  const resource = (r: any): string => {
    if (typeof r === 'string' || !bucket) return r;
    if (r['Fn::GetAtt']) return bucket.bucketArn;
    const [, parts] = r['Fn::Join'];
    return bucket.arnForObjects(parts.slice(1).join('').replace(/^\//, ''));
  };
  return (list ?? []).map(s => iam.PolicyStatement.fromJson({
    ...s,
    Resource: Array.isArray(s.Resource) ? s.Resource.map(resource) : s.Resource && resource(s.Resource),
  }));
}

function rotatingKey(stack: Stack, id: string, scope: OrganizationScope, templateId: string, alias?: string): kms.Key {
  const key = new kms.Key(stack, id, { enableKeyRotation: true, alias, removalPolicy: RemovalPolicy.RETAIN });
  for (const statement of statements(scope.keyPolicyStatements[stack.stackName]?.[templateId])) key.addToResourcePolicy(statement);
  return key;
}

function hardenedBucket(stack: Stack, id: string, props: s3.BucketProps): s3.Bucket {
  const bucket = new s3.Bucket(stack, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });
  // `eventBridgeEnabled` would add a Lambda-backed custom resource; the bucket property needs none.
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  return bucket;
}

function deadLetterQueue(stack: Stack, id: string): sqs.Queue {
  return new sqs.Queue(stack, id, { retentionPeriod: Duration.days(14), encryption: sqs.QueueEncryption.SQS_MANAGED });
}

function forwardingRule(stack: Stack, scope: OrganizationScope) {
  const bus = events.EventBus.fromEventBusArn(stack, 'CentralBus',
    `arn:aws:events:${HOME_REGION}:${ACCOUNTS.security}:event-bus/security-detections`);
  // The target grants events:PutEvents on the bus to the role.
  const role = new iam.Role(stack, 'ForwardingRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
  const queue = deadLetterQueue(stack, 'ForwardingDeadLetterQueue');
  const rule = new events.Rule(stack, 'ForwardingRule', { description: 'Detection events to the central detection bus' });
  rule.addEventPattern(scope.forwardingPattern as events.EventPattern);
  rule.addTarget(new targets.EventBus(bus, { role, deadLetterQueue: queue }));
}

/**
 * The organization example built by hand from aws-cdk-lib L2s (L1s where no L2 exists: Athena and
 * StackSets): the same accounts, stacks, resources and policy content.
 */
export function handBuiltOrganizationApp(scope: OrganizationScope): App {
  // Access logs delivered under a bucket policy, not the log-delivery ACL (which enforced ownership forbids).
  const app = new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });

  const logArchive = new Stack(app, 'CloudTrailLogArchive', { env: { account: ACCOUNTS.logArchive, region: HOME_REGION } });
  const archiveKey = rotatingKey(logArchive, 'ArchiveKey', scope, 'ArchiveKey3EF5EDE5', 'alias/organization-trail-archive');
  const accessLogs = hardenedBucket(logArchive, 'AccessLogsBucket', {
    bucketName: `cloudtrail-access-logs-${ACCOUNTS.logArchive}-${HOME_REGION}`,
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
  });
  const archive = hardenedBucket(logArchive, 'ArchiveBucket', {
    bucketName: `cloudtrail-${ACCOUNTS.logArchive}-${HOME_REGION}`,
    encryptionKey: archiveKey,
    bucketKeyEnabled: true,
    serverAccessLogsBucket: accessLogs,
    objectLockEnabled: true,
    objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(365)),
    lifecycleRules: [{
      transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }],
      noncurrentVersionExpiration: Duration.days(30),
    }],
  });
  const resultsKey = rotatingKey(logArchive, 'ResultsKey', scope, 'AnalyticsResultsKeyF93B6ACE');
  const results = hardenedBucket(logArchive, 'ResultsBucket', {
    encryptionKey: resultsKey,
    serverAccessLogsBucket: accessLogs,
    lifecycleRules: [{ expiration: Duration.days(30) }],
  });
  for (const [bucket, policies] of [[archive, 'ArchiveBucketPolicy'], [accessLogs, 'ArchiveAccessLogsBucketPolicy']] as const) {
    const policyId = Object.keys(scope.bucketPolicyStatements).find(id => id.startsWith(policies));
    for (const statement of statements(policyId ? scope.bucketPolicyStatements[policyId] : [], bucket)) bucket.addToResourcePolicy(statement);
  }
  const database = new glue.Database(logArchive, 'Database', { databaseName: scope.tables[0].input.Name.split('_')[0] + '_db' });
  for (const { id, input } of scope.tables) {
    const column = (c: Json): glue.Column => ({ name: c.Name, type: { inputString: c.Type, isPrimitive: !/[<(]/.test(c.Type) } });
    new glue.S3Table(logArchive, id, {
      database,
      tableName: input.Name,
      storage: glue.S3TableStorage.fromBucket(archive),
      s3Prefix: 'AWSLogs/',
      columns: input.StorageDescriptor.Columns.map(column),
      partitionKeys: input.PartitionKeys.map(column),
      dataFormat: new glue.DataFormat({
        inputFormat: new glue.InputFormat(input.StorageDescriptor.InputFormat),
        outputFormat: new glue.OutputFormat(input.StorageDescriptor.OutputFormat),
        serializationLibrary: new glue.SerializationLibrary(input.StorageDescriptor.SerdeInfo.SerializationLibrary),
      }),
      // S3Table sets has_encrypted_data itself (the archive bucket's KMS key makes it true).
      parameters: Object.fromEntries(Object.entries<string>(input.Parameters).filter(([k]) => k !== 'has_encrypted_data')),
    });
  }
  const workGroup = new athena.CfnWorkGroup(logArchive, 'WorkGroup', {
    ...Object.fromEntries(Object.entries(scope.workGroup).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), v])),
    name: scope.workGroup.Name,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: scope.workGroup.WorkGroupConfiguration.BytesScannedCutoffPerQuery,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: results.s3UrlForObject('results/'),
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: resultsKey.keyArn },
      },
    },
  });
  scope.namedQueries.forEach((q, i) => new athena.CfnNamedQuery(logArchive, `Query${i}`, {
    name: q.Name, description: q.Description, database: q.Database, queryString: q.QueryString, workGroup: workGroup.name,
  }).addResourceDependency(workGroup));
  scope.preparedStatements.forEach((p, i) => new athena.CfnPreparedStatement(logArchive, `Statement${i}`, {
    statementName: p.StatementName, description: p.Description, queryStatement: p.QueryStatement, workGroup: workGroup.name,
  }).addResourceDependency(workGroup));

  const security = new Stack(app, 'CloudTrailSecurity', { env: { account: ACCOUNTS.security, region: HOME_REGION } });
  const bus = new events.EventBus(security, 'DetectionBus', { eventBusName: 'security-detections' });
  bus.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowOrganizationToPutEvents',
    principals: [new iam.AnyPrincipal()],
    actions: ['events:PutEvents'],
    resources: [bus.eventBusArn],
    conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
  }));
  const alertsKey = rotatingKey(security, 'AlertsKey', scope, 'AlertsKey9E1197AF');
  const alerts = new sns.Topic(security, 'AlertsTopic', { displayName: 'Security alerts', masterKey: alertsKey, enforceSSL: true });
  const alertsQueue = deadLetterQueue(security, 'AlertsDeadLetterQueue');
  scope.alertRules.forEach((r, i) => {
    const rule = new events.Rule(security, `Alert${i}`, { eventBus: bus, description: r.description });
    rule.addEventPattern(r.pattern as events.EventPattern);
    const fields = Object.fromEntries(Object.entries<string>(r.inputPathsMap).map(([name, path]) => [name, events.EventField.fromPath(path)]));
    rule.addTarget(new targets.SnsTopic(alerts, {
      deadLetterQueue: alertsQueue,
      message: events.RuleTargetInput.fromText(Object.keys(fields).map(name => `${name}: ${fields[name]}`).join('\n')),
    }));
  });

  const management = new Stack(app, 'CloudTrailManagement', { env: { account: ACCOUNTS.management, region: HOME_REGION } });
  const logGroupKey = rotatingKey(management, 'LogGroupKey', scope, 'TrailLogGroupKeyCFFF93A2');
  const logGroup = new logs.LogGroup(management, 'TrailLogGroup', {
    logGroupName: '/aws/cloudtrail/organization-trail',
    encryptionKey: logGroupKey,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const trail = new cloudtrail.Trail(management, 'Trail', {
    trailName: 'organization-trail',
    bucket: s3.Bucket.fromBucketName(management, 'Archive', `cloudtrail-${ACCOUNTS.logArchive}-${HOME_REGION}`),
    encryptionKey: kms.Key.fromKeyArn(management, 'ArchiveKey',
      `arn:aws:kms:${HOME_REGION}:${ACCOUNTS.logArchive}:alias/organization-trail-archive`),
    isOrganizationTrail: true,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableFileValidation: true,
    sendToCloudWatchLogs: true,
    cloudWatchLogGroup: logGroup,
    insightTypes: [cloudtrail.InsightType.API_CALL_RATE, cloudtrail.InsightType.API_ERROR_RATE],
  });
  (trail.node.defaultChild as cloudtrail.CfnTrail).addPropertyOverride('AdvancedEventSelectors', scope.advancedEventSelectors);
  const alarmKey = rotatingKey(management, 'AlarmTopicKey', scope, 'CisAlarmsTopicKey44FB437B');
  const alarmTopic = new sns.Topic(management, 'AlarmTopic', { masterKey: alarmKey, enforceSSL: true });
  for (const f of scope.metricFilters) {
    const filter = new logs.MetricFilter(management, `${f.metricName}Filter`, {
      logGroup,
      filterPattern: logs.FilterPattern.literal(f.pattern),
      metricNamespace: 'CISBenchmark',
      metricName: f.metricName,
      metricValue: '1',
    });
    new cloudwatch.Alarm(management, `${f.metricName}Alarm`, {
      alarmName: f.alarmName,
      alarmDescription: f.description,
      metric: filter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new cwActions.SnsAction(alarmTopic));
  }
  new cloudformation.CfnStackSet(management, 'ForwarderStackSet', {
    stackSetName: scope.stackSet.StackSetName,
    permissionModel: 'SERVICE_MANAGED',
    callAs: 'SELF',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    managedExecution: { Active: true },
    capabilities: ['CAPABILITY_IAM'],
    operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
    parameters: [{ parameterKey: 'CentralBusArn', parameterValue: `arn:aws:events:${HOME_REGION}:${ACCOUNTS.security}:event-bus/security-detections` }],
    stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: ['r-exm1'] }, regions: FORWARDED_REGIONS }],
    templateUrl: scope.stackSet.TemplateURL,
  });
  forwardingRule(management, scope);
  for (const region of FORWARDED_REGIONS.filter(r => r !== HOME_REGION)) {
    forwardingRule(new Stack(app, `CloudTrailManagementForwarding-${region}`, { env: { account: ACCOUNTS.management, region } }), scope);
  }
  return app;
}
