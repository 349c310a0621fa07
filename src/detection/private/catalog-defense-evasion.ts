import { apiCall, DetectionDefinition, NOT_BY_CLOUDFORMATION } from './catalog';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';

/** Defense evasion beyond CIS: logging and security services switched off, accounts leaving guardrails. */
export const DEFENSE_EVASION_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'VPC-FLOW-LOGS-DELETED',
    title: 'VPC flow logs deleted',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.008'],
    description: 'EC2 `DeleteFlowLogs`: one or more flow logs of a VPC, subnet or network interface deleted.',
    rationale: 'Flow logs are the network record of an incident; deleting them hides exfiltration and ' +
      'command-and-control traffic.',
    falsePositives: 'Tearing down a VPC by hand. Stack deletions are left out (CloudFormation-invoked calls).',
    eventPattern: apiCall('aws.ec2', {
      eventName: ['DeleteFlowLogs'],
      userIdentity: NOT_BY_CLOUDFORMATION,
    }),
  },
  {
    id: 'DNS-QUERY-LOGGING-DELETED',
    title: 'Route 53 Resolver query logging deleted',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.008'],
    description: 'Route 53 Resolver `DeleteResolverQueryLogConfig` or `DisassociateResolverQueryLogConfig`: DNS ' +
      'query logging of VPCs stopped.',
    rationale: 'DNS query logs show which domains workloads resolved, the trace of tunnelling and ' +
      'command-and-control; stopping them precedes both.',
    falsePositives: 'Replacing a query logging configuration by hand.',
    eventPattern: apiCall('aws.route53resolver', {
      eventName: ['DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig'],
      userIdentity: NOT_BY_CLOUDFORMATION,
    }),
  },
  {
    id: 'CLOUDWATCH-LOGGING-DELETED',
    title: 'CloudWatch log group, metric filter or alarm deleted',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.008', 'T1070'],
    description: 'CloudWatch Logs `DeleteLogGroup`, `DeleteLogStream`, `DeleteMetricFilter` or ' +
      '`DeleteSubscriptionFilter`, or CloudWatch `DeleteAlarms` or `DisableAlarmActions`, outside CloudFormation. ' +
      'CloudWatch API calls carry `source` `aws.cloudwatch` (event source `monitoring.amazonaws.com`).',
    rationale: 'Deleting log groups erases application and audit logs; deleting or muting alarms silences the ' +
      'monitoring that would notice the intrusion.',
    falsePositives: 'Manual clean-up of old log groups; stack deletions are left out. Exclude clean-up automation ' +
      'by its role.',
    eventPattern: apiCall(['aws.logs', 'aws.cloudwatch'], {
      eventName: ['DeleteLogGroup', 'DeleteLogStream', 'DeleteMetricFilter', 'DeleteSubscriptionFilter',
        'DeleteAlarms', 'DisableAlarmActions'],
      userIdentity: NOT_BY_CLOUDFORMATION,
    }),
  },
  {
    id: 'ACCESS-ANALYZER-DELETED',
    title: 'IAM Access Analyzer deleted',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.001'],
    description: 'Access Analyzer `DeleteAnalyzer`, or an archive rule created or updated (findings archived ' +
      'automatically).',
    rationale: 'Access Analyzer reports resources shared outside the account or organization; deleting it or ' +
      'auto-archiving its findings hides the sharing this catalog\'s exfiltration detections look for.',
    falsePositives: 'Replacing an analyzer; archive rules written by the security team.',
    eventPattern: apiCall('aws.access-analyzer', {
      eventName: ['DeleteAnalyzer', 'CreateArchiveRule', 'UpdateArchiveRule'],
    }),
  },
  {
    id: 'ACCOUNT-LEFT-ORGANIZATION',
    title: 'Account left or was removed from the organization',
    severity: DetectionSeverity.CRITICAL,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1666'],
    description: 'Organizations `LeaveOrganization` (a member leaving) or `RemoveAccountFromOrganization`.',
    rationale: 'An account outside the organization escapes its SCPs, RCPs, organization trail and delegated ' +
      'security services at once.',
    falsePositives: 'Planned account closure or transfer.',
    eventPattern: apiCall('aws.organizations', {
      eventName: ['LeaveOrganization', 'RemoveAccountFromOrganization'],
    }),
  },
  {
    id: 'SECURITY-GROUP-OPEN-TO-INTERNET',
    title: 'Security group opened to the internet outside CloudFormation',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.007'],
    description: 'EC2 `AuthorizeSecurityGroupIngress` with an IPv4 range `0.0.0.0/0` or an IPv6 range `::/0`, not ' +
      'made by CloudFormation. CIS-4.10 reports every security group change; this one is the exposure.',
    rationale: 'Opening SSH, RDP or a database port to everyone is how intruders make a foothold reachable and how ' +
      'data leaves without going through the network\'s controls.',
    falsePositives: 'Public load balancers configured by hand; exclude the role that manages them.',
    eventPattern: apiCall('aws.ec2', {
      eventName: ['AuthorizeSecurityGroupIngress'],
      userIdentity: NOT_BY_CLOUDFORMATION,
      requestParameters: {
        ipPermissions: {
          items: {
            $or: [
              { ipRanges: { items: { cidrIp: ['0.0.0.0/0'] } } },
              { ipv6Ranges: { items: { cidrIpv6: ['::/0'] } } },
            ],
          },
        },
      },
    }),
  },
];
