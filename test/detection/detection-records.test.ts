import * as fs from 'fs';
import * as path from 'path';
import { metricFilterMatches } from './metric-filter-evaluator';
import { Detection } from '../../src/detection/detection';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { CloudTrailEventEnvelope, EventPatternMatcher } from '../../src/testing';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cloudtrail-records');

function record(name: string): { [key: string]: any } {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

/**
 * Every fixture record and exactly the detections that must fire for it. Records with no detection are
 * near misses of the detections they resemble (see NEAR_MISSES).
 */
const EXPECTED: { readonly [fixture: string]: readonly string[] } = {
  'signin-iam-user-without-mfa': ['CIS-4.2'],
  'signin-iam-user-with-mfa': [],
  'signin-federated-saml-without-mfa': [],
  'signin-iam-user-failed': ['CIS-4.6'],
  'signin-root-with-mfa': ['CIS-4.3'],
  'signin-root-failed': ['CIS-4.3', 'CIS-4.6'],
  'signin-identity-center-user': [],
  'root-create-bucket': ['CIS-4.3'],
  'root-describe-instances-read-only': ['CIS-4.3'],
  'root-get-bucket-policy-read-only': ['CIS-4.3'],
  'root-invoked-by-cloudformation': [],
  'root-stop-logging': ['CIS-4.3', 'CIS-4.5', 'CLOUDTRAIL-TAMPERING'],
  'iam-put-role-policy': ['CIS-4.4'],
  'iam-get-role-policy-read-only': [],
  'autoscaling-delete-policy': ['CIS-4.4'],
  'cloudtrail-start-logging': ['CIS-4.5'],
  'cloudtrail-delete-trail-federated-user': ['CIS-4.5', 'CLOUDTRAIL-TAMPERING'],
  'cloudtrail-put-event-selectors': ['CLOUDTRAIL-TAMPERING'],
  'cloudtrail-get-event-selectors-read-only': [],
  'kms-schedule-key-deletion': ['CIS-4.7'],
  'kms-disable-key-rotation': [],
  'kms-decrypt-access-denied': ['CIS-4.1'],
  'kms-rotate-key-service-event': [],
  's3-put-bucket-policy-private': ['CIS-4.8', 'S3-BUCKET-POLICY-AWS-PRINCIPAL'],
  's3-put-bucket-policy-public': ['CIS-4.8', 'S3-BUCKET-MADE-PUBLIC'],
  // Allows the owner's account root; patterns cannot tell the owner's account from a foreign one.
  's3-put-bucket-policy-deny-everyone': ['CIS-4.8', 'S3-BUCKET-POLICY-AWS-PRINCIPAL', 'S3-BUCKET-POLICY-ACCOUNT-GRANT'],
  's3-put-bucket-acl-canned-public-read': ['CIS-4.8', 'S3-BUCKET-MADE-PUBLIC'],
  's3-put-bucket-acl-grant-all-users': ['CIS-4.8', 'S3-BUCKET-MADE-PUBLIC'],
  's3-put-bucket-encryption': ['S3-ENCRYPTION-KEY-CHANGED'],
  's3-delete-bucket-public-access-block': ['S3-PUBLIC-ACCESS-BLOCK-REMOVED'],
  's3-put-bucket-public-access-block-weakened': ['S3-PUBLIC-ACCESS-BLOCK-REMOVED'],
  's3-put-bucket-public-access-block-all-on': [],
  's3-delete-account-public-access-block': ['S3-PUBLIC-ACCESS-BLOCK-REMOVED'],
  'config-stop-configuration-recorder': ['CIS-4.9', 'CONFIG-RECORDER-STOPPED'],
  'config-put-config-rule': [],
  'ec2-authorize-security-group-ingress': ['CIS-4.10', 'SECURITY-GROUP-OPEN-TO-INTERNET'],
  'ec2-describe-security-groups-read-only': [],
  'ec2-create-network-acl-entry': ['CIS-4.11'],
  'ec2-attach-internet-gateway': ['CIS-4.12'],
  'ec2-create-route': ['CIS-4.13'],
  'apigateway-create-route': ['CIS-4.13'],
  'ec2-create-vpc-peering-connection': ['CIS-4.14'],
  'ec2-create-vpc-endpoint': [],
  'ec2-describe-instances-unauthorized': ['CIS-4.1'],
  'iam-create-user-access-denied': ['CIS-4.1'],
  's3-head-bucket-access-denied': [],
  'log-delivery-access-denied': [],
  'dynamodb-throttled': [],
  'organizations-create-account': ['CIS-4.15'],
  'organizations-create-policy': ['CIS-4.4', 'CIS-4.15'],
  'organizations-describe-organization-read-only': [],
  'guardduty-delete-detector': ['GUARDDUTY-DISABLED'],
  'guardduty-update-detector-suspended': ['GUARDDUTY-DISABLED'],
  'guardduty-update-detector-frequency': [],
  'securityhub-disable-security-hub': ['SECURITYHUB-DISABLED'],
  'securityhub-get-findings-read-only': [],
  'aws-service-assume-role': [],
  'insight-start': ['CLOUDTRAIL-INSIGHT'],
  'insight-end': [],
};

/** For each detection, the records that look like its events but must not fire it. */
const NEAR_MISSES: { readonly [detection: string]: readonly string[] } = {
  'CIS-4.1': ['s3-head-bucket-access-denied', 'log-delivery-access-denied', 'dynamodb-throttled'],
  'CIS-4.2': ['signin-federated-saml-without-mfa', 'signin-iam-user-with-mfa', 'signin-iam-user-failed',
    'signin-identity-center-user'],
  'CIS-4.3': ['root-invoked-by-cloudformation', 'kms-rotate-key-service-event', 'aws-service-assume-role'],
  'CIS-4.4': ['iam-get-role-policy-read-only'],
  'CIS-4.5': ['cloudtrail-put-event-selectors', 'cloudtrail-get-event-selectors-read-only'],
  'CIS-4.6': ['signin-iam-user-without-mfa', 'signin-root-with-mfa'],
  'CIS-4.7': ['kms-disable-key-rotation', 'kms-rotate-key-service-event'],
  'CIS-4.8': ['s3-put-bucket-encryption', 'root-get-bucket-policy-read-only'],
  'CIS-4.9': ['config-put-config-rule'],
  'CIS-4.10': ['ec2-describe-security-groups-read-only', 'root-describe-instances-read-only'],
  'CIS-4.11': ['ec2-create-vpc-endpoint'],
  'CIS-4.12': ['ec2-create-vpc-endpoint'],
  'CIS-4.13': ['ec2-create-vpc-endpoint'],
  'CIS-4.14': ['ec2-create-vpc-endpoint'],
  'CIS-4.15': ['organizations-describe-organization-read-only'],
  'CLOUDTRAIL-TAMPERING': ['cloudtrail-start-logging', 'cloudtrail-get-event-selectors-read-only'],
  'GUARDDUTY-DISABLED': ['guardduty-update-detector-frequency'],
  'SECURITYHUB-DISABLED': ['securityhub-get-findings-read-only'],
  'CONFIG-RECORDER-STOPPED': ['config-put-config-rule'],
  'S3-PUBLIC-ACCESS-BLOCK-REMOVED': ['s3-put-bucket-public-access-block-all-on'],
  'S3-BUCKET-MADE-PUBLIC': ['s3-put-bucket-policy-private', 's3-put-bucket-policy-deny-everyone'],
  'CLOUDTRAIL-INSIGHT': ['insight-end'],
};

// The pipeline-tampering detections have their own records and near misses (pipeline-tampering.test.ts), and
// FORWARDING-HEALTH matches CloudWatch alarm events, not CloudTrail records (catalog-health.test.ts).
const detections = Detection.all().filter(d => !d.id.startsWith('PIPELINE-') && d.id !== 'FORWARDING-HEALTH');
const fixtureNames = fs.readdirSync(FIXTURES).filter(f => f.endsWith('.json')).map(f => f.replace(/\.json$/, '')).sort();
const events = new Map(fixtureNames.map(name => [name, CloudTrailEventEnvelope.fromRecord(record(name))]));

describe('fixture records', () => {
  test('every fixture has an expectation and every expectation a fixture', () => {
    expect(fixtureNames).toEqual(Object.keys(EXPECTED).sort());
  });

  test('records use the documented record format', () => {
    for (const name of fixtureNames) {
      const r = record(name);
      expect([name, r.eventVersion]).toEqual([name, expect.stringMatching(/^1\.(0[89]|1[01])$/)]);
      expect([name, typeof r.eventID, typeof r.eventTime, typeof r.awsRegion]).toEqual([name, 'string', 'string', 'string']);
      if (r.eventType !== 'AwsCloudTrailInsight') {
        expect([name, typeof r.userIdentity, r.eventSource]).toEqual([name, 'object', expect.stringMatching(/\.amazonaws\.com$/)]);
      }
    }
  });
});

describe.each(fixtureNames)('%s', name => {
  test('fires exactly the expected detections', () => {
    const fired = detections.filter(d => d.matches(events.get(name)!)).map(d => d.id);
    expect(fired).toEqual([...EXPECTED[name]]);
  });
});

describe('every detection', () => {
  // The threat detections beyond these have their records in threat-detections.test.ts.
  test.each(Object.keys(NEAR_MISSES))('%s has a positive record and near misses', id => {
    expect(Object.values(EXPECTED).some(ids => ids.includes(id))).toBe(true);
    expect(NEAR_MISSES[id]?.length).toBeGreaterThan(0);
    for (const miss of NEAR_MISSES[id]) {
      expect([miss, Detection.fromId(id).matches(events.get(miss)!)]).toEqual([miss, false]);
    }
  });
});

describe('CIS metric filters and EventBridge patterns agree', () => {
  test.each(Detection.cis().map(d => d.id))('%s', id => {
    const detection = Detection.fromId(id);
    for (const name of fixtureNames) {
      const r = record(name);
      if (r.eventType === 'AwsCloudTrailInsight') continue;
      expect([name, detection.matches(events.get(name)!)]).toEqual([name, metricFilterMatches(detection.metricFilterPattern!, r)]);
    }
  });
});

describe('forwarding from member accounts', () => {
  const pattern = forwardingPattern(undefined, detections);

  test('forwards every record that fires a detection', () => {
    for (const name of fixtureNames) {
      if (EXPECTED[name].length === 0) continue;
      expect([name, EventPatternMatcher.matches(pattern, events.get(name)!)]).toEqual([name, true]);
    }
  });

  test('does not forward unrelated read-only calls', () => {
    for (const name of ['ec2-describe-security-groups-read-only', 'securityhub-get-findings-read-only',
      'organizations-describe-organization-read-only', 'iam-get-role-policy-read-only']) {
      expect([name, EventPatternMatcher.matches(pattern, events.get(name)!)]).toEqual([name, false]);
    }
  });
});
