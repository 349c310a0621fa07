import { App, Aws, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  awsManagedKeyName, partitionOfRegion, partitionOrToken, validateCustomerManagedKey, validateExemptRoleArn, validateOrganizationId, wholeDays,
} from '../../src/private/secure';
import { validateEnum } from '../../src/private/validation';

describe('wholeDays', () => {
  test('returns the days of a whole-day duration', () => {
    expect(wholeDays(undefined, 'retention', Duration.days(30), 1)).toBe(30);
    expect(wholeDays(undefined, 'retention', Duration.hours(48), 1)).toBe(2);
    expect(wholeDays(undefined, 'transitionAfter', Duration.days(0), 0)).toBe(0);
  });

  test.each([
    [Duration.hours(36), 1, 'retention "1 day 12 hours" must be a whole number of days, at least 1 day'],
    [Duration.days(0), 1, 'retention "0 days" must be a whole number of days, at least 1 day'],
    [Duration.days(29), 30, 'retention "29 days" must be a whole number of days, at least 30 days'],
    [Duration.hours(12), 0, 'retention "12 hours" must be a whole number of days'],
  ])('rejects %s with a minimum of %s', (duration, min, message) => {
    expect(() => wholeDays(undefined, 'retention', duration, min)).toThrow(message);
  });

  test('lets an unresolved duration through', () => {
    const days = Lazy.number({ produce: () => 7 });
    expect(Token.isUnresolved(wholeDays(undefined, 'retention', Duration.days(days), 1))).toBe(true);
  });
});

describe('validateOrganizationId', () => {
  test.each(['o-a1b2c3d4e5', 'o-' + 'a'.repeat(32)])('accepts %s', (id) => {
    expect(() => validateOrganizationId(undefined, 'organizationId', id)).not.toThrow();
  });

  test.each(['o-short', 'o-ABCDEFGHIJ', 'r-a1b2c3d4e5', 'o-' + 'a'.repeat(33), ' o-a1b2c3d4e5'])('rejects %j', (id) => {
    expect(() => validateOrganizationId(undefined, 'organizationId', id))
      .toThrow(`organizationId ${JSON.stringify(id)} must be "o-" followed by 10 to 32 lowercase letters or digits`);
  });

  test('lets a token and an absent value through', () => {
    expect(() => validateOrganizationId(undefined, 'organizationId', Lazy.string({ produce: () => 'x' }))).not.toThrow();
    expect(() => validateOrganizationId(undefined, 'organizationId', undefined)).not.toThrow();
  });
});

describe('partition of a region', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('%s is in %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
    expect(partitionOrToken(region)).toBe(partition);
  });

  test('an unresolved region has no partition at synth; partitionOrToken defers to AWS::Partition', () => {
    const region = Lazy.string({ produce: () => 'eu-west-1' });
    expect(partitionOfRegion(region)).toBeUndefined();
    expect(partitionOrToken(region)).toBe(Aws.PARTITION);
  });
});

describe('validateExemptRoleArn', () => {
  const RULE = 'must be the exact ARN of an IAM role (arn:<partition>:iam::<12-digit account>:role/<path/><name>)';
  const check = (arn: unknown, partition: string | undefined = 'aws') => () => validateExemptRoleArn(undefined, 'breakGlassPrincipalArns[0]', arn, partition);

  test.each([
    'arn:aws:iam::111122223333:role/BreakGlass',
    'arn:aws:iam::111122223333:role/ops/break-glass',
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_BreakGlass_0123456789abcdef',
    'arn:aws:iam::111122223333:role/a+b=c,d.e@f_g-h',
  ])('accepts %s', (arn) => {
    expect(check(arn)).not.toThrow();
  });

  test.each([
    ['every role of the account', 'arn:aws:iam::111122223333:role/*'],
    ['a name prefix', 'arn:aws:iam::111122223333:role/break-*'],
    ['a "?"', 'arn:aws:iam::111122223333:role/a?c'],
    ['a wildcard path', 'arn:aws:iam::111122223333:role/*/BreakGlass'],
    ['a wildcard account', 'arn:aws:iam::*:role/BreakGlass'],
    ['a wildcard next to a token', `arn:${Aws.PARTITION}:iam::111122223333:role/break-*`],
  ])('refuses %s, with the reason', (_name, arn) => {
    expect(check(arn)).toThrow(`breakGlassPrincipalArns[0] ${JSON.stringify(arn)} ${RULE}, without "*" or "?": the policies match ` +
      'aws:PrincipalArn with ArnNotLike, where they are wildcards and would exempt every role whose ARN matches, not one break-glass role');
  });

  test('refuses a user, with the reason', () => {
    expect(check('arn:aws:iam::111122223333:user/admin')).toThrow(`breakGlassPrincipalArns[0] "arn:aws:iam::111122223333:user/admin" ${RULE}, ` +
      'not a user: aws:PrincipalArn of an assumed-role session is its role\'s ARN, so exempting a role exempts its sessions; a user is a ' +
      'long-term credential, not a break-glass practice');
  });

  test.each([
    'arn:aws:sts::111122223333:assumed-role/BreakGlass/alice',
    'arn:aws:iam::111122223333:root',
    'arn:aws:iam::1111:role/BreakGlass',
    'BreakGlass',
    'arn:aws:iam::111122223333:role/',
    `arn:aws:iam::111122223333:role/${'n'.repeat(65)}`,
  ])('refuses %s', (arn) => {
    expect(check(arn)).toThrow(`breakGlassPrincipalArns[0] ${JSON.stringify(arn)} ${RULE}`);
  });

  test('refuses a number, and a role of another partition than the stack\'s', () => {
    expect(check(111122223333)).toThrow('breakGlassPrincipalArns[0] 111122223333 must be a string, not a number');
    expect(check('arn:aws-cn:iam::111122223333:role/BreakGlass')).toThrow('breakGlassPrincipalArns[0] "arn:aws-cn:iam::111122223333:role/BreakGlass" ' +
      'must be a role of partition aws, the stack\'s: aws:PrincipalArn never carries an ARN of another partition, so the exemption would match nobody');
    expect(check('arn:aws:iam::111122223333:role/BreakGlass', 'aws-us-gov')).toThrow('must be a role of partition aws-us-gov');
  });

  test('skips the partition check when the partition is unknown, and a token and an absent value', () => {
    expect(() => validateExemptRoleArn(undefined, 'breakGlassPrincipalArns[0]', 'arn:aws-cn:iam::111122223333:role/BreakGlass', undefined)).not.toThrow();
    expect(check(Lazy.string({ produce: () => 'arn:aws:iam::111122223333:role/*' }))).not.toThrow();
    expect(check(`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/BreakGlass`)).not.toThrow();
    expect(check(undefined)).not.toThrow();
  });
});

describe('AWS managed keys', () => {
  const stack = () => new Stack(new App(), 'S', { env: { account: '111122223333', region: 'us-east-1' } });
  const RULE = 'must be a customer managed key, not an AWS managed key (alias/aws/...): EventBridge needs a customer managed key whose key ' +
    'policy admits it, and the policy of an AWS managed key cannot be changed';

  test.each<[string, (s: Stack) => kms.IKey, string | undefined]>([
    ['an imported AWS managed alias', s => kms.Alias.fromAliasName(s, 'K', 'alias/aws/sns'), 'alias/aws/sns'],
    ['an imported AWS managed alias in an env-agnostic stack', () => kms.Alias.fromAliasName(new Stack(), 'K', 'alias/aws/events'), 'alias/aws/events'],
    ['a key imported by an AWS managed alias ARN', s => kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:111122223333:alias/aws/sns'),
      'arn:aws:kms:us-east-1:111122223333:alias/aws/sns'],
    ['the key of a topic imported with an AWS managed alias ARN', s => sns.Topic.fromTopicAttributes(s, 'T', {
      topicArn: 'arn:aws:sns:us-east-1:111122223333:alerts', keyArn: 'arn:aws-cn:kms:cn-north-1:111122223333:alias/aws/sns',
    }).masterKey!, 'arn:aws-cn:kms:cn-north-1:111122223333:alias/aws/sns'],
    ['a customer managed key', s => new kms.Key(s, 'K'), undefined],
    ['a customer managed alias', s => kms.Alias.fromAliasName(s, 'K', 'alias/security-alerts'), undefined],
    ['a customer managed alias whose name contains aws', s => kms.Alias.fromAliasName(s, 'K', 'alias/team/aws/alerts'), undefined],
    ['a key imported by key ARN', s => kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      undefined],
    ['a key imported by a token ARN', s => kms.Key.fromKeyArn(s, 'K', Token.asString({ Ref: 'KeyArn' })), undefined],
  ])('%s', (_name, key, managed) => {
    const k = key(stack());
    expect(awsManagedKeyName(k)).toBe(managed);
    const validate = () => validateCustomerManagedKey(undefined, 'encryptionKey', k, 'EventBridge');
    if (managed === undefined) expect(validate).not.toThrow();
    else expect(validate).toThrow(`encryptionKey ${JSON.stringify(managed)} ${RULE}`);
  });

  test('no key passes', () => {
    expect(() => validateCustomerManagedKey(undefined, 'topic.masterKey', undefined, 'EventBridge')).not.toThrow();
  });
});

describe('validateEnum', () => {
  enum Numeric { ZERO, ONE }
  const mode = (value: unknown) => () => validateEnum(undefined, 'objectLock.mode', value, s3.ObjectLockMode);

  test('accepts the values and an absent value, and skips a token', () => {
    expect(mode('GOVERNANCE')).not.toThrow();
    expect(mode(s3.ObjectLockMode.COMPLIANCE)).not.toThrow();
    expect(mode(undefined)).not.toThrow();
    expect(mode(Lazy.string({ produce: () => 'COMPLIANCE' }))).not.toThrow();
  });

  test.each<[unknown, string]>([
    ['compliance', 'objectLock.mode "compliance" must be one of GOVERNANCE, COMPLIANCE'],
    ['Governance', 'objectLock.mode "Governance" must be one of GOVERNANCE, COMPLIANCE'],
    [1, 'objectLock.mode 1 must be one of GOVERNANCE, COMPLIANCE'],
    ['*', 'objectLock.mode "*" must be one of GOVERNANCE, COMPLIANCE'],
    [null, 'objectLock.mode null must be one of GOVERNANCE, COMPLIANCE'],
    ['', 'objectLock.mode "" must be one of GOVERNANCE, COMPLIANCE'],
  ])('refuses %j, naming the prop, the value and the allowed values', (value, message) => {
    expect(mode(value)).toThrow(message);
  });

  test('a numeric enum\'s values are its numbers, not its member names', () => {
    expect(() => validateEnum(undefined, 'n', 1, Numeric)).not.toThrow();
    expect(() => validateEnum(undefined, 'n', 'ONE', Numeric)).toThrow('n "ONE" must be one of 0, 1');
    expect(() => validateEnum(undefined, 'n', 2, Numeric)).toThrow('n 2 must be one of 0, 1');
  });
});
