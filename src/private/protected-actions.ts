/**
 * The actions that would erase, forge or blind the audit archive, written once for every policy that
 * guards it: the archive's bucket and key policies, and the organization's resource and service control
 * policies. Each list is what an administrator of the account that holds the resource must not do except
 * through an explicit break-glass principal.
 */

/** Destroying or unlocking log object versions. */
export const PROTECTED_OBJECT_ACTIONS: readonly string[] = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
];

/**
 * Loosening what keeps, protects, logs or reports on the log bucket: its policy, lifecycle, versioning,
 * server access logging, default encryption, Object Lock, replication, ownership, public access block and
 * event notifications (the EventBridge notifications that report object deletions), or deleting it.
 */
export const PROTECTED_BUCKET_ACTIONS: readonly string[] = [
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketLogging',
  's3:PutEncryptionConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketAcl',
  's3:PutBucketNotification',
  's3:DeleteBucket',
];

/**
 * Destroying, disabling or re-policing the archive key, or moving its alias: every one of these makes
 * years of logs unreadable or stops delivery for the whole organization.
 */
export const PROTECTED_KEY_ACTIONS: readonly string[] = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
  'kms:DisableKeyRotation',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  'kms:DeleteImportedKeyMaterial',
  'kms:UpdatePrimaryRegion',
];
