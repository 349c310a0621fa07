import { Annotations, DefaultStackSynthesizer, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import {
  BUCKET_DESTRUCTION_ACTIONS, BUCKET_UPDATE_ACTIONS, KEY_DESTRUCTION_ACTIONS, KEY_UPDATE_ACTIONS, PROTECTED_BUCKET_ACTIONS,
  PROTECTED_OBJECT_ACTIONS,
} from './protected-actions';
import { accountOfRoleArn, partitionOfRegion, validateExemptRoleArn } from './secure/validators';
import { fail } from './validation';
import { ArchiveProtectionOptions } from '../archive/protection-options';

/** S3's limit on the size of a bucket policy. */
const BUCKET_POLICY_LIMIT = 20 * 1024;

/** Warning ID when the stack's deployment role cannot be derived and none is given. */
export const DEPLOYMENT_ROLE_UNKNOWN_WARNING = 'cdk-cloudtrail-governance:archive:deploymentRoleUnknown';

/** The principals the archive's protections exempt, by the protections they are exempt from. */
export interface ArchiveExemptions {
  /** Exempt from the object protections and from destroying the bucket or key: the break-glass principals only. */
  readonly objects: string[];
  /** Exempt from the configuration changes a stack update makes: break-glass plus the deployment role. */
  readonly configuration: string[];
  /**
   * The break-glass roles that are, or may be, of another account than the archive's. A resource policy's
   * deny exemption is no permission: a principal of another account also needs an Allow in the resource
   * policy, which the bucket policy gives them.
   */
  readonly otherAccounts: string[];
  /**
   * The archive's account, when it or the account of one of `otherAccounts` is not known at synth time: the
   * Allow is then limited to principals of other accounts by `aws:PrincipalAccount`, so that it never widens
   * what a role of the archive's own account may do.
   */
  readonly otherAccountsUnless?: string;
}

/**
 * Validates the exemption props and derives the deployment role from the stack's synthesizer. A stack
 * whose deployment role cannot be named gets a warning: its next update of a protected setting would
 * be denied by its own policy.
 */
export function resolveExemptions(scope: IConstruct, props: ArchiveProtectionOptions): ArchiveExemptions {
  const stack = Stack.of(scope);
  const partition = partitionOfRegion(stack.region);
  const breakGlass = props.breakGlassPrincipalArns ?? [];
  if (!Array.isArray(breakGlass)) fail(scope, 'breakGlassPrincipalArns', breakGlass, 'must be a list of IAM role ARNs');
  breakGlass.forEach((arn, i) => validateExemptRoleArn(scope, `breakGlassPrincipalArns[${i}]`, arn, partition));
  validateExemptRoleArn(scope, 'deploymentRoleArn', props.deploymentRoleArn, partition);

  const deployment = props.deploymentRoleArn ?? synthesizerExecutionRole(stack);
  if (deployment === undefined) {
    Annotations.of(scope).addWarningV2(DEPLOYMENT_ROLE_UNKNOWN_WARNING,
      'The stack does not use the DefaultStackSynthesizer, so the role CloudFormation deploys it with is unknown: ' +
      'the archive\'s bucket and key policies deny their own later updates to it. Set deploymentRoleArn to that role.');
  }
  const unique = (arns: string[]) => [...new Set(arns)];
  const otherAccounts = unique(breakGlass.filter((arn) => !sameAccount(stack.account, arn)));
  const undetermined = otherAccounts.some((arn) => Token.isUnresolved(stack.account) || accountOfRoleArn(arn) === undefined);
  return {
    objects: unique(breakGlass),
    configuration: unique([...breakGlass, ...(deployment !== undefined ? [deployment] : [])]),
    otherAccounts,
    otherAccountsUnless: undetermined ? stack.account : undefined,
  };
}

/** Whether a role is known at synth time to be of `account`. */
function sameAccount(account: string, arn: string): boolean {
  return !Token.isUnresolved(account) && accountOfRoleArn(arn) === account;
}

/**
 * KMS does not let principals of another account administer a key (ScheduleKeyDeletion, DisableKey,
 * PutKeyPolicy... are not cross-account operations), whatever the key policy says: a break-glass role of another
 * account than the key's would be exempt from the key's deny and still unable to act. A construct whose only
 * resource is the key refuses it, so that nobody counts on a break-glass path that does not exist.
 */
export function refuseOtherAccountKeyBreakGlass(scope: IConstruct, props: ArchiveProtectionOptions): void {
  const account = Stack.of(scope).account;
  (props.breakGlassPrincipalArns ?? []).forEach((arn, i) => {
    const roleAccount = accountOfRoleArn(arn);
    if (Token.isUnresolved(account) || roleAccount === undefined || roleAccount === account) return;
    fail(scope, `breakGlassPrincipalArns[${i}]`, arn, `must be a role of the key's account ${account}: KMS lets no principal of ` +
      'another account schedule the deletion of, disable or re-policy a key, whatever the key policy allows');
  });
}

/**
 * The CloudFormation execution role of a `DefaultStackSynthesizer`, with its `${AWS::...}` placeholders
 * (left in when the stack's environment is not literal) turned into the stack's own tokens.
 */
function synthesizerExecutionRole(stack: Stack): string | undefined {
  const synthesizer = stack.synthesizer;
  if (!(synthesizer instanceof DefaultStackSynthesizer)) return undefined;
  const arn = synthesizer.cloudFormationExecutionRole;
  if (arn === undefined) return undefined;
  return arn
    .split('${AWS::Partition}').join(stack.partition)
    .split('${AWS::AccountId}').join(stack.account)
    .split('${AWS::Region}').join(stack.region);
}

/** `ArnNotLike aws:PrincipalArn` for a non-empty exempt list; no condition (everybody) otherwise. */
function exceptFor(arns: string[]): Record<string, Record<string, unknown>> | undefined {
  return arns.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': arns } } : undefined;
}

/**
 * Protects a bucket of the archive (the log bucket, and the access-log bucket that records who read or tried
 * to delete logs). Denies to everyone but the break-glass principals the destructive object actions and
 * deleting the bucket or its policy or setting an ACL; denies the other configuration changes to everyone but
 * break-glass and the deployment role; and denies writes to anyone but AWS services (CloudTrail and the S3
 * logging service are the only ones the bucket policies let write; a forged log file would be read by every
 * forensic query).
 */
export function protectArchiveBucket(bucket: s3.Bucket, exempt: ArchiveExemptions): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyLogObjectDestruction',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...PROTECTED_OBJECT_ACTIONS],
    resources: [bucket.arnForObjects('*')],
    conditions: exceptFor(exempt.objects),
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyBucketDestructionExceptBreakGlass',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...BUCKET_DESTRUCTION_ACTIONS],
    resources: [bucket.bucketArn],
    conditions: exceptFor(exempt.objects),
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyConfigurationChangesExceptDeployment',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...BUCKET_UPDATE_ACTIONS],
    resources: [bucket.bucketArn],
    conditions: exceptFor(exempt.configuration),
  }));
  allowOtherAccountBreakGlass(bucket, exempt);
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyWritesNotByAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
  }));
}

/**
 * A break-glass role of another account is allowed exactly what the denies exempt it from, on the objects and on
 * the bucket; its own account's IAM policies must allow it too, as for any cross-account access. The role must
 * exist when the bucket policy is deployed (S3 refuses a policy that names an unknown principal). S3 lets only
 * principals of the bucket's own account put or delete its policy, whatever the policy allows: that change
 * needs a break-glass role of the archive's account.
 */
function allowOtherAccountBreakGlass(bucket: s3.Bucket, exempt: ArchiveExemptions): void {
  if (exempt.otherAccounts.length === 0) return;
  const principals = exempt.otherAccounts.map((arn) => new iam.ArnPrincipal(arn));
  const conditions = exempt.otherAccountsUnless !== undefined
    ? { StringNotEquals: { 'aws:PrincipalAccount': exempt.otherAccountsUnless } }
    : undefined;
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowOtherAccountBreakGlassObjects',
    principals,
    actions: [...PROTECTED_OBJECT_ACTIONS],
    resources: [bucket.arnForObjects('*')],
    conditions,
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowOtherAccountBreakGlassConfiguration',
    principals,
    actions: [...PROTECTED_BUCKET_ACTIONS],
    resources: [bucket.bucketArn],
    conditions,
  }));
}

/**
 * Denies destroying or disabling the archive key to everyone but the break-glass principals, and re-policing it
 * or moving its alias to everyone but break-glass and the deployment role. The deployment role keeps only
 * what a stack update needs: KMS refuses a key policy that would stop its caller from calling PutKeyPolicy
 * again (the lockout safety check), and the stack's own key-policy and alias updates need it. No Allow is
 * added for break-glass roles of other accounts: KMS does not let another account administer a key.
 */
export function protectArchiveKey(key: kms.Key, exempt: ArchiveExemptions): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyKeyDestructionExceptBreakGlass',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...KEY_DESTRUCTION_ACTIONS],
    resources: ['*'],
    conditions: exceptFor(exempt.objects),
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyKeyPolicyChangesExceptDeployment',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...KEY_UPDATE_ACTIONS],
    resources: ['*'],
    conditions: exceptFor(exempt.configuration),
  }));
}

/**
 * S3 rejects a bucket policy over 20 KB. The estimate measures the resolved template value, whose
 * intrinsics are longer than the strings they deploy as, so it errs on the side of refusing.
 */
export function checkBucketPolicySize(bucket: s3.Bucket, label = 'log bucket'): string[] {
  if (!bucket.policy) return [];
  const size = JSON.stringify(Stack.of(bucket).resolve(bucket.policy.document.toJSON())).length;
  if (size <= BUCKET_POLICY_LIMIT) return [];
  return [`writers and breakGlassPrincipalArns make the ${label} policy about ${size} bytes; S3 allows at most ` +
    `${BUCKET_POLICY_LIMIT}: use fewer writers (one organization trail covers every account) or break-glass principals`];
}
