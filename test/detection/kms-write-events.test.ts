import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CloudTrailBaseline } from '../../src/baseline/cloudtrail-baseline';
import { CisAlarms } from '../../src/detection/cis-alarms';
import { Detection } from '../../src/detection/detection';
import { ManagementEvents, ManagementEventSource } from '../../src/trail/event-selection/management-events';

const ENV = { account: '444444444444', region: 'us-east-1' };

function baseline(managementEvents: ManagementEvents) {
  const stack = new Stack(new App(), 'Baseline', { env: ENV });
  const b = new CloudTrailBaseline(stack, 'CloudTrail', { managementEvents, insights: [] });
  return { stack, baseline: b };
}

function warnings(stack: Stack, id: string) {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id));
}

describe('KMS write events', () => {
  test('excluding KMS keeps its write events: no warning, and the trail says so', () => {
    const { stack, baseline: b } = baseline(ManagementEvents.all({ excludedSources: [ManagementEventSource.KMS] }));
    expect(b.trail.recordsKmsWriteEvents).toBe(true);
    expect(warnings(stack, 'kmsWriteEventsNotRecorded')).toHaveLength(0);
  });

  test('a read-only trail under CIS-4.7 and the KMS forensic query warns for both', () => {
    const { stack, baseline: b } = baseline(ManagementEvents.readOnly());
    expect(b.trail.recordsKmsWriteEvents).toBe(false);
    const found = warnings(stack, 'kmsWriteEventsNotRecorded').map(w => String(w.entry.data));
    expect(found.some(m => m.includes('CIS-4.7') && m.includes('can never fire'))).toBe(true);
    expect(found.some(m => m.includes('kms_key_disable_or_deletion'))).toBe(true);
  });

  test('CisAlarms without CIS-4.7 on a read-only trail does not warn', () => {
    const stack = new Stack(new App(), 'Alarms', { env: ENV });
    const b = new CloudTrailBaseline(stack, 'CloudTrail', {
      managementEvents: ManagementEvents.readOnly(), insights: [], cisAlarms: false, analytics: false, alerts: false,
    });
    new CisAlarms(stack, 'Alarms', { logGroup: b.trail.logGroup!, detections: [Detection.CIS_4_3] });
    expect(warnings(stack, 'kmsWriteEventsNotRecorded')).toHaveLength(0);
  });
});
