import { DetectionDefinition } from './catalog';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';

/**
 * The built-in detections beyond the CIS controls: CloudTrail tampering, security services being disabled,
 * S3 public access, and CloudTrail Insights.
 */

const S3_GROUPS = 'http://acs.amazonaws.com/groups/global/';

export const OTHER_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'CLOUDTRAIL-TAMPERING',
    title: 'CloudTrail tampering',
    severity: DetectionSeverity.CRITICAL,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.008'],
    rationale: 'Stopping or narrowing the trail is what an intruder does before acting unseen.',
    falsePositives: 'Trail administration by the platform team; exclude its deployment role.',
    description:
      'Logging stopped, a trail deleted or updated, or what a trail records changed (event selectors, Insights ' +
      'selectors), including failed attempts. Unlike CIS-4.5 it ignores trail creation and `StartLogging`, and it ' +
      'covers selector changes.',
    eventPattern: {
      'source': ['aws.cloudtrail'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['cloudtrail.amazonaws.com'],
        eventName: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'],
      },
    },
  },
  {
    id: 'GUARDDUTY-DISABLED',
    title: 'GuardDuty detector deleted, suspended or disconnected',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.001'],
    rationale: 'GuardDuty sees what CloudTrail rules cannot (credential exfiltration, malware, DNS); switching it off blinds the security team.',
    falsePositives: 'Decommissioning a region or account.',
    description:
      'A GuardDuty detector deleted or suspended (`UpdateDetector` with `enable: false`), a member account ' +
      'leaving its administrator, an administrator stopping monitoring of members or removing them, a trusted IP ' +
      'list created or changed (GuardDuty raises no findings for its addresses), or a filter that archives ' +
      'findings automatically (a suppression rule).',
    eventPattern: {
      'source': ['aws.guardduty'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['guardduty.amazonaws.com'],
        $or: [
          {
            eventName: ['DeleteDetector', 'DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount',
              'StopMonitoringMembers', 'DisassociateMembers', 'DeleteMembers', 'CreateIPSet', 'UpdateIPSet'],
          },
          { eventName: ['CreateFilter', 'UpdateFilter'], requestParameters: { action: ['ARCHIVE'] } },
          { eventName: ['UpdateDetector'], requestParameters: { enable: [false] } },
        ],
      },
    },
  },
  {
    id: 'SECURITYHUB-DISABLED',
    title: 'Security Hub disabled',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.001'],
    rationale: 'Security Hub aggregates findings; disabling it hides them.',
    falsePositives: 'Decommissioning a region or account.',
    description: 'Security Hub disabled, standards disabled, or a member account leaving its administrator or removed ' +
      'by it.',
    eventPattern: {
      'source': ['aws.securityhub'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['securityhub.amazonaws.com'],
        eventName: ['DisableSecurityHub', 'BatchDisableStandards', 'DisassociateFromAdministratorAccount',
          'DisassociateFromMasterAccount', 'DisassociateMembers', 'DeleteMembers'],
      },
    },
  },
  {
    id: 'CONFIG-RECORDER-STOPPED',
    title: 'AWS Config recording stopped',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DEFENSE_EVASION,
    techniques: ['T1562.008'],
    rationale: 'Config records resource history; stopping it hides changes.',
    falsePositives: 'Config administration that replaces a recorder.',
    description: 'The AWS Config recorder stopped or deleted, or its delivery channel deleted.',
    eventPattern: {
      'source': ['aws.config'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['config.amazonaws.com'],
        eventName: ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel'],
      },
    },
  },
  {
    id: 'S3-PUBLIC-ACCESS-BLOCK-REMOVED',
    title: 'S3 Block Public Access removed or weakened',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.EXFILTRATION,
    techniques: ['T1537', 'T1530'],
    rationale: 'Block Public Access is the last guard against a public bucket.',
    falsePositives: 'Buckets meant to be public (static websites); exclude their deployment role.',
    description:
      'A bucket\'s or the account\'s S3 Block Public Access configuration deleted, or set with one of its four ' +
      'settings false or left out (a setting left out of the request is false).',
    eventPattern: {
      'source': ['aws.s3'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['s3.amazonaws.com'],
        eventName: ['DeleteBucketPublicAccessBlock', 'DeleteAccountPublicAccessBlock', 'PutBucketPublicAccessBlock',
          'PutAccountPublicAccessBlock'],
        requestParameters: {
          PublicAccessBlockConfiguration: {
            $or: ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets']
              .flatMap(setting => [{ [setting]: [false] }, { [setting]: [{ exists: false }] }]),
          },
        },
      },
    },
  },
  {
    id: 'S3-BUCKET-MADE-PUBLIC',
    title: 'S3 bucket made public',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.EXFILTRATION,
    techniques: ['T1537', 'T1530'],
    rationale: 'A public bucket is readable by anyone on the internet.',
    falsePositives: 'Buckets meant to be public; a policy whose `*` principal is limited by conditions.',
    description:
      'A bucket policy that allows everyone (`Principal` `*` or `{"AWS": "*"}` in an `Allow` statement), or a bucket ' +
      'ACL that grants the AllUsers or AuthenticatedUsers group, canned or explicit. EventBridge cannot evaluate ' +
      'policy conditions, so an `Allow *` statement limited by a condition (for example `aws:PrincipalOrgID`) ' +
      'matches too: review the policy in the alert.',
    eventPattern: {
      'source': ['aws.s3'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['s3.amazonaws.com'],
        eventName: ['PutBucketPolicy', 'PutBucketAcl'],
        requestParameters: {
          $or: [
            { bucketPolicy: { Statement: { Effect: ['Allow'], Principal: ['*'] } } },
            { bucketPolicy: { Statement: { Effect: ['Allow'], Principal: { AWS: ['*'] } } } },
            { 'x-amz-acl': ['public-read', 'public-read-write', 'authenticated-read'] },
            {
              AccessControlPolicy: {
                AccessControlList: {
                  Grant: { Grantee: { URI: [`${S3_GROUPS}AllUsers`, `${S3_GROUPS}AuthenticatedUsers`] } },
                },
              },
            },
          ],
        },
      },
    },
  },
  {
    id: 'CLOUDTRAIL-INSIGHT',
    title: 'CloudTrail Insights: unusual API activity',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.DISCOVERY,
    techniques: [],
    rationale: "Insights flags API call or error rates far from the account's baseline, which often means automation gone wrong or enumeration.",
    falsePositives: 'New workloads, load tests.',
    description:
      'The start of a CloudTrail Insights event: an unusual call rate or error rate for an API. Needs Insights ' +
      'enabled on the trail.',
    eventPattern: {
      'source': ['aws.cloudtrail'],
      'detail-type': ['AWS Insight via CloudTrail'],
      'detail': {
        eventType: ['AwsCloudTrailInsight'],
        insightDetails: { state: ['Start'] },
      },
    },
    insight: true,
  },
];
