import * as fs from 'fs';
import * as path from 'path';
import { CloudTrailEventEnvelope } from '../../src/testing/cloudtrail-event';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cloudtrail-records');
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

describe('CloudTrailEventEnvelope.fromRecord', () => {
  test('an API call: detail-type, source from eventSource, account, region, time, record as detail', () => {
    const record = load('iam-put-role-policy');
    const event = CloudTrailEventEnvelope.fromRecord(record);
    expect(event).toEqual({
      'version': '0',
      'id': record.eventID,
      'detail-type': 'AWS API Call via CloudTrail',
      'source': 'aws.iam',
      'account': '111122223333',
      'time': '2024-05-02T10:00:21Z',
      'region': 'us-east-1',
      'resources': [],
      'detail': record,
    });
  });

  test('the detail is a copy: changing it leaves the record alone', () => {
    const record = load('iam-put-role-policy');
    const event = CloudTrailEventEnvelope.fromRecord(record);
    event.detail.eventName = 'Changed';
    expect(record.eventName).toBe('PutRolePolicy');
  });

  test.each([
    ['signin-root-with-mfa', 'AWS Console Sign In via CloudTrail', 'aws.signin'],
    ['kms-rotate-key-service-event', 'AWS Service Event via CloudTrail', 'aws.kms'],
    ['insight-start', 'AWS Insight via CloudTrail', 'aws.cloudtrail'],
    ['s3-put-bucket-policy-public', 'AWS API Call via CloudTrail', 'aws.s3'],
    ['apigateway-create-route', 'AWS API Call via CloudTrail', 'aws.apigateway'],
  ])('%s: %s from %s', (name, detailType, source) => {
    const event = CloudTrailEventEnvelope.fromRecord(load(name));
    expect(event['detail-type']).toBe(detailType);
    expect(event.source).toBe(source);
  });

  test('account falls back to userIdentity.accountId when recipientAccountId is absent', () => {
    const record = load('iam-put-role-policy');
    delete record.recipientAccountId;
    expect(CloudTrailEventEnvelope.fromRecord(record).account).toBe('111122223333');
  });

  test('CloudWatch metrics events come from aws.cloudwatch, not aws.monitoring', () => {
    expect(CloudTrailEventEnvelope.sourceOf({ eventType: 'AwsApiCall', eventSource: 'monitoring.amazonaws.com' })).toBe('aws.cloudwatch');
  });

  test('console actions have their own detail-type', () => {
    expect(CloudTrailEventEnvelope.detailTypeOf({ eventType: 'AwsConsoleAction' })).toBe('AWS Console Action via CloudTrail');
  });

  test.each([
    [{ ...load('iam-put-role-policy'), eventType: 'AwsVpceEvent' }, /eventType "AwsVpceEvent" must be one of/],
    [{ ...load('iam-put-role-policy'), eventSource: 'iam' }, /eventSource "iam" must end with ".amazonaws.com"/],
    [{ ...load('iam-put-role-policy'), eventTime: undefined }, /eventTime undefined must be a non-empty string/],
    [{ ...load('insight-start'), recipientAccountId: undefined }, /recipientAccountId undefined must be a non-empty string/],
  ])('rejects a record it cannot wrap (%#)', (record, message) => {
    expect(() => CloudTrailEventEnvelope.fromRecord(record)).toThrow(message);
  });

  test('rejects what is not a record', () => {
    expect(() => CloudTrailEventEnvelope.fromRecord([] as any)).toThrow(/must be a CloudTrail record object/);
  });
});
