import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ITrailArchive, TrailArchive, TrailIdentity } from '../../../src';

export const ORGANIZATION_ID = 'o-a1b2c3d4e5';
export const MANAGEMENT_ACCOUNT = '111111111111';
export const MEMBER_ACCOUNT = '222222222222';
/** Owns the second writer, an account trail in eu-west-1. */
export const STANDALONE_ACCOUNT = '444444444444';
export const SECURITY_ACCOUNT = '555555555555';
/** An account outside the organization with no access to anything. */
export const OUTSIDE_ACCOUNT = '666666666666';
/** An account outside the organization whose auditor role was granted read access. */
export const AUDITOR_ACCOUNT = '777777777777';
export const LOG_ARCHIVE_ACCOUNT = '999999999999';

export const ORG_TRAIL = TrailIdentity.organization({
  trailName: 'org-trail',
  organizationId: ORGANIZATION_ID,
  managementAccount: MANAGEMENT_ACCOUNT,
  homeRegion: 'us-east-1',
});

export const PREFIXED_ORG_TRAIL = TrailIdentity.organization({
  trailName: 'org-trail',
  organizationId: ORGANIZATION_ID,
  managementAccount: MANAGEMENT_ACCOUNT,
  homeRegion: 'us-east-1',
  s3KeyPrefix: 'org-trail',
});

export const ACCOUNT_TRAIL = TrailIdentity.account({
  trailName: 'account-trail',
  account: STANDALONE_ACCOUNT,
  homeRegion: 'eu-west-1',
});

/** A trail the archive knows nothing about, in the management account. */
export const ROGUE_TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT}:trail/rogue-trail`;

export const LOG_BUCKET = 'org-trail-logs';
export const LOG_KEY_ARN = `arn:aws:kms:us-east-1:${LOG_ARCHIVE_ACCOUNT}:key/0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e`;
export const ACCESS_LOG_BUCKET = 'org-trail-access-logs';
export const PREFIXED_LOG_BUCKET = 'prefixed-trail-logs';
export const SHARED_LOG_BUCKET = 'shared-trail-logs';
export const READER_ROLE = 'log-reader';
export const AUDITOR_ROLE_ARN = `arn:aws:iam::${AUDITOR_ACCOUNT}:role/auditor`;

/** The request context of a request made over TLS 1.3. */
export const TLS = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };

/** A CloudTrail log object key of the organization trail, for `account` in us-east-1. */
export function orgLogKey(account: string, prefix = ''): string {
  return `${prefix}AWSLogs/${ORGANIZATION_ID}/${account}/CloudTrail/us-east-1/2026/11/23/` +
    `${account}_CloudTrail_us-east-1_20261123T0905Z_Ab12Cd34Ef56Gh78.json.gz`;
}

/** The log-archive account's archive as a trail in another account imports it. */
export function importedArchive(scope: Construct): ITrailArchive {
  return TrailArchive.fromAttributes(scope, 'Archive', { bucketName: LOG_BUCKET, keyArn: LOG_KEY_ARN });
}

/** The log-archive stacks: the archive both trails write to and its reader role, and two variants. */
export interface ArchiveStacks {
  readonly app: App;
  readonly stack: Stack;
  readonly archive: TrailArchive;
  readonly reader: iam.Role;
  /** An archive for the organization trail alone, which writes under the key prefix `org-trail`. */
  readonly prefixedStack: Stack;
  readonly prefixedArchive: TrailArchive;
  /** An archive for the organization trail whose logs are also read by the auditor role of another account. */
  readonly crossAccountStack: Stack;
  readonly crossAccountArchive: TrailArchive;
}

export function archiveStacks(): ArchiveStacks {
  const app = new App();
  const env = { account: LOG_ARCHIVE_ACCOUNT, region: 'us-east-1' };
  const stack = new Stack(app, 'LogArchive', { env });
  const archive = new TrailArchive(stack, 'Archive', {
    writers: [ORG_TRAIL, ACCOUNT_TRAIL],
    bucketName: LOG_BUCKET,
    accessLogsBucketName: ACCESS_LOG_BUCKET,
  });
  const reader = new iam.Role(stack, 'Reader', { roleName: READER_ROLE, assumedBy: new iam.AccountRootPrincipal() });
  archive.grantRead(reader);

  const prefixedStack = new Stack(app, 'PrefixedLogArchive', { env });
  const prefixedArchive = new TrailArchive(prefixedStack, 'Archive', {
    writers: [PREFIXED_ORG_TRAIL],
    bucketName: PREFIXED_LOG_BUCKET,
    accessLogsBucketName: `${PREFIXED_LOG_BUCKET}-access`,
  });

  const crossAccountStack = new Stack(app, 'SharedLogArchive', { env });
  const crossAccountArchive = new TrailArchive(crossAccountStack, 'Archive', {
    writers: [ORG_TRAIL],
    bucketName: SHARED_LOG_BUCKET,
    accessLogsBucketName: `${SHARED_LOG_BUCKET}-access`,
  });
  crossAccountArchive.grantRead(iam.Role.fromRoleArn(crossAccountStack, 'Auditor', AUDITOR_ROLE_ARN));
  return { app, stack, archive, reader, prefixedStack, prefixedArchive, crossAccountStack, crossAccountArchive };
}
