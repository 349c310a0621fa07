import { apiCall, DetectionDefinition } from './catalog';
import { DetectionSeverity, DetectionTactic, DetectionTier } from '../detection-types';

/** Instance families with GPUs or machine-learning accelerators, the ones cryptominers and model thieves want. */
const ACCELERATED_FAMILIES = ['p2.', 'p3.', 'p3dn.', 'p4d.', 'p4de.', 'p5.', 'p5e.', 'p5en.', 'p6-', 'g3.', 'g4dn.',
  'g4ad.', 'g5.', 'g5g.', 'g6.', 'g6e.', 'gr6.', 'inf1.', 'inf2.', 'trn1.', 'trn1n.', 'trn2.', 'dl1.', 'dl2q.'];

/** Impact: data destroyed or held to ransom, resources hijacked. */
export const IMPACT_DEFINITIONS: readonly DetectionDefinition[] = [
  {
    id: 'S3-LIFECYCLE-EXPIRES-QUICKLY',
    title: 'Bucket lifecycle rule that expires objects within a week',
    severity: DetectionSeverity.HIGH,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.IMPACT,
    techniques: ['T1485', 'T1486'],
    description: '`PutBucketLifecycle` (the event name of `PutBucketLifecycleConfiguration`) with a rule that ' +
      'expires current or noncurrent versions after 7 days or fewer.',
    rationale: 'A lifecycle rule deletes data without a single `DeleteObject` call, and so without data events; ' +
      'ransomware crews use it to destroy originals once copied.',
    falsePositives: 'Buckets of scratch data or temporary uploads with short expirations by design.',
    eventPattern: apiCall('aws.s3', {
      eventName: ['PutBucketLifecycle'],
      requestParameters: {
        LifecycleConfiguration: {
          Rule: {
            $or: [
              { Expiration: { Days: [{ numeric: ['<=', 7] }] } },
              { NoncurrentVersionExpiration: { NoncurrentDays: [{ numeric: ['<=', 7] }] } },
            ],
          },
        },
      },
    }),
  },
  {
    id: 'S3-ENCRYPTION-KEY-CHANGED',
    title: 'Bucket default encryption or objects re-encrypted with a KMS key',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.IMPACT,
    techniques: ['T1486'],
    description: '`PutBucketEncryption` naming a KMS key, or (with S3 data events) `CopyObject` that re-encrypts ' +
      'an object with a KMS key. Patterns cannot tell a key of another account from one of the bucket owner: ' +
      'review the key ARN in the alert.',
    rationale: 'Re-encrypting data under a key the victim does not control, then removing the grant, is ' +
      'ransomware without malware.',
    falsePositives: 'Deployments that set bucket encryption; key migrations.',
    dataEventsNeeded: true,
    visibility: 'Objects re-encrypted in place are `CopyObject` data events; without S3 data events on the trail ' +
      'only the bucket default encryption change is seen.',
    eventPattern: apiCall('aws.s3', {
      eventName: ['PutBucketEncryption', 'CopyObject'],
      requestParameters: {
        $or: [
          {
            ServerSideEncryptionConfiguration: {
              Rule: { ApplyServerSideEncryptionByDefault: { KMSMasterKeyID: [{ exists: true }] } },
            },
          },
          { 'x-amz-server-side-encryption-aws-kms-key-id': [{ exists: true }] },
        ],
      },
    }),
  },
  {
    id: 'EC2-ACCELERATED-INSTANCES-LAUNCHED',
    title: 'GPU or accelerator instances launched',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.IMPACT,
    techniques: ['T1496.001'],
    description: 'EC2 `RunInstances` for a GPU or machine-learning accelerator family (P, G, Inf, Trn, DL).',
    rationale: 'Stolen credentials are monetized by mining on the most expensive instances the quotas allow.',
    falsePositives: 'Machine-learning teams; exclude their accounts or roles.',
    eventPattern: apiCall('aws.ec2', {
      eventName: ['RunInstances'],
      requestParameters: { instanceType: ACCELERATED_FAMILIES.map(prefix => ({ prefix })) },
    }),
  },
  {
    id: 'BEDROCK-MODEL-ACCESS-CHANGED',
    title: 'Bedrock model access requested or logging removed',
    severity: DetectionSeverity.MEDIUM,
    tier: DetectionTier.DEFAULT,
    tactic: DetectionTactic.IMPACT,
    techniques: ['T1496', 'T1562.008'],
    description: 'Bedrock `PutUseCaseForModelAccess`, `CreateFoundationModelAgreement` or ' +
      '`DeleteModelInvocationLoggingConfiguration`.',
    rationale: 'Hijacked accounts are resold as model access ("LLMjacking"): the intruder first enables models ' +
      'and switches off invocation logging.',
    falsePositives: 'Teams enabling a new model.',
    eventPattern: apiCall('aws.bedrock', {
      eventName: ['PutUseCaseForModelAccess', 'CreateFoundationModelAgreement',
        'DeleteModelInvocationLoggingConfiguration'],
    }),
  },
  {
    id: 'BEDROCK-MODEL-INVOKED',
    title: 'Generative AI model invoked',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.IMPACT,
    techniques: ['T1496'],
    description: 'Bedrock `InvokeModel`, `InvokeModelWithResponseStream`, `Converse` or `ConverseStream`. ' +
      'Meant to run with exclusions of the principals that are expected to invoke models, so that what is left ' +
      'is unusual.',
    rationale: 'Model invocations by principals that never used Bedrock are the sign of resold access.',
    falsePositives: 'Every application that uses Bedrock, until excluded.',
    eventPattern: apiCall('aws.bedrock', {
      eventName: ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'],
    }),
    includeReadOnlyEvents: true,
  },
  {
    id: 'S3-OBJECTS-DELETED-IN-BULK',
    title: 'Objects deleted in bulk (DeleteObjects)',
    severity: DetectionSeverity.LOW,
    tier: DetectionTier.HUNTING,
    tactic: DetectionTactic.IMPACT,
    techniques: ['T1485'],
    description: 'S3 `DeleteObjects` (multi-object delete) data events. The volume detection ' +
      '`VolumeDetection.S3_MASS_DELETE` alerts on many deletions by one principal.',
    rationale: 'Multi-object deletes remove up to 1,000 objects per call; destruction and ransomware use them.',
    falsePositives: 'Clean-up jobs and applications that delete in batches.',
    dataEventsNeeded: true,
    visibility: 'Object deletions are data events: invisible unless the trail logs S3 data events for the bucket.',
    eventPattern: apiCall('aws.s3', { eventName: ['DeleteObjects'] }),
  },
];
