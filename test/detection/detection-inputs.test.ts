import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CisAlarms, CisAlarmsProps } from '../../src/detection/cis-alarms';
import { Detection } from '../../src/detection/detection';
import { DetectionForwardingRule, DetectionForwardingRuleProps } from '../../src/detection/detection-forwarding-rule';
import { DetectionSeverity } from '../../src/detection/detection-types';
import { SecurityAlerts, SecurityAlertsProps } from '../../src/detection/security-alerts';

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
