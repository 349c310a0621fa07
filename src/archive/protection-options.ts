/**
 * Who may still destroy or loosen the archive once its bucket and key policies deny it to everyone else.
 */
export interface ArchiveProtectionOptions {
  /**
   * IAM role or user ARNs that keep every protected action on the archive: deleting or unlocking log
   * object versions, bypassing GOVERNANCE retention, changing the bucket's policy, lifecycle,
   * versioning, logging, encryption or Object Lock, and disabling, deleting or re-policing the key.
   *
   * Name a dedicated break-glass role whose use is rare, approved and alerted on, never a role people
   * use day to day. The policies match `aws:PrincipalArn`, which for an assumed role is the role's ARN
   * (`arn:aws:iam::111122223333:role/BreakGlass`), so sessions of the role are exempt and nobody else.
   * `*` and `?` are allowed in the role name and path (IAM Identity Center roles carry a random suffix),
   * never in the account.
   *
   * @default - no break-glass principal: only the deployment role can change the bucket and key
   * configuration, and nobody can delete or unlock a log object version
   */
  readonly breakGlassPrincipalArns?: string[];

  /**
   * The role CloudFormation uses to deploy this stack. It stays able to update the bucket configuration
   * (policy, lifecycle, Object Lock...) and the key policy, so that the stack's own updates keep working
   * and KMS's key-policy lockout check passes; it is never exempt from the object protections.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer`
   * (`cdk-<qualifier>-cfn-exec-role-<account>-<region>`); with another synthesizer, a synth warning and
   * no deployment exemption
   */
  readonly deploymentRoleArn?: string;
}
