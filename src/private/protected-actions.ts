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
 * The bucket settings a CloudFormation update of an archive bucket writes (its policy and the properties the
 * construct sets), which the deployment role therefore keeps: policy, lifecycle, versioning, server access
 * logging, default encryption, Object Lock, replication, ownership, public access block and event notifications
 * (the EventBridge notifications that report object deletions). Listed, not derived, so that an action added to
 * the protected ones is break-glass only until a stack update is shown to need it.
 */
export const BUCKET_UPDATE_ACTIONS: readonly string[] = [
  's3:PutBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketLogging',
  's3:PutEncryptionConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketNotification',
];

/**
 * What no stack update calls: deleting the bucket or its policy (both are retained) and writing an ACL (ACLs are
 * disabled). Denied to all but break-glass.
 */
export const BUCKET_DESTRUCTION_ACTIONS: readonly string[] = ['s3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:DeleteBucket'];

/** Loosening what keeps, protects, logs or reports on the log bucket, or deleting it. */
export const PROTECTED_BUCKET_ACTIONS: readonly string[] = [...BUCKET_UPDATE_ACTIONS, ...BUCKET_DESTRUCTION_ACTIONS];

/**
 * The key actions a stack update needs: `kms:PutKeyPolicy` (the stack's own key-policy updates, and KMS's
 * lockout safety check, which refuses a key policy that would stop its caller from calling PutKeyPolicy again)
 * and the alias changes of a changed `keyAlias`. Denied to all but break-glass and the deployment role.
 */
export const KEY_UPDATE_ACTIONS: readonly string[] = ['kms:PutKeyPolicy', 'kms:DeleteAlias', 'kms:UpdateAlias'];

/**
 * Deleting, disabling or weakening the key: no stack update does (the key is retained, enabled and rotating), so
 * they are denied to all but break-glass.
 */
export const KEY_DESTRUCTION_ACTIONS: readonly string[] = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:DeleteImportedKeyMaterial',
  'kms:UpdatePrimaryRegion',
];

/**
 * Destroying, disabling or re-policing the archive key, or moving its alias: every one of these makes
 * years of logs unreadable or stops delivery for the whole organization.
 */
export const PROTECTED_KEY_ACTIONS: readonly string[] = [...KEY_DESTRUCTION_ACTIONS, ...KEY_UPDATE_ACTIONS];
