import { App, CfnParameter, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { forwardingRule, keyOf, rotatingKey, securityStack } from './hand-built-alerts';
import { Json, OrganizationScope } from './organization-scope';
import {
  ALLOWED_REGIONS, HOME_REGION, LOG_ARCHIVE_ACCOUNT, MANAGEMENT_ACCOUNT, SECURITY_ACCOUNT,
} from '../examples/organization/stacks';

const ARCHIVE_BUCKET = `cloudtrail-${LOG_ARCHIVE_ACCOUNT}-${HOME_REGION}`;
const ACCESS_LOGS_BUCKET = `cloudtrail-access-logs-${LOG_ARCHIVE_ACCOUNT}-${HOME_REGION}`;
const ARCHIVE_KEY_ALIAS = 'alias/organization-trail-archive';
const CENTRAL_BUS_ARN = `arn:aws:events:${HOME_REGION}:${SECURITY_ACCOUNT}:event-bus/security-detections`;

/** The organization example built by hand from aws-cdk-lib L2s, and its StackSet member template. */
export interface HandBuiltOrganization {
  readonly app: App;
  /** The member template, once `app` is synthesized (it is synthesized first, by its own app). */
  readonly memberTemplate: () => Json;
}

/**
 * Statements as the library wrote them, with its references to a bucket (`Fn::GetAtt` of the bucket, joined
 * with a key suffix for objects) made references to the hand-built bucket.
 */
export function bucketStatements(list: Json[], bucket: s3.IBucket): iam.PolicyStatement[] {
  const resource = (r: any): string => {
    if (typeof r === 'string') return r;
    if (r['Fn::GetAtt']) return bucket.bucketArn;
    const [, parts] = r['Fn::Join'];
    return bucket.arnForObjects(parts.slice(1).join('').replace(/^\//, ''));
  };
  return list.map(s => iam.PolicyStatement.fromJson({
    ...s,
    Resource: Array.isArray(s.Resource) ? s.Resource.map(resource) : resource(s.Resource),
  }));
}

export function lifecycleRules(rules: Json[]): s3.LifecycleRule[] {
  const days = (n: number | undefined) => (n === undefined ? undefined : Duration.days(n));
  return rules.map(r => ({
    id: r.Id,
    abortIncompleteMultipartUploadAfter: days(r.AbortIncompleteMultipartUpload?.DaysAfterInitiation),
    expiration: days(r.ExpirationInDays),
    noncurrentVersionExpiration: days(r.NoncurrentVersionExpiration?.NoncurrentDays),
    expiredObjectDeleteMarker: r.ExpiredObjectDeleteMarker,
    transitions: r.Transitions?.map((t: Json) => ({
      storageClass: new s3.StorageClass(t.StorageClass),
      transitionAfter: Duration.days(t.TransitionInDays),
    })),
  }));
}

/**
 * A bucket as a careful user would harden it by hand: no public access, no ACLs, TLS only, versioned, retained,
 * S3 events to EventBridge, with the given lifecycle and the library's policy statements.
 */
export function handBuiltBucket(stack: Stack, id: string, bucketName: string | undefined, content: { statements: Json[]; lifecycle: Json[] },
  props: s3.BucketProps): s3.Bucket {
  const bucket = new s3.Bucket(stack, id, {
    bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: lifecycleRules(content.lifecycle),
    ...props,
  });
  // `eventBridgeEnabled` would add a Lambda-backed custom resource; the bucket property needs none.
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  for (const statement of bucketStatements(content.statements, bucket)) bucket.addToResourcePolicy(statement);
  return bucket;
}

/** The log archive's own settings: its key, access logging, Object Lock and the 128 KiB transition floor. */
export function archiveBucketProps(key: kms.IKey, accessLogs: s3.IBucket): s3.BucketProps {
  return {
    encryptionKey: key,
    bucketKeyEnabled: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'access-logs/',
    objectLockEnabled: true,
    objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(365)),
    transitionDefaultMinimumObjectSize: s3.TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
  };
}

function hardenedBucket(stack: Stack, id: string, scope: OrganizationScope, name: string, props: s3.BucketProps): s3.Bucket {
  return handBuiltBucket(stack, id, name === 'results' ? undefined : name,
    { statements: scope.bucketStatements[name] ?? [], lifecycle: scope.bucketLifecycles[name] }, props);
}

function logArchiveStack(stack: Stack, scope: OrganizationScope): void {
  const archiveKey = rotatingKey(stack, 'ArchiveKey', keyOf(scope, stack, /CloudTrail log files/));
  archiveKey.addAlias(ARCHIVE_KEY_ALIAS);
  const accessLogs = hardenedBucket(stack, 'AccessLogsBucket', scope, ACCESS_LOGS_BUCKET, { encryption: s3.BucketEncryption.S3_MANAGED });
  const archive = hardenedBucket(stack, 'ArchiveBucket', scope, ARCHIVE_BUCKET, archiveBucketProps(archiveKey, accessLogs));
  const resultsKey = rotatingKey(stack, 'ResultsKey', keyOf(scope, stack, /Athena query results/));
  const results = hardenedBucket(stack, 'ResultsBucket', scope, 'results', {
    encryptionKey: resultsKey,
    bucketKeyEnabled: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'athena-query-results/',
  });

  const database = new glue.Database(stack, 'Database', {
    databaseName: scope.database.Name,
    description: scope.database.Description,
  });
  const tables = scope.tables.map(({ input, locationSuffix, templateSuffix }) => {
    const column = (c: Json): glue.Column => ({ name: c.Name, type: { inputString: c.Type, isPrimitive: !/[<(]/.test(c.Type) } });
    const descriptor = input.StorageDescriptor;
    return new glue.S3Table(stack, `${input.Name}Table`, {
      database,
      tableName: input.Name,
      description: input.Description,
      storage: glue.S3TableStorage.fromBucket(archive),
      s3Prefix: locationSuffix.replace(/^\//, ''),
      columns: descriptor.Columns.map(column),
      partitionKeys: input.PartitionKeys.map(column),
      dataFormat: new glue.DataFormat({
        inputFormat: new glue.InputFormat(descriptor.InputFormat),
        outputFormat: new glue.OutputFormat(descriptor.OutputFormat),
        serializationLibrary: new glue.SerializationLibrary(descriptor.SerdeInfo.SerializationLibrary),
      }),
      // S3Table sets has_encrypted_data itself.
      parameters: {
        ...Object.fromEntries(Object.entries<string>(input.Parameters).filter(([k]) => k !== 'has_encrypted_data')),
        'storage.location.template': `s3://${archive.bucketName}${templateSuffix}`,
      },
    });
  });

  const w = scope.workGroup;
  const workGroup = new athena.CfnWorkGroup(stack, 'WorkGroup', {
    name: w.Name,
    description: w.Description,
    recursiveDeleteOption: w.RecursiveDeleteOption,
    state: w.State,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      requesterPaysEnabled: false,
      bytesScannedCutoffPerQuery: w.WorkGroupConfiguration.BytesScannedCutoffPerQuery,
      engineVersion: { selectedEngineVersion: w.WorkGroupConfiguration.EngineVersion.SelectedEngineVersion },
      resultConfiguration: {
        outputLocation: results.s3UrlForObject('results/'),
        expectedBucketOwner: stack.account,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: resultsKey.keyArn },
      },
    },
  });
  const afterTables = (resource: athena.CfnNamedQuery | athena.CfnPreparedStatement) => tables.forEach(t => resource.node.addDependency(t));
  scope.namedQueries.forEach((q, i) => afterTables(new athena.CfnNamedQuery(stack, `Query${i}`, {
    name: q.Name, description: q.Description, database: q.Database, queryString: q.QueryString, workGroup: workGroup.ref,
  })));
  scope.preparedStatements.forEach((p, i) => afterTables(new athena.CfnPreparedStatement(stack, `Statement${i}`, {
    statementName: p.StatementName, description: p.Description, queryStatement: p.QueryStatement, workGroup: workGroup.ref,
  })));
}

/**
 * The member template, hand-built the way a CDK user would without a StackSet construct: a stack of its own
 * app (environment-agnostic, no bootstrap version rule: it runs in accounts that were never bootstrapped),
 * synthesized first, whose template file becomes an `s3assets.Asset` of the management stack that the
 * StackSet reads by URL.
 */
function memberTemplate(scope: OrganizationScope): { file: string; template: () => Json } {
  const app = new App();
  const stack = new Stack(app, 'DetectionForwarderMember', {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    analyticsReporting: false,
    description: scope.member.description,
  });
  const busArn = new CfnParameter(stack, scope.member.parameterName, {
    type: 'String',
    description: scope.member.parameter.Description,
    allowedPattern: scope.member.parameter.AllowedPattern,
  });
  forwardingRule(stack, scope, busArn.valueAsString);
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  return { file: artifact.templateFullPath, template: () => artifact.template };
}

function managementStack(stack: Stack, scope: OrganizationScope, memberFile: string): void {
  const t = scope.trail;
  const logGroupKey = rotatingKey(stack, 'LogGroupKey', keyOf(scope, stack, /CloudWatch Logs group/));
  const logGroup = new logs.LogGroup(stack, 'TrailLogGroup', {
    logGroupName: '/aws/cloudtrail/organization-trail',
    encryptionKey: logGroupKey,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // CloudWatch Logs checks the key policy when the group is created.
  logGroup.node.addDependency(logGroupKey);
  // A role that only this trail may assume, with a managed policy: Trail's own would be an inline policy.
  const deliveryRole = new iam.Role(stack, 'LogsDeliveryRole', {
    description: scope.deliveryRole.Description,
    maxSessionDuration: Duration.hours(1),
    assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com')
      .withConditions(scope.deliveryRole.AssumeRolePolicyDocument.Statement[0].Condition),
  });
  const deliveryPolicy = new iam.ManagedPolicy(stack, 'LogsDeliveryPolicy', {
    description: scope.deliveryPolicy.Description,
    roles: [deliveryRole],
    document: iam.PolicyDocument.fromJson(scope.deliveryPolicy.PolicyDocument),
  });
  const trail = new cloudtrail.Trail(stack, 'Trail', {
    trailName: t.TrailName,
    bucket: s3.Bucket.fromBucketName(stack, 'Archive', ARCHIVE_BUCKET),
    encryptionKey: kms.Key.fromKeyArn(stack, 'ArchiveKey', t.KMSKeyId),
    isOrganizationTrail: true,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableFileValidation: true,
    insightTypes: [cloudtrail.InsightType.API_CALL_RATE, cloudtrail.InsightType.API_ERROR_RATE],
  });
  // Trail's L2 expresses neither advanced event selectors nor a delivery role of one's own.
  const cfnTrail = trail.node.defaultChild as cloudtrail.CfnTrail;
  cfnTrail.addPropertyOverride('AdvancedEventSelectors', t.AdvancedEventSelectors);
  cfnTrail.addPropertyDeletionOverride('EventSelectors');
  cfnTrail.cloudWatchLogsLogGroupArn = logGroup.logGroupArn;
  cfnTrail.cloudWatchLogsRoleArn = deliveryRole.roleArn;
  cfnTrail.applyRemovalPolicy(RemovalPolicy.RETAIN);
  trail.node.addDependency(deliveryPolicy, deliveryRole);

  const topicKey = rotatingKey(stack, 'AlarmTopicKey', keyOf(scope, stack, /CIS benchmark alarms/));
  const topic = new sns.Topic(stack, 'AlarmTopic', { displayName: scope.topicDisplayNames.cis, masterKey: topicKey, enforceSSL: true });
  topic.addToResourcePolicy(iam.PolicyStatement.fromJson({ ...scope.topicStatements.cis, Resource: topic.topicArn }));
  topic.addSubscription(new subscriptions.EmailSubscription('security-team@example.com'));
  const action = new cwActions.SnsAction(topic);
  for (const f of scope.metricFilters) {
    const filter = new logs.MetricFilter(stack, `${f.metricName}Filter`, {
      logGroup,
      filterPattern: logs.FilterPattern.literal(f.pattern),
      metricNamespace: 'CISBenchmark',
      metricName: f.metricName,
      metricValue: '1',
    });
    new cloudwatch.Alarm(stack, `${f.metricName}Alarm`, {
      alarmName: f.alarmName,
      alarmDescription: f.description,
      metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      actionsEnabled: true,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
  }
  new cloudwatch.Alarm(stack, 'LogGroupSilence', {
    alarmName: scope.silenceAlarm.AlarmName,
    alarmDescription: scope.silenceAlarm.AlarmDescription,
    metric: logGroup.metricIncomingLogEvents({ statistic: cloudwatch.Stats.SUM, period: Duration.hours(1) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  }).addAlarmAction(action);

  const s = scope.stackSet;
  const template = new s3assets.Asset(stack, 'ForwarderMemberTemplate', { path: memberFile });
  new cloudformation.CfnStackSet(stack, 'ForwarderStackSet', {
    stackSetName: s.StackSetName,
    description: s.Description,
    permissionModel: 'SERVICE_MANAGED',
    callAs: 'SELF',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    managedExecution: { Active: true },
    capabilities: s.Capabilities,
    operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
    parameters: [{ parameterKey: scope.member.parameterName, parameterValue: CENTRAL_BUS_ARN }],
    stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: ['r-exm1'] }, regions: ALLOWED_REGIONS }],
    templateUrl: template.httpUrl,
  }).applyRemovalPolicy(RemovalPolicy.RETAIN);
  forwardingRule(stack, scope, CENTRAL_BUS_ARN);

  scope.organizationPolicies.forEach((p, i) => new organizations.CfnPolicy(stack, `Guardrail${i}`, {
    name: p.Name, description: p.Description, type: p.Type, targetIds: p.TargetIds, content: p.Content,
  }));
}

/**
 * The organization example built by hand from aws-cdk-lib L2s (L1s where aws-cdk-lib has none: Athena,
 * StackSets, Organizations policies; CloudTrail's advanced event selectors and delivery role by escape hatch):
 * the same accounts, stacks, resources and policy content.
 */
export function handBuiltOrganization(scope: OrganizationScope): HandBuiltOrganization {
  const member = memberTemplate(scope);
  // Access logs delivered under a bucket policy, not the log-delivery ACL (which enforced ownership forbids).
  const app = new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
  const stack = (id: string, account: string, region = HOME_REGION) =>
    new Stack(app, id, { env: { account, region }, terminationProtection: true });
  logArchiveStack(stack('CloudTrailLogArchive', LOG_ARCHIVE_ACCOUNT), scope);
  securityStack(stack('CloudTrailSecurity', SECURITY_ACCOUNT), scope);
  managementStack(stack('CloudTrailManagement', MANAGEMENT_ACCOUNT), scope, member.file);
  for (const region of ALLOWED_REGIONS.filter(r => r !== HOME_REGION)) {
    forwardingRule(stack(`CloudTrailManagementForwarding-${region}`, MANAGEMENT_ACCOUNT, region), scope, CENTRAL_BUS_ARN);
  }
  return { app, memberTemplate: member.template };
}
