import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { rotatingKey } from './hand-built-alerts';
import { archiveBucketProps, handBuiltBucket } from './hand-built-organization';
import { Json } from './organization-scope';

/** What an account trail and its archive are made of, read once from the library's template. */
export interface AccountTrailScope {
  readonly key: { description: string; statements: Json[] };
  readonly buckets: { [role: string]: { statements: Json[]; lifecycle: Json[] } };
  readonly selectors: Json[];
  readonly trailName: string;
}

export function accountTrailScope(template: Json): AccountTrailScope {
  const resources = Object.values<Json>(template.Resources);
  const of = (type: string) => resources.filter(r => r.Type === type).map(r => r.Properties);
  const [key] = of('AWS::KMS::Key');
  const [trail] = of('AWS::CloudTrail::Trail');
  const buckets: AccountTrailScope['buckets'] = {};
  for (const [id, r] of Object.entries<Json>(template.Resources).filter(([, x]) => x.Type === 'AWS::S3::Bucket')) {
    const role = r.Properties.ObjectLockEnabled ? 'archive' : 'accessLogs';
    const policy = of('AWS::S3::BucketPolicy').find(p => p.Bucket.Ref === id)!;
    buckets[role] = {
      // The statements besides those enforceSSL, minimumTLSVersion and server access logging add.
      statements: policy.PolicyDocument.Statement.filter((s: Json) => s.Sid !== undefined && s.Principal?.Service !== 'logging.s3.amazonaws.com'),
      lifecycle: r.Properties.LifecycleConfiguration.Rules,
    };
  }
  return {
    key: { description: key.Description, statements: key.KeyPolicy.Statement.filter((s: Json) => s.Action !== 'kms:*') },
    buckets,
    selectors: trail.AdvancedEventSelectors,
    trailName: trail.TrailName,
  };
}

/**
 * What AccountTrail + TrailArchive build, hand-assembled from aws-cdk-lib L2s: a rotating key with the same
 * policy, a versioned, Object Lock, TLS-only archive bucket with the same policy and lifecycle, logging to an
 * access-logs bucket, and a multi-region trail with log file validation and the same advanced event selectors.
 */
export function handBuiltAccountTrail(scope: AccountTrailScope): App {
  const app = new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
  const stack = new Stack(app, 'AccountTrail', { env: { account: '111111111111', region: 'us-east-1' } });
  const key = rotatingKey(stack, 'Key', scope.key);
  const bucket = (id: string, role: string, props: s3.BucketProps) => handBuiltBucket(stack, id, undefined, scope.buckets[role], props);
  const accessLogs = bucket('AccessLogs', 'accessLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
  const archive = bucket('Logs', 'archive', archiveBucketProps(key, accessLogs));
  const trail = new cloudtrail.Trail(stack, 'Trail', {
    trailName: scope.trailName,
    bucket: archive,
    encryptionKey: key,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableFileValidation: true,
  });
  // The archive's own deletions and lock changes are recorded: the selectors name its buckets.
  const [management, archiveEvents] = scope.selectors;
  const cfnTrail = trail.node.defaultChild as cloudtrail.CfnTrail;
  cfnTrail.addPropertyOverride('AdvancedEventSelectors', [management, {
    ...archiveEvents,
    FieldSelectors: archiveEvents.FieldSelectors.map((f: Json) => (f.StartsWith
      ? { ...f, StartsWith: [`${archive.bucketArn}/`, `${accessLogs.bucketArn}/`] } : f)),
  }]);
  cfnTrail.addPropertyDeletionOverride('EventSelectors');
  cfnTrail.applyRemovalPolicy(RemovalPolicy.RETAIN);
  trail.node.addDependency(archive, accessLogs, key);
  return app;
}
