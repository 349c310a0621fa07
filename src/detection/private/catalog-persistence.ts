import { apiCall, DetectionDefinition, NOT_BY_CLOUDFORMATION } from './catalog';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';

/**
 * The request names a user, or the caller is a role session or federated user. EventBridge cannot compare two
 * fields, so "for another user" is approximated: an IAM user acting on itself usually omits `userName` (the CLI
 * and SDKs fill in the caller), and sessions always act on some user's long-term credentials. The root user
 * acting on itself (root access keys) is CIS-4.3's.
 */
const ON_ANOTHER_USER = [
  { userIdentity: { type: [{ 'anything-but': ['IAMUser', 'Root'] }] } },
  { requestParameters: { userName: [{ exists: true }] } },
];

const ADMIN_POLICIES = ['AdministratorAccess', 'IAMFullAccess', 'PowerUserAccess', 'AWSOrganizationsFullAccess']
  .map(name => ({ wildcard: `arn:aws*:iam::aws:policy/${name}` }));

/** Persistence and privilege escalation: credentials, trust, policies, functions and instances. */
export const PERSISTENCE_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'IAM-ACCESS-KEY-FOR-OTHER-USER',
    title: 'Access key created for another IAM user',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1098.001'],
    description: 'IAM `CreateAccessKey` by a role session or federated user, or by an IAM user or root that names ' +
      'a user in the request. An IAM user rotating its own key (no `userName` in the request) does not fire.',
    rationale: 'A new long-term key on someone else\'s user is a backdoor that survives the intruder\'s session ' +
      'being revoked.',
    falsePositives: 'Administrators issuing keys to service users; exclude the provisioning role.',
    eventPattern: apiCall('aws.iam', { eventName: ['CreateAccessKey'], $or: ON_ANOTHER_USER }),
  },
  {
    id: 'IAM-LOGIN-PROFILE-FOR-OTHER-USER',
    title: 'Console password created or changed for another IAM user',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1098', 'T1098.001'],
    description: 'IAM `CreateLoginProfile` or `UpdateLoginProfile` by a role session or federated user, or by an ' +
      'IAM user or root that names a user in the request. Users change their own password with ' +
      '`ChangePassword`, which does not fire.',
    rationale: 'Setting another user\'s console password takes over that user, or gives a programmatic-only ' +
      'service user a console door.',
    falsePositives: 'Administrators onboarding users or resetting passwords; exclude the provisioning role.',
    eventPattern: apiCall('aws.iam', {
      eventName: ['CreateLoginProfile', 'UpdateLoginProfile'],
      $or: ON_ANOTHER_USER,
    }),
  },
  {
    id: 'IAM-ROLE-TRUST-POLICY-CHANGED',
    title: 'Role trust policy changed outside CloudFormation',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1098.003', 'T1484.002'],
    description: 'IAM `UpdateAssumeRolePolicy` not made by CloudFormation. The policy document is recorded as ' +
      'text, which event patterns cannot parse: the alert carries it for review.',
    rationale: 'Adding a foreign account, an identity provider or everyone to a role\'s trust policy lets ' +
      'outsiders assume the role from their own account, a backdoor no credential rotation removes.',
    falsePositives: 'Trust policy edits by hand or by deployment tools other than CloudFormation (Terraform); ' +
      'exclude their role.',
    eventPattern: apiCall('aws.iam', {
      eventName: ['UpdateAssumeRolePolicy'],
      userIdentity: NOT_BY_CLOUDFORMATION,
    }),
  },
  {
    id: 'IAM-ADMIN-POLICY-ATTACHED',
    title: 'Administrator policy attached',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PRIVILEGE_ESCALATION,
    techniques: ['T1098', 'T1078.004'],
    description: '`AdministratorAccess`, `IAMFullAccess`, `PowerUserAccess` or `AWSOrganizationsFullAccess` ' +
      'attached to a user, group or role.',
    rationale: 'Attaching an AWS managed administrator policy is the shortest path from a foothold to full ' +
      'control.',
    falsePositives: 'Creating administrator roles for people (better done through IAM Identity Center permission ' +
      'sets, whose roles AWS creates).',
    eventPattern: apiCall('aws.iam', {
      eventName: ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy'],
      requestParameters: { policyArn: ADMIN_POLICIES },
    }),
  },
  {
    id: 'IAM-POLICY-VERSION-SET-DEFAULT',
    title: 'Older IAM policy version made the default',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PRIVILEGE_ESCALATION,
    techniques: ['T1098'],
    description: 'IAM `SetDefaultPolicyVersion`. Deployments publish new versions with `CreatePolicyVersion` ' +
      '(`setAsDefault`), which CIS-4.4 reports; switching to an existing version is rarer.',
    rationale: 'A principal allowed to set the default version can reactivate an older, broader version of a ' +
      'policy attached to itself.',
    falsePositives: 'Rolling back a policy by hand.',
    eventPattern: apiCall('aws.iam', { eventName: ['SetDefaultPolicyVersion'] }),
  },
  {
    id: 'ROLES-ANYWHERE-TRUST-CHANGED',
    title: 'IAM Roles Anywhere trust anchor or profile created or changed',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1098', 'T1556'],
    description: 'IAM Roles Anywhere `CreateTrustAnchor`, `UpdateTrustAnchor`, `EnableTrustAnchor`, ' +
      '`CreateProfile` or `UpdateProfile`.',
    rationale: 'A trust anchor on an attacker\'s certificate authority lets any certificate it signs obtain role ' +
      'credentials from anywhere, without IAM users or keys.',
    falsePositives: 'Onboarding on-premises workloads to Roles Anywhere.',
    eventPattern: apiCall('aws.rolesanywhere', {
      eventName: ['CreateTrustAnchor', 'UpdateTrustAnchor', 'EnableTrustAnchor', 'CreateProfile', 'UpdateProfile'],
    }),
  },
  {
    id: 'STS-FEDERATION-TOKEN',
    title: 'Federation token issued (GetFederationToken)',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1550.001', 'T1098'],
    description: 'STS `GetFederationToken`, called with an IAM user\'s long-term key.',
    rationale: 'Federation tokens outlive the key that made them (up to 36 hours) and deleting the key does not ' +
      'revoke them; intruders use them to keep access after a key is rotated.',
    falsePositives: 'Legacy identity brokers and a few third-party tools.',
    eventPattern: apiCall('aws.sts', { eventName: ['GetFederationToken'] }),
  },
  {
    id: 'LAMBDA-EXPOSED',
    title: 'Lambda function made invocable by another account or everyone',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1546', 'T1648'],
    description: 'Lambda `AddPermission` granting an account, an ARN or `*` (not an AWS service principal), or a ' +
      'function URL created or changed with `authType` `NONE`.',
    rationale: 'A function invocable from outside, running with its role, is a standing door into the account.',
    falsePositives: 'Cross-account event wiring granted to account principals; public function URLs by design.',
    eventPattern: apiCall('aws.lambda', {
      eventName: ['AddPermission20150331', 'AddPermission20150331v2', 'CreateFunctionUrlConfig20211031',
        'UpdateFunctionUrlConfig20211031'],
      requestParameters: {
        $or: [
          { principal: [{ 'anything-but': { suffix: '.amazonaws.com' } }] },
          { authType: ['NONE'] },
        ],
      },
    }),
  },
  {
    id: 'LAMBDA-LAYER-SHARED',
    title: 'Lambda layer shared with another account or everyone',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1525'],
    description: 'Lambda `AddLayerVersionPermission`: a layer version made usable by another account, an ' +
      'organization or everyone.',
    rationale: 'Layers run inside every function that uses them; a shared layer carries code across accounts.',
    falsePositives: 'Platform teams publishing shared layers.',
    eventPattern: apiCall('aws.lambda', { eventName: ['AddLayerVersionPermission20181031'] }),
  },
  {
    id: 'LAMBDA-CODE-REPLACED',
    title: 'Lambda function code, layers or role replaced',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1525', 'T1546'],
    description: 'Lambda `UpdateFunctionCode` or `UpdateFunctionConfiguration` outside CloudFormation.',
    rationale: 'Replacing a function\'s code or adding a layer runs the intruder\'s code with the function\'s ' +
      'role on every invocation.',
    falsePositives: 'Every deployment pipeline that updates functions directly; exclude its role.',
    eventPattern: apiCall('aws.lambda', {
      eventName: ['UpdateFunctionCode20150331v2', 'UpdateFunctionConfiguration20150331v2'],
      userIdentity: NOT_BY_CLOUDFORMATION,
    }),
  },
  {
    id: 'EC2-USER-DATA-MODIFIED',
    title: 'EC2 instance user data modified',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1059.009', 'T1098'],
    description: 'EC2 `ModifyInstanceAttribute` with `userData` in the request (the value is not recorded).',
    rationale: 'User data runs as root at the next start; changing it on a stopped instance is code execution ' +
      'with the instance role.',
    falsePositives: 'Rare: user data is usually set at launch.',
    eventPattern: apiCall('aws.ec2', {
      eventName: ['ModifyInstanceAttribute'],
      // Recorded as a redacted string or as `{ value }` depending on how the request was made.
      requestParameters: { $or: [{ userData: [{ exists: true }] }, { userData: { value: [{ exists: true }] } }] },
    }),
  },
  {
    id: 'EKS-CLUSTER-ACCESS-GRANTED',
    title: 'EKS cluster access granted outside CloudFormation',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.PERSISTENCE,
    techniques: ['T1098', 'T1078.004'],
    description: 'EKS `CreateAccessEntry` or `AssociateAccessPolicy` not made by CloudFormation: an IAM principal ' +
      'given access to a Kubernetes cluster, or a cluster policy (such as cluster admin) attached to it.',
    rationale: 'An access entry for a principal the intruder controls is a backdoor into every workload of the ' +
      'cluster and survives the removal of the original foothold.',
    falsePositives: 'Platform teams granting access by hand or with tools other than CloudFormation; exclude their role.',
    eventPattern: apiCall('aws.eks', {
      eventName: ['CreateAccessEntry', 'AssociateAccessPolicy'],
      userIdentity: NOT_BY_CLOUDFORMATION,
    }),
  },
];
