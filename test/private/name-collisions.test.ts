import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TrailArchive } from '../../src/archive/trail-archive';
import { CentralDetectionBus } from '../../src/detection/central-detection-bus';
import { CisAlarms } from '../../src/detection/cis-alarms';
import { DetectionForwarder } from '../../src/detection/detection-forwarder';
import { DetectionForwardingRule } from '../../src/detection/detection-forwarding-rule';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { AccountTrail } from '../../src/trail/account-trail';

const ENV = { account: '111111111111', region: 'us-east-1' };
const BUS = CentralDetectionBus.arnFor({ account: '333333333333', region: 'us-east-1' });
const identity = (trailName: string, account = ENV.account, homeRegion = ENV.region) =>
  TrailIdentity.account({ trailName, account, homeRegion });

function trail(stack: Stack, id: string, trailName: string, logGroupName?: string) {
  const archive = new TrailArchive(stack, `${id}Archive`, { writers: [identity(trailName)] });
  return new AccountTrail(stack, id, { identity: identity(trailName), archive, cloudWatchLogs: { logGroupName } });
}

/** [case, build the app (two stacks of one account and region unless said), expected error substring or 'accepted']. */
const CASES: Array<[string, (app: App) => void, string]> = [
  ['two trails with one name in one account and region', app => {
    trail(new Stack(app, 'A', { env: ENV }), 'Trail', 'org-trail');
    trail(new Stack(app, 'B', { env: ENV }), 'Trail', 'org-trail');
  }, 'B/Trail: identity.trailName "org-trail" (trail org-trail) names the same CloudTrail trail as trail org-trail (A/Trail)'],
  ['the same trail name in two regions', app => {
    trail(new Stack(app, 'A', { env: ENV }), 'Trail', 'org-trail');
    const b = new Stack(app, 'B', { env: { account: ENV.account, region: 'eu-west-1' } });
    const archive = new TrailArchive(b, 'TrailArchive', { writers: [identity('org-trail', ENV.account, 'eu-west-1')] });
    new AccountTrail(b, 'Trail', { identity: identity('org-trail', ENV.account, 'eu-west-1'), archive });
  }, 'accepted'],
  ['two trails sharing a log group name', app => {
    trail(new Stack(app, 'A', { env: ENV }), 'Trail', 'trail-one', '/audit/trail');
    trail(new Stack(app, 'B', { env: ENV }), 'Trail', 'trail-two', '/audit/trail');
  }, 'cloudWatchLogs.logGroupName "/audit/trail"'],
  ['two CisAlarms with one alarm name prefix', app => {
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });
    new CisAlarms(a, 'Cis', { logGroup: logs.LogGroup.fromLogGroupName(a, 'L', 'one'), alarmNamePrefix: 'org-' });
    new CisAlarms(b, 'Cis', { logGroup: logs.LogGroup.fromLogGroupName(b, 'L', 'two'), alarmNamePrefix: 'org-' });
  }, 'alarmNamePrefix "org-CIS-4.1"'],
  ['two forwarding rules in one account and region', app => {
    new DetectionForwardingRule(new Stack(app, 'A', { env: ENV }), 'Forwarding', { centralBusArn: BUS });
    new DetectionForwardingRule(new Stack(app, 'B', { env: ENV }), 'Forwarding', { centralBusArn: BUS });
  }, 'Use one DetectionForwardingRule per account and region'],
  ['forwarding rules in two regions', app => {
    new DetectionForwardingRule(new Stack(app, 'A', { env: ENV }), 'Forwarding', { centralBusArn: BUS });
    new DetectionForwardingRule(new Stack(app, 'B', { env: { ...ENV, region: 'eu-west-1' } }), 'Forwarding', { centralBusArn: BUS });
  }, 'accepted'],
  ['two forwarders with one StackSet name', app => {
    const props = { centralBusArn: BUS, organizationalUnitIds: ['r-a1b2'], regions: ['us-east-1'] };
    new DetectionForwarder(new Stack(app, 'A', { env: ENV }), 'Forwarder', props);
    new DetectionForwarder(new Stack(app, 'B', { env: ENV }), 'Forwarder', props);
  }, 'stackSetName "cloudtrail-governance-detection-forwarder"'],
  ['a forwarder reaching into another partition', app => {
    new DetectionForwarder(new Stack(app, 'A', { env: ENV }), 'Forwarder',
      { centralBusArn: BUS, organizationalUnitIds: ['r-a1b2'], regions: ['us-east-1', 'cn-north-1'] });
  }, 'regions[1] "cn-north-1" must be in partition aws'],
  ['an archive written by a trail of another partition', app => {
    new TrailArchive(new Stack(app, 'A', { env: ENV }), 'Archive', {
      writers: [identity('org-trail'), TrailIdentity.account({ trailName: 'cn-trail', account: '222222222222', homeRegion: 'cn-north-1' })],
    });
  }, 'writers[1] "arn:aws-cn:cloudtrail:cn-north-1:222222222222:trail/cn-trail" must be a trail of partition aws'],
];

describe('names unique per account and region, and one partition', () => {
  test.each(CASES)('%s', (_name, build, expected) => {
    const app = new App();
    if (expected === 'accepted') expect(() => build(app)).not.toThrow();
    else expect(() => build(app)).toThrow(expected);
  });

  test('separate apps never see each other\'s names', () => {
    trail(new Stack(new App(), 'A', { env: ENV }), 'Trail', 'org-trail');
    expect(() => trail(new Stack(new App(), 'A', { env: ENV }), 'Trail', 'org-trail')).not.toThrow();
  });
});
