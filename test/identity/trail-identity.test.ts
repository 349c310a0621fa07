import { Token } from 'aws-cdk-lib';
import { TrailIdentity } from '../../src/identity/trail-identity';

const org = (overrides: Partial<Parameters<typeof TrailIdentity.organization>[0]> = {}) =>
  TrailIdentity.organization({
    trailName: 'org-trail',
    organizationId: 'o-a1b2c3d4e5',
    managementAccount: '111111111111',
    homeRegion: 'us-east-1',
    ...overrides,
  });

const account = (overrides: Partial<Parameters<typeof TrailIdentity.account>[0]> = {}) =>
  TrailIdentity.account({ trailName: 'main', account: '222222222222', homeRegion: 'eu-west-1', ...overrides });

describe('organization identity', () => {
  test('trail ARN, prefixes and encryption context', () => {
    const id = org();
    expect(id.isOrganizationTrail).toBe(true);
    expect(id.trailArn).toBe('arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail');
    expect(id.logPrefixes).toEqual(['AWSLogs/111111111111/', 'AWSLogs/o-a1b2c3d4e5/']);
    expect(id.accountsPrefix).toBe('AWSLogs/o-a1b2c3d4e5/');
    expect(id.encryptionContextArnPattern).toBe('arn:aws:cloudtrail:*:111111111111:trail/*');
    expect(id.sourceArnCondition()).toEqual({
      StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail' },
    });
    expect(id.encryptionContextCondition()).toEqual({
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111111111111:trail/*' },
    });
  });

  test('key prefix applies to every path', () => {
    const id = org({ s3KeyPrefix: 'cloudtrail/org' });
    expect(id.keyPrefixPath).toBe('cloudtrail/org/');
    expect(id.logPrefixes).toEqual(['cloudtrail/org/AWSLogs/111111111111/', 'cloudtrail/org/AWSLogs/o-a1b2c3d4e5/']);
    expect(id.accountsPrefix).toBe('cloudtrail/org/AWSLogs/o-a1b2c3d4e5/');
  });

  test('partition follows the home region', () => {
    expect(org({ homeRegion: 'cn-north-1' }).trailArn).toBe('arn:aws-cn:cloudtrail:cn-north-1:111111111111:trail/org-trail');
    expect(org({ homeRegion: 'us-gov-west-1' }).partition).toBe('aws-us-gov');
  });

  test.each([
    ['o-short', 'organizationId "o-short" must be "o-" followed by 10 to 32 lowercase letters or digits'],
    ['o-ABCDEFGHIJ', 'organizationId "o-ABCDEFGHIJ" must be "o-" followed by 10 to 32 lowercase letters or digits'],
    ['r-a1b2c3d4e5', 'organizationId "r-a1b2c3d4e5" must be "o-" followed by 10 to 32 lowercase letters or digits'],
  ])('rejects organizationId %s', (organizationId, message) => {
    expect(() => org({ organizationId })).toThrow(message);
  });

  test('rejects a management account that is not 12 digits', () => {
    expect(() => org({ managementAccount: '1234' })).toThrow('managementAccount "1234" must be a 12-digit AWS account id');
  });
});

describe('account identity', () => {
  test('paths without organization', () => {
    const id = account();
    expect(id.isOrganizationTrail).toBe(false);
    expect(id.organizationId).toBeUndefined();
    expect(id.trailArn).toBe('arn:aws:cloudtrail:eu-west-1:222222222222:trail/main');
    expect(id.logPrefixes).toEqual(['AWSLogs/222222222222/']);
    expect(id.accountsPrefix).toBe('AWSLogs/');
    expect(account({ s3KeyPrefix: 'ct' }).logPrefixes).toEqual(['ct/AWSLogs/222222222222/']);
  });

  test('rejects an account that is not 12 digits', () => {
    expect(() => account({ account: '12345678901a' })).toThrow('account "12345678901a" must be a 12-digit AWS account id');
  });
});

describe('trail name rule', () => {
  test.each(['abc', 'my-trail', 'My_Trail.2', 'a'.repeat(128)])('accepts %s', (trailName) => {
    expect(() => account({ trailName })).not.toThrow();
  });
  test.each(['ab', 'my trail', '-trail', 'trail-', 'my--trail', 'my-_trail', 'a'.repeat(129), 'trail!'])(
    'rejects %s', (trailName) => {
      expect(() => account({ trailName })).toThrow(`trailName ${JSON.stringify(trailName)} must be 3-128 characters`);
    });
  test('rejects an IP address', () => {
    expect(() => account({ trailName: '192.168.5.4' })).toThrow('trailName "192.168.5.4" must not be formatted as an IP address');
  });
});

describe('region and key prefix rules', () => {
  test.each(['US-EAST-1', 'useast1', 'us-east'])('rejects region %s', (homeRegion) => {
    expect(() => account({ homeRegion })).toThrow(`homeRegion ${JSON.stringify(homeRegion)} must be an AWS region code`);
  });
  test.each(['/logs', 'logs/', 'a//b', 'has space', 'x'.repeat(201)])('rejects key prefix %s', (s3KeyPrefix) => {
    expect(() => account({ s3KeyPrefix })).toThrow(`s3KeyPrefix ${JSON.stringify(s3KeyPrefix)} must be 1-200 characters`);
  });
  test('accepts a nested key prefix', () => {
    expect(() => account({ s3KeyPrefix: 'org/cloudtrail-logs' })).not.toThrow();
  });
});

test('tokens are not validated', () => {
  const tokenName = Token.asString({ Ref: 'TrailName' });
  const tokenAccount = Token.asString({ Ref: 'AWS::AccountId' });
  const tokenRegion = Token.asString({ Ref: 'AWS::Region' });
  const id = TrailIdentity.account({ trailName: tokenName, account: tokenAccount, homeRegion: tokenRegion });
  expect(Token.isUnresolved(id.trailArn)).toBe(true);
});
