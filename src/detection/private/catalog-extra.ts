import { DetectionDefinition } from './catalog';

/**
 * The built-in detections beyond the CIS controls: CloudTrail tampering, security services being disabled,
 * S3 public access, and CloudTrail Insights.
 */

const S3_GROUPS = 'http://acs.amazonaws.com/groups/global/';

export const OTHER_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'CLOUDTRAIL-TAMPERING',
    title: 'CloudTrail tampering',
    severity: 'CRITICAL',
    description:
      'Logging stopped, a trail deleted or updated, or what a trail records changed (event selectors, Insights ' +
      'selectors), including failed attempts. Unlike CIS-4.5 it ignores trail creation and `StartLogging`, and it ' +
      'covers selector changes.',
    eventPattern: {
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
    severity: 'HIGH',
    description:
      'A GuardDuty detector deleted or suspended (`UpdateDetector` with `enable: false`), a member account ' +
      'leaving its administrator, or an administrator stopping monitoring of members.',
    eventPattern: {
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['guardduty.amazonaws.com'],
        $or: [
          {
            eventName: ['DeleteDetector', 'DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount',
              'StopMonitoringMembers'],
          },
          { eventName: ['UpdateDetector'], requestParameters: { enable: [false] } },
        ],
      },
    },
  },
  {
    id: 'SECURITYHUB-DISABLED',
    title: 'Security Hub disabled',
    severity: 'HIGH',
    description: 'Security Hub disabled, standards disabled, or a member account leaving its administrator.',
    eventPattern: {
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['securityhub.amazonaws.com'],
        eventName: ['DisableSecurityHub', 'BatchDisableStandards', 'DisassociateFromAdministratorAccount',
          'DisassociateFromMasterAccount'],
      },
    },
  },
  {
    id: 'CONFIG-RECORDER-STOPPED',
    title: 'AWS Config recording stopped',
    severity: 'HIGH',
    description: 'The AWS Config recorder stopped or deleted, or its delivery channel deleted.',
    eventPattern: {
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
    severity: 'HIGH',
    description:
      'A bucket\'s or the account\'s S3 Block Public Access configuration deleted, or set with one of its four ' +
      'settings false or left out (a setting left out of the request is false).',
    eventPattern: {
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
    severity: 'HIGH',
    description:
      'A bucket policy that allows everyone (`Principal` `*` or `{"AWS": "*"}` in an `Allow` statement), or a bucket ' +
      'ACL that grants the AllUsers or AuthenticatedUsers group, canned or explicit. EventBridge cannot evaluate ' +
      'policy conditions, so an `Allow *` statement limited by a condition (for example `aws:PrincipalOrgID`) ' +
      'matches too: review the policy in the alert.',
    eventPattern: {
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
    severity: 'MEDIUM',
    description:
      'The start of a CloudTrail Insights event: an unusual call rate or error rate for an API. Needs Insights ' +
      'enabled on the trail.',
    eventPattern: {
      'detail-type': ['AWS Insight via CloudTrail'],
      'detail': {
        eventType: ['AwsCloudTrailInsight'],
        insightDetails: { state: ['Start'] },
      },
    },
    insight: true,
  },
];
