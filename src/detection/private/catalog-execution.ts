import { apiCall, DetectionDefinition } from './catalog';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';

/** Execution, lateral movement and discovery on instances and in the account. */
export const EXECUTION_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'EC2-INSTANCE-CONNECT-KEY-PUSHED',
    title: 'SSH key pushed with EC2 Instance Connect',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.LATERAL_MOVEMENT,
    techniques: ['T1021.004', 'T1098.004'],
    description: 'EC2 Instance Connect `SendSSHPublicKey` or `SendSerialConsoleSSHPublicKey`: a one-time key ' +
      'for an instance\'s SSH daemon or serial console.',
    rationale: 'Instance Connect turns an IAM permission into a shell on the instance, and from there into the ' +
      'instance role.',
    falsePositives: 'Administrators using the console\'s "Connect" button; exclude their permission set roles ' +
      'if that is the norm.',
    eventPattern: apiCall('aws.ec2-instance-connect', {
      eventName: ['SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey'],
    }),
  },
  {
    id: 'EC2-SERIAL-CONSOLE-ENABLED',
    title: 'EC2 serial console access enabled',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.LATERAL_MOVEMENT,
    techniques: ['T1021', 'T1562.007'],
    description: 'EC2 `EnableSerialConsoleAccess`: the account-level switch for serial console access.',
    rationale: 'The serial console reaches an instance without network access, bypassing security groups.',
    falsePositives: 'Troubleshooting an unreachable instance.',
    eventPattern: apiCall('aws.ec2', { eventName: ['EnableSerialConsoleAccess'] }),
  },
  {
    id: 'SSM-COMMAND-OR-SESSION',
    title: 'Systems Manager command sent or session started',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.EXECUTION,
    techniques: ['T1651', 'T1021'],
    description: 'Systems Manager `SendCommand` or `StartSession`.',
    rationale: 'Run Command and Session Manager execute on instances with the agent\'s privileges; intruders use ' +
      'them to move from the control plane onto hosts.',
    falsePositives: 'Patching, State Manager and administrators\' sessions: noisy, hence hunting.',
    eventPattern: apiCall('aws.ssm', { eventName: ['SendCommand', 'StartSession'] }),
  },
  {
    id: 'EC2-USER-DATA-READ',
    title: 'EC2 instance user data read',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DISCOVERY,
    techniques: ['T1552.005', 'T1580'],
    description: 'EC2 `DescribeInstanceAttribute` for the `userData` attribute.',
    rationale: 'User data often holds bootstrap secrets; reading it is a classic first step after a foothold.',
    falsePositives: 'Administrators viewing user data in the console.',
    eventPattern: apiCall('aws.ec2', {
      eventName: ['DescribeInstanceAttribute'],
      requestParameters: { attribute: ['userData'] },
    }),
    includeReadOnlyEvents: true,
  },
  {
    id: 'IAM-AUTHORIZATION-DETAILS-READ',
    title: 'Whole IAM configuration read (GetAccountAuthorizationDetails)',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.DISCOVERY,
    techniques: ['T1087.004', 'T1069.003'],
    description: 'IAM `GetAccountAuthorizationDetails`: every user, group, role and policy in one call.',
    rationale: 'Privilege-escalation tooling starts by downloading the IAM configuration to plan its path.',
    falsePositives: 'Security posture tools and auditors; exclude their roles.',
    eventPattern: apiCall('aws.iam', { eventName: ['GetAccountAuthorizationDetails'] }),
    includeReadOnlyEvents: true,
  },
  {
    id: 'SES-RECONNAISSANCE',
    title: 'Email sending capacity probed (SES)',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.DISCOVERY,
    techniques: ['T1526', 'T1496'],
    description: 'SES `GetSendQuota`, `GetAccountSendingEnabled`, `ListIdentities` or `GetAccount`: the questions ' +
      'asked before stolen credentials are used to send spam or phishing.',
    rationale: 'Sending email from a trusted account is a common use of stolen keys; the sending limits are ' +
      'checked first.',
    falsePositives: 'Applications and consoles that check their sending quota.',
    eventPattern: apiCall('aws.ses', {
      eventName: ['GetSendQuota', 'GetAccountSendingEnabled', 'ListIdentities', 'GetAccount'],
    }),
    includeReadOnlyEvents: true,
  },
];
