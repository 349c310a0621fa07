import { Aws, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { render, selectors } from './helpers';
import {
  DataEvents, EventReadWrite, FieldSelector, ManagementEvents, SelectorField,
} from '../../../src/trail/event-selection';

/** The data selectors only (the management selector is left out by ManagementEvents.none()). */
function dataSelectors(dataEvents: DataEvents[], partition = 'aws'): any[] {
  return selectors({ managementEvents: ManagementEvents.none(), dataEvents, partition });
}

function only(events: DataEvents, partition = 'aws'): any {
  return dataSelectors([events], partition)[0];
}

const data = { Field: 'eventCategory', Equals: ['Data'] };
const type = (t: string) => ({ Field: 'resources.type', Equals: [t] });

describe('DataEvents factories', () => {
  test('s3AllBuckets() selects every object of general purpose buckets', () => {
    expect(only(DataEvents.s3AllBuckets())).toEqual({
      Name: 'S3 object data events: all buckets',
      FieldSelectors: [data, type('AWS::S3::Object')],
    });
  });

  test('s3AllBuckets() with read-only and write-only', () => {
    expect(only(DataEvents.s3AllBuckets({ readWrite: EventReadWrite.READ_ONLY }))).toEqual({
      Name: 'S3 object data events: all buckets (read-only)',
      FieldSelectors: [data, type('AWS::S3::Object'), { Field: 'readOnly', Equals: ['true'] }],
    });
    expect(only(DataEvents.s3AllBuckets({ readWrite: EventReadWrite.WRITE_ONLY }))).toEqual({
      Name: 'S3 object data events: all buckets (write-only)',
      FieldSelectors: [data, type('AWS::S3::Object'), { Field: 'readOnly', Equals: ['false'] }],
    });
  });

  test('s3Buckets() selects the buckets by ARN prefix with a trailing slash, in the trail partition', () => {
    expect(only(DataEvents.s3Buckets(['invoices', 'payroll.example']), 'aws-cn')).toEqual({
      Name: 'S3 object data events: 2 buckets',
      FieldSelectors: [data, type('AWS::S3::Object'), {
        Field: 'resources.ARN',
        StartsWith: ['arn:aws-cn:s3:::invoices/', 'arn:aws-cn:s3:::payroll.example/'],
      }],
    });
  });

  test('s3Prefixes() selects key prefixes', () => {
    expect(only(DataEvents.s3Prefixes([
      { bucketName: 'invoices', keyPrefix: '2026/' },
      { bucketName: 'payroll', keyPrefix: 'exports/monthly' },
    ], { readWrite: EventReadWrite.WRITE_ONLY }))).toEqual({
      Name: 'S3 object data events: 2 prefixes (write-only)',
      FieldSelectors: [data, type('AWS::S3::Object'), { Field: 'readOnly', Equals: ['false'] }, {
        Field: 'resources.ARN',
        StartsWith: ['arn:aws:s3:::invoices/2026/', 'arn:aws:s3:::payroll/exports/monthly'],
      }],
    });
  });

  test('a token partition and a token bucket name render as joins', () => {
    const stack = new Stack();
    const name = new CfnParameter(stack, 'BucketName').valueAsString;
    const [selector] = selectors({
      managementEvents: ManagementEvents.none(),
      dataEvents: [DataEvents.s3Buckets([name])],
      partition: Aws.PARTITION,
    }, stack);
    expect(selector.FieldSelectors[2]).toEqual({
      Field: 'resources.ARN',
      StartsWith: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'BucketName' }, '/']] }],
    });
  });

  test('s3ExpressObjects() selects directory bucket objects', () => {
    expect(only(DataEvents.s3ExpressObjects())).toEqual({
      Name: 'S3 Express One Zone object data events',
      FieldSelectors: [data, type('AWS::S3Express::Object')],
    });
  });

  test('lambdaFunctions() selects all functions or the given ARNs', () => {
    expect(only(DataEvents.lambdaFunctions())).toEqual({
      Name: 'Lambda function data events',
      FieldSelectors: [data, type('AWS::Lambda::Function')],
    });
    const arn = 'arn:aws:lambda:eu-west-1:111122223333:function:pay';
    expect(only(DataEvents.lambdaFunctions({ resourceArns: [arn] }))).toEqual({
      Name: 'Lambda function data events: 1 resource',
      FieldSelectors: [data, type('AWS::Lambda::Function'), { Field: 'resources.ARN', Equals: [arn] }],
    });
  });

  test('dynamoDbTables(), snsTopics() and sqsQueues() use their resource types', () => {
    expect(dataSelectors([DataEvents.dynamoDbTables(), DataEvents.snsTopics(), DataEvents.sqsQueues()])).toEqual([
      { Name: 'DynamoDB table data events', FieldSelectors: [data, type('AWS::DynamoDB::Table')] },
      { Name: 'SNS topic data events', FieldSelectors: [data, type('AWS::SNS::Topic')] },
      { Name: 'SQS queue data events', FieldSelectors: [data, type('AWS::SQS::Queue')] },
    ]);
  });

  test('custom() takes any resource type and field selectors, merged per field in a fixed order', () => {
    expect(only(DataEvents.custom('AWS::DynamoDB::Table', {
      name: 'Deletes outside the backup role',
      fieldSelectors: [
        FieldSelector.notStartsWith(SelectorField.USER_IDENTITY_ARN, ['arn:aws:sts::111122223333:assumed-role/backup/']),
        FieldSelector.equalTo(SelectorField.EVENT_NAME, ['DeleteItem', 'BatchWriteItem']),
        FieldSelector.startsWith(SelectorField.RESOURCES_ARN, ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders']),
        FieldSelector.notEndsWith(SelectorField.RESOURCES_ARN, ['-test']),
      ],
    }))).toEqual({
      Name: 'Deletes outside the backup role',
      FieldSelectors: [
        data,
        type('AWS::DynamoDB::Table'),
        { Field: 'eventName', Equals: ['DeleteItem', 'BatchWriteItem'] },
        {
          Field: 'resources.ARN',
          StartsWith: ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders'],
          NotEndsWith: ['-test'],
        },
        { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111122223333:assumed-role/backup/'] },
      ],
    });
  });

  test('exposes its resource type and read/write choice', () => {
    const events = DataEvents.sqsQueues({ readWrite: EventReadWrite.WRITE_ONLY });
    expect([events.resourceType, events.readWrite]).toEqual(['AWS::SQS::Queue', EventReadWrite.WRITE_ONLY]);
  });
});

describe('DataEvents validation', () => {
  const fails = (events: DataEvents, message: string) =>
    expect(() => render({ dataEvents: [DataEvents.lambdaFunctions(), events] })).toThrow(message);

  test('bucket names must be names, not ARNs', () => {
    fails(DataEvents.s3Buckets(['arn:aws:s3:::invoices']),
      'dataEvents[1].bucketNames[0] "arn:aws:s3:::invoices" must be an S3 bucket name (3-63 lowercase letters, digits, ' +
      '"." and "-", starting and ending with a letter or digit), not an ARN');
  });

  test('the bucket list must not be empty, repeat a bucket or be a list token', () => {
    fails(DataEvents.s3Buckets([]), 'dataEvents[1].bucketNames must not be empty');
    fails(DataEvents.s3Buckets(['invoices', 'invoices']), 'dataEvents[1].bucketNames contains "invoices" more than once');
    fails(DataEvents.s3Buckets(Token.asList({ Ref: 'Buckets' })), 'must be a list written out at synth time (its elements may be tokens, the list may not)');
  });

  test('prefixes need a bucket name and a key prefix without a leading slash', () => {
    fails(DataEvents.s3Prefixes([{ bucketName: 'Invoices', keyPrefix: 'a/' }]), 'dataEvents[1].prefixes[0].bucketName "Invoices"');
    fails(DataEvents.s3Prefixes([{ bucketName: 'invoices', keyPrefix: '/2026/' }]),
      'dataEvents[1].prefixes[0].keyPrefix "/2026/" must be a non-empty key prefix without a leading "/"');
    fails(DataEvents.s3Prefixes([{ bucketName: 'invoices', keyPrefix: '' }]), 'dataEvents[1].prefixes[0].keyPrefix ""');
    fails(DataEvents.s3Prefixes([]), 'dataEvents[1].prefixes must not be empty');
    fails(DataEvents.s3Prefixes([{ bucketName: 'invoices', keyPrefix: 'a' }, { bucketName: 'invoices', keyPrefix: 'a' }]),
      'dataEvents[1].prefixes contains "arn:aws:s3:::invoices/a" more than once');
  });

  test('resource ARNs must be ARNs of the service, listed once', () => {
    fails(DataEvents.dynamoDbTables({ resourceArns: ['orders'] }),
      'dataEvents[1].resourceArns[0] "orders" must be the ARN of an AWS::DynamoDB::Table resource (arn:<partition>:dynamodb:...)');
    fails(DataEvents.snsTopics({ resourceArns: ['arn:aws:sqs:eu-west-1:111122223333:q'] }), 'dataEvents[1].resourceArns[0]');
    fails(DataEvents.sqsQueues({ resourceArns: [] }), 'dataEvents[1].resourceArns must not be empty');
    const arn = 'arn:aws:sqs:eu-west-1:111122223333:q';
    fails(DataEvents.sqsQueues({ resourceArns: [arn, arn] }), `dataEvents[1].resourceArns contains "${arn}" more than once`);
  });

  test('resource ARNs may be tokens', () => {
    const stack = new Stack();
    const arn = new CfnParameter(stack, 'FunctionArn').valueAsString;
    const [, selector] = selectors({ dataEvents: [DataEvents.lambdaFunctions({ resourceArns: [arn] })] }, stack);
    expect(selector.FieldSelectors[2]).toEqual({ Field: 'resources.ARN', Equals: [{ Ref: 'FunctionArn' }] });
  });

  test('a custom resource type must look like AWS::Service::Resource', () => {
    fails(DataEvents.custom('S3 objects'), 'dataEvents[1].resourceType "S3 objects" must be a CloudTrail data resource type such as "AWS::S3::Object"');
  });

  test('a name must be 1 to 1000 characters', () => {
    fails(DataEvents.s3AllBuckets({ name: '' }), 'dataEvents[1].name "" must be 1 to 1000 characters');
    fails(DataEvents.s3AllBuckets({ name: 'x'.repeat(1001) }), 'dataEvents[1].name');
  });

  test('readWrite must be an EventReadWrite', () => {
    fails(DataEvents.s3AllBuckets({ readWrite: 'Write' as EventReadWrite }),
      'dataEvents[1].readWrite "Write" must be one of All, ReadOnly, WriteOnly');
  });

  test('fieldSelectors must be FieldSelectors', () => {
    fails(DataEvents.s3AllBuckets({ fieldSelectors: [undefined as unknown as FieldSelector] }),
      'dataEvents[1].fieldSelectors[0] undefined must be a FieldSelector');
  });

  test('an entry that is not a DataEvents is rejected', () => {
    expect(() => render({ dataEvents: [{} as DataEvents] })).toThrow('dataEvents[0] [object Object] must be a DataEvents');
  });
});
