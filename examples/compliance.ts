import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Control Tower proactive controls (cfn-guard rules) the examples do not run, with the reason. The
 * README lists the same table. Disabling is app-wide; the unit tests assert the property each rule
 * checks on every bucket it does apply to.
 */
export const EXAMPLE_DISABLED_GUARD_RULES: { [controlId: string]: string } = {
  'CT.S3.PR.2': 'S3 server access logging: the access-log bucket is the logging target and must not log to itself ' +
    '(an endless loop); every other bucket logs to it (also checked by cdk-nag AwsSolutions-S1).',
  'CT.S3.PR.9': 'S3 Object Lock: cannot be enabled on a server access logging target; TrailArchive offers it as the ' +
    'objectLock prop for the log bucket.',
  'CT.S3.PR.10': 'SSE-KMS default encryption: S3 server access logging delivers only to SSE-S3 buckets; every other ' +
    'bucket uses a customer managed key (also checked by cdk-nag S3DefaultEncryptionKMS).',
};

/** cdk-nag packs whose S3 replication rule the examples acknowledge (see {@link acknowledgeNoReplication}). */
const REPLICATION_RULES = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => `${pack}-S3BucketReplicationEnabled`);

/**
 * Acknowledges the S3 replication rules for every bucket under `scope`. Cross-Region replication of
 * the audit logs needs a second bucket, key and role in another Region; the examples keep one copy,
 * protected by versioning, TLS-only access, a retained KMS key and (organization example) Object Lock.
 */
export function acknowledgeNoReplication(scope: IConstruct): void {
  Validations.of(scope).acknowledge(...REPLICATION_RULES.map((id) => ({
    id,
    reason: 'One Region, one copy: versioning, Object Lock (organization example) and RETAIN protect it; ' +
      'add S3 replication to a second Region when your recovery objectives require it.',
  })));
}
