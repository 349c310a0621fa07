import { apiCall, DetectionDefinition } from './catalog';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';

/** Exfiltration: snapshots, images and buckets shared outside the account. */
export const EXFILTRATION_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'EBS-SNAPSHOT-SHARED',
    title: 'EBS snapshot shared with another account or made public',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.EXFILTRATION,
    techniques: ['T1537'],
    description: 'EC2 `ModifySnapshotAttribute` that adds create-volume permissions (an account id, or the group ' +
      '`all` for public).',
    rationale: 'A shared snapshot is a full copy of a disk that the other account can mount, outside every ' +
      'control of this one.',
    falsePositives: 'Backup or migration tooling that shares snapshots with a known account; exclude its role.',
    eventPattern: apiCall('aws.ec2', {
      eventName: ['ModifySnapshotAttribute'],
      // `exists` only applies to leaves: the added items are accounts (`userId`) or `group` `all`.
      requestParameters: {
        createVolumePermission: {
          add: { items: { $or: [{ userId: [{ exists: true }] }, { group: [{ exists: true }] }] } },
        },
      },
    }),
  },
  {
    id: 'AMI-SHARED',
    title: 'AMI shared with another account or made public',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.EXFILTRATION,
    techniques: ['T1537'],
    description: 'EC2 `ModifyImageAttribute` that adds launch permissions (an account, organization, OU or ' +
      '`all`).',
    rationale: 'An image carries the disks of the instance it was made from, with whatever secrets were on them.',
    falsePositives: 'Golden-image pipelines that share AMIs with workload accounts; exclude their role.',
    eventPattern: apiCall('aws.ec2', {
      eventName: ['ModifyImageAttribute'],
      requestParameters: {
        launchPermission: {
          add: {
            items: {
              $or: ['userId', 'group', 'organizationArn', 'organizationalUnitArn']
                .map(field => ({ [field]: [{ exists: true }] })),
            },
          },
        },
      },
    }),
  },
  {
    id: 'RDS-SNAPSHOT-SHARED',
    title: 'RDS or Aurora snapshot shared with another account or made public',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.EXFILTRATION,
    techniques: ['T1537'],
    description: 'RDS `ModifyDBSnapshotAttribute` or `ModifyDBClusterSnapshotAttribute` on the `restore` ' +
      'attribute with values to add (account ids, or `all` for public).',
    rationale: 'A shared database snapshot can be restored in the other account with all its data.',
    falsePositives: 'Cross-account backup copies to a known vault account; exclude the backup role.',
    eventPattern: apiCall('aws.rds', {
      eventName: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
      requestParameters: { attributeName: ['restore'], valuesToAdd: [{ exists: true }] },
    }),
  },
  {
    id: 'S3-BUCKET-POLICY-AWS-PRINCIPAL',
    title: 'Bucket policy grants access to named AWS principals',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.EXFILTRATION,
    techniques: ['T1537', 'T1530'],
    description: '`PutBucketPolicy` with an `Allow` statement whose principal names AWS accounts or ARNs other ' +
      'than `*` (S3-BUCKET-MADE-PUBLIC covers `*`). Patterns cannot tell the bucket owner\'s account from a ' +
      'foreign one: review the principals in the alert.',
    rationale: 'Granting a foreign account read access copies data out without any data leaving through this ' +
      'account\'s network.',
    falsePositives: 'Every bucket policy that grants roles of the same account or organization.',
    eventPattern: apiCall('aws.s3', {
      eventName: ['PutBucketPolicy'],
      requestParameters: {
        bucketPolicy: { Statement: { Effect: ['Allow'], Principal: { AWS: [{ 'anything-but': '*' }] } } },
      },
    }),
  },
  {
    id: 'S3-BUCKET-POLICY-ACCOUNT-GRANT',
    title: 'Bucket policy grants access to a whole AWS account',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.EXFILTRATION,
    techniques: ['T1537', 'T1530'],
    description: '`PutBucketPolicy` with an `Allow` statement whose principal is an account root ' +
      '(`arn:aws:iam::<account>:root`), which delegates access to everyone that account\'s admins allow. Policies ' +
      'within an account name roles instead; review the account in the alert. EventBridge matches each field ' +
      'across all statements, so a policy with an `Allow` and a `Deny` naming an account root matches too.',
    rationale: 'Granting a foreign account read access copies data out without any data leaving through this ' +
      'account\'s network; backdoored bucket policies name the attacker\'s account.',
    falsePositives: 'Cross-account data sharing set up by hand; exclude the role that manages it.',
    eventPattern: apiCall('aws.s3', {
      eventName: ['PutBucketPolicy'],
      requestParameters: {
        bucketPolicy: { Statement: { Effect: ['Allow'], Principal: { AWS: [{ suffix: ':root' }] } } },
      },
    }),
  },
  {
    id: 'S3-REPLICATION-CROSS-ACCOUNT',
    title: 'Bucket replication to another account',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.EXFILTRATION,
    techniques: ['T1537'],
    description: '`PutBucketReplication` whose destination names an account or changes the replica owner ' +
      '(`Destination.Account` or `AccessControlTranslation`), which replication to another account\'s bucket ' +
      'needs for the replicas to belong to that account.',
    rationale: 'Replication copies every new object to the destination continuously; to a foreign bucket it is ' +
      'a standing exfiltration channel.',
    falsePositives: 'Replication to a backup account; exclude the role that configures it.',
    visibility: 'Replication to another account\'s bucket without an owner override is not distinguishable ' +
      'from same-account replication in the request; CIS-4.8 still reports every replication change.',
    eventPattern: apiCall('aws.s3', {
      eventName: ['PutBucketReplication'],
      requestParameters: {
        ReplicationConfiguration: {
          Rule: {
            Destination: {
              $or: [{ Account: [{ exists: true }] }, { AccessControlTranslation: { Owner: ['Destination'] } }],
            },
          },
        },
      },
    }),
  },
];
