/**
 * Who may still destroy or loosen the archive once its bucket and key policies deny it to everyone else.
 */
export interface ArchiveProtectionOptions {
  /**
   * Exact IAM role ARNs that keep every protected action on the archive: deleting or unlocking log
   * object versions, bypassing GOVERNANCE retention, changing the bucket's policy, lifecycle,
   * versioning, logging, encryption or Object Lock, and disabling, deleting or re-policing the key.
   *
   * Name a dedicated break-glass role whose use is rare, approved and alerted on, never a role people
   * use day to day. The policies match `aws:PrincipalArn`, which for an assumed role is the role's ARN
   * (`arn:aws:iam::111122223333:role/BreakGlass`), so sessions of the role are exempt and nobody else.
   * Each must be one role of the stack's partition: no `*` or `?` (a wildcard would exempt every role
   * whose name matches; for an IAM Identity Center role, give its full name with the suffix) and no IAM
   * user (a long-term credential). A role of another account gets an Allow for the object and bucket
   * actions in the bucket policy, and needs the same in its own account's IAM policies; it must exist when
   * the archive is deployed. S3 lets only the bucket's own account change the bucket policy, and KMS lets
   * no other account administer a key: those need a break-glass role of the archive's account (and
   * `TrailArchiveKey` refuses a role of another account than its own).
   *
   * @default - no break-glass principal: only the deployment role can change the bucket and key
   * configuration (as far as stack updates need), and nobody can delete or unlock a log object version,
   * delete a bucket or its policy, or delete, disable or stop rotating the key
   */
  readonly breakGlassPrincipalArns?: string[];

  /**
   * The exact ARN of the IAM role (no `*` or `?`, of the stack's partition) CloudFormation uses to deploy
   * this stack. It stays able to update the bucket configuration
   * (policy, lifecycle, Object Lock...) and the key policy, so that the stack's own updates keep working
   * and KMS's key-policy lockout check passes. It is never exempt from what no stack update does: deleting or
   * unlocking object versions, deleting a bucket or its policy, setting a bucket ACL, and deleting, disabling
   * or stopping the rotation of the key.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer`
   * (`cdk-<qualifier>-cfn-exec-role-<account>-<region>`); with another synthesizer, a synth warning and
   * no deployment exemption
   */
  readonly deploymentRoleArn?: string;
}
