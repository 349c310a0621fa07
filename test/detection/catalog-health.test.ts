import { App, Stack } from 'aws-cdk-lib';
import { Detection, DetectionSeverity } from '../../src/detection/detection';
import { DetectionForwardingRule } from '../../src/detection/detection-forwarding-rule';
import { DetectionForwardingNames } from '../../src/detection/forwarding-names';
import { HEALTH_DEFINITIONS } from '../../src/detection/private/catalog-health';
import { EventPatternMatcher } from '../../src/testing';

const [FORWARDING_HEALTH] = HEALTH_DEFINITIONS;

/** A "CloudWatch Alarm State Change" event shaped like AWS's documented single-metric example. */
function alarmEvent(alarmName: string, value = 'ALARM', source = 'aws.cloudwatch'): { [key: string]: any } {
  return {
    'version': '0',
    'id': 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source,
    'account': '222222222222',
    'time': '2026-11-23T09:05:00Z',
    'region': 'eu-west-1',
    'resources': [`arn:aws:cloudwatch:eu-west-1:222222222222:alarm:${alarmName}`],
    'detail': {
      alarmName,
      configuration: {
        description: 'Detection events of this account and region could not be forwarded to the central detection bus',
        metrics: [{
          id: '30b6c6b2-a864-43a2-4877-c09a1afc3b87',
          metricStat: {
            metric: { dimensions: { RuleName: DetectionForwardingNames.RULE_NAME }, name: 'FailedInvocations', namespace: 'AWS/Events' },
            period: 300,
            stat: 'Sum',
          },
          returnData: true,
        }],
      },
      previousState: { reason: 'Threshold Crossed', timestamp: '2026-11-23T08:55:00.000+0000', value: 'OK' },
      state: { reason: 'Threshold Crossed: 1 out of the last 1 datapoints [3.0] was greater than or equal to the threshold (1.0)', timestamp: '2026-11-23T09:05:00.000+0000', value },
    },
  };
}

const FAILED = `${DetectionForwardingNames.ALARM_NAME_PREFIX}failed-invocations`;

describe('FORWARDING-HEALTH', () => {
  test('is HIGH and pins the AWS source, the detail-type and the alarm-name prefix', () => {
    expect(FORWARDING_HEALTH.id).toBe('FORWARDING-HEALTH');
    expect(FORWARDING_HEALTH.severity).toBe('HIGH');
    expect(FORWARDING_HEALTH.eventPattern.source).toEqual(['aws.cloudwatch']);
    expect(FORWARDING_HEALTH.eventPattern['detail-type']).toEqual(['CloudWatch Alarm State Change']);
    expect(FORWARDING_HEALTH.eventPattern.detail.alarmName).toEqual([{ prefix: DetectionForwardingNames.ALARM_NAME_PREFIX }]);
  });

  test('matches a forwarding health alarm going into ALARM, not back to OK or into INSUFFICIENT_DATA', () => {
    expect(EventPatternMatcher.matches(FORWARDING_HEALTH.eventPattern, alarmEvent(FAILED))).toBe(true);
    expect(EventPatternMatcher.matches(FORWARDING_HEALTH.eventPattern, alarmEvent(`${DetectionForwardingNames.ALARM_NAME_PREFIX}dead-letter-messages`)))
      .toBe(true);
    expect(EventPatternMatcher.matches(FORWARDING_HEALTH.eventPattern, alarmEvent(FAILED, 'OK'))).toBe(false);
    expect(EventPatternMatcher.matches(FORWARDING_HEALTH.eventPattern, alarmEvent(FAILED, 'INSUFFICIENT_DATA'))).toBe(false);
  });

  test('does not match other alarms, or a forged copy with a customer source', () => {
    expect(EventPatternMatcher.matches(FORWARDING_HEALTH.eventPattern, alarmEvent('ServerCpuTooHigh'))).toBe(false);
    expect(EventPatternMatcher.matches(FORWARDING_HEALTH.eventPattern, alarmEvent(FAILED, 'ALARM', 'com.attacker'))).toBe(false);
    expect(EventPatternMatcher.matches(FORWARDING_HEALTH.eventPattern, alarmEvent(FAILED, 'ALARM', 'aws.cloudwatch.fake'))).toBe(false);
  });

  test('a forwarding rule that forwards the detection carries the alarm event to the central bus', () => {
    const health = Detection.custom({
      id: 'FORWARDING-HEALTH-TEST',
      title: FORWARDING_HEALTH.title,
      severity: DetectionSeverity.HIGH,
      eventPattern: FORWARDING_HEALTH.eventPattern,
    });
    const stack = new Stack(new App(), 'Member', { env: { account: '222222222222', region: 'eu-west-1' } });
    const rule = new DetectionForwardingRule(stack, 'Forwarding', {
      centralBusArn: 'arn:aws:events:eu-west-1:555555555555:event-bus/security-detections',
      detections: [...Detection.all(), health],
    });
    expect(EventPatternMatcher.matches(rule.eventPattern, alarmEvent(FAILED))).toBe(true);
    expect(EventPatternMatcher.matches(rule.eventPattern, alarmEvent('ServerCpuTooHigh'))).toBe(false);
  });
});
