import { App, Environment, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ITrailArchive } from '../../src/archive/archive-base';
import { TrailArchive } from '../../src/archive/trail-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { AccountTrail, AccountTrailProps } from '../../src/trail/account-trail';

/**
 * Every input of the trail wiring either works, or is refused with an error naming the prop, the value
 * and the rule, or is warned about with an acknowledgeable id when AWS accepts it but it is very likely wrong.
 *
 * Each row: [case, a function of the trail's stack giving props, 'accepted' | a warning id | an error substring].
 */

const W = (id: string) => `cdk-cloudtrail-governance:trail:${id}`;
const TOPIC_POLICY = W('deliveryTopicPolicyNotAdded');
const LOG_GROUP = W('logGroupNotRetained');
const WARNINGS = [TOPIC_POLICY, LOG_GROUP];

const ENV = { account: '444444444444', region: 'eu-west-1' };
const IDENTITY = TrailIdentity.account({ trailName: 'account-trail', account: ENV.account, homeRegion: ENV.region });
const OTHER = TrailIdentity.account({ trailName: 'other-trail', account: ENV.account, homeRegion: ENV.region });
const KEY_ARN = 'arn:aws:kms:eu-west-1:555555555555:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function warningIds(scope: Construct): string[] {
  const messages = scope.node.findAll().flatMap(c => c.node.metadata
    .filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data)));
  return WARNINGS.filter(id => messages.some(m => m.includes(`[ack: ${id}]`)));
}

function imported(stack: Stack, attrs: Partial<{ bucketName: string; accessLogsBucketName: string; writers: TrailIdentity[] }>) {
  return TrailArchive.fromAttributes(stack, 'Imported', { bucketName: 'log-archive-bucket', keyArn: KEY_ARN, ...attrs });
}

function ownArchive(stack: Stack, writers: TrailIdentity[] = [IDENTITY]): ITrailArchive {
  return new TrailArchive(stack, 'Archive', { writers, bucketName: 'log-archive-bucket' });
}

function archiveIn(app: App, env: Environment): ITrailArchive {
  const stack = new Stack(app, 'ArchiveStack', { env });
  return new TrailArchive(stack, 'Archive', { writers: [IDENTITY], bucketName: 'log-archive-bucket' });
}

/** An archive implemented outside the library, whose bucket name nothing validated. */
function customArchive(stack: Stack, bucketName: string): ITrailArchive {
  const base = imported(stack, {});
  return Object.assign(Object.create(base), {
    bucket: Object.assign(Object.create(base.bucket), { bucketName }),
    accessLogsBucket: undefined,
    writers: undefined,
  });
}

type Props = (stack: Stack, app: App) => Partial<AccountTrailProps>;

const rows: Array<[string, Props, string]> = [
  ['an archive in the stack that lists the trail', s => ({ archive: ownArchive(s) }), 'accepted'],
  ['an archive in the stack that lists other trails only', s => ({ archive: ownArchive(s, [OTHER]) }),
    'S/Trail: archive S/Archive does not list the trail (arn:aws:cloudtrail:eu-west-1:444444444444:trail/account-trail) among its writers ' +
    '(arn:aws:cloudtrail:eu-west-1:444444444444:trail/other-trail): CloudTrail refuses'],
  ['an imported archive whose writers list the trail', s => ({ archive: imported(s, { writers: [OTHER, IDENTITY] }) }), 'accepted'],
  ['an imported archive whose writers do not list the trail', s => ({ archive: imported(s, { writers: [OTHER] }) }),
    'S/Trail: archive S/Imported does not list the trail'],
  ['an imported archive with no writers given', s => ({ archive: imported(s, {}) }), 'accepted'],
  ['a TrailArchive in another account, passed directly', (_, app) => ({
    archive: archiveIn(app, { account: '555555555555', region: ENV.region }),
  }), 'S/Trail: archive ArchiveStack/Archive is in another environment (555555555555/eu-west-1) than the trail (444444444444/eu-west-1): import it ' +
    'in the trail\'s stack with TrailArchive.fromAttributes'],
  ['a TrailArchive in another region, passed directly', (_, app) => ({
    archive: archiveIn(app, { account: ENV.account, region: 'us-east-1' }),
  }), 'S/Trail: archive ArchiveStack/Archive is in another environment (444444444444/us-east-1) than the trail (444444444444/eu-west-1)'],
  ['a TrailArchive in another stack of the same environment', (_, app) => ({ archive: archiveIn(app, ENV) }), 'accepted'],
  ['an imported bucket name with capitals', s => ({ archive: imported(s, { bucketName: 'Log_Archive' }) }),
    'bucketName "Log_Archive" must be a valid S3 bucket name: Invalid S3 bucket name'],
  ['an imported access-log bucket name too short', s => ({ archive: imported(s, { accessLogsBucketName: 'ab' }) }),
    'accessLogsBucketName "ab" must be a valid S3 bucket name'],
  ['an imported bucket name with two dots', s => ({ archive: imported(s, { bucketName: 'log..archive' }) }),
    'bucketName "log..archive" must be a valid S3 bucket name'],
  ['another archive implementation with an invalid bucket name', s => ({ archive: customArchive(s, 'Bad_Bucket') }),
    'archive.bucket name "Bad_Bucket" must be a valid S3 bucket name'],
  ['another archive implementation with a valid bucket name', s => ({ archive: customArchive(s, 'good-bucket') }), 'accepted'],
  ['a delivery topic of the stack', s => ({ archive: ownArchive(s), deliveryTopic: new sns.Topic(s, 'Topic') }), 'accepted'],
  ['an imported delivery topic (its policy cannot be changed)', s => ({
    archive: ownArchive(s), deliveryTopic: sns.Topic.fromTopicArn(s, 'Topic', 'arn:aws:sns:eu-west-1:444444444444:delivery'),
  }), TOPIC_POLICY],
  ['log group retained (default)', s => ({ archive: ownArchive(s), cloudWatchLogs: {} }), 'accepted'],
  ['log group destroyed with the stack', s => ({
    archive: ownArchive(s), cloudWatchLogs: { removalPolicy: RemovalPolicy.DESTROY },
  }), LOG_GROUP],
  ['log group snapshot removal policy', s => ({
    archive: ownArchive(s), cloudWatchLogs: { removalPolicy: RemovalPolicy.SNAPSHOT },
  }), LOG_GROUP],
];

test.each(rows)('%s', (_name, props, expected) => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: ENV });
  const build = () => new AccountTrail(stack, 'Trail', { ...props(stack, app), identity: IDENTITY } as AccountTrailProps);
  if (expected === 'accepted' || WARNINGS.includes(expected)) {
    build();
    expect(warningIds(stack)).toEqual(expected === 'accepted' ? [] : [expected]);
  } else {
    expect(build).toThrow(expected);
  }
});

test('a trail in a stack without env accepts an archive of its stack that lists it', () => {
  const stack = new Stack(new App(), 'S');
  const archive = new TrailArchive(stack, 'Archive', { writers: [IDENTITY] });
  expect(() => new AccountTrail(stack, 'Trail', { identity: IDENTITY, archive })).not.toThrow();
});

test('the imported archive\'s writers are readable, and undefined when not given', () => {
  const stack = new Stack(new App(), 'S', { env: ENV });
  expect(imported(stack, { writers: [IDENTITY] }).writers).toEqual([IDENTITY]);
  expect(TrailArchive.fromAttributes(stack, 'Plain', { bucketName: 'b-b-b', keyArn: KEY_ARN }).writers).toBeUndefined();
});
