import { Detection, DetectionSeverity } from '../../src/detection/detection';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { EventPatternMatcher } from '../../src/testing';

const custom = (id: string, eventPattern: { [key: string]: any }) =>
  Detection.custom({ id, title: id, severity: DetectionSeverity.LOW, eventPattern });

const apiCall = (eventName: string, extra: { [key: string]: any } = {}) => ({
  'detail-type': 'AWS API Call via CloudTrail',
  'source': 'aws.example',
  'detail': { eventName, eventSource: 'example.amazonaws.com', userIdentity: { type: 'IAMUser' }, ...extra },
});

describe('forwardingPattern', () => {
  test('detections that list their event names are forwarded by name, exactly while it fits', () => {
    expect(forwardingPattern([Detection.CIS_4_5, Detection.CIS_4_7])).toEqual({
      detail: { eventName: ['CreateTrail', 'DeleteTrail', 'DisableKey', 'ScheduleKeyDeletion', 'StartLogging', 'StopLogging', 'UpdateTrail'] },
    });
  });

  test('other detections are forwarded by their own pattern, once', () => {
    expect(forwardingPattern([Detection.CIS_4_3])).toEqual(Detection.CIS_4_3.eventPattern);
    const twin = custom('ROOT-AGAIN', Detection.CIS_4_3.eventPattern);
    expect(forwardingPattern([Detection.CIS_4_3, twin, Detection.CLOUDTRAIL_INSIGHT])).toEqual({
      $or: [Detection.CIS_4_3.eventPattern, Detection.CLOUDTRAIL_INSIGHT.eventPattern],
    });
  });

  test('combines both kinds under $or', () => {
    const pattern = forwardingPattern([Detection.CIS_4_5, Detection.CIS_4_1]);
    expect(pattern).toEqual({ $or: [{ detail: { eventName: expect.arrayContaining(['StopLogging']) } }, Detection.CIS_4_1.eventPattern] });
  });

  test('the built-in catalog fits the default quota, with prefixes of at least six characters', () => {
    const pattern = forwardingPattern(Detection.all());
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
    const names = pattern.$or[0].detail.eventName;
    for (const n of names) if (typeof n !== 'string') expect(n.prefix.length).toBeGreaterThanOrEqual(6);
  });

  test('compressing keeps every listed name forwarded and prefers the longest prefix', () => {
    const detections = Detection.all();
    const pattern = forwardingPattern(detections, 1700);
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(1700);
    const listed = detections.flatMap(d => (Array.isArray(d.eventPattern.detail?.eventName) &&
      d.eventPattern.detail.eventName.every((n: unknown) => typeof n === 'string') ? d.eventPattern.detail.eventName : []));
    for (const name of listed) expect([name, EventPatternMatcher.matches(pattern, apiCall(name))]).toEqual([name, true]);
    expect(EventPatternMatcher.matches(pattern, apiCall('DescribeInstances'))).toBe(false);
    expect(EventPatternMatcher.matches(pattern, apiCall('GetBucketPolicy'))).toBe(false);
  });

  test('fails, naming the detections, when even the most compressed pattern is too long', () => {
    const big = Array.from({ length: 6 }, (_, i) => custom(`WIDE-${i}`, {
      detail: { userAgent: Array.from({ length: 12 }, (__, j) => `agent-${i}-${j}-with-a-long-identifying-suffix`) },
    }));
    expect(() => forwardingPattern(big)).toThrow(/detections "WIDE-0, WIDE-1, .* need a forwarding pattern of \d+ characters, more than the 2048/);
  });
});
