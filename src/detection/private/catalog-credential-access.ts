import { ANY_AWS_SOURCE, apiCall, DetectionDefinition } from './catalog';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';

/** Sessions of EC2 instance profiles: the role session name is the instance id. */
const INSTANCE_SESSION = [{ wildcard: 'arn:aws*:sts::*:assumed-role/*/i-*' }];

/** Credential access: secrets, parameters and instance credentials. */
export const CREDENTIAL_ACCESS_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'SECRETS-BATCH-RETRIEVED',
    title: 'Secrets retrieved in bulk (BatchGetSecretValue)',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.CREDENTIAL_ACCESS,
    techniques: ['T1555.006'],
    description: 'Secrets Manager `BatchGetSecretValue`: up to 20 secret values, or every secret a filter ' +
      'selects, in one call. Successful and denied calls alike.',
    rationale: 'Applications read the one secret they need with `GetSecretValue`; a batch read is how a ' +
      'harvester empties a vault in a few calls. Bursts of single `GetSecretValue` calls are a volume detection ' +
      '(`VolumeDetection.SECRETS_RETRIEVAL_BURST`).',
    falsePositives: 'Applications written to load many secrets at start-up; exclude their roles.',
    eventPattern: apiCall('aws.secretsmanager', { eventName: ['BatchGetSecretValue'] }),
    includeReadOnlyEvents: true,
  },
  {
    id: 'SSM-PARAMETERS-DECRYPTED-IN-BATCH',
    title: 'SecureString parameters read in batches with decryption',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.CREDENTIAL_ACCESS,
    techniques: ['T1552'],
    description: 'Systems Manager `GetParametersByPath` or `GetParameters` with `withDecryption` true: every ' +
      'parameter under a path, or up to 10 named parameters, decrypted in one call.',
    rationale: 'Reading a whole parameter tree in clear text collects every credential stored there. Bursts of ' +
      '`GetParameter(s)` with decryption are a volume detection (`VolumeDetection.SSM_DECRYPTED_READ_BURST`).',
    falsePositives: 'Applications and deployment tools that load their configuration by path at start-up.',
    eventPattern: apiCall('aws.ssm', {
      eventName: ['GetParametersByPath', 'GetParameters'],
      requestParameters: { withDecryption: [true] },
    }),
    includeReadOnlyEvents: true,
  },
  {
    id: 'EC2-PASSWORD-DATA-RETRIEVED',
    title: 'Windows administrator password retrieved (GetPasswordData)',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.CREDENTIAL_ACCESS,
    techniques: ['T1552.005'],
    description: 'EC2 `GetPasswordData`: the encrypted administrator password of a Windows instance.',
    rationale: 'With the launch key pair\'s private key the password gives an interactive administrator session ' +
      'on the instance.',
    falsePositives: 'Administrators connecting to Windows instances from the console ("Get Windows password").',
    eventPattern: apiCall('aws.ec2', { eventName: ['GetPasswordData'] }),
    includeReadOnlyEvents: true,
  },
  {
    id: 'INSTANCE-CREDENTIALS-RECON',
    title: 'EC2 instance credentials used to enumerate IAM or the account',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.CREDENTIAL_ACCESS,
    techniques: ['T1552.005', 'T1087.004'],
    description: 'Calls signed with an instance profile\'s credentials (an assumed-role session named after the ' +
      'instance id) to IAM listing and policy APIs, `GetCallerIdentity`, `ListBuckets` or `DescribeInstances`.',
    rationale: 'Credentials stolen from the instance metadata service are first used to find out what they ' +
      'allow; workloads rarely ask.',
    falsePositives: 'Inventory or security agents on instances.',
    visibility: 'CloudTrail does not say where a call signed with instance credentials came from relative to ' +
      'the instance: use outside the instance is only visible to GuardDuty ' +
      '(`UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS` and `.InsideAWS`). This ' +
      'detection catches what stolen instance credentials are typically used for first.',
    eventPattern: apiCall(['aws.iam', 'aws.sts', 'aws.s3', 'aws.ec2'], {
      eventName: ['GetCallerIdentity', 'ListUsers', 'ListRoles', 'ListPolicies', 'ListAttachedRolePolicies',
        'ListRolePolicies', 'GetAccountAuthorizationDetails', 'ListBuckets', 'DescribeInstances'],
      userIdentity: { arn: INSTANCE_SESSION },
    }),
    includeReadOnlyEvents: true,
  },
  {
    id: 'INSTANCE-CREDENTIALS-IMDSV1',
    title: 'EC2 instance credentials delivered by IMDSv1',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.CREDENTIAL_ACCESS,
    techniques: ['T1552.005'],
    description: 'Calls signed with instance credentials whose `userIdentity.sessionContext.ec2RoleDelivery` is ' +
      '`1.0`: the instance still serves credentials through the version 1 metadata service.',
    rationale: 'IMDSv1 answers any request that reaches it, so a server-side request forgery in a workload ' +
      'yields the role\'s credentials. Finds the instances to fix before someone uses them.',
    falsePositives: 'Every call of instances that have not moved to IMDSv2; noisy until they do.',
    eventPattern: apiCall(ANY_AWS_SOURCE, {
      userIdentity: { sessionContext: { ec2RoleDelivery: ['1.0'] } },
    }),
  },
];
