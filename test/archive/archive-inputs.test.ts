import { App, Aws, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TrailArchiveKey } from '../../src/archive/archive-key';
import { TrailArchive, TrailArchiveAttributes, TrailArchiveProps } from '../../src/archive/trail-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';

/**
 * Every input of the archive either works or is refused with an error naming the prop, the value and
 * the AWS rule. Each row: [case, props, 'accepted' | an error substring]. Errors raised by validations
 * (policy sizes) surface at synth, so every row synthesizes.
 */

const ENV = { account: '222222222222', region: 'us-east-1' };
const ORG = TrailIdentity.organization({
  trailName: 'org-trail', organizationId: 'o-a1b2c3d4e5', managementAccount: '111111111111', homeRegion: 'us-east-1',
});
const MAX_DAYS = 2 ** 31 - 1;
const accountTrails = (n: number) => Array.from({ length: n }, (_, i) => TrailIdentity.account({
  trailName: `account-trail-${i}`, account: String(300000000000 + i), homeRegion: 'us-east-1',
}));
const glacier = (days: number) => [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(days) }];

function outcome(build: (stack: Stack) => void, expected: string, env: { account?: string; region?: string } | undefined = ENV) {
  const app = new App();
  const stack = new Stack(app, 'S', { env });
  const run = () => {
    build(stack);
    app.synth();
  };
  if (expected === 'accepted') expect(run).not.toThrow();
  else expect(run).toThrow(expected);
}

const archiveRows: Array<[string, Partial<TrailArchiveProps>, string]> = [
  ['defaults', {}, 'accepted'],
  ['retention of 0 days', { retention: Duration.days(0) }, 'retention "0 days" must be a whole number of days, at least 1 day'],
  ['retention at S3\'s 32-bit limit', { retention: Duration.days(MAX_DAYS), noncurrentVersionExpiration: Duration.days(MAX_DAYS) }, 'accepted'],
  ['retention beyond S3\'s 32-bit limit', { retention: Duration.days(MAX_DAYS + 1), noncurrentVersionExpiration: Duration.days(MAX_DAYS + 1) },
    `retention "${MAX_DAYS + 1} days" must be at most ${MAX_DAYS} days: S3 stores lifecycle days as a 32-bit integer`],
  ['noncurrent versions kept for 0 days', { noncurrentVersionExpiration: Duration.days(0) },
    'noncurrentVersionExpiration "0 days" must be a whole number of days, at least 1 day'],
  ['noncurrent versions kept beyond 32-bit', { noncurrentVersionExpiration: Duration.days(MAX_DAYS + 1) },
    `noncurrentVersionExpiration "${MAX_DAYS + 1} days" must be at most ${MAX_DAYS} days`],
  ['a transition beyond 32-bit', { transitions: glacier(MAX_DAYS + 1) },
    `transitions[0].transitionAfter "${MAX_DAYS + 1} days" must be at most ${MAX_DAYS} days`],
  ['Object Lock beyond 32-bit', { objectLock: { mode: s3.ObjectLockMode.GOVERNANCE, retention: Duration.days(MAX_DAYS + 1) } },
    `objectLock.retention "${MAX_DAYS + 1} days" must be at most ${MAX_DAYS} days`],
  ['access logs kept for 0 days', { accessLogsRetention: Duration.days(0) },
    'accessLogsRetention "0 days" must be a whole number of days, at least 1 day'],
  ['access logs kept for a fraction of a day', { accessLogsRetention: Duration.hours(36) },
    'accessLogsRetention "1 day 12 hours" must be a whole number of days'],
  ['access logs kept beyond 32-bit', { accessLogsRetention: Duration.days(MAX_DAYS + 1) },
    `accessLogsRetention "${MAX_DAYS + 1} days" must be at most ${MAX_DAYS} days`],
  ['access logs kept for 2 years', { accessLogsRetention: Duration.days(730) }, 'accepted'],
  ['one organization trail among writers', { writers: [ORG] }, 'accepted'],
  ['10 account trails as writers', { writers: accountTrails(10) }, 'accepted'],
  ['60 account trails as writers (key policy past KMS\'s 32 KiB)', { writers: accountTrails(60) },
    'writers make the archive key policy about'],
];

const ROLE_RULE = 'must be the exact ARN of an IAM role (arn:<partition>:iam::<12-digit account>:role/<path/><name>)';
const NO_WILDCARD = `${ROLE_RULE}, without "*" or "?"`;
const role = (name: string, account = '222222222222', partition = 'aws') => `arn:${partition}:iam::${account}:role/${name}`;
/** What an untyped caller (JavaScript, Python) can pass where the TypeScript type is an enum. */
const untyped = (value: unknown) => value as s3.ObjectLockMode;
const lock = (mode: unknown) => ({ objectLock: { mode: untyped(mode), retention: Duration.days(30) } });

archiveRows.push(
  ['an exact break-glass role', { breakGlassPrincipalArns: [role('BreakGlass')] }, 'accepted'],
  ['a break-glass role with a path', { breakGlassPrincipalArns: [role('aws-reserved/sso.amazonaws.com/AWSReservedSSO_BreakGlass_0123456789abcdef')] },
    'accepted'],
  ['a break-glass role of another account', { breakGlassPrincipalArns: [role('BreakGlass', '333333333333')] }, 'accepted'],
  ['a break-glass role as a token', { breakGlassPrincipalArns: [Lazy.string({ produce: () => role('BreakGlass', '333333333333') })] },
    'accepted'],
  ['every role of the account as break-glass', { breakGlassPrincipalArns: [role('*')] },
    `breakGlassPrincipalArns[0] "${role('*')}" ${NO_WILDCARD}: the policies match aws:PrincipalArn with ArnNotLike`],
  ['a break-glass name prefix', { breakGlassPrincipalArns: [role('BreakGlass'), role('break-*')] },
    `breakGlassPrincipalArns[1] "${role('break-*')}" ${NO_WILDCARD}`],
  ['a "?" in the break-glass name', { breakGlassPrincipalArns: [role('a?c')] }, `breakGlassPrincipalArns[0] "${role('a?c')}" ${NO_WILDCARD}`],
  ['a break-glass IAM user', { breakGlassPrincipalArns: ['arn:aws:iam::222222222222:user/admin'] },
    `breakGlassPrincipalArns[0] "arn:aws:iam::222222222222:user/admin" ${ROLE_RULE}, not a user: aws:PrincipalArn of an assumed-role ` +
    'session is its role\'s ARN'],
  ['a break-glass role of another partition', { breakGlassPrincipalArns: [role('BreakGlass', '222222222222', 'aws-cn')] },
    `breakGlassPrincipalArns[0] "${role('BreakGlass', '222222222222', 'aws-cn')}" must be a role of partition aws, the stack's`],
  ['a break-glass number', { breakGlassPrincipalArns: [untyped(222222222222) as unknown as string] },
    'breakGlassPrincipalArns[0] 222222222222 must be a string, not a number'],
  ['a wildcard deployment role', { deploymentRoleArn: role('cdk-*') }, `deploymentRoleArn "${role('cdk-*')}" ${NO_WILDCARD}`],
  ['a wildcard in a deployment role with a token', { deploymentRoleArn: `arn:${Aws.PARTITION}:iam::222222222222:role/cdk-*` },
    NO_WILDCARD],
  ['a deployment user', { deploymentRoleArn: 'arn:aws:iam::222222222222:user/deployer' }, 'deploymentRoleArn "arn:aws:iam::222222222222:user/deployer"'],
  ['a deployment role of another partition', { deploymentRoleArn: role('deployer', '222222222222', 'aws-us-gov') },
    'must be a role of partition aws'],
  ['Object Lock in COMPLIANCE mode', lock(s3.ObjectLockMode.COMPLIANCE), 'accepted'],
  ['Object Lock mode in the wrong case', lock('compliance'), 'objectLock.mode "compliance" must be one of GOVERNANCE, COMPLIANCE'],
  ['Object Lock mode as a number', lock(1), 'objectLock.mode 1 must be one of GOVERNANCE, COMPLIANCE'],
  ['Object Lock mode "*"', lock('*'), 'objectLock.mode "*" must be one of GOVERNANCE, COMPLIANCE'],
  ['Object Lock mode null', lock(null), 'objectLock.mode null must be one of GOVERNANCE, COMPLIANCE'],
  ['Object Lock mode as a token', lock(Lazy.string({ produce: () => 'COMPLIANCE' })), 'objectLock.mode "${Token['],
);

test.each(archiveRows)('TrailArchive: %s', (_name, props, expected) => {
  outcome(s => new TrailArchive(s, 'Archive', { writers: [ORG], ...props }), expected);
});

test('TrailArchive: the key policy error names KMS\'s limit', () => {
  outcome(s => new TrailArchive(s, 'Archive', { writers: accountTrails(60) }), 'KMS allows at most 32768');
});

const keyRows: Array<[string, number, string]> = [
  ['30 writers', 30, 'accepted'],
  ['80 writers (key policy past 32 KiB)', 80, 'writers make the archive key policy about'],
];

test.each(keyRows)('TrailArchiveKey: %s', (_name, n, expected) => {
  outcome(s => new TrailArchiveKey(s, 'Key', { writers: accountTrails(n) }), expected);
});

const keyExemptionRows: Array<[string, string[], string]> = [
  ['a break-glass role of the key\'s account', [role('KeyBreakGlass')], 'accepted'],
  ['a break-glass role as a token', [Lazy.string({ produce: () => role('KeyBreakGlass') })], 'accepted'],
  ['every role of the account', [role('*')], `breakGlassPrincipalArns[0] "${role('*')}" ${NO_WILDCARD}`],
  ['a name prefix', [role('break-*')], `breakGlassPrincipalArns[0] "${role('break-*')}" ${NO_WILDCARD}`],
  ['a "?"', [role('a?c')], `breakGlassPrincipalArns[0] "${role('a?c')}" ${NO_WILDCARD}`],
  ['a user', ['arn:aws:iam::222222222222:user/admin'], 'breakGlassPrincipalArns[0] "arn:aws:iam::222222222222:user/admin"'],
  ['a role of another partition', [role('KeyBreakGlass', '222222222222', 'aws-cn')], 'must be a role of partition aws'],
  ['a role of another account', [role('KeyBreakGlass'), role('BreakGlass', '333333333333')],
    `breakGlassPrincipalArns[1] "${role('BreakGlass', '333333333333')}" must be a role of the key's account 222222222222: KMS lets no ` +
    'principal of another account'],
];

test.each(keyExemptionRows)('TrailArchiveKey breakGlassPrincipalArns: %s', (_name, arns, expected) => {
  outcome(s => new TrailArchiveKey(s, 'Key', { writers: [ORG], breakGlassPrincipalArns: arns }), expected);
});

test('exempt principals: the partition is the stack\'s, and unchecked when the region is a token', () => {
  const govCloud = { account: '222222222222', region: 'us-gov-west-1' };
  const govTrail = TrailIdentity.account({ trailName: 'gov-trail', account: '222222222222', homeRegion: 'us-gov-west-1' });
  outcome(s => new TrailArchive(s, 'Archive', { writers: [govTrail], breakGlassPrincipalArns: [role('BreakGlass')] }),
    `breakGlassPrincipalArns[0] "${role('BreakGlass')}" must be a role of partition aws-us-gov, the stack's`, govCloud);
  outcome(s => new TrailArchive(s, 'Archive', { writers: [govTrail], breakGlassPrincipalArns: [role('BreakGlass', '222222222222', 'aws-us-gov')] }),
    'accepted', govCloud);
  outcome(s => new TrailArchive(s, 'Archive', { writers: [ORG], breakGlassPrincipalArns: [role('BreakGlass', '222222222222', 'aws-cn')] }),
    'accepted', {});
});

const KEY = (region: string) => `arn:aws:kms:${region}:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const importRows: Array<[string, Partial<TrailArchiveAttributes>, { account?: string; region?: string }, string]> = [
  ['a key in the importing stack\'s region, no region given', { keyArn: KEY('us-east-1') }, ENV, 'accepted'],
  ['a key in another region than the importing stack, no region given (cross-region delivery or reads)',
    { keyArn: KEY('eu-west-1') }, ENV, 'accepted'],
  ['a key in the archive\'s stated region', { keyArn: KEY('eu-west-1'), region: 'eu-west-1' }, ENV, 'accepted'],
  ['a key in another region than the archive', { keyArn: KEY('eu-west-1'), region: 'us-east-1' }, ENV,
    `keyArn "${KEY('eu-west-1')}" must be in the archive's region us-east-1, not eu-west-1: S3 SSE-KMS and CloudTrail`],
  ['an alias ARN in another region than the archive', { keyArn: 'arn:aws:kms:eu-west-1:222222222222:alias/trail', region: 'us-east-1' },
    ENV, 'must be in the archive\'s region us-east-1, not eu-west-1'],
  ['a key in another region than the archive, stack without env', { keyArn: KEY('eu-west-1'), region: 'us-east-1' }, {},
    'must be in the archive\'s region us-east-1'],
  ['a region that is not a region code', { region: 'useast1' }, ENV, 'region "useast1" must be an AWS region code'],
  ['an invalid bucket name', { bucketName: 'Trail_Logs' }, ENV, 'bucketName "Trail_Logs" must be a valid S3 bucket name'],
  ['an invalid access-log bucket name', { accessLogsBucketName: 'a' }, ENV, 'accessLogsBucketName "a" must be a valid S3 bucket name'],
];

test.each(importRows)('TrailArchive.fromAttributes: %s', (_name, attrs, env, expected) => {
  outcome(s => TrailArchive.fromAttributes(s, 'Imported', { bucketName: 'trail-logs', keyArn: KEY('us-east-1'), ...attrs }),
    expected, env);
});
