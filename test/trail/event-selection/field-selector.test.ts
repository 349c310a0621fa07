import { CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { render, selectors, synthesize, warningsOf } from './helpers';
import {
  DataEvents, EventReadWrite, FieldSelector, NetworkActivityEvents, SelectorField, SelectorOperator,
} from '../../../src/trail/event-selection';

const S3 = 'AWS::S3::Object';

/** Renders one custom data selector with `fieldSelectors` and returns its CloudFormation field selectors. */
function fieldsOf(fieldSelectors: FieldSelector[], options: { readWrite?: EventReadWrite } = {}, stack?: Stack): any[] {
  return selectors({ dataEvents: [DataEvents.custom(S3, { ...options, fieldSelectors })] }, stack)[1].FieldSelectors;
}

function dataFails(fieldSelectors: FieldSelector[], message: string, options: { readWrite?: EventReadWrite } = {}) {
  expect(() => render({ dataEvents: [DataEvents.custom(S3, { ...options, fieldSelectors })] })).toThrow(message);
}

function networkFails(fieldSelectors: FieldSelector[], message: string) {
  expect(() => render({ networkActivityEvents: [NetworkActivityEvents.forSource('kms.amazonaws.com', { fieldSelectors })] }))
    .toThrow(message);
}

describe('FieldSelector', () => {
  test('each factory records its field, operator and values', () => {
    const made = [
      FieldSelector.equalTo(SelectorField.EVENT_NAME, ['a']),
      FieldSelector.notEquals(SelectorField.EVENT_NAME, ['a']),
      FieldSelector.startsWith(SelectorField.EVENT_NAME, ['a']),
      FieldSelector.notStartsWith(SelectorField.EVENT_NAME, ['a']),
      FieldSelector.endsWith(SelectorField.EVENT_NAME, ['a']),
      FieldSelector.notEndsWith(SelectorField.EVENT_NAME, ['a']),
      FieldSelector.of(SelectorField.RESOURCES_ARN, SelectorOperator.STARTS_WITH, ['b']),
    ];
    expect(made.map(f => [f.field, f.operator, f.values])).toEqual([
      ['eventName', 'Equals', ['a']],
      ['eventName', 'NotEquals', ['a']],
      ['eventName', 'StartsWith', ['a']],
      ['eventName', 'NotStartsWith', ['a']],
      ['eventName', 'EndsWith', ['a']],
      ['eventName', 'NotEndsWith', ['a']],
      ['resources.ARN', 'StartsWith', ['b']],
    ]);
  });

  test('every operator reaches CloudFormation under its own key, all on one field selector', () => {
    expect(fieldsOf([
      FieldSelector.notEndsWith(SelectorField.EVENT_NAME, ['f']),
      FieldSelector.endsWith(SelectorField.EVENT_NAME, ['e']),
      FieldSelector.notStartsWith(SelectorField.EVENT_NAME, ['d']),
      FieldSelector.startsWith(SelectorField.EVENT_NAME, ['c']),
      FieldSelector.notEquals(SelectorField.EVENT_NAME, ['b']),
      FieldSelector.equalTo(SelectorField.EVENT_NAME, ['a']),
    ])[2]).toEqual({
      Field: 'eventName',
      Equals: ['a'],
      NotEquals: ['b'],
      StartsWith: ['c'],
      NotStartsWith: ['d'],
      EndsWith: ['e'],
      NotEndsWith: ['f'],
    });
  });

  test('conditions with the same field and operator are merged in the order given', () => {
    expect(fieldsOf([
      FieldSelector.equalTo(SelectorField.EVENT_NAME, ['PutObject']),
      FieldSelector.equalTo(SelectorField.EVENT_NAME, ['DeleteObject', 'DeleteObjects']),
    ])[2]).toEqual({ Field: 'eventName', Equals: ['PutObject', 'DeleteObject', 'DeleteObjects'] });
  });

  test('every data event field is accepted and rendered in a fixed order', () => {
    expect(fieldsOf([
      FieldSelector.equalTo(SelectorField.SESSION_CREDENTIAL_FROM_CONSOLE, ['true']),
      FieldSelector.endsWith(SelectorField.USER_IDENTITY_ARN, ['/admin']),
      FieldSelector.startsWith(SelectorField.RESOURCES_ARN, ['arn:aws:s3:::invoices/']),
      FieldSelector.equalTo(SelectorField.READ_ONLY, ['false']),
      FieldSelector.notEquals(SelectorField.EVENT_TYPE, ['AwsServiceEvent']),
      FieldSelector.equalTo(SelectorField.EVENT_NAME, ['PutObject']),
      FieldSelector.equalTo(SelectorField.EVENT_SOURCE, ['s3.amazonaws.com']),
    ]).map(f => f.Field)).toEqual([
      'eventCategory', 'resources.type', 'eventSource', 'eventName', 'eventType', 'readOnly', 'resources.ARN',
      'userIdentity.arn', 'sessionCredentialFromConsole',
    ]);
  });

  test('repeating the category or resource type the factory sets is harmless', () => {
    expect(fieldsOf([
      FieldSelector.equalTo(SelectorField.EVENT_CATEGORY, ['Data']),
      FieldSelector.equalTo(SelectorField.RESOURCES_TYPE, [S3]),
      FieldSelector.equalTo(SelectorField.READ_ONLY, ['false']),
    ], { readWrite: EventReadWrite.WRITE_ONLY })).toEqual([
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: [S3] },
      { Field: 'readOnly', Equals: ['false'] },
    ]);
  });

  test('tokens are not validated but rendered, and a list token stays a list', () => {
    const stack = new Stack();
    const name = new CfnParameter(stack, 'EventName').valueAsString;
    const list = new CfnParameter(stack, 'Arns', { type: 'CommaDelimitedList' }).valueAsList;
    expect(Token.isUnresolved(list)).toBe(true);
    expect(fieldsOf([
      FieldSelector.equalTo(SelectorField.EVENT_NAME, [name]),
      FieldSelector.startsWith(SelectorField.RESOURCES_ARN, list),
    ], {}, stack).slice(2)).toEqual([
      { Field: 'eventName', Equals: [{ Ref: 'EventName' }] },
      { Field: 'resources.ARN', StartsWith: { Ref: 'Arns' } },
    ]);
  });
});

describe('FieldSelector validation', () => {
  test('an unknown field is rejected', () => {
    dataFails([FieldSelector.equalTo('eventname' as SelectorField, ['x'])],
      'dataEvents[0].fieldSelectors[0].field "eventname" is not a field CloudTrail advanced event selectors accept; ' +
      'use one of eventCategory, resources.type, eventSource, eventName, eventType, readOnly, errorCode, vpcEndpointId, ' +
      'resources.ARN, userIdentity.arn, sessionCredentialFromConsole');
  });

  test('a field of another event category is rejected', () => {
    dataFails([FieldSelector.equalTo(SelectorField.VPC_ENDPOINT_ID, ['vpce-1'])],
      'dataEvents[0].fieldSelectors[0].field "vpcEndpointId" is not accepted in a trail\'s selectors for data events; ' +
      'use one of eventCategory, resources.type, eventSource, eventName, eventType, readOnly, resources.ARN, ' +
      'userIdentity.arn, sessionCredentialFromConsole');
    dataFails([FieldSelector.equalTo(SelectorField.ERROR_CODE, ['VpceAccessDenied'])],
      'dataEvents[0].fieldSelectors[0].field "errorCode" is not accepted in a trail\'s selectors for data events');
    networkFails([FieldSelector.startsWith(SelectorField.RESOURCES_ARN, ['arn:aws:kms:'])],
      'networkActivityEvents[0].fieldSelectors[0].field "resources.ARN" is not accepted in a trail\'s selectors for ' +
      'network activity events; use one of eventCategory, eventSource, eventName, errorCode, vpcEndpointId, userIdentity.arn');
    networkFails([FieldSelector.equalTo(SelectorField.READ_ONLY, ['true'])],
      'networkActivityEvents[0].fieldSelectors[0].field "readOnly" is not accepted');
  });

  test('an unknown operator is rejected', () => {
    dataFails([FieldSelector.of(SelectorField.EVENT_NAME, 'Like' as SelectorOperator, ['Put'])],
      'dataEvents[0].fieldSelectors[0].operator "Like" is not an operator; use one of Equals, NotEquals, StartsWith, ' +
      'NotStartsWith, EndsWith, NotEndsWith');
  });

  test('operators a field does not allow are rejected', () => {
    dataFails([FieldSelector.notEquals(SelectorField.READ_ONLY, ['true'])],
      'dataEvents[0].fieldSelectors[0].operator "NotEquals" is not allowed on readOnly for data events; readOnly accepts only Equals');
    dataFails([FieldSelector.startsWith(SelectorField.RESOURCES_TYPE, ['AWS::S3'])],
      'dataEvents[0].fieldSelectors[0].operator "StartsWith" is not allowed on resources.type for data events; ' +
      'resources.type accepts only Equals');
    dataFails([FieldSelector.notEquals(SelectorField.EVENT_CATEGORY, ['Management'])],
      'operator "NotEquals" is not allowed on eventCategory for data events; eventCategory accepts only Equals');
    dataFails([FieldSelector.startsWith(SelectorField.SESSION_CREDENTIAL_FROM_CONSOLE, ['t'])],
      'sessionCredentialFromConsole accepts only Equals, NotEquals');
    networkFails([FieldSelector.notEquals(SelectorField.EVENT_SOURCE, ['s3.amazonaws.com'])],
      'networkActivityEvents[0].fieldSelectors[0].operator "NotEquals" is not allowed on eventSource for network activity ' +
      'events; eventSource accepts only Equals');
    networkFails([FieldSelector.startsWith(SelectorField.ERROR_CODE, ['Vpce'])], 'errorCode accepts only Equals');
  });

  test('invalid readOnly, eventCategory and sessionCredentialFromConsole values are rejected', () => {
    dataFails([FieldSelector.equalTo(SelectorField.READ_ONLY, ['yes'])],
      'dataEvents[0].fieldSelectors[0].values "yes" is not a valid readOnly value for data events; use "true" or "false"');
    dataFails([FieldSelector.equalTo(SelectorField.EVENT_CATEGORY, ['Management'])],
      'dataEvents[0].fieldSelectors[0].values "Management" is not a valid eventCategory value for data events; use "Data"');
    networkFails([FieldSelector.equalTo(SelectorField.EVENT_CATEGORY, ['Data'])],
      'networkActivityEvents[0].fieldSelectors[0].values "Data" is not a valid eventCategory value for network activity ' +
      'events; use "NetworkActivity"');
    dataFails([FieldSelector.equalTo(SelectorField.SESSION_CREDENTIAL_FROM_CONSOLE, ['false'])],
      'values "false" is not a valid sessionCredentialFromConsole value for data events; use "true"');
    networkFails([FieldSelector.equalTo(SelectorField.ERROR_CODE, ['AccessDenied'])],
      'values "AccessDenied" is not a valid errorCode value for network activity events; use "VpceAccessDenied"');
  });

  test('values must be a list', () => {
    dataFails([FieldSelector.equalTo(SelectorField.EVENT_NAME, undefined as unknown as string[])],
      'dataEvents[0].fieldSelectors[0].values undefined must be a list of strings');
  });

  test('empty value lists and empty or oversized values are rejected', () => {
    dataFails([FieldSelector.equalTo(SelectorField.EVENT_NAME, [])],
      'dataEvents[0].fieldSelectors[0].values must not be empty: give at least one value for eventName Equals');
    dataFails([FieldSelector.equalTo(SelectorField.EVENT_NAME, [''])],
      'dataEvents[0].fieldSelectors[0].values "" must be a string of 1 to 2048 characters');
    dataFails([FieldSelector.startsWith(SelectorField.RESOURCES_ARN, ['a'.repeat(2049)])], 'must be a string of 1 to 2048 characters');
    expect(fieldsOf([FieldSelector.startsWith(SelectorField.RESOURCES_ARN, ['a'.repeat(2048)])])).toHaveLength(3);
  });

  test('a value repeated for the same field and operator is rejected', () => {
    dataFails([FieldSelector.equalTo(SelectorField.EVENT_NAME, ['PutObject', 'PutObject'])],
      'dataEvents[0].fieldSelectors[0].values "PutObject" is given more than once for eventName Equals');
    dataFails([
      FieldSelector.equalTo(SelectorField.EVENT_NAME, ['PutObject']),
      FieldSelector.equalTo(SelectorField.EVENT_NAME, ['PutObject']),
    ], 'dataEvents[0].fieldSelectors[1].values "PutObject" is given more than once for eventName Equals');
  });

  test('a readOnly condition that contradicts readWrite is rejected', () => {
    dataFails([FieldSelector.equalTo(SelectorField.READ_ONLY, ['true'])],
      'dataEvents[0].fieldSelectors[0] "readOnly true" contradicts readOnly "false" from dataEvents[0].readWrite: ' +
      'readOnly takes one value per selector', { readWrite: EventReadWrite.WRITE_ONLY });
    dataFails([FieldSelector.equalTo(SelectorField.READ_ONLY, ['true', 'false'])],
      'dataEvents[0].fieldSelectors[0] "readOnly false" contradicts readOnly "true" from dataEvents[0].fieldSelectors[0]');
  });

  test('a second resource type in one selector is rejected', () => {
    dataFails([FieldSelector.equalTo(SelectorField.RESOURCES_TYPE, ['AWS::Lambda::Function'])],
      'dataEvents[0].fieldSelectors[0] "resources.type AWS::Lambda::Function" contradicts resources.type "AWS::S3::Object" ' +
      'from dataEvents[0]: resources.type takes one value per selector');
  });

  test('a "*" in a value is a warning: selectors have no wildcards', () => {
    const stack = new Stack();
    synthesize({
      dataEvents: [DataEvents.custom(S3, { fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_NAME, ['Put*'])] })],
    }, stack);
    expect(warningsOf(stack)).toEqual([expect.stringContaining(
      'dataEvents[0].fieldSelectors[0].values "Put*" contains "*": advanced event selectors do not support wildcards')]);
    expect(warningsOf(stack)[0]).toContain('[ack: cdk-cloudtrail-governance:trail:selectorWildcard]');
  });

  test('no warning without a "*"', () => {
    const stack = new Stack();
    synthesize({
      dataEvents: [DataEvents.custom(S3, { fieldSelectors: [FieldSelector.startsWith(SelectorField.EVENT_NAME, ['Put'])] })],
    }, stack);
    expect(warningsOf(stack)).toEqual([]);
  });
});
