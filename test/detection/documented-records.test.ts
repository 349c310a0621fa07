import * as fs from 'fs';
import * as path from 'path';
import { metricFilterMatches } from './metric-filter-evaluator';
import { Detection } from '../../src/detection/detection';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { CloudTrailEventEnvelope, EventPatternMatcher } from '../../src/testing';

// Records written after the examples in AWS's documentation (test/fixtures/documented-records/SOURCES.md names the
// page each one follows), independently of the fixtures in test/fixtures/cloudtrail-records.
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'documented-records');

function record(name: string): { [key: string]: any } {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

/** Network activity events: CloudTrail delivers them to trails, not to EventBridge. */
const NOT_ON_EVENTBRIDGE = 'not delivered to EventBridge';

/**
 * Exactly the detections each record must fire, from each detection's title and description and, for CIS-4.x,
 * the CIS AWS Foundations Benchmark control it implements.
 */
const EXPECTED: { readonly [fixture: string]: readonly string[] | typeof NOT_ON_EVENTBRIDGE } = {
  // Console sign-in (CIS 4.2 is the variant limited to IAM users; 4.6 is ConsoleLogin with "Failed authentication").
  'signin-iam-user-success-no-mfa': ['CIS-4.2'],
  'signin-iam-user-success-with-mfa': [],
  'signin-iam-user-failed': ['CIS-4.6'],
  'signin-root-success': ['CIS-4.3'],
  'signin-root-failed': ['CIS-4.3', 'CIS-4.6'],
  'signin-saml-federated-user': [],
  // Identity Center sign-in events are AwsServiceEvent records named CredentialVerification/UserAuthentication,
  // not ConsoleLogin: CIS 4.6 (and so CIS-4.6) does not cover a failed Identity Center password.
  'signin-identity-center-credential-verification-failed': [],
  'signin-identity-center-user-authentication': [],
  // Root activity; calls a service makes on the root user's behalf (invokedBy) are excluded, as in CIS 4.3.
  'root-iam-create-access-key': ['CIS-4.3'],
  'root-attach-user-policy-invoked-by-signin': ['CIS-4.4', 'IAM-ADMIN-POLICY-ATTACHED'],
  'root-create-stack-resource-invoked-by-cloudformation': [],
  'sts-assume-role-cross-account': [],
  'sts-assume-role-by-lambda-service': [],
  'guardduty-delete-detector': ['GUARDDUTY-DISABLED'],
  'securityhub-disable-security-hub': ['SECURITYHUB-DISABLED'],
  'config-stop-configuration-recorder': ['CIS-4.9', 'CONFIG-RECORDER-STOPPED'],
  'config-delete-delivery-channel': ['CIS-4.9', 'CONFIG-RECORDER-STOPPED'],
  's3-put-bucket-policy-public-read': ['CIS-4.8', 'S3-BUCKET-MADE-PUBLIC'],
  's3-put-bucket-policy-cross-account-role': ['CIS-4.8', 'S3-BUCKET-POLICY-AWS-PRINCIPAL'],
  's3-put-bucket-acl-all-users-read': ['CIS-4.8', 'S3-BUCKET-MADE-PUBLIC'],
  's3-delete-bucket-public-access-block': ['S3-PUBLIC-ACCESS-BLOCK-REMOVED'],
  's3-put-bucket-public-access-block-all-on': [],
  's3control-put-account-public-access-block-off': ['S3-PUBLIC-ACCESS-BLOCK-REMOVED'],
  's3control-delete-account-public-access-block': ['S3-PUBLIC-ACCESS-BLOCK-REMOVED'],
  's3-get-object-data-event': [],
  'ec2-authorize-security-group-ingress': ['CIS-4.10', 'SECURITY-GROUP-OPEN-TO-INTERNET'],
  'ec2-create-network-acl-entry': ['CIS-4.11'],
  'ec2-create-customer-gateway': ['CIS-4.12'],
  'ec2-create-route': ['CIS-4.13'],
  'ec2-create-vpc': ['CIS-4.14'],
  'kms-disable-key': ['CIS-4.7'],
  'kms-schedule-key-deletion': ['CIS-4.7'],
  'cloudtrail-stop-logging': ['CIS-4.5', 'CLOUDTRAIL-TAMPERING'],
  'cloudtrail-delete-trail': ['CIS-4.5', 'CLOUDTRAIL-TAMPERING'],
  // A failed attempt still fires both: CIS 4.5 and the tampering rule match on the event name, not the outcome.
  'cloudtrail-update-trail-not-found': ['CIS-4.5', 'CLOUDTRAIL-TAMPERING'],
  'cloudtrail-put-event-selectors': ['CLOUDTRAIL-TAMPERING'],
  'iam-create-user-access-denied': ['CIS-4.1'],
  'ec2-run-instances-unauthorized': ['CIS-4.1'],
  'network-activity-vpce-access-denied': NOT_ON_EVENTBRIDGE,
  'network-activity-allowed': NOT_ON_EVENTBRIDGE,
  'insight-error-rate-start': ['CLOUDTRAIL-INSIGHT'],
  'insight-error-rate-end': [],
};

const detections = Detection.all();
const fixtureNames = fs.readdirSync(FIXTURES).filter(f => f.endsWith('.json')).map(f => f.replace(/\.json$/, '')).sort();
const delivered = fixtureNames.filter(name => EXPECTED[name] !== NOT_ON_EVENTBRIDGE);
const events = new Map(delivered.map(name => [name, CloudTrailEventEnvelope.fromRecord(record(name))]));
const fired = (name: string) => detections.filter(d => d.matches(events.get(name)!)).map(d => d.id);

describe('documented records', () => {
  test('every record has an expectation and a source page', () => {
    expect(fixtureNames).toEqual(Object.keys(EXPECTED).sort());
    const sources = fs.readFileSync(path.join(FIXTURES, 'SOURCES.md'), 'utf8');
    const listed = [...sources.matchAll(/^\| `([a-z0-9-]+)\.json` \| (https:\/\/\S+) \|/gm)];
    expect(listed.map(m => m[1]).sort()).toEqual(fixtureNames);
    for (const [, , url] of listed) expect(url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test('records carry the fields of the documented record format', () => {
    for (const name of fixtureNames) {
      const r = record(name);
      expect([name, r.eventVersion, typeof r.eventID, r.eventTime, r.recipientAccountId]).toEqual(
        [name, expect.stringMatching(/^1\.(0[5-9]|1[01])$/), 'string', expect.stringMatching(/Z$/), expect.stringMatching(/^\d{12}$/)]);
      expect([name, r.eventCategory]).toEqual([name, expect.stringMatching(/^(Management|Data|NetworkActivity|Insight)$/)]);
      if (r.eventType === 'AwsCloudTrailInsight') {
        expect([name, r.insightDetails.state]).toEqual([name, expect.stringMatching(/^(Start|End)$/)]);
        continue;
      }
      expect([name, typeof r.userIdentity.type, r.eventSource]).toEqual([name, 'string', expect.stringMatching(/\.amazonaws\.com$/)]);
      if (r.additionalEventData !== undefined) expect([name, typeof r.additionalEventData]).toEqual([name, 'object']);
      for (const resource of r.resources ?? []) expect([name, Object.keys(resource)]).toEqual([name, expect.arrayContaining(['ARN', 'type'])]);
    }
  });
});

describe.each(delivered)('%s', name => {
  test('fires exactly the expected detections', () => {
    expect(fired(name)).toEqual([...EXPECTED[name] as readonly string[]]);
  });
});

describe('EventBridge envelope of documented records', () => {
  test('sign-in records arrive from aws.signin, Insights from aws.cloudtrail, API calls with the API call detail-type', () => {
    expect(events.get('signin-root-failed')).toMatchObject({ source: 'aws.signin', region: 'us-east-1', account: '246813579024' });
    expect(events.get('signin-identity-center-user-authentication')).toMatchObject({ 'detail-type': 'AWS Service Event via CloudTrail' });
    expect(events.get('insight-error-rate-start')).toMatchObject({ 'source': 'aws.cloudtrail', 'detail-type': 'AWS Insight via CloudTrail' });
    expect(events.get('s3control-put-account-public-access-block-off')).toMatchObject({ 'source': 'aws.s3', 'detail-type': 'AWS API Call via CloudTrail' });
    expect(events.get('s3-get-object-data-event')!.region).toBe('eu-west-1');
  });

  test.each(fixtureNames.filter(name => EXPECTED[name] === NOT_ON_EVENTBRIDGE))(
    '%s: network activity events have no EventBridge detail-type, so no envelope is built', name => {
      expect(() => CloudTrailEventEnvelope.fromRecord(record(name))).toThrow('record eventType "AwsVpceEvent" must be one of');
    });

  test('every record that fires a detection is forwarded from member accounts', () => {
    const pattern = forwardingPattern(undefined, detections);
    const firing = delivered.filter(name => (EXPECTED[name] as readonly string[]).length > 0);
    expect(firing.length).toBeGreaterThan(20);
    for (const name of firing) expect([name, EventPatternMatcher.matches(pattern, events.get(name)!)]).toEqual([name, true]);
  });
});

describe('CIS metric filters agree with the EventBridge patterns on documented records', () => {
  const apiRecords = fixtureNames.filter(name => record(name).eventType !== 'AwsCloudTrailInsight');

  test.each(Detection.cis().map(d => d.id))('%s', id => {
    const detection = Detection.fromId(id);
    for (const name of apiRecords) {
      const filter = metricFilterMatches(detection.metricFilterPattern!, record(name));
      // Network activity events reach CloudWatch Logs through the trail but never EventBridge; no CIS filter matches them.
      const rule = events.has(name) ? detection.matches(events.get(name)!) : false;
      expect([name, rule]).toEqual([name, filter]);
    }
  });

  test('CIS 4.2 variant quirk: the filter ignores root and federated sign-ins without MFA', () => {
    const filter = Detection.CIS_4_2.metricFilterPattern!;
    expect(record('signin-root-failed').additionalEventData.MFAUsed).toBe('No');
    expect(metricFilterMatches(filter, { ...record('signin-root-failed'), errorMessage: undefined, responseElements: { ConsoleLogin: 'Success' } }))
      .toBe(false);
    expect(record('signin-saml-federated-user').additionalEventData.MFAUsed).toBe('No');
    expect(metricFilterMatches(filter, record('signin-saml-federated-user'))).toBe(false);
  });

  test('CIS 4.3 quirk: root calls made through a service (invokedBy) are not root usage, for the filter as for the rule', () => {
    const filter = Detection.CIS_4_3.metricFilterPattern!;
    for (const name of ['root-attach-user-policy-invoked-by-signin', 'root-create-stack-resource-invoked-by-cloudformation']) {
      expect([name, record(name).userIdentity.type, metricFilterMatches(filter, record(name))]).toEqual([name, 'Root', false]);
    }
  });
});
