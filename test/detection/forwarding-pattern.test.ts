import { Detection, DetectionSeverity } from '../../src/detection/detection';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { matchesEventPattern } from '../../src/testing';

const custom = (id: string, eventPattern: { [key: string]: any }) =>
  Detection.custom({ id, title: id, severity: DetectionSeverity.LOW, eventPattern, allowForgeableSource: true });

const AWS = [{ prefix: 'aws.' }];

/** The pattern without `detail-type`, as the forwarding pattern carries source-pinned patterns. */
const widened = (d: Detection) => {
  const { ['detail-type']: _dt, ...rest } = d.eventPattern;
  return rest;
};

const apiCall = (eventName: string, extra: { [key: string]: any } = {}) => ({
  'detail-type': 'AWS API Call via CloudTrail',
  'source': 'aws.example',
  'detail': { eventName, eventSource: 'example.amazonaws.com', userIdentity: { type: 'IAMUser' }, ...extra },
});

describe('forwardingPattern', () => {
  test('detections that list their event names are forwarded by name, exactly while it fits', () => {
    expect(forwardingPattern([Detection.CIS_4_5, Detection.CIS_4_7])).toEqual({
      source: AWS,
      detail: { eventName: ['CreateTrail', 'DeleteTrail', 'DisableKey', 'ScheduleKeyDeletion', 'StartLogging', 'StopLogging', 'UpdateTrail'] },
    });
  });

  test('names listed in every branch of a $or under detail are forwarded by name', () => {
    const pattern = forwardingPattern([Detection.GUARDDUTY_DISABLED]);
    expect(pattern.source).toEqual(AWS);
    expect(pattern.detail.eventName).toEqual(expect.arrayContaining(['DeleteDetector', 'CreateFilter', 'UpdateDetector']));
  });

  test('names of patterns that do not pin an AWS source are not taken out of their pattern', () => {
    const forgeable = custom('APP-EVENT', { detail: { eventName: ['OrderPlaced'] } });
    expect(forwardingPattern([forgeable])).toEqual({ detail: { eventName: ['OrderPlaced'] } });
  });

  test('other detections are forwarded by their own pattern, once', () => {
    expect(forwardingPattern([Detection.CIS_4_3])).toEqual(widened(Detection.CIS_4_3));
    const twin = custom('ROOT-AGAIN', Detection.CIS_4_3.eventPattern);
    expect(forwardingPattern([Detection.CIS_4_3, twin, Detection.CLOUDTRAIL_INSIGHT])).toEqual({
      $or: [widened(Detection.CIS_4_3), widened(Detection.CLOUDTRAIL_INSIGHT)],
    });
  });

  test('combines both kinds under $or', () => {
    const pattern = forwardingPattern([Detection.CIS_4_5, Detection.CIS_4_1]);
    expect(pattern).toEqual({ $or: [{ source: AWS, detail: { eventName: expect.arrayContaining(['StopLogging']) } }, widened(Detection.CIS_4_1)] });
  });

  test.each([['default tier', Detection.defaultTier()], ['both tiers', Detection.all()]])(
    'the built-in catalog (%s) fits the default quota, with prefixes of at least six characters', (_name, detections) => {
      const pattern = forwardingPattern(detections);
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
      const names = pattern.$or[0].detail.eventName;
      for (const n of names) if (typeof n !== 'string') expect(n.prefix.length).toBeGreaterThanOrEqual(6);
      expect(pattern.$or[0].source).toEqual(AWS);
    });

  test('compressing keeps every listed name forwarded and prefers the longest prefix', () => {
    const detections = Detection.cis();
    const pattern = forwardingPattern(detections, 1200);
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(1200);
    const listed = detections.flatMap(d => (Array.isArray(d.eventPattern.detail?.eventName) &&
      d.eventPattern.detail.eventName.every((n: unknown) => typeof n === 'string') ? d.eventPattern.detail.eventName : []));
    for (const name of listed) expect([name, matchesEventPattern(pattern, apiCall(name))]).toEqual([name, true]);
    expect(matchesEventPattern(pattern, apiCall('DescribeInstances'))).toBe(false);
    expect(matchesEventPattern(pattern, apiCall('GetBucketPolicy'))).toBe(false);
  });

  test('fails, naming the detections, when even the most compressed pattern is too long', () => {
    const big = Array.from({ length: 6 }, (_, i) => custom(`WIDE-${i}`, {
      detail: { userAgent: Array.from({ length: 12 }, (__, j) => `agent-${i}-${j}-with-a-long-identifying-suffix`) },
    }));
    expect(() => forwardingPattern(big)).toThrow(/detections "WIDE-0, WIDE-1, .* need a forwarding pattern of \d+ characters, more than the 2048/);
  });
});
