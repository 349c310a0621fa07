import { Annotations, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { PROTECTED_BUCKET_ACTIONS, PROTECTED_KEY_ACTIONS, PROTECTED_OBJECT_ACTIONS } from './protected-actions';
import { fail, isUnresolved } from './validation';
import { ArchiveProtectionOptions } from '../archive/protection-options';

/** S3's limit on the size of a bucket policy. */
const BUCKET_POLICY_LIMIT = 20 * 1024;

/** Warning ID when the stack's deployment role cannot be derived and none is given. */
export const DEPLOYMENT_ROLE_UNKNOWN_WARNING = 'cdk-cloudtrail-governance:archive:deploymentRoleUnknown';

/**
 * An IAM role or user ARN as `aws:PrincipalArn` carries it. Wildcards only after the fixed
 * `role/` or `user/`, so a pattern can never reach into another account or principal type.
 */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[A-Za-z0-9+=,.@_\-/*?]{1,512}$/;
const PRINCIPAL_ARN_RULE = 'must be an IAM role or user ARN (arn:<partition>:iam::<account>:role/<name>); ' +
  'aws:PrincipalArn names an assumed role by its role ARN, never by its session, and the account must be literal';

/** The principals the archive's protections exempt, by the protections they are exempt from. */
export interface ArchiveExemptions {
  /** Exempt from the object protections: the break-glass principals only. */
  readonly objects: string[];
  /** Exempt from the bucket and key configuration protections: break-glass plus the deployment role. */
  readonly configuration: string[];
}

/**
 * Validates the exemption props and derives the deployment role from the stack's synthesizer. A stack
 * whose deployment role cannot be named gets a warning: its next update of a protected setting would
 * be denied by its own policy.
 */
export function resolveExemptions(scope: IConstruct, props: ArchiveProtectionOptions): ArchiveExemptions {
  const breakGlass = props.breakGlassPrincipalArns ?? [];
  if (!Array.isArray(breakGlass)) fail(scope, 'breakGlassPrincipalArns', breakGlass, 'must be a list of IAM role or user ARNs');
  breakGlass.forEach((arn, i) => validatePrincipalArn(scope, `breakGlassPrincipalArns[${i}]`, arn));
  validatePrincipalArn(scope, 'deploymentRoleArn', props.deploymentRoleArn);

  const deployment = props.deploymentRoleArn ?? synthesizerExecutionRole(Stack.of(scope));
  if (deployment === undefined) {
    Annotations.of(scope).addWarningV2(DEPLOYMENT_ROLE_UNKNOWN_WARNING,
      'The stack does not use the DefaultStackSynthesizer, so the role CloudFormation deploys it with is unknown: ' +
      'the archive\'s bucket and key policies deny their own later updates to it. Set deploymentRoleArn to that role.');
  }
  const unique = (arns: string[]) => [...new Set(arns)];
  return {
    objects: unique(breakGlass),
    configuration: unique([...breakGlass, ...(deployment !== undefined ? [deployment] : [])]),
  };
}

function validatePrincipalArn(scope: IConstruct, prop: string, arn: string | undefined) {
  if (arn === undefined || isUnresolved(arn)) return;
  if (typeof arn !== 'string' || !PRINCIPAL_ARN.test(arn)) fail(scope, prop, arn, PRINCIPAL_ARN_RULE);
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
 * Denies the destructive object actions and the configuration changes of the log bucket to everyone but
 * the exempt principals, and writes to anyone but AWS services (CloudTrail is the only one the bucket
 * policy lets write; a forged log file under `AWSLogs/` would be read by every forensic query).
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
    sid: 'DenyArchiveConfigurationChanges',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...PROTECTED_BUCKET_ACTIONS],
    resources: [bucket.bucketArn],
    conditions: exceptFor(exempt.configuration),
  }));
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
 * Denies destroying, disabling or re-policing the archive key to everyone but the exempt principals.
 * The deployment role stays exempt: KMS refuses a key policy that would stop its caller from calling
 * PutKeyPolicy again (the lockout safety check), and the stack's own key-policy updates need it.
 */
export function protectArchiveKey(key: kms.Key, exempt: ArchiveExemptions): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyKeyDestruction',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...PROTECTED_KEY_ACTIONS],
    resources: ['*'],
    conditions: exceptFor(exempt.configuration),
  }));
}

/**
 * S3 rejects a bucket policy over 20 KB. The estimate measures the resolved template value, whose
 * intrinsics are longer than the strings they deploy as, so it errs on the side of refusing.
 */
export function checkBucketPolicySize(bucket: s3.Bucket): string[] {
  if (!bucket.policy) return [];
  const size = JSON.stringify(Stack.of(bucket).resolve(bucket.policy.document.toJSON())).length;
  if (size <= BUCKET_POLICY_LIMIT) return [];
  return [`writers and breakGlassPrincipalArns make the log bucket policy about ${size} bytes; S3 allows at most ` +
    `${BUCKET_POLICY_LIMIT}: use fewer writers (one organization trail covers every account) or break-glass principals`];
}
