import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ArchiveProtectionOptions } from './protection-options';
import { TrailIdentity } from '../identity/trail-identity';
import { allowTrailWritersToEncrypt } from '../private/archive-key-policy';
import { protectArchiveKey, refuseOtherAccountKeyBreakGlass, resolveExemptions } from '../private/archive-protection';
import { rotatingKey, validateKeyAlias } from '../private/secure';
import { s3ViaService } from '../private/service-endpoints';
import { validateAccount, validateNonEmpty, validateUnique } from '../private/validation';

/**
 * Properties of a {@link TrailArchiveKey}.
 */
export interface TrailArchiveKeyProps extends ArchiveProtectionOptions {
  /**
   * The trails that encrypt their log files with this key: the same list as the archive's `writers`.
   */
  readonly writers: TrailIdentity[];

  /**
   * Accounts whose principals may decrypt the log files, typically the log-archive account where
   * `TrailArchive.grantRead` gives readers the matching IAM permission. Decryption is allowed only
   * through S3 in this key's region and only for data keys whose encryption context names one of the
   * writers' trails; each principal still needs its own IAM permission.
   *
   * @default - nobody outside this key's account can decrypt the logs
   */
  readonly readerAccounts?: string[];

  /**
   * An alias for the key (`alias/...`), so the log-archive stack and the trails can name the key by an
   * ARN known before this stack is deployed.
   *
   * @default - no alias
   */
  readonly keyAlias?: string;

  /**
   * What happens to the key when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The key that encrypts a {@link TrailArchive}'s logs, kept in another account than the bucket (a
 * security account, as AWS's Security Reference Architecture does), so that no administrator of the
 * log-archive account can disable, delete or re-policy it. Pass it to the archive as `encryptionKey`
 * (imported with `kms.Key.fromKeyArn` in the log-archive stack) and to the trails by its ARN.
 *
 * The key lets the given trails encrypt, lets `readerAccounts` decrypt through S3, denies deleting or
 * disabling it (or its rotation) to all but `breakGlassPrincipalArns`, and denies re-policing it or moving
 * its alias to all but those and the deployment role.
 * It must be in the archive bucket's region. Its break-glass roles must be of the key's own account: KMS
 * lets no principal of another account administer a key.
 */
export class TrailArchiveKey extends Construct {
  /** The customer managed key. */
  public readonly key: kms.Key;

  /** The key's ARN, for `TrailArchive`'s `encryptionKey` and the trails' `TrailArchive.fromAttributes`. */
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: TrailArchiveKeyProps) {
    super(scope, id);
    validateNonEmpty(this, 'writers', props.writers);
    validateUnique(this, 'writers', props.writers, (w) => w.trailArn);
    const readerAccounts = props.readerAccounts ?? [];
    readerAccounts.forEach((account, i) => validateAccount(this, `readerAccounts[${i}]`, account));
    validateUnique(this, 'readerAccounts', readerAccounts, (a) => a);
    validateKeyAlias(this, 'keyAlias', props.keyAlias);
    const exemptions = resolveExemptions(this, props);
    refuseOtherAccountKeyBreakGlass(this, props);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:archive:keyNotRetained',
        `removalPolicy is ${removalPolicy}: deleting the stack schedules the deletion of the key that decrypts the audit logs.`);
    }
    const key = rotatingKey(this, 'Key', {
      description: 'Encrypts CloudTrail log files of an archive in another account',
      removalPolicy,
    });
    allowTrailWritersToEncrypt(key, props.writers);
    protectArchiveKey(key, exemptions);
    if (props.keyAlias) key.addAlias(props.keyAlias);
    this.node.addValidation({ validate: () => checkKeyPolicySize(key) });

    if (readerAccounts.length > 0) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'ArchiveReadersDecrypt',
        principals: readerAccounts.map((account) => new iam.AccountPrincipal(account)),
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': [...new Set(props.writers.map((w) => w.encryptionContextArnPattern))],
          },
          StringEquals: { 'kms:ViaService': s3ViaService(Stack.of(this)) },
        },
      }));
    }
    this.key = key;
    this.keyArn = key.keyArn;
  }
}

/** KMS rejects a key policy over 32 KiB (32,768 bytes). */
const KEY_POLICY_LIMIT = 32 * 1024;

/**
 * The key policy grows by two statements per writer. The estimate measures the resolved template value,
 * whose intrinsics are longer than the strings they deploy as, so it errs on the side of refusing.
 */
export function checkKeyPolicySize(key: kms.Key): string[] {
  const cfnKey = key.node.defaultChild as kms.CfnKey;
  const size = JSON.stringify(Stack.of(key).resolve(cfnKey.keyPolicy)).length;
  if (size <= KEY_POLICY_LIMIT) return [];
  return [`writers make the archive key policy about ${size} bytes; KMS allows at most ${KEY_POLICY_LIMIT}: ` +
    'use fewer writers (one organization trail covers every account) or break-glass principals'];
}
