import { App, Aws, CfnParameter, Stack } from 'aws-cdk-lib';
import { Input, render, synthesize, warningsOf } from './helpers';
import {
  DataEventPresets, DataEvents, EventReadWrite, FieldSelector, InsightEventCategory, InsightType, ManagementEvents,
  NetworkActivityEvents, NetworkActivitySource, SelectorField, SelectorOperator,
} from '../../../src/trail/event-selection';
import { DATA_RESOURCE_TYPES, NETWORK_ACTIVITY_EVENT_SOURCES } from '../../../src/trail/event-selection/known-values';

/**
 * Every event-selection input either renders selectors CloudTrail accepts, or is refused with an error
 * that names the prop path, the value and the rule, or is warned about with an acknowledgeable id when
 * CloudTrail may accept it but it is very likely wrong.
 *
 * Each row: [case, what the trail is given, 'accepted' | a warning id | an error substring].
 */

const UNKNOWN_TYPE = 'cdk-cloudtrail-governance:trail:unknownDataResourceType';
const UNKNOWN_SOURCE = 'cdk-cloudtrail-governance:trail:unknownNetworkActivitySource';
const WILDCARD = 'cdk-cloudtrail-governance:trail:selectorWildcard';
const WARNINGS = [UNKNOWN_TYPE, UNKNOWN_SOURCE, WILDCARD];

const none = ManagementEvents.none();
const data = (...dataEvents: DataEvents[]): Input => ({ managementEvents: none, dataEvents });
const network = (...networkActivityEvents: NetworkActivityEvents[]): Input => ({ managementEvents: none, networkActivityEvents });
const lambdaArns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:lambda:us-east-1:111122223333:function:f${i}`);

type Row = [string, () => Input, string];

const rows: Row[] = [
  // Data resource types: the documented list is checked; unknown but well-formed types are warned about.
  ['a documented custom resource type', () => data(DataEvents.custom('AWS::Bedrock::AgentAlias')), 'accepted'],
  ['a type documented with irregular case', () => data(DataEvents.custom('AWS::Quicksight::ActionConnector')), 'accepted'],
  ['a misspelled type', () => data(DataEvents.custom('AWS::Bedrock::Agentalias')), UNKNOWN_TYPE],
  ['a type CloudTrail does not document', () => data(DataEvents.custom('AWS::Foo::Bar')), UNKNOWN_TYPE],
  ['a type without the AWS:: namespace', () => data(DataEvents.custom('Bedrock::AgentAlias')),
    'dataEvents[0].resourceType "Bedrock::AgentAlias" must be a CloudTrail data resource type'],
  ['a type with a single colon', () => data(DataEvents.custom('AWS::QApps:QApp')),
    'dataEvents[0].resourceType "AWS::QApps:QApp" must be a CloudTrail data resource type'],
  ['a type given as a number', () => data(DataEvents.custom(7 as any)), 'dataEvents[0].resourceType 7 must be'],
  ['S3 objects in all buckets', () => data(DataEvents.s3AllBuckets()), 'accepted'],
  ['S3 Express objects', () => data(DataEvents.s3ExpressObjects()), 'accepted'],
  ['Lambda, DynamoDB, SNS and SQS', () => data(DataEvents.lambdaFunctions(), DataEvents.dynamoDbTables(),
    DataEvents.snsTopics(), DataEvents.sqsQueues()), 'accepted'],
  ['every preset together', () => ({
    dataEvents: [...DataEventPresets.cisS3ObjectWriteEvents(), ...DataEventPresets.lambdaInvocations()],
  }), 'accepted'],
  ['the write-only preset', () => data(...DataEventPresets.writeDataEventsOnly()), 'accepted'],
  ['a bucket named by its ARN', () => data(DataEvents.s3Buckets(['arn:aws:s3:::logs'])),
    'dataEvents[0].bucketNames[0] "arn:aws:s3:::logs" must be an S3 bucket name'],
  ['a bucket name in upper case', () => data(DataEvents.s3Buckets(['My_Bucket'])),
    'dataEvents[0].bucketNames[0] "My_Bucket" must be an S3 bucket name'],
  ['no bucket names', () => data(DataEvents.s3Buckets([])), 'dataEvents[0].bucketNames must not be empty'],
  ['a prefix with a leading slash', () => data(DataEvents.s3Prefixes([{ bucketName: 'logs', keyPrefix: '/a' }])),
    'dataEvents[0].prefixes[0].keyPrefix "/a" must be a non-empty key prefix'],
  ['a Lambda ARN of another service', () => data(DataEvents.lambdaFunctions({ resourceArns: ['arn:aws:sqs:us-east-1:1:q'] })),
    'dataEvents[0].resourceArns[0] "arn:aws:sqs:us-east-1:1:q" must be the ARN of an AWS::Lambda::Function resource'],
  ['500 selector values', () => data(DataEvents.lambdaFunctions({ resourceArns: lambdaArns(498) })), 'accepted'],
  ['501 selector values', () => data(DataEvents.lambdaFunctions({ resourceArns: lambdaArns(499) })),
    'use 501 selector values together'],
  ['a read/write value that does not exist', () => data(DataEvents.s3AllBuckets({ readWrite: 'Sometimes' as EventReadWrite })),
    'dataEvents[0].readWrite "Sometimes" must be one of'],
  ['a selector name of 1001 characters', () => data(DataEvents.s3AllBuckets({ name: 'n'.repeat(1001) })),
    'dataEvents[0].name'],
  ['the same selection twice', () => data(DataEvents.s3AllBuckets(), DataEvents.s3AllBuckets({ name: 'again' })),
    'dataEvents[1] selects the same events as dataEvents[0]'],

  // Field selectors
  ['a value with a wildcard', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_NAME, ['Put*'])],
  })), WILDCARD],
  ['an empty value', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_NAME, [''])],
  })), 'dataEvents[0].fieldSelectors[0].values "" must be a string of 1 to 2048 characters'],
  ['a value of 2049 characters', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_NAME, ['e'.repeat(2049)])],
  })), 'must be a string of 1 to 2048 characters'],
  ['no values', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_NAME, [])],
  })), 'dataEvents[0].fieldSelectors[0].values must not be empty'],
  ['a field CloudTrail does not know', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.equalTo('eventTime' as SelectorField, ['x'])],
  })), 'dataEvents[0].fieldSelectors[0].field "eventTime" is not a field CloudTrail advanced event selectors accept'],
  ['an operator that does not exist', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.of(SelectorField.EVENT_NAME, 'Like' as SelectorOperator, ['x'])],
  })), 'dataEvents[0].fieldSelectors[0].operator "Like" is not an operator'],
  ['errorCode on data events', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.equalTo(SelectorField.ERROR_CODE, ['VpceAccessDenied'])],
  })), 'field "errorCode" is not accepted in a trail\'s selectors for data events'],
  ['sessionCredentialFromConsole = false', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.equalTo(SelectorField.SESSION_CREDENTIAL_FROM_CONSOLE, ['false'])],
  })), 'values "false" is not a valid sessionCredentialFromConsole value for data events'],
  ['a second resource type through a field selector', () => data(DataEvents.s3AllBuckets({
    fieldSelectors: [FieldSelector.equalTo(SelectorField.RESOURCES_TYPE, ['AWS::Lambda::Function'])],
  })), 'resources.type takes one value per selector'],

  // Network activity event sources
  ['a documented event source', () => network(NetworkActivityEvents.forSource('bedrock-agentcore.amazonaws.com')), 'accepted'],
  ['every NetworkActivitySource constant', () => network(...[
    NetworkActivitySource.CLOUDTRAIL, NetworkActivitySource.DYNAMODB, NetworkActivitySource.EC2, NetworkActivitySource.KMS,
    NetworkActivitySource.LAMBDA, NetworkActivitySource.S3, NetworkActivitySource.SECRETS_MANAGER,
    NetworkActivitySource.SNS, NetworkActivitySource.SQS,
  ].map(s => NetworkActivityEvents.forSource(s))), 'accepted'],
  ['a misspelled event source', () => network(NetworkActivityEvents.forSource('kmss.amazonaws.com')), UNKNOWN_SOURCE],
  ['a service without network activity events', () => network(NetworkActivityEvents.forSource('iam.amazonaws.com')),
    UNKNOWN_SOURCE],
  ['an event source outside amazonaws.com', () => network(NetworkActivityEvents.forSource('kms.amazonaws.co')),
    'networkActivityEvents[0].eventSource "kms.amazonaws.co" must be an event source'],
  ['an event source in upper case', () => network(NetworkActivityEvents.forSource('KMS.amazonaws.com')),
    'networkActivityEvents[0].eventSource "KMS.amazonaws.com" must be an event source'],
  ['a second event source through a field selector', () => network(NetworkActivityEvents.forSource('kms.amazonaws.com', {
    fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_SOURCE, ['s3.amazonaws.com'])],
  })), 'eventSource takes one value per selector'],
  ['an errorCode other than VpceAccessDenied', () => network(NetworkActivityEvents.forSource('kms.amazonaws.com', {
    fieldSelectors: [FieldSelector.equalTo(SelectorField.ERROR_CODE, ['AccessDenied'])],
  })), 'values "AccessDenied" is not a valid errorCode value for network activity events'],

  // Insights
  ['API call rate on management events', () => ({ insights: [InsightType.API_CALL_RATE] }), 'accepted'],
  ['Insights with no event categories', () => ({ insights: [InsightType.apiCallRate({ eventCategories: [] })] }),
    'insights[0].eventCategories must not be empty'],
  ['an Insights category that does not exist', () => ({
    insights: [InsightType.apiErrorRate({ eventCategories: ['Network' as InsightEventCategory] })],
  }), 'insights[0].eventCategories "Network" must be one of Management, Data'],
  ['the same Insights type twice', () => ({ insights: [InsightType.API_CALL_RATE, InsightType.apiCallRate()] }),
    'insights contains ApiCallRateInsight more than once'],
  ['data Insights without data events', () => ({
    insights: [InsightType.apiCallRate({ eventCategories: [InsightEventCategory.DATA] })],
  }), 'needs data events, but dataEvents is empty'],
  ['API call rate with read-only management events', () => ({
    managementEvents: ManagementEvents.readOnly(), insights: [InsightType.API_CALL_RATE],
  }), 'needs write management events'],

  // Lists and types
  ['dataEvents not a list', () => ({ dataEvents: DataEvents.s3AllBuckets() as any }), 'dataEvents'],
  ['a plain object for DataEvents', () => ({ dataEvents: [{ resourceType: 'AWS::S3::Object' } as any] }),
    'dataEvents[0]'],
  ['nothing recorded', () => ({ managementEvents: none }), 'the trail would record nothing'],
];

describe('event selection inputs', () => {
  test.each(rows)('%s', (_case, input, expected) => {
    const stack = new Stack();
    const run = () => render(input(), stack);
    if (expected === 'accepted' || WARNINGS.includes(expected)) {
      expect(run).not.toThrow();
      const ids = WARNINGS.filter(id => warningsOf(stack).some(w => w.includes(`[ack: ${id}]`)));
      expect(ids).toEqual(expected === 'accepted' ? [] : [expected]);
    } else {
      expect(run).toThrow(expected);
    }
  });
});

describe('known values', () => {
  test('a misspelled type is warned about with the documented spelling', () => {
    const stack = new Stack();
    render(data(DataEvents.custom('AWS::Bedrock::Agentalias')), stack);
    expect(warningsOf(stack).join('\n')).toContain(
      'dataEvents[0].resourceType "AWS::Bedrock::Agentalias" is not a data resource type CloudTrail documents ' +
      '(did you mean "AWS::Bedrock::AgentAlias"?)');
  });

  test('an unknown event source is still rendered: the warning can be acknowledged for a newer source', () => {
    const stack = new Stack();
    const properties = synthesize(network(NetworkActivityEvents.forSource('newservice.amazonaws.com')), stack);
    expect(properties.AdvancedEventSelectors[0].FieldSelectors[1]).toEqual(
      { Field: 'eventSource', Equals: ['newservice.amazonaws.com'] });
    expect(warningsOf(stack).join('\n')).toContain(`[ack: ${UNKNOWN_SOURCE}]`);
  });

  test('the factories only use documented values', () => {
    for (const d of [DataEvents.s3AllBuckets(), DataEvents.s3ExpressObjects(), DataEvents.lambdaFunctions(),
      DataEvents.dynamoDbTables(), DataEvents.snsTopics(), DataEvents.sqsQueues()]) {
      expect(DATA_RESOURCE_TYPES).toContain(d.resourceType);
    }
    for (const s of Object.values(NetworkActivitySource)) expect(NETWORK_ACTIVITY_EVENT_SOURCES).toContain(s);
  });

  test('the lists have no repeated entries', () => {
    expect(new Set(DATA_RESOURCE_TYPES).size).toBe(DATA_RESOURCE_TYPES.length);
    expect(new Set(NETWORK_ACTIVITY_EVENT_SOURCES).size).toBe(NETWORK_ACTIVITY_EVENT_SOURCES.length);
  });
});

describe('env-agnostic stacks', () => {
  const partitions: Array<[string, () => string]> = [
    ['the stack partition of a stack with no env', () => Aws.PARTITION],
    ['a CfnParameter', () => new CfnParameter(new Stack(new App(), 'P'), 'Partition').valueAsString],
  ];
  test.each(partitions)('S3 bucket ARNs in %s', (_case, partition) => {
    const stack = new Stack(new App(), 'S');
    const properties = synthesize({ partition: partition(), dataEvents: [DataEvents.s3Buckets(['logs'])] }, stack);
    const arn = properties.AdvancedEventSelectors[1].FieldSelectors
      .find((f: any) => f.Field === 'resources.ARN').StartsWith[0];
    expect(JSON.stringify(arn)).toContain(':s3:::logs/');
    expect(arn['Fn::Join']).toBeDefined();
  });
});
