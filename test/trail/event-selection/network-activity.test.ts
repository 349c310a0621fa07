import { ALL_MANAGEMENT, render, selectors } from './helpers';
import {
  FieldSelector, ManagementEvents, NetworkActivityEvents, NetworkActivitySource, SelectorField,
} from '../../../src/trail/event-selection';

const network = { Field: 'eventCategory', Equals: ['NetworkActivity'] };
const source = (s: string) => ({ Field: 'eventSource', Equals: [s] });

describe('NetworkActivityEvents', () => {
  test('forSource() selects every call of the service through VPC endpoints', () => {
    expect(selectors({ networkActivityEvents: [NetworkActivityEvents.forSource(NetworkActivitySource.CLOUDTRAIL)] })).toEqual([
      ALL_MANAGEMENT,
      { Name: 'Network activity events: cloudtrail.amazonaws.com', FieldSelectors: [network, source('cloudtrail.amazonaws.com')] },
    ]);
  });

  test('accessDeniedOnly adds errorCode = VpceAccessDenied', () => {
    expect(selectors({
      managementEvents: ManagementEvents.none(),
      networkActivityEvents: [NetworkActivityEvents.forSource(NetworkActivitySource.S3, { accessDeniedOnly: true })],
    })).toEqual([{
      Name: 'Network activity events: s3.amazonaws.com (VPC endpoint access denied)',
      FieldSelectors: [network, source('s3.amazonaws.com'), { Field: 'errorCode', Equals: ['VpceAccessDenied'] }],
    }]);
  });

  test('one selector per source, in the order given, with field selectors on the network fields', () => {
    expect(selectors({
      managementEvents: ManagementEvents.none(),
      networkActivityEvents: [
        NetworkActivityEvents.forSource(NetworkActivitySource.KMS, { accessDeniedOnly: true }),
        NetworkActivityEvents.forSource(NetworkActivitySource.EC2, {
          name: 'EC2 calls through the shared endpoint',
          fieldSelectors: [
            FieldSelector.notStartsWith(SelectorField.USER_IDENTITY_ARN, ['arn:aws:sts::111122223333:assumed-role/app/']),
            FieldSelector.equalTo(SelectorField.VPC_ENDPOINT_ID, ['vpce-0123456789abcdef0']),
            FieldSelector.equalTo(SelectorField.EVENT_NAME, ['RunInstances']),
          ],
        }),
      ],
    })).toEqual([
      {
        Name: 'Network activity events: kms.amazonaws.com (VPC endpoint access denied)',
        FieldSelectors: [network, source('kms.amazonaws.com'), { Field: 'errorCode', Equals: ['VpceAccessDenied'] }],
      },
      {
        Name: 'EC2 calls through the shared endpoint',
        FieldSelectors: [
          network,
          source('ec2.amazonaws.com'),
          { Field: 'eventName', Equals: ['RunInstances'] },
          { Field: 'vpcEndpointId', Equals: ['vpce-0123456789abcdef0'] },
          { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111122223333:assumed-role/app/'] },
        ],
      },
    ]);
  });

  test('the known sources are the services\' event sources', () => {
    expect([
      NetworkActivitySource.CLOUDTRAIL, NetworkActivitySource.DYNAMODB, NetworkActivitySource.EC2, NetworkActivitySource.KMS,
      NetworkActivitySource.LAMBDA, NetworkActivitySource.S3, NetworkActivitySource.SECRETS_MANAGER,
      NetworkActivitySource.SNS, NetworkActivitySource.SQS,
    ]).toEqual([
      'cloudtrail.amazonaws.com', 'dynamodb.amazonaws.com', 'ec2.amazonaws.com', 'kms.amazonaws.com', 'lambda.amazonaws.com',
      's3.amazonaws.com', 'secretsmanager.amazonaws.com', 'sns.amazonaws.com', 'sqs.amazonaws.com',
    ]);
  });

  test('the event source must look like an event source', () => {
    expect(() => render({ networkActivityEvents: [NetworkActivityEvents.forSource('KMS')] }))
      .toThrow('networkActivityEvents[0].eventSource "KMS" must be an event source such as "kms.amazonaws.com"');
    expect(() => render({ networkActivityEvents: [NetworkActivityEvents.forSource('arn:aws:kms:eu-west-1:1:key/x')] }))
      .toThrow('networkActivityEvents[0].eventSource');
  });

  test('a second event source in one selector is rejected', () => {
    expect(() => render({
      networkActivityEvents: [NetworkActivityEvents.forSource(NetworkActivitySource.KMS, {
        fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_SOURCE, ['s3.amazonaws.com'])],
      })],
    })).toThrow('networkActivityEvents[0].fieldSelectors[0] "eventSource s3.amazonaws.com" contradicts eventSource ' +
      '"kms.amazonaws.com" from networkActivityEvents[0]: eventSource takes one value per selector');
  });

  test('a name must be 1 to 1000 characters', () => {
    expect(() => render({ networkActivityEvents: [NetworkActivityEvents.forSource('kms.amazonaws.com', { name: '' })] }))
      .toThrow('networkActivityEvents[0].name "" must be 1 to 1000 characters');
  });

  test('an entry that is not a NetworkActivityEvents is rejected', () => {
    expect(() => render({ networkActivityEvents: ['kms.amazonaws.com' as unknown as NetworkActivityEvents] }))
      .toThrow('networkActivityEvents[0] "kms.amazonaws.com" must be a NetworkActivityEvents (use its static factories)');
  });

  test('exposes its source and filter', () => {
    const events = NetworkActivityEvents.forSource(NetworkActivitySource.SQS, { accessDeniedOnly: true });
    expect([events.eventSource, events.accessDeniedOnly]).toEqual(['sqs.amazonaws.com', true]);
  });
});
