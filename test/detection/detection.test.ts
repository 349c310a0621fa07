import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { Detection, DetectionEventKind, DetectionSeverity } from '../../src/detection/detection';
import { CloudTrailEventEnvelope } from '../../src/testing';

/**
 * The metric-filter patterns of the CIS AWS Foundations Benchmark v4.0.1, section 4 "Monitoring",
 * Remediation step 1, typed here independently of the catalog. v3.0.0 has the same text except 4.1 (four
 * terms joined with `||`); v5.0.0 the same except 4.10 (adds ModifySecurityGroupRules). 4.2 is the
 * benchmark's variant for organizations that use SSO, the one Security Hub's CloudWatch.3 check expects.
 */
const CIS_TEXT: { readonly [id: string]: string } = {
  'CIS-4.1': '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
  'CIS-4.2': '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  'CIS-4.3': '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  'CIS-4.4': '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  'CIS-4.5': '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  'CIS-4.6': '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  'CIS-4.7': '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  'CIS-4.8': '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  'CIS-4.9': '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
  'CIS-4.10': '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  'CIS-4.11': '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  'CIS-4.12': '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  'CIS-4.13': '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
  'CIS-4.14': '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  'CIS-4.15': '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
};

const record = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'cloudtrail-records', `${name}.json`), 'utf8'));

describe('CIS catalog', () => {
  test('covers CIS 4.1-4.15 in order', () => {
    expect(Detection.cis().map(d => d.id)).toEqual(Array.from({ length: 15 }, (_, i) => `CIS-4.${i + 1}`));
    expect(Detection.cis().map(d => d.cisControl)).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
  });

  test.each(Object.keys(CIS_TEXT))('%s metric filter pattern is the CIS text verbatim', id => {
    expect(Detection.fromId(id).metricFilterPattern).toBe(CIS_TEXT[id]);
  });

  test('the static members are the catalog entries', () => {
    expect(Detection.CIS_4_3).toBe(Detection.fromId('CIS-4.3'));
    expect(Detection.ROOT_ACTIVITY).toBe(Detection.CIS_4_3);
    expect(Detection.CIS_4_15.id).toBe('CIS-4.15');
    expect(Detection.CLOUDTRAIL_INSIGHT.eventKind).toBe(DetectionEventKind.INSIGHT);
  });

  test('the detections of IAM, STS, Organizations and sign-in events are global, read from their sources as for custom ones', () => {
    expect(Detection.all().filter(d => d.globalServiceEvents).map(d => d.id)).toEqual([
      'CIS-4.2', 'CIS-4.4', 'CIS-4.6', 'CIS-4.15', 'ACCOUNT-LEFT-ORGANIZATION', 'IAM-ACCESS-KEY-FOR-OTHER-USER',
      'IAM-LOGIN-PROFILE-FOR-OTHER-USER', 'IAM-ROLE-TRUST-POLICY-CHANGED', 'IAM-ADMIN-POLICY-ATTACHED',
      'IAM-POLICY-VERSION-SET-DEFAULT', 'STS-FEDERATION-TOKEN', 'IAM-AUTHORIZATION-DETAILS-READ',
      'PIPELINE-ORGANIZATION-TAMPERING',
    ]);
    for (const d of Detection.all().filter(x => x.id !== 'CIS-4.4')) {
      const copy = Detection.custom({ id: `copy-${d.id}`, title: d.title, severity: d.severity, eventPattern: d.eventPattern });
      expect([d.id, copy.globalServiceEvents]).toEqual([d.id, d.globalServiceEvents]);
    }
  });

  test('only the detections of reads receive read-only management events', () => {
    expect(Detection.cis().filter(d => d.includeReadOnlyEvents).map(d => d.id)).toEqual(['CIS-4.1', 'CIS-4.3']);
    expect(Detection.all().filter(d => d.includeReadOnlyEvents).map(d => d.id)).toEqual(['CIS-4.1', 'CIS-4.3',
      'SECRETS-BATCH-RETRIEVED', 'SSM-PARAMETERS-DECRYPTED-IN-BATCH', 'EC2-PASSWORD-DATA-RETRIEVED',
      'INSTANCE-CREDENTIALS-RECON', 'EC2-USER-DATA-READ', 'IAM-AUTHORIZATION-DETAILS-READ', 'SES-RECONNAISSANCE',
      'BEDROCK-MODEL-INVOKED']);
  });

  test('IAM, sign-in and Organizations detections are marked as global-service detections', () => {
    expect(Detection.cis().filter(d => d.globalServiceEvents).map(d => d.id)).toEqual(['CIS-4.2', 'CIS-4.4', 'CIS-4.6', 'CIS-4.15']);
    for (const d of Detection.all()) {
      const sources: unknown[] = d.eventPattern.source ?? [];
      const onlyGlobal = sources.length > 0 && sources.every(x => typeof x === 'string' && ['aws.iam', 'aws.organizations', 'aws.signin'].includes(x));
      if (onlyGlobal) expect([d.id, d.globalServiceEvents]).toEqual([d.id, true]);
    }
    expect(Detection.PIPELINE_ORGANIZATION_TAMPERING.globalServiceEvents).toBe(true);
  });
});

describe('whole catalog', () => {
  test('has the issue\'s detections with unique ids', () => {
    const ids = Detection.all().map(d => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['CLOUDTRAIL-TAMPERING', 'GUARDDUTY-DISABLED', 'SECURITYHUB-DISABLED',
      'CONFIG-RECORDER-STOPPED', 'S3-PUBLIC-ACCESS-BLOCK-REMOVED', 'S3-BUCKET-MADE-PUBLIC', 'CLOUDTRAIL-INSIGHT']));
  });

  test.each(Detection.all().map(d => d.id))('%s pattern fits the default EventBridge quota', id => {
    expect(Detection.fromId(id).eventPatternLength).toBeLessThanOrEqual(2048);
    expect(Detection.fromId(id).eventPatternLength).toBe(JSON.stringify(Detection.fromId(id).eventPattern).length);
  });

  test('rule descriptions start with the id in brackets', () => {
    expect(Detection.CIS_4_3.ruleDescription).toBe('[CIS-4.3] Root account usage');
    for (const d of Detection.all()) expect(d.ruleDescription.startsWith(`[${d.id}] `)).toBe(true);
  });

  test('sign-in detections match on source and eventName, not on a detail-type spelling', () => {
    for (const d of [Detection.CIS_4_2, Detection.CIS_4_6]) {
      expect(d.eventPattern.source).toEqual(['aws.signin']);
      expect(d.eventPattern.detail.eventName).toEqual(['ConsoleLogin']);
      expect(d.eventPattern['detail-type']).toBeUndefined();
    }
  });

  test('eventPattern is a copy', () => {
    const pattern = Detection.CIS_4_5.eventPattern;
    pattern.detail.eventName.push('Anything');
    expect(Detection.CIS_4_5.eventPattern.detail.eventName).not.toContain('Anything');
  });

  test('CIS-4.3 ignores AWS service events, as the CIS filter does', () => {
    const rootCall = record('root-create-bucket');
    expect(Detection.CIS_4_3.matches(CloudTrailEventEnvelope.fromRecord(rootCall))).toBe(true);
    // The same record marked as a service event (no fixture: this only exercises the eventType clause).
    expect(Detection.CIS_4_3.matches(CloudTrailEventEnvelope.fromRecord({ ...rootCall, eventType: 'AwsServiceEvent' }))).toBe(false);
  });
});

describe('Detection.custom', () => {
  const base = {
    id: 'ACME-PROD-DB-DELETED',
    title: 'Production database deleted',
    severity: DetectionSeverity.CRITICAL,
    eventPattern: { source: ['aws.rds'], detail: { eventSource: ['rds.amazonaws.com'], eventName: ['DeleteDBInstance'] } },
  };

  test('keeps what it is given and fills in defaults', () => {
    const d = Detection.custom(base);
    expect(d.id).toBe('ACME-PROD-DB-DELETED');
    expect(d.description).toBe('Production database deleted');
    expect(d.includeReadOnlyEvents).toBe(false);
    expect(d.globalServiceEvents).toBe(false);
    expect(d.eventKind).toBe(DetectionEventKind.CLOUDTRAIL_RECORD);
    expect(d.metricFilterPattern).toBeUndefined();
    expect(d.ruleDescription).toBe('[ACME-PROD-DB-DELETED] Production database deleted');
  });

  test('infers global-service detections from the pattern', () => {
    expect(Detection.custom({ ...base, eventPattern: { source: ['aws.iam'], detail: { eventSource: ['iam.amazonaws.com'] } } }).globalServiceEvents).toBe(true);
    expect(Detection.custom({ ...base, eventPattern: { source: ['aws.signin'] } }).globalServiceEvents).toBe(true);
    expect(Detection.custom({ ...base, eventPattern: { source: [{ prefix: 'aws.' }], detail: { eventSource: ['iam.amazonaws.com', 'ec2.amazonaws.com'] } } })
      .globalServiceEvents).toBe(false);
    expect(Detection.custom({ ...base, globalServiceEvents: true }).globalServiceEvents).toBe(true);
  });

  test.each([
    [{ id: 'CIS-4.99' }, /id "CIS-4.99" must be 1-64 letters.*not start with "CIS-"/],
    [{ id: 'has space' }, /id "has space" must be/],
    [{ title: '' }, /title "" must be 1-200 characters/],
    [{ eventPattern: { source: 'aws.rds' } }, /eventPattern .* must be a valid event pattern: .*at "source"/],
    [{ eventPattern: { source: [Token.asString({ Ref: 'X' })] } }, /eventPattern .* must be a literal event pattern/],
    [{ eventPattern: { detail: { eventName: Array.from({ length: 300 }, (_, i) => `SomeVeryLongEventName${i}`) } } }, /at most 4096 characters/],
    [{ metricFilterPattern: ' ' }, /metricFilterPattern " " must be 1-1024 characters/],
  ])('rejects %j', (override, message) => {
    expect(() => Detection.custom({ ...base, ...override } as any)).toThrow(message);
  });

  test('fromId names the built-in ids when the id is unknown', () => {
    expect(() => Detection.fromId('CIS-9.9')).toThrow(/id "CIS-9.9" must be the id of a built-in detection: CIS-4.1, /);
  });
});
