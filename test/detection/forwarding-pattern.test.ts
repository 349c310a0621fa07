import { Detection, DetectionSeverity } from '../../src/detection/detection';
import { forwardingPattern, MANAGEMENT_WRITES } from '../../src/detection/private/forwarding-pattern';
import { EventPatternMatcher } from '../../src/testing';

const custom = (id: string, eventPattern: { [key: string]: any }, includeReadOnlyEvents = false) =>
  Detection.custom({ id, title: id, severity: DetectionSeverity.LOW, eventPattern, includeReadOnlyEvents });

const apiCall = (eventName: string, extra: { [key: string]: any } = {}) => ({
  'detail-type': 'AWS API Call via CloudTrail',
  'source': 'aws.example',
  'detail': {
    eventName,
    eventSource: 'example.amazonaws.com',
    eventCategory: 'Management',
    readOnly: false,
    userIdentity: { type: 'IAMUser' },
    ...extra,
  },
});
const read = (eventName: string) => apiCall(eventName, { readOnly: true });

describe('forwardingPattern', () => {
  test('detections about write management events are covered by one clause that does not grow with them', () => {
    expect(forwardingPattern(undefined, [Detection.CIS_4_5, Detection.CIS_4_7, Detection.CIS_4_8])).toEqual(MANAGEMENT_WRITES);
    const pattern = forwardingPattern(undefined, [Detection.CIS_4_5]);
    expect(EventPatternMatcher.matches(pattern, apiCall('StopLogging'))).toBe(true);
    // Read-only events and forged events are not forwarded by it.
    expect(EventPatternMatcher.matches(pattern, read('GetTrailStatus'))).toBe(false);
    expect(EventPatternMatcher.matches(pattern, { ...apiCall('StopLogging'), source: 'com.attacker' })).toBe(false);
  });

  test('detections of read-only events are forwarded by their own pattern, once', () => {
    expect(forwardingPattern(undefined, [Detection.CIS_4_3])).toEqual({ $or: [MANAGEMENT_WRITES, Detection.CIS_4_3.eventPattern] });
    const twin = custom('ROOT-AGAIN', Detection.CIS_4_3.eventPattern, true);
    expect(forwardingPattern(undefined, [Detection.CIS_4_3, twin, Detection.CLOUDTRAIL_INSIGHT])).toEqual({
      $or: [MANAGEMENT_WRITES, Detection.CIS_4_3.eventPattern, Detection.CLOUDTRAIL_INSIGHT.eventPattern],
    });
  });

  test('read detections that list event names are merged into one names clause', () => {
    const a = custom('READ-A', { 'source': ['aws.secretsmanager'], 'detail-type': ['AWS API Call via CloudTrail'], 'detail': { eventName: ['GetSecretValue'] } }, true);
    const b = custom('READ-B', { 'source': ['aws.ec2'], 'detail-type': ['AWS API Call via CloudTrail'], 'detail': { eventName: ['GetPasswordData'] } }, true);
    const pattern = forwardingPattern(undefined, [a, b]);
    expect(pattern).toEqual({
      $or: [MANAGEMENT_WRITES, { source: [{ prefix: 'aws.' }], detail: { eventName: ['GetPasswordData', 'GetSecretValue'] } }],
    });
    expect(EventPatternMatcher.matches(pattern, { ...read('GetSecretValue'), source: 'com.attacker' })).toBe(false);
    expect(EventPatternMatcher.matches(pattern, read('GetSecretValue'))).toBe(true);
    expect(EventPatternMatcher.matches(pattern, read('DescribeInstances'))).toBe(false);
  });

  test('both tiers fit the default quota with room to spare; the default tier forwards no routine reads', () => {
    expect(JSON.stringify(forwardingPattern(undefined, Detection.all())).length).toBeLessThanOrEqual(1700);
    const pattern = forwardingPattern(undefined, Detection.defaultTier());
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(1200);
    expect(EventPatternMatcher.matches(pattern, apiCall('PutBucketPolicy'))).toBe(true);
    expect(EventPatternMatcher.matches(pattern, read('DescribeInstances'))).toBe(false);
    expect(EventPatternMatcher.matches(pattern, read('ListBuckets'))).toBe(false);
  });

  test('a data-event detection is forwarded by its own forwarding pattern', () => {
    const [archive] = Detection.pipelineTampering({ archiveBucketNames: ['audit-logs-bucket'] });
    const pattern = forwardingPattern(undefined, [archive]);
    const deleteObject = apiCall('DeleteObject', { eventCategory: 'Data', requestParameters: { bucketName: 'audit-logs-bucket' } });
    expect(EventPatternMatcher.matches(pattern, { ...deleteObject, source: 'aws.s3' })).toBe(true);
    expect(EventPatternMatcher.matches(pattern, { ...deleteObject, source: 'aws.s3', detail: { ...deleteObject.detail, requestParameters: { bucketName: 'other' } } })).toBe(false);
  });

  test('compressing keeps every listed name forwarded', () => {
    const detections = Array.from({ length: 6 }, (_, i) => custom(`READS-${i}`, {
      source: [{ prefix: 'aws.' }],
      detail: { eventName: Array.from({ length: 20 }, (__, j) => `DescribeSomethingLong${i}Number${j}`) },
    }, true));
    const pattern = forwardingPattern(undefined, detections, 1200);
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(1200);
    for (const d of detections) {
      for (const name of d.eventPattern.detail.eventName) {
        expect([name, EventPatternMatcher.matches(pattern, read(name))]).toEqual([name, true]);
      }
    }
  });

  test('fails, naming the detections, when even the most compressed pattern is too long', () => {
    const big = Array.from({ length: 6 }, (_, i) => custom(`WIDE-${i}`, {
      source: [{ prefix: 'aws.' }],
      detail: { userAgent: Array.from({ length: 12 }, (__, j) => `agent-${i}-${j}-with-a-long-identifying-suffix`) },
    }));
    expect(() => forwardingPattern(undefined, big)).toThrow(/detections "WIDE-0, WIDE-1, .* need a forwarding pattern of \d+ characters, more than the 2048/);
  });
});
