/**
 * The data the organization example is made of (policy statements the library writes, event patterns,
 * filter patterns, queries, table columns, alert texts, descriptions), read from its synthesized templates
 * once, before any timing, so that the hand-built app (bench/hand-built-organization.ts) synthesizes the
 * same content and only the construct work differs between the two.
 */

export type Json = { [key: string]: any };
export type Templates = { [stack: string]: Json };

/** One piece of an alert text: literal text, or the event field pasted in its place. */
export type AlertTextPart = string | { readonly path: string };

export interface AlertRuleScope {
  readonly ruleName: string;
  readonly description: string;
  readonly state: string;
  readonly pattern: Json;
  readonly text: AlertTextPart[];
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
  readonly failedAlarmDescription: string;
}

export interface ForwardingScope {
  readonly ruleName: string;
  readonly description: string;
  readonly state: string;
  readonly pattern: Json;
  readonly roleDescription: string;
  readonly policyDescription: string;
  readonly queueName: string;
  readonly alarms: Array<{ readonly id: string; readonly properties: Json }>;
}

export interface OrganizationScope {
  /** Per stack, per key description: the statements besides the account-root one kms.Key adds itself. */
  readonly keys: { [stack: string]: Array<{ description: string; statements: Json[] }> };
  /** Per bucket name: the statements besides those enforceSSL, minimumTLSVersion and server access logging add. */
  readonly bucketStatements: { [bucketName: string]: Json[] };
  readonly bucketLifecycles: { [bucketName: string]: Json[] };
  readonly database: Json;
  readonly tables: Array<{ input: Json; locationSuffix: string; templateSuffix: string }>;
  readonly workGroup: Json;
  readonly namedQueries: Json[];
  readonly preparedStatements: Json[];

  readonly busDescription: string;
  readonly busStatement: Json;
  readonly alertRules: AlertRuleScope[];
  readonly topicDisplayNames: { alerts: string; health: string; cis: string };
  readonly topicStatements: { alerts: Json; health: Json; cis: Json };
  readonly deadLetterQueueName: string;
  readonly healthAlarms: { deadLetters: string; failedNotifications: string };

  readonly trail: Json;
  readonly deliveryRole: Json;
  readonly deliveryPolicy: Json;
  readonly metricFilters: Array<{ pattern: string; metricName: string; alarmName: string; description: string }>;
  readonly silenceAlarm: Json;
  readonly stackSet: Json;
  readonly organizationPolicies: Json[];
  readonly forwarding: ForwardingScope;
  readonly member: { description: string; parameterName: string; parameter: Json };
}

function resources(template: Json, type: string): Array<[string, Json]> {
  return Object.entries<Json>(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

function propsOf(template: Json, type: string): Json[] {
  return resources(template, type).map(([, r]) => r.Properties);
}

/** The text after `{ Ref: bucket }` in an `Fn::Join` that starts with "s3://" and the bucket. */
function afterBucket(value: Json): string {
  const [, parts] = value['Fn::Join'];
  return parts.slice(2).join('');
}

function alertText(transformer: Json): AlertTextPart[] {
  const text: string = JSON.parse(transformer.InputTemplate);
  const paths: { [name: string]: string } = transformer.InputPathsMap;
  return text.split(/<([^<>]+)>/).map((part, i) => (i % 2 === 1 && paths[part] ? { path: paths[part] } : part))
    .filter(part => part !== '');
}

function forwardingScope(template: Json): ForwardingScope {
  const [rule] = propsOf(template, 'AWS::Events::Rule');
  return {
    ruleName: rule.Name,
    description: rule.Description,
    state: rule.State,
    pattern: rule.EventPattern,
    roleDescription: propsOf(template, 'AWS::IAM::Role').find(r => r.RoleName)!.Description,
    policyDescription: propsOf(template, 'AWS::IAM::ManagedPolicy').find(p => /central detection bus/.test(p.Description))!.Description,
    queueName: propsOf(template, 'AWS::SQS::Queue')[0].QueueName,
    alarms: resources(template, 'AWS::CloudWatch::Alarm')
      .filter(([, a]) => String(a.Properties.AlarmName).startsWith('cloudtrail-governance-forwarding-'))
      .map(([id, a]) => ({ id, properties: a.Properties })),
  };
}

/** Reads the scope from the organization example's templates (by stack name) and its StackSet member template. */
export function organizationScope(templates: Templates, member: Json): OrganizationScope {
  const logArchive = templates.CloudTrailLogArchive;
  const security = templates.CloudTrailSecurity;
  const management = templates.CloudTrailManagement;

  const keys: OrganizationScope['keys'] = {};
  for (const [stack, template] of Object.entries(templates)) {
    keys[stack] = propsOf(template, 'AWS::KMS::Key').map(k => ({
      description: k.Description,
      statements: k.KeyPolicy.Statement.filter((s: Json) => s.Action !== 'kms:*'),
    }));
  }
  const bucketNames: { [logicalId: string]: string } = {};
  const bucketLifecycles: OrganizationScope['bucketLifecycles'] = {};
  for (const [id, bucket] of resources(logArchive, 'AWS::S3::Bucket')) {
    bucketNames[id] = bucket.Properties.BucketName ?? 'results';
    bucketLifecycles[bucketNames[id]] = bucket.Properties.LifecycleConfiguration.Rules;
  }
  const bucketStatements: OrganizationScope['bucketStatements'] = {};
  for (const policy of propsOf(logArchive, 'AWS::S3::BucketPolicy')) {
    bucketStatements[bucketNames[policy.Bucket.Ref]] = policy.PolicyDocument.Statement
      .filter((s: Json) => s.Sid !== undefined && s.Principal?.Service !== 'logging.s3.amazonaws.com');
  }

  const ruleNames = new Set<string>();
  const alertRules = propsOf(security, 'AWS::Events::Rule').map((rule): AlertRuleScope => {
    const [target] = rule.Targets;
    ruleNames.add(rule.Name);
    const alarm = propsOf(security, 'AWS::CloudWatch::Alarm')
      .find(a => a.Dimensions?.some((d: Json) => d.Name === 'RuleName' && d.Value === rule.Name))!;
    return {
      ruleName: rule.Name,
      description: rule.Description,
      state: rule.State,
      pattern: rule.EventPattern,
      text: alertText(target.InputTransformer),
      retryAttempts: target.RetryPolicy.MaximumRetryAttempts,
      maxEventAgeSeconds: target.RetryPolicy.MaximumEventAgeInSeconds,
      failedAlarmDescription: alarm.AlarmDescription,
    };
  });
  const topics = resources(security, 'AWS::SNS::Topic');
  const topicPolicy = (template: Json, topicId: string): Json => propsOf(template, 'AWS::SNS::TopicPolicy')
    .find(p => p.Topics[0].Ref === topicId)!.PolicyDocument.Statement.find((s: Json) => s.Sid !== 'AllowPublishThroughSSLOnly');
  const alertsTopic = topics.find(([, t]) => t.Properties.TopicName)!;
  const healthTopic = topics.find(([, t]) => !t.Properties.TopicName)!;
  const [cisTopic] = resources(management, 'AWS::SNS::Topic');
  const securityAlarms = propsOf(security, 'AWS::CloudWatch::Alarm');

  const alarms = propsOf(management, 'AWS::CloudWatch::Alarm');
  const deliveryRole = propsOf(management, 'AWS::IAM::Role').find(r => !r.RoleName)!;
  return {
    keys,
    bucketStatements,
    bucketLifecycles,
    database: propsOf(logArchive, 'AWS::Glue::Database')[0].DatabaseInput,
    tables: propsOf(logArchive, 'AWS::Glue::Table').map(t => ({
      input: t.TableInput,
      locationSuffix: afterBucket(t.TableInput.StorageDescriptor.Location),
      templateSuffix: afterBucket(t.TableInput.Parameters['storage.location.template']),
    })),
    workGroup: propsOf(logArchive, 'AWS::Athena::WorkGroup')[0],
    namedQueries: propsOf(logArchive, 'AWS::Athena::NamedQuery'),
    preparedStatements: propsOf(logArchive, 'AWS::Athena::PreparedStatement'),

    busDescription: propsOf(security, 'AWS::Events::EventBus')[0].Description,
    busStatement: propsOf(security, 'AWS::Events::EventBusPolicy')[0].Statement,
    alertRules,
    topicDisplayNames: {
      alerts: alertsTopic[1].Properties.DisplayName,
      health: healthTopic[1].Properties.DisplayName,
      cis: cisTopic[1].Properties.DisplayName,
    },
    topicStatements: {
      alerts: topicPolicy(security, alertsTopic[0]),
      health: topicPolicy(security, healthTopic[0]),
      cis: topicPolicy(management, cisTopic[0]),
    },
    deadLetterQueueName: propsOf(security, 'AWS::SQS::Queue')[0].QueueName,
    healthAlarms: {
      deadLetters: securityAlarms.find(a => a.MetricName === 'ApproximateNumberOfMessagesVisible')!.AlarmDescription,
      failedNotifications: securityAlarms.find(a => a.MetricName === 'NumberOfNotificationsFailed')!.AlarmDescription,
    },

    trail: propsOf(management, 'AWS::CloudTrail::Trail')[0],
    deliveryRole,
    deliveryPolicy: propsOf(management, 'AWS::IAM::ManagedPolicy').find(p => !/central detection bus/.test(p.Description))!,
    metricFilters: propsOf(management, 'AWS::Logs::MetricFilter').map(f => {
      const metricName = f.MetricTransformations[0].MetricName;
      const alarm = alarms.find(a => a.MetricName === metricName && a.Namespace === f.MetricTransformations[0].MetricNamespace)!;
      return { pattern: f.FilterPattern, metricName, alarmName: alarm.AlarmName, description: alarm.AlarmDescription };
    }),
    silenceAlarm: alarms.find(a => a.MetricName === 'IncomingLogEvents')!,
    stackSet: propsOf(management, 'AWS::CloudFormation::StackSet')[0],
    organizationPolicies: propsOf(management, 'AWS::Organizations::Policy'),
    forwarding: forwardingScope(management),
    member: {
      description: member.Description,
      parameterName: Object.keys(member.Parameters)[0],
      parameter: Object.values<Json>(member.Parameters)[0],
    },
  };
}
