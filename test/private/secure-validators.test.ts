import { Aws, Duration, Lazy, Token } from 'aws-cdk-lib';
import { partitionOfRegion, partitionOrToken, validateOrganizationId, wholeDays } from '../../src/private/secure';

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
