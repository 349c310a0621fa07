import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';

/**
 * The built-in detections as data. `Detection` turns each entry into an instance; keeping the data apart
 * avoids a module cycle between the class and its static members (the enums come from detection-types.ts,
 * which imports nothing).
 *
 * CIS entries carry the metric-filter pattern of the CIS AWS Foundations Benchmark monitoring section
 * verbatim. The text is that of v4.0.1 (section 4, "Remediation", step 1), which v3.0.0 shares except for
 * 4.1 (v3.0.0 joins its four terms with `||`, which matches nearly every record) and which v5.0.0 shares
 * except for 4.10 (v5.0.0 adds `ModifySecurityGroupRules`, a term Security Hub's CloudWatch.10 check does
 * not accept). For 4.2 the benchmark gives two patterns; this is the one that excludes federated (SSO)
 * sign-ins, which is also the one Security Hub's CloudWatch.3 check looks for.
 */

export interface DetectionDefinition {
  readonly id: string;
  readonly title: string;
  readonly severity: DetectionSeverity;
  readonly description: string;
  readonly cisControl?: string;
  readonly eventPattern: { [key: string]: any };
  readonly metricFilterPattern?: string;
  readonly includeReadOnlyEvents?: boolean;
  /** Set only where the pattern's sources cannot tell (`Detection` infers it from them otherwise). */
  readonly globalServiceEvents?: boolean;
  readonly insight?: boolean;
  /**
   * A shorter superset of `eventPattern` for the member accounts' forwarding rule, whose pattern holds every
   * forwarded detection within EventBridge's size quota; the central bus still runs `eventPattern`.
   */
  readonly forwardingPattern?: { [key: string]: any };
  /** DEFAULT: on in SecurityAlerts unless switched off; HUNTING: opt-in. */
  readonly tier?: DetectionTier;
  readonly tactic?: DetectionTactic;
  /** MITRE ATT&CK technique ids, such as `T1562.008`. */
  readonly techniques?: readonly string[];
  /** Why an attacker does this and why it is worth an alert. */
  readonly rationale?: string;
  /** The legitimate activity that also fires the detection, and how to tune it. */
  readonly falsePositives?: string;
  /** Whether the detection needs data events (S3 object or Lambda invoke events) enabled on the trail. */
  readonly dataEventsNeeded?: boolean;
  /** What CloudTrail management events cannot show of the technique (data events, GuardDuty only...). */
  readonly visibility?: string;
}

/** Every record type CloudTrail delivers to EventBridge ends with this (API calls, sign-in, service events...). */
const VIA_CLOUDTRAIL = [{ suffix: ' via CloudTrail' }];

/**
 * Events of any AWS service. EventBridge rejects PutEvents with an `aws.` source from customers, so pinning it
 * keeps forged events out even when the pattern spans services.
 */
export const ANY_AWS_SOURCE = [{ prefix: 'aws.' }];

function anyEvent(detail: { [key: string]: any }, source: any[] = ANY_AWS_SOURCE): { [key: string]: any } {
  return { 'source': source, 'detail-type': VIA_CLOUDTRAIL, detail };
}

function signIn(detail: { [key: string]: any }): { [key: string]: any } {
  return { source: ['aws.signin'], detail: { eventSource: ['signin.amazonaws.com'], ...detail } };
}

export const CIS_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'CIS-4.1',
    title: 'Unauthorized API calls',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.1',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DISCOVERY,
    techniques: ['T1580', 'T1526'],
    rationale: 'Enumeration with stolen or under-privileged credentials leaves a trail of denied calls.',
    falsePositives: 'Tools probing their own permissions, misconfigured applications, IAM policy rollouts. Noisy in large organizations.',
    description:
      'API calls that failed with an `*UnauthorizedOperation` or `AccessDenied*` error code, except `HeadBucket` ' +
      'calls and calls from `delivery.logs.amazonaws.com`. The CIS pattern writes `A || B && C && D` without ' +
      'parentheses; this rule applies both exclusions to both error codes, as the benchmark intends. The two ' +
      'readings differ only for `*UnauthorizedOperation` errors of `HeadBucket` or from log delivery, which ' +
      'S3 (AccessDenied) and log delivery do not produce. Receives read-only management events too, because most ' +
      'denied calls are reads.',
    eventPattern: anyEvent({
      errorCode: [{ suffix: 'UnauthorizedOperation' }, { prefix: 'AccessDenied' }],
      sourceIPAddress: [{ 'anything-but': 'delivery.logs.amazonaws.com' }],
      eventName: [{ 'anything-but': 'HeadBucket' }],
    }),
    metricFilterPattern: '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ' +
      '($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
    includeReadOnlyEvents: true,
  },
  {
    id: 'CIS-4.2',
    title: 'Console sign-in without MFA',
    severity: DetectionSeverity.HIGH,
    cisControl: '4.2',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.INITIAL_ACCESS,
    techniques: ['T1078.004'],
    rationale: 'A password alone is a phishable credential; a sign-in without MFA is the first step of account takeover.',
    falsePositives: 'Break-glass users without MFA (fix the user instead).',
    description:
      'Successful AWS Management Console sign-ins of IAM users that did not use MFA. Federated and IAM Identity ' +
      'Center sign-ins are excluded (CIS\'s variant for organizations that use SSO). Matched on `source` and ' +
      '`detail.eventName` because the documentation spells the sign-in detail-type two ways.',
    eventPattern: signIn({
      eventName: ['ConsoleLogin'],
      additionalEventData: { MFAUsed: [{ 'anything-but': 'Yes' }] },
      userIdentity: { type: ['IAMUser'] },
      responseElements: { ConsoleLogin: ['Success'] },
    }),
    metricFilterPattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ' +
      '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  {
    id: 'CIS-4.3',
    title: 'Root account usage',
    severity: DetectionSeverity.CRITICAL,
    cisControl: '4.3',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PRIVILEGE_ESCALATION,
    techniques: ['T1078.004'],
    rationale: 'The root user cannot be limited by IAM or SCPs (in the management account) and is rarely needed.',
    falsePositives: 'The few tasks only root can do; announce them beforehand.',
    description:
      'Any activity of the root user: console sign-in (successful or not), API calls, read-only calls included. ' +
      'Calls an AWS service makes on the root user\'s behalf (`userIdentity.invokedBy` set) and AWS service ' +
      'events are excluded, as in CIS.',
    eventPattern: anyEvent({
      userIdentity: { type: ['Root'], invokedBy: [{ exists: false }] },
      eventType: [{ 'anything-but': 'AwsServiceEvent' }],
    }),
    metricFilterPattern:
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    includeReadOnlyEvents: true,
  },
  {
    id: 'CIS-4.4',
    title: 'IAM policy changes',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.4',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PRIVILEGE_ESCALATION,
    techniques: ['T1098', 'T1484'],
    rationale: 'Changed policies are how privileges are escalated and backdoors kept.',
    falsePositives: 'Every deployment that manages IAM; tune with exclusions of the deployment roles.',
    description:
      'Creation, change, attachment or deletion of IAM policies. Like the CIS pattern, it matches on the event ' +
      'name only, so Auto Scaling\'s and Organizations\' `CreatePolicy`/`DeletePolicy` match too.',
    eventPattern: anyEvent({
      eventName: ['DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy',
        'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion',
        'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy',
        'DetachGroupPolicy'],
    }),
    metricFilterPattern: '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||' +
      '($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||' +
      '($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||' +
      '($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||' +
      '($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||' +
      '($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
    // The CIS pattern names IAM's actions but no source, so the sources cannot tell: IAM events.
    globalServiceEvents: true,
  },
  {
    id: 'CIS-4.5',
    title: 'CloudTrail configuration changes',
    severity: DetectionSeverity.HIGH,
    cisControl: '4.5',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.008'],
    rationale: 'Trail changes can stop or narrow the record an investigation depends on.',
    falsePositives: 'Trail administration by the platform team.',
    description: 'A trail created, updated or deleted, or its logging started or stopped; failed attempts count too.',
    eventPattern: anyEvent({
      eventName: ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'],
    }, ['aws.cloudtrail']),
    metricFilterPattern: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ' +
      '($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  },
  {
    id: 'CIS-4.6',
    title: 'Console authentication failures',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.6',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.CREDENTIAL_ACCESS,
    techniques: ['T1110'],
    rationale: 'Failed sign-ins in numbers are password guessing.',
    falsePositives: 'Users mistyping their password.',
    description: 'Failed AWS Management Console sign-ins ("Failed authentication") of IAM users and the root user. ' +
      'IAM Identity Center password failures are service events (`CredentialVerification`), not console sign-ins.',
    eventPattern: signIn({
      eventName: ['ConsoleLogin'],
      errorMessage: ['Failed authentication'],
    }),
    metricFilterPattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  {
    id: 'CIS-4.7',
    title: 'KMS key disabled or scheduled for deletion',
    severity: DetectionSeverity.HIGH,
    cisControl: '4.7',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.IMPACT,
    techniques: ['T1485', 'T1486'],
    rationale: 'A disabled or deleted key makes everything encrypted under it unreadable.',
    falsePositives: 'Planned key retirement.',
    description: 'A KMS key disabled or scheduled for deletion; data encrypted under it becomes unreadable.',
    eventPattern: anyEvent({
      eventSource: ['kms.amazonaws.com'],
      eventName: ['DisableKey', 'ScheduleKeyDeletion'],
    }, ['aws.kms']),
    metricFilterPattern:
      '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  },
  {
    id: 'CIS-4.8',
    title: 'S3 bucket policy changes',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.8',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.COLLECTION,
    techniques: ['T1530'],
    rationale: 'Bucket policies and ACLs decide who reads the data.',
    falsePositives: 'Every deployment that manages buckets.',
    description: 'Changes to an S3 bucket\'s ACL, policy, CORS, lifecycle or replication configuration.',
    eventPattern: anyEvent({
      eventSource: ['s3.amazonaws.com'],
      eventName: ['PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication',
        'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication'],
    }, ['aws.s3']),
    metricFilterPattern: '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ' +
      '($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ' +
      '($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ' +
      '($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ' +
      '($.eventName = DeleteBucketReplication)) }',
  },
  {
    id: 'CIS-4.9',
    title: 'AWS Config configuration changes',
    severity: DetectionSeverity.HIGH,
    cisControl: '4.9',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.008'],
    rationale: 'Config records resource history; stopping it hides changes.',
    falsePositives: 'Config administration.',
    description: 'The AWS Config recorder stopped or changed, or its delivery channel changed or deleted.',
    eventPattern: anyEvent({
      eventSource: ['config.amazonaws.com'],
      eventName: ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel',
        'PutConfigurationRecorder'],
    }, ['aws.config']),
    metricFilterPattern: '{ ($.eventSource = config.amazonaws.com) && ' +
      '(($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||' +
      '($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
  },
  {
    id: 'CIS-4.10',
    title: 'Security group changes',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.10',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.007'],
    rationale: 'Opening a security group exposes instances or opens a path out.',
    falsePositives: 'Every deployment that manages security groups.',
    description: 'Security groups created, deleted, or their rules authorized or revoked.',
    eventPattern: anyEvent({
      eventName: ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
        'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'],
    }),
    metricFilterPattern: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ' +
      '($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ' +
      '($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ' +
      '($.eventName = DeleteSecurityGroup) }',
  },
  {
    id: 'CIS-4.11',
    title: 'Network ACL changes',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.11',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.007'],
    rationale: 'Network ACLs are a second layer of network control.',
    falsePositives: 'Network deployments.',
    description: 'Network ACLs or their entries created, replaced or deleted.',
    eventPattern: anyEvent({
      eventName: ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry',
        'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'],
    }),
    metricFilterPattern: '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ' +
      '($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ' +
      '($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  },
  {
    id: 'CIS-4.12',
    title: 'Network gateway changes',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.12',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.007'],
    rationale: 'New gateways open new paths in or out of a network.',
    falsePositives: 'Network deployments.',
    description: 'Customer gateways or internet gateways created, deleted, attached or detached.',
    eventPattern: anyEvent({
      eventName: ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway',
        'DeleteInternetGateway', 'DetachInternetGateway'],
    }),
    metricFilterPattern: '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ' +
      '($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ' +
      '($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  },
  {
    id: 'CIS-4.13',
    title: 'Route table changes',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.13',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.007'],
    rationale: 'Routes decide where traffic may go; a new route can bypass inspection.',
    falsePositives: 'Network deployments; API Gateway routes match too.',
    description:
      'Routes or route tables created, replaced, deleted or disassociated. Like the CIS pattern, it matches on ' +
      'the event name only, so API Gateway\'s `CreateRoute`/`DeleteRoute` match too.',
    eventPattern: anyEvent({
      eventName: ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation',
        'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'],
    }),
    metricFilterPattern: '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ' +
      '($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ' +
      '($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
  },
  {
    id: 'CIS-4.14',
    title: 'VPC changes',
    severity: DetectionSeverity.MEDIUM,
    cisControl: '4.14',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.007'],
    rationale: 'VPC and peering changes join networks that were apart.',
    falsePositives: 'Network deployments.',
    description: 'VPCs created, deleted or modified, VPC peering changes, and ClassicLink changes.',
    eventPattern: anyEvent({
      eventName: ['CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection',
        'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection',
        'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink'],
    }),
    metricFilterPattern: '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ' +
      '($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ' +
      '($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ' +
      '($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ' +
      '($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ' +
      '($.eventName = EnableVpcClassicLink) }',
  },
  {
    id: 'CIS-4.15',
    title: 'AWS Organizations changes',
    severity: DetectionSeverity.HIGH,
    cisControl: '4.15',
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1666'],
    rationale: 'Organization changes move accounts out of guardrails or detach policies.',
    falsePositives: 'Account vending and organization administration.',
    description: 'Changes to the organization: accounts, organizational units, policies, handshakes.',
    eventPattern: anyEvent({
      eventSource: ['organizations.amazonaws.com'],
      eventName: ['AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy',
        'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy',
        'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount',
        'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit'],
    }, ['aws.organizations']),
    metricFilterPattern: '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ' +
      '($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ' +
      '($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ' +
      '($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ' +
      '($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ' +
      '($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ' +
      '($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ' +
      '($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ' +
      '($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ' +
      '($.eventName = "UpdateOrganizationalUnit")) }',
  },
];

/** The pattern of CloudTrail-recorded API calls of one AWS service (`source` is `aws.<service>`). */
export function apiCall(source: string | any[], detail: { [key: string]: any }): { [key: string]: any } {
  return {
    'source': Array.isArray(source) ? source : [source],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail,
  };
}

/**
 * Calls CloudFormation makes for a stack (`userIdentity.invokedBy`, set by AWS, not by the caller). Detections
 * of changes that stacks routinely make leave them out; deploying a malicious stack remains visible in
 * CloudFormation's own events and in CIS-4.x.
 */
export const NOT_BY_CLOUDFORMATION = { invokedBy: [{ 'anything-but': 'cloudformation.amazonaws.com' }, { exists: false }] };
