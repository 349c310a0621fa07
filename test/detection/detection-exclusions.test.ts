import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { metricFilterMatches } from './metric-filter-evaluator';
import { Detection, DetectionSeverity, DetectionTier } from '../../src/detection/detection';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { CloudTrailEventEnvelope, EventPatternMatcher } from '../../src/testing';

const threat = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'threat-records', `${name}.json`), 'utf8'));

const INTRUDER_SESSION = 'arn:aws:sts::210987654321:assumed-role/app-runtime/i-0a1b2c3d4e5f60718';
const INTRUDER_ROLE = 'arn:aws:iam::210987654321:role/app-runtime';

describe('withExclusions', () => {
  const shared = threat('ec2-modify-snapshot-attribute-share');
  const event = CloudTrailEventEnvelope.fromRecord(shared);

  test('a detection still fires for principals that are not excluded', () => {
    const tuned = Detection.EBS_SNAPSHOT_SHARED.withExclusions({ sessionIssuerArns: ['arn:aws:iam::210987654321:role/backup-*'] });
    expect(tuned.matches(event)).toBe(true);
    expect(tuned.id).toBe('EBS-SNAPSHOT-SHARED');
    expect(tuned.tier).toBe(DetectionTier.DEFAULT);
    expect(tuned.excludedSessionIssuerArns).toEqual(['arn:aws:iam::210987654321:role/backup-*']);
  });

  test.each([
    ['an exact session ARN', { principalArns: [INTRUDER_SESSION] }],
    ['a session ARN pattern of a literal role', { principalArns: ['arn:aws:sts::210987654321:assumed-role/app-runtime/*'] }],
    ['the session issuer', { sessionIssuerArns: [INTRUDER_ROLE] }],
    ['a session issuer pattern', { sessionIssuerArns: ['arn:aws:iam::210987654321:role/app-*'] }],
    ['the principal account', { principalAccounts: ['210987654321'] }],
  ])('%s silences the detection, and only it', (_name, exclusions) => {
    const tuned = Detection.EBS_SNAPSHOT_SHARED.withExclusions(exclusions);
    expect(tuned.matches(event)).toBe(false);
    expect(Detection.EBS_SNAPSHOT_SHARED.matches(event)).toBe(true);
    // A record without the excluded identity (another role) still fires.
    const other = threat('ec2-modify-snapshot-attribute-public');
    other.userIdentity = {
      ...other.userIdentity,
      arn: 'arn:aws:sts::111111111111:assumed-role/other/x',
      accountId: '111111111111',
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/other', accountId: '111111111111' } },
    };
    expect(tuned.matches(CloudTrailEventEnvelope.fromRecord(other))).toBe(true);
  });

  test('records without the excluded field (an IAM user has no session issuer) are not silenced', () => {
    const tuned = Detection.IAM_ACCESS_KEY_FOR_OTHER_USER.withExclusions({ sessionIssuerArns: [INTRUDER_ROLE] });
    expect(tuned.matches(CloudTrailEventEnvelope.fromRecord(threat('iam-create-access-key-user-names-other')))).toBe(true);
    expect(tuned.matches(CloudTrailEventEnvelope.fromRecord(threat('iam-create-access-key-by-role')))).toBe(false);
  });

  test('exclusions add up and keep the catalog entry unchanged', () => {
    const once = Detection.LAMBDA_EXPOSED.withExclusions({ principalAccounts: ['111111111111'] });
    const twice = once.withExclusions({ sessionIssuerArns: [INTRUDER_ROLE] });
    expect(twice.excludedPrincipalAccounts).toEqual(['111111111111']);
    expect(twice.excludedSessionIssuerArns).toEqual([INTRUDER_ROLE]);
    expect(twice.eventPattern.detail.userIdentity).toEqual({
      accountId: [{ exists: false }, { 'anything-but': ['111111111111'] }],
      sessionContext: { sessionIssuer: { arn: [{ exists: false }, { 'anything-but': [INTRUDER_ROLE] }] } },
    });
    expect(Detection.LAMBDA_EXPOSED.eventPattern.detail.userIdentity).toBeUndefined();
    expect(Detection.fromId('LAMBDA-EXPOSED')).toBe(Detection.LAMBDA_EXPOSED);
  });

  test('wildcards are rendered with anything-but wildcard, literals alongside', () => {
    const tuned = Detection.AMI_SHARED.withExclusions({ principalArns: ['arn:aws:iam::210987654321:user/ami-*', INTRUDER_SESSION] });
    expect(tuned.eventPattern.detail.userIdentity.arn).toEqual([{ exists: false },
      { 'anything-but': { wildcard: [INTRUDER_SESSION, 'arn:aws:iam::210987654321:user/ami-*'] } }]);
  });

  test('the forwarding pattern of tuned detections still forwards what they fire on', () => {
    const tuned = Detection.defaultTier().map(d => d.sourcePinned && d.eventKind !== 'INSIGHT' && d.id !== 'CIS-4.3'
      ? d.withExclusions({ principalAccounts: ['111111111111'] }) : d);
    const pattern = forwardingPattern(undefined, tuned);
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
    for (const name of ['ec2-modify-snapshot-attribute-share', 'iam-create-access-key-by-role', 'ec2-delete-flow-logs']) {
      expect([name, EventPatternMatcher.matches(pattern, CloudTrailEventEnvelope.fromRecord(threat(name)))]).toEqual([name, true]);
    }
  });

  describe('metric filters', () => {
    const tuned = Detection.CIS_4_4.withExclusions({
      sessionIssuerArns: ['arn:aws:iam::210987654321:role/cdk-*'],
      principalArns: ['arn:aws:iam::210987654321:user/ci-deployer'],
    });

    test('get the same exclusions', () => {
      expect(tuned.metricFilterPattern).toBe(`{ (${Detection.CIS_4_4.metricFilterPattern!.slice(1, -1)}) && ` +
        '($.userIdentity.arn NOT EXISTS || $.userIdentity.arn != "arn:aws:iam::210987654321:user/ci-deployer") && ' +
        '($.userIdentity.sessionContext.sessionIssuer.arn NOT EXISTS || ' +
        '$.userIdentity.sessionContext.sessionIssuer.arn != "arn:aws:iam::210987654321:role/cdk-*") }');
    });

    test.each([
      ['iam-attach-role-policy-administrator', true],
      ['iam-create-policy-version', false], // a cdk-* CloudFormation execution role
      ['iam-attach-role-policy-read-only', true],
    ])('agree with the event pattern on %s', (name, fires) => {
      const r = threat(name);
      expect(tuned.matches(CloudTrailEventEnvelope.fromRecord(r))).toBe(fires);
      expect(metricFilterMatches(tuned.metricFilterPattern!, r)).toBe(fires);
    });
  });

  test.each([
    [{}, /exclusions "\{\}" must name at least one/],
    [{ principalArns: ['*'] }, /principalArns "\*" must be the ARN of an IAM user or role/],
    [{ principalArns: ['arn:aws:iam::*:role/Admin'] }, /literal 12-digit account id/],
    [{ principalArns: ['arn:aws:sts::210987654321:assumed-role/*/ci'] }, /role name is literal/],
    [{ principalArns: ['arn:aws:iam::210987654321:role/*/x'] }, /principalArns/],
    [{ sessionIssuerArns: ['arn:aws:iam::210987654321:user/bob'] }, /sessionIssuerArns .* must be an IAM role ARN/],
    [{ principalAccounts: ['2109876543'] }, /principalAccounts "2109876543" must be a 12-digit AWS account id/],
    [{ principalAccounts: ['210987654321', '210987654321'] }, /must not repeat a value/],
    [{ principalAccounts: [Token.asString({ Ref: 'Account' })] }, /must be a literal string/],
    [{ principalAccounts: Array.from({ length: 51 }, (_, i) => String(100000000000 + i)) }, /at most 50 values/],
  ])('rejects %j', (exclusions, message) => {
    expect(() => Detection.EBS_SNAPSHOT_SHARED.withExclusions(exclusions as any)).toThrow(message);
  });

  test('refuses to exclude on a field the detection already constrains', () => {
    expect(() => Detection.INSTANCE_CREDENTIALS_RECON.withExclusions({ principalArns: [INTRUDER_SESSION] }))
      .toThrow(/already constrains arn/);
    expect(Detection.INSTANCE_CREDENTIALS_RECON.withExclusions({ sessionIssuerArns: [INTRUDER_ROLE] })
      .matches(CloudTrailEventEnvelope.fromRecord(threat('iam-list-roles-by-instance-role')))).toBe(false);
  });

  test('refuses Insights detections, which have no principal', () => {
    expect(() => Detection.CLOUDTRAIL_INSIGHT.withExclusions({ principalAccounts: ['210987654321'] })).toThrow(/Insights/);
  });

  test('a too long metric filter is refused, naming the limit', () => {
    const arns = Array.from({ length: 20 }, (_, i) => `arn:aws:iam::210987654321:role/deployment-role-number-${i}`);
    expect(() => Detection.CIS_4_4.withExclusions({ sessionIssuerArns: arns })).toThrow(/1024 characters/);
  });
});

describe('Detection.custom and forgeable sources', () => {
  const base = { id: 'ACME-ORDERS', title: 'Orders', severity: DetectionSeverity.LOW };

  test.each([
    [{ detail: { eventSource: ['iam.amazonaws.com'] } }],
    [{ source: ['acme.orders'] }],
    [{ source: ['aws.iam', 'acme.orders'] }],
    [{ source: [{ prefix: 'aw' }] }],
    [{ $or: [{ source: ['aws.iam'] }, { detail: { eventName: ['X'] } }] }],
  ])('refuses %j, which a forged event could satisfy', eventPattern => {
    expect(() => Detection.custom({ ...base, eventPattern })).toThrow(/eventPattern .* must pin `source` to AWS sources/);
  });

  test.each([
    [{ source: ['aws.iam'] }],
    [{ source: [{ prefix: 'aws.' }] }],
    [{ $or: [{ source: ['aws.iam'] }, { source: ['aws.sts'] }] }],
  ])('accepts %j', eventPattern => {
    expect(Detection.custom({ ...base, eventPattern }).sourcePinned).toBe(true);
  });

  test('accepts a forgeable pattern when told to, and says so', () => {
    const d = Detection.custom({ ...base, eventPattern: { source: ['acme.orders'] }, allowForgeableSource: true });
    expect(d.sourcePinned).toBe(false);
    expect(d.tier).toBe(DetectionTier.HUNTING);
  });

  test('validates technique ids', () => {
    expect(() => Detection.custom({ ...base, eventPattern: { source: ['aws.iam'] }, techniques: ['T12'] }))
      .toThrow(/techniques "T12" must be a MITRE ATT&CK technique id/);
    expect(Detection.custom({ ...base, eventPattern: { source: ['aws.iam'] }, techniques: ['T1098.001'] }).techniques).toEqual(['T1098.001']);
  });
});

describe('tiers', () => {
  test('default and hunting tiers partition the catalog, in catalog order', () => {
    const ids = Detection.all().map(d => d.id);
    const split = [...Detection.defaultTier(), ...Detection.huntingTier()].map(d => d.id);
    expect([...split].sort()).toEqual([...ids].sort());
    expect(Detection.defaultTier().map(d => d.id)).toEqual(ids.filter(id => Detection.fromId(id).tier === DetectionTier.DEFAULT));
    expect(Detection.cis().every(d => d.tier === DetectionTier.DEFAULT)).toBe(true);
  });
});
