import { App, Aws, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { TrailIdentity } from '../../src/identity/trail-identity';

/**
 * Every input of TrailIdentity is either accepted (and yields the ARN CloudTrail will give the trail) or
 * refused with an error that names the prop, the value and the rule. TrailIdentity is a value object,
 * not a construct, so it has no warnings.
 */

type Kind = 'account' | 'organization';
type Expected = 'accepted' | string;

const ACCOUNT = { trailName: 'main', account: '222222222222', homeRegion: 'eu-west-1' };
const ORGANIZATION = {
  trailName: 'org-trail', organizationId: 'o-a1b2c3d4e5', managementAccount: '111111111111', homeRegion: 'us-east-1',
};

function build(kind: Kind, overrides: { [prop: string]: unknown } | undefined): TrailIdentity {
  if (overrides === undefined) {
    return kind === 'account' ? TrailIdentity.account(undefined as any) : TrailIdentity.organization(undefined as any);
  }
  return kind === 'account'
    ? TrailIdentity.account({ ...ACCOUNT, ...overrides } as any)
    : TrailIdentity.organization({ ...ORGANIZATION, ...overrides } as any);
}

const parameter = (name: string) => new CfnParameter(new Stack(new App(), 'S'), name).valueAsString;

const rows: Array<[string, Kind, { [prop: string]: unknown } | undefined, Expected]> = [
  ['account trail, defaults', 'account', {}, 'accepted'],
  ['organization trail, defaults', 'organization', {}, 'accepted'],
  ['no props at all', 'account', undefined, 'props undefined must be an object'],
  ['account as a number', 'account', { account: 222222222222 },
    'account 222222222222 must be a string, not a number: write it in quotes ("222222222222")'],
  ['managementAccount as a number', 'organization', { managementAccount: 111111111111 },
    'managementAccount 111111111111 must be a string, not a number'],
  ['account missing', 'account', { account: undefined }, 'account must be given'],
  ['managementAccount missing', 'organization', { managementAccount: undefined }, 'managementAccount must be given'],
  ['organizationId missing (would silently become an account trail)', 'organization', { organizationId: undefined },
    'organizationId must be given: an organization trail writes under AWSLogs/<organizationId>/'],
  ['organizationId too short', 'organization', { organizationId: 'o-abc' },
    'organizationId "o-abc" must be "o-" followed by 10 to 32 lowercase letters or digits'],
  ['organizationId as a number', 'organization', { organizationId: 12 }, 'organizationId 12 must be a string'],
  ['account of 11 digits', 'account', { account: '22222222222' }, 'account "22222222222" must be a 12-digit AWS account id'],
  ['trailName missing', 'account', { trailName: undefined }, 'trailName must be given'],
  ['trailName empty', 'account', { trailName: '' }, 'trailName must be given'],
  ['trailName as a number', 'account', { trailName: 42 }, 'trailName 42 must be a string'],
  ['trailName of 128 characters', 'account', { trailName: 'a'.repeat(128) }, 'accepted'],
  ['trailName of 129 characters', 'account', { trailName: 'a'.repeat(129) }, 'must be 3-128 characters'],
  ['trailName of 2 characters', 'account', { trailName: 'ab' }, 'must be 3-128 characters'],
  ['trailName with a space', 'account', { trailName: 'my trail' }, 'trailName "my trail" must be 3-128 characters'],
  ['trailName with adjacent separators', 'account', { trailName: 'my--trail' }, 'no adjacent'],
  ['trailName formatted as an IP address', 'account', { trailName: '192.168.10.1' },
    'trailName "192.168.10.1" must not be formatted as an IP address'],
  ['homeRegion missing', 'account', { homeRegion: undefined }, 'homeRegion must be given'],
  ['homeRegion in upper case', 'account', { homeRegion: 'EU-WEST-1' },
    'homeRegion "EU-WEST-1" must be an AWS region code such as us-east-1'],
  ['homeRegion as a number', 'account', { homeRegion: 1 }, 'homeRegion 1 must be a string'],
  ['s3KeyPrefix of 200 characters', 'account', { s3KeyPrefix: 'p'.repeat(200) }, 'accepted'],
  ['s3KeyPrefix of 201 characters', 'account', { s3KeyPrefix: 'p'.repeat(201) }, 'must be 1-200 characters'],
  ['s3KeyPrefix with a leading slash', 'account', { s3KeyPrefix: '/logs' }, 's3KeyPrefix "/logs" must be 1-200'],
  ['s3KeyPrefix with a trailing slash', 'account', { s3KeyPrefix: 'logs/' }, 's3KeyPrefix "logs/" must be 1-200'],
  ['s3KeyPrefix as a list', 'account', { s3KeyPrefix: ['logs'] }, 's3KeyPrefix logs must be a string, not a list'],
  ['trailName from a CfnParameter', 'account', { trailName: parameter('TrailName') }, 'accepted'],
  ['account and homeRegion of an env-agnostic stack', 'account', { account: Aws.ACCOUNT_ID, homeRegion: Aws.REGION },
    'accepted'],
  ['managementAccount from a CfnParameter', 'organization', { managementAccount: parameter('Management') }, 'accepted'],
];

describe('TrailIdentity inputs', () => {
  test.each(rows)('%s', (_case, kind, overrides, expected) => {
    if (expected === 'accepted') {
      const identity = build(kind, overrides);
      expect(identity.trailArn).toMatch(/^arn:/);
    } else {
      expect(() => build(kind, overrides)).toThrow(expected);
    }
  });
});

describe('TrailIdentity with tokens', () => {
  test('an env-agnostic identity keeps the tokens in its ARN and takes the partition from the stack', () => {
    const identity = TrailIdentity.account({ trailName: 'main', account: Aws.ACCOUNT_ID, homeRegion: Aws.REGION });
    expect(Token.isUnresolved(identity.partition)).toBe(true);
    const stack = new Stack();
    expect(stack.resolve(identity.trailArn)).toEqual({
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
        ':trail/main',
      ]],
    });
  });

  test('a 128-character trail name gives a 128-character name in the ARN, unshortened', () => {
    const name = `t${'x'.repeat(126)}t`;
    expect(TrailIdentity.account({ ...ACCOUNT, trailName: name }).trailArn)
      .toBe(`arn:aws:cloudtrail:eu-west-1:222222222222:trail/${name}`);
  });
});
