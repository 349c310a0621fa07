import { App, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CisAlarms, CisAlarmsProps } from '../../src/detection/cis-alarms';
import { Detection } from '../../src/detection/detection';
import { DetectionForwardingRule, DetectionForwardingRuleProps } from '../../src/detection/detection-forwarding-rule';
import { CustomDetectionProps, DetectionSeverity, DetectionTactic } from '../../src/detection/detection-types';
import { SecurityAlerts, SecurityAlertsProps } from '../../src/detection/security-alerts';
import { VolumeAlarms } from '../../src/detection/volume-alarms';

/**
 * Every input of the detection constructs either works, or is refused with an error naming the prop, the
 * value and the rule, or is warned about with an acknowledgeable id when AWS accepts it but it is very
 * likely wrong. Each row: [case, props (a function of the stack), 'accepted' | a warning id | an error substring].
 */

const W = (id: string) => `cdk-cloudtrail-governance:detection:${id}`;
const ALERTS_NOT_RETAINED = W('alertsNotRetained');
const LONG_PATTERN = W('patternOverDefaultQuota');
const FORWARDING_NOT_RETAINED = W('forwardingQueueNotRetained');
const WARNINGS = [ALERTS_NOT_RETAINED, LONG_PATTERN, FORWARDING_NOT_RETAINED];

const ENV = { account: '111122223333', region: 'us-east-1' };
const BUS = 'arn:aws:events:us-east-1:444455556666:event-bus/security-detections';

function warningIds(scope: Construct): string[] {
  const messages = scope.node.findAll().flatMap(c => c.node.metadata
    .filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data)));
  return WARNINGS.filter(id => messages.some(m => m.includes(`[ack: ${id}]`)));
}

function expectOutcome(build: (stack: Stack) => void, expected: string) {
  const stack = new Stack(new App(), 'S', { env: ENV });
  if (expected === 'accepted' || WARNINGS.includes(expected)) {
    build(stack);
    expect(warningIds(stack)).toEqual(expected === 'accepted' ? [] : [expected]);
  } else {
    expect(() => build(stack)).toThrow(expected);
  }
}

/** A custom detection whose event pattern lists `names` event names of about 40 characters each. */
function withEventNames(id: string, names: number, metricFilterPattern?: string): Detection {
  return Detection.custom({
    id,
    title: 'Many event names',
    severity: DetectionSeverity.HIGH,
    eventPattern: {
      source: ['aws.iam'],
      detail: { eventSource: ['iam.amazonaws.com'], eventName: Array.from({ length: names }, (_, i) => `SomeLongishIamEventNameNumber${String(i).padStart(8, '0')}`) },
    },
    metricFilterPattern,
  });
}
const patternOf = (d: Detection) => d.eventPatternLength;
const filtered = (n: number) => Array.from({ length: n }, (_, i) =>
  withEventNames(`ACME-FILTERED-${i}`, 1, `{ $.eventName = "Event${i}" }`));

type AlertsProps = (stack: Stack) => SecurityAlertsProps;
const alertsRows: Array<[string, AlertsProps, string]> = [
  ['defaults', () => ({}), 'accepted'],
  ['removalPolicy RETAIN', () => ({ removalPolicy: RemovalPolicy.RETAIN }), 'accepted'],
  ['removalPolicy DESTROY', () => ({ removalPolicy: RemovalPolicy.DESTROY }), ALERTS_NOT_RETAINED],
  ['a standard dead-letter queue of the stack', s => ({ deadLetterQueue: new sqs.Queue(s, 'Dlq') }), 'accepted'],
  ['an imported dead-letter queue of the region', s => ({
    deadLetterQueue: sqs.Queue.fromQueueArn(s, 'Dlq', 'arn:aws:sqs:us-east-1:111122223333:alerts-dlq'),
  }), 'accepted'],
  ['a FIFO dead-letter queue', s => ({ deadLetterQueue: new sqs.Queue(s, 'Dlq', { fifo: true }) }),
    'must be a standard queue: EventBridge cannot use a FIFO queue as a dead-letter queue'],
  ['an imported FIFO dead-letter queue', s => ({
    deadLetterQueue: sqs.Queue.fromQueueArn(s, 'Dlq', 'arn:aws:sqs:us-east-1:111122223333:alerts-dlq.fifo'),
  }), 'deadLetterQueue "arn:aws:sqs:us-east-1:111122223333:alerts-dlq.fifo" must be a standard queue'],
  ['a dead-letter queue in another region', s => ({
    deadLetterQueue: sqs.Queue.fromQueueArn(s, 'Dlq', 'arn:aws:sqs:eu-west-1:111122223333:alerts-dlq'),
  }), 'deadLetterQueue "arn:aws:sqs:eu-west-1:111122223333:alerts-dlq" must be in the rules\' region us-east-1, not eu-west-1'],
  ['a custom pattern within the default quota', () => ({ detections: [withEventNames('ACME-SHORT', 10)] }), 'accepted'],
  ['a custom pattern over the default 2,048-character quota', () => ({ detections: [withEventNames('ACME-LONG', 60)] }), LONG_PATTERN],
  ['a custom pattern over 4,096 characters', () => ({ detections: [withEventNames('ACME-HUGE', 120)] }),
    'must be at most 4096 characters of JSON'],
];

/** AWS managed keys, as an imported alias and as a key imported by its alias ARN (what an imported topic's keyArn gives). */
const SNS_MANAGED_ALIAS = (s: Stack) => kms.Alias.fromAliasName(s, 'SnsManaged', 'alias/aws/sns');
const SNS_MANAGED_ARN = 'arn:aws:kms:us-east-1:111122223333:alias/aws/sns';
const SNS_MANAGED_BY_ARN = (s: Stack) => kms.Key.fromKeyArn(s, 'SnsManagedByArn', SNS_MANAGED_ARN);
const managedTopic = (s: Stack, id: string) => new sns.Topic(s, id, { masterKey: SNS_MANAGED_ALIAS(s) });
const importedManagedTopic = (s: Stack, id: string) => sns.Topic.fromTopicAttributes(s, id, {
  topicArn: `arn:aws:sns:us-east-1:111122223333:${id}`, keyArn: SNS_MANAGED_ARN,
});
const CUSTOMER_MANAGED = 'must be a customer managed key, not an AWS managed key (alias/aws/...)';
const FOR_EVENTBRIDGE = `${CUSTOMER_MANAGED}: EventBridge, which publishes the alerts, needs a customer managed key whose key policy admits it`;
const FOR_CLOUDWATCH = `${CUSTOMER_MANAGED}: CloudWatch, whose alarms notify the topic, needs a customer managed key whose key policy admits it`;

alertsRows.push(
  ['a customer managed key', s => ({ encryptionKey: new kms.Key(s, 'Key') }), 'accepted'],
  ['a customer managed key imported by its alias', s => ({ encryptionKey: kms.Alias.fromAliasName(s, 'Key', 'alias/security-alerts') }),
    'accepted'],
  ['a key imported by a token ARN', s => ({ encryptionKey: kms.Key.fromKeyArn(s, 'Key', Token.asString({ Ref: 'AlertsKeyArn' })) }),
    'accepted'],
  ['an AWS managed key as encryptionKey (alias)', s => ({ encryptionKey: SNS_MANAGED_ALIAS(s) }),
    `encryptionKey "alias/aws/sns" ${FOR_EVENTBRIDGE}`],
  ['an AWS managed key as encryptionKey (alias ARN)', s => ({ encryptionKey: SNS_MANAGED_BY_ARN(s) }),
    `encryptionKey "${SNS_MANAGED_ARN}" ${FOR_EVENTBRIDGE}`],
  ['another AWS managed key as encryptionKey', s => ({ encryptionKey: kms.Alias.fromAliasName(s, 'Key', 'alias/aws/kms') }),
    `encryptionKey "alias/aws/kms" ${CUSTOMER_MANAGED}`],
  ['a topic encrypted with an AWS managed key', s => ({ topic: managedTopic(s, 'Topic') }), `topic.masterKey "alias/aws/sns" ${FOR_EVENTBRIDGE}`],
  ['an imported topic with an AWS managed key', s => ({ topic: importedManagedTopic(s, 'Topic') }),
    `topic.masterKey "${SNS_MANAGED_ARN}" ${FOR_EVENTBRIDGE}`],
  ['a health topic encrypted with an AWS managed key', s => ({ healthTopic: managedTopic(s, 'Health') }),
    `healthTopic.masterKey "alias/aws/sns" ${FOR_CLOUDWATCH}`],
  ['an imported health topic with an AWS managed key', s => ({ healthTopic: importedManagedTopic(s, 'Health') }),
    `healthTopic.masterKey "${SNS_MANAGED_ARN}" ${FOR_CLOUDWATCH}`],
  ['an unencrypted health topic of the stack', s => ({ healthTopic: new sns.Topic(s, 'Health') }), 'accepted'],
);

test.each(alertsRows)('SecurityAlerts: %s', (_name, props, expected) => {
  expectOutcome(s => new SecurityAlerts(s, 'Alerts', props(s)), expected);
});

test('the long-pattern rows straddle the quotas they test', () => {
  expect(patternOf(withEventNames('A', 10))).toBeLessThanOrEqual(2048);
  expect(patternOf(withEventNames('A', 60))).toBeGreaterThan(2048);
  expect(patternOf(withEventNames('A', 60))).toBeLessThanOrEqual(4096);
});

test('SecurityAlerts applies removalPolicy to its keys and dead-letter queue, RETAIN by default', () => {
  const policies = (props: SecurityAlertsProps) => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    new SecurityAlerts(stack, 'Alerts', props);
    const t = Template.fromStack(stack);
    return ['AWS::KMS::Key', 'AWS::SQS::Queue'].flatMap(type =>
      Object.values(t.findResources(type)).map((r: any) => `${type}:${r.DeletionPolicy}`));
  };
  const retained = policies({});
  // The alerts topic's key, the health topic's key, the dead-letter queue's key and the queue itself.
  expect(retained.filter(p => p === 'AWS::KMS::Key:Retain').length).toBeGreaterThanOrEqual(3);
  expect(retained).toContain('AWS::SQS::Queue:Retain');
  expect(retained.every(p => p.endsWith(':Retain'))).toBe(true);
  const destroyed = policies({ removalPolicy: RemovalPolicy.DESTROY });
  expect(destroyed.length).toBe(retained.length);
  expect(destroyed.every(p => p.endsWith(':Delete'))).toBe(true);
});

type CisProps = Partial<CisAlarmsProps>;
const cisRows: Array<[string, CisProps, string]> = [
  ['defaults', {}, 'accepted'],
  ['a namespace with a slash and a hash', { metricNamespace: 'Org/CIS#1' }, 'accepted'],
  ['a namespace with "*"', { metricNamespace: 'CIS*' }, 'metricNamespace "CIS*" must be 1-255 characters'],
  ['a namespace with "$" inside', { metricNamespace: 'CIS$x' }, 'without ":", "*" or "$"'],
  ['a namespace with ":"', { metricNamespace: 'bad:namespace' }, 'metricNamespace "bad:namespace" must be 1-255 characters'],
  ['a namespace of spaces only', { metricNamespace: '   ' }, 'at least one non-space'],
  ['a namespace with a non-ASCII letter', { metricNamespace: 'Sécurité' }, 'printable ASCII'],
  ['a namespace with a tab', { metricNamespace: 'CIS\tBenchmark' }, 'printable ASCII'],
  ['a namespace reserved for AWS', { metricNamespace: 'AWS/CloudTrail' }, 'not starting with "AWS/"'],
  ['a namespace of 256 characters', { metricNamespace: 'N'.repeat(256) }, 'must be 1-255 characters'],
  ['100 metric filters on the log group', { detections: filtered(100) }, 'accepted'],
  ['101 metric filters on the log group', { detections: filtered(101) },
    'detections "101 detections" must be at most 100: each gets a metric filter on the log group, and CloudWatch Logs allows 100 per log group'],
];

test.each(cisRows)('CisAlarms: %s', (_name, props, expected) => {
  expectOutcome(s => new CisAlarms(s, 'Cis', {
    logGroup: logs.LogGroup.fromLogGroupName(s, 'TrailLogs', 'aws-cloudtrail-logs-org'), ...props,
  }), expected);
});

const alarmTopicRows: Array<[string, (s: Stack) => sns.ITopic, string]> = [
  ['a topic with a customer managed key', s => new sns.Topic(s, 'Topic', { masterKey: new kms.Key(s, 'Key') }), 'accepted'],
  ['a topic encrypted with an AWS managed key', s => managedTopic(s, 'Topic'), `topic.masterKey "alias/aws/sns" ${FOR_CLOUDWATCH}`],
  ['an imported topic with an AWS managed key', s => importedManagedTopic(s, 'Topic'), `topic.masterKey "${SNS_MANAGED_ARN}" ${FOR_CLOUDWATCH}`],
];

test.each(alarmTopicRows)('CisAlarms topic: %s', (_name, topic, expected) => {
  expectOutcome(s => new CisAlarms(s, 'Cis', {
    logGroup: logs.LogGroup.fromLogGroupName(s, 'TrailLogs', 'aws-cloudtrail-logs-org'), topic: topic(s),
  }), expected);
});

test.each(alarmTopicRows)('VolumeAlarms alarmTopic: %s', (_name, topic, expected) => {
  expectOutcome(s => new VolumeAlarms(s, 'Volume', {
    logGroup: logs.LogGroup.fromLogGroupName(s, 'TrailLogs', 'aws-cloudtrail-logs-org'), alarmTopic: topic(s),
  }), expected.replace('topic.masterKey', 'alarmTopic.masterKey'));
});

/** What an untyped caller (JavaScript, Python) can pass where the TypeScript type is an enum. */
const untyped = (value: unknown) => value as any;
const CUSTOM: CustomDetectionProps = {
  id: 'ACME-ROLE-DELETED',
  title: 'Role deleted',
  severity: DetectionSeverity.HIGH,
  eventPattern: { source: ['aws.iam'], detail: { eventName: ['DeleteRole'] } },
};
const customRows: Array<[string, Partial<CustomDetectionProps>, string]> = [
  ['every enum given by its member or its value', {
    severity: DetectionSeverity.LOW,
    tier: untyped('DEFAULT'),
    tactic: DetectionTactic.IMPACT,
    eventKind: untyped('CLOUDTRAIL_RECORD'),
  }, 'accepted'],
  ['severity in the wrong case', { severity: untyped('high') }, 'severity "high" must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL'],
  ['severity as a number', { severity: untyped(3) }, 'severity 3 must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL'],
  ['severity missing', { severity: untyped(undefined) }, 'severity null must be one of'],
  ['tier in the wrong case', { tier: untyped('default') }, 'tier "default" must be one of DEFAULT, HUNTING'],
  ['tier as a number', { tier: untyped(0) }, 'tier 0 must be one of DEFAULT, HUNTING'],
  ['tactic in the wrong case', { tactic: untyped('impact') }, 'tactic "impact" must be one of INITIAL_ACCESS, '],
  ['tactic "*"', { tactic: untyped('*') }, 'tactic "*" must be one of'],
  ['eventKind in the wrong case', { eventKind: untyped('insight') }, 'eventKind "insight" must be one of CLOUDTRAIL_RECORD, INSIGHT'],
  ['eventKind null', { eventKind: untyped(null) }, 'eventKind null must be one of CLOUDTRAIL_RECORD, INSIGHT'],
];

test.each(customRows)('Detection.custom: %s', (_name, props, expected) => {
  const build = () => Detection.custom({ ...CUSTOM, ...props });
  if (expected === 'accepted') expect(build).not.toThrow();
  else expect(build).toThrow(expected);
});

test('Detection.ofTactic refuses a value that is not a tactic instead of returning nothing', () => {
  expect(Detection.ofTactic(DetectionTactic.IMPACT).length).toBeGreaterThan(0);
  expect(() => Detection.ofTactic(untyped('impact'))).toThrow('tactic "impact" must be one of INITIAL_ACCESS, ');
  expect(() => Detection.ofTactic(untyped(undefined))).toThrow('tactic null must be one of');
});

type ForwardingProps = Partial<DetectionForwardingRuleProps>;
const forwardingRows: Array<[string, ForwardingProps, string]> = [
  ['defaults', {}, 'accepted'],
  ['removalPolicy RETAIN', { removalPolicy: RemovalPolicy.RETAIN }, 'accepted'],
  ['removalPolicy DESTROY', { removalPolicy: RemovalPolicy.DESTROY }, FORWARDING_NOT_RETAINED],
  ['removalPolicy SNAPSHOT', { removalPolicy: RemovalPolicy.SNAPSHOT }, FORWARDING_NOT_RETAINED],
  ['removalPolicy DESTROY without a dead-letter queue', { removalPolicy: RemovalPolicy.DESTROY, deadLetterQueue: false }, 'accepted'],
];

test.each(forwardingRows)('DetectionForwardingRule: %s', (_name, props, expected) => {
  expectOutcome(s => new DetectionForwardingRule(s, 'Forwarding', { centralBusArn: BUS, ...props }), expected);
});
