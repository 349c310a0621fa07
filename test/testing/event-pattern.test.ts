import { EventPatternMatcher } from '../../src/testing';

// The sample event of Event Ruler's README, which EventBridge's user guide examples are written against.
const EC2_EVENT = {
  'version': '0',
  'id': 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  'source': 'aws.ec2',
  'account': '012345679012',
  'time': '2017-10-02T16:24:49Z',
  'region': 'us-east-1',
  'resources': ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  'detail': {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    'state': 'running',
  },
};

const withDetail = (detail: { [key: string]: any }) => ({ ...EC2_EVENT, detail: { ...EC2_EVENT.detail, ...detail } });
const m = (pattern: { [key: string]: any }, event: { [key: string]: any } = EC2_EVENT) => EventPatternMatcher.matches(pattern, event);

describe('value matching', () => {
  test('listed values are alternatives and every field must match', () => {
    const pattern = {
      'detail-type': ['EC2 Instance State-change Notification'],
      'resources': ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      'detail': { state: ['initializing', 'running'] },
    };
    expect(m(pattern)).toBe(true);
    expect(m(pattern, withDetail({ state: 'stopped' }))).toBe(false);
    expect(m({ ...pattern, source: ['aws.s3'] })).toBe(false);
  });

  test('a field named in the pattern must exist in the event, at the same nesting', () => {
    expect(m({ detail: { 'state': ['running'], 'launch-type': ['spot'] } })).toBe(false);
    expect(m({ state: ['running'] })).toBe(false);
  });

  test('array fields match when the intersection with the pattern is not empty (user guide "Arrays")', () => {
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(m({
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'],
    }, event)).toBe(true);
    expect(m({ resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }, event)).toBe(false);
  });

  test('types matter: strings, numbers, booleans and null only equal their own kind', () => {
    const event = { detail: { n: 5, s: '5', b: true, z: null, e: '' } };
    expect(m({ detail: { n: [5] } }, event)).toBe(true);
    expect(m({ detail: { n: ['5'] } }, event)).toBe(false);
    expect(m({ detail: { s: [5] } }, event)).toBe(false);
    expect(m({ detail: { b: [true] } }, event)).toBe(true);
    expect(m({ detail: { b: ['true'] } }, event)).toBe(false);
  });

  test('empty strings and null are matched, and are not interchangeable (user guide "null values")', () => {
    const event = {
      'version': '0',
      'detail-type': 'EC2 Instance Launch Successful',
      'source': 'aws.autoscaling',
      'resources': [],
      'detail': { eventVersion: '', responseElements: null },
    };
    expect(m({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(m({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(m({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(m({ detail: { responseElements: [''] } }, event)).toBe(false);
  });
});

describe('string operators', () => {
  test('prefix (user guide: "time" starting with 2017-10-02, Auto Scaling events from Europe)', () => {
    expect(m({ time: [{ prefix: '2017-10-02' }] })).toBe(true);
    expect(m({ time: [{ prefix: '2017-10-03' }] })).toBe(false);
    const autoscaling = { source: 'aws.autoscaling', region: 'eu-west-1' };
    expect(m({ source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, autoscaling)).toBe(true);
    expect(m({ source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, { ...autoscaling, region: 'us-east-1' })).toBe(false);
  });

  test('suffix ("FileName" ending in .png) and suffix with equals-ignore-case', () => {
    expect(m({ FileName: [{ suffix: '.png' }] }, { FileName: 'dir/photo.png' })).toBe(true);
    expect(m({ FileName: [{ suffix: '.png' }] }, { FileName: 'dir/photo.PNG' })).toBe(false);
    expect(m({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, { detail: { FileName: 'photo.PNG' } })).toBe(true);
    expect(m({ source: [{ suffix: 'ec2' }] })).toBe(true);
  });

  test('prefix with equals-ignore-case ("service" starting with EventB in any case)', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    expect(m(pattern, { detail: { service: 'eventbridge' } })).toBe(true);
    expect(m(pattern, { detail: { service: 'EVENTBRIDGE' } })).toBe(true);
    expect(m(pattern, { detail: { service: 'sqs' } })).toBe(false);
  });

  test('equals-ignore-case ("Name" is alice)', () => {
    expect(m({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alice' })).toBe(true);
    expect(m({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alicia' })).toBe(false);
    expect(m({ source: [{ 'equals-ignore-case': 'AWS.EC2' }] })).toBe(true);
  });

  test('wildcard, including escaped asterisks and backslashes', () => {
    expect(m({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleQueueService' })).toBe(true);
    expect(m({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleService' })).toBe(true);
    expect(m({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleQueueServices' })).toBe(false);
    expect(m({ FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/a/b.png' })).toBe(true);
    expect(m({ v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' })).toBe(true);
    expect(m({ v: [{ wildcard: 'a\\*b' }] }, { v: 'axb' })).toBe(false);
    expect(m({ v: [{ wildcard: 'a\\\\b' }] }, { v: 'a\\b' })).toBe(true);
  });

  test('string operators never match numbers', () => {
    expect(m({ detail: { 'c-count': [{ prefix: '5' }] } })).toBe(false);
    expect(m({ detail: { 'c-count': [{ wildcard: '*' }] } })).toBe(false);
  });
});

describe('anything-but', () => {
  test('single string and number (user guide)', () => {
    expect(m({ detail: { state: [{ 'anything-but': 'initializing' }] } })).toBe(true);
    expect(m({ detail: { state: [{ 'anything-but': 'running' }] } })).toBe(false);
    expect(m({ detail: { 'x-limit': [{ 'anything-but': 123 }] } })).toBe(true);
    expect(m({ detail: { 'x-limit': [{ 'anything-but': 301.8 }] } })).toBe(false);
  });

  test('lists of strings and of numbers', () => {
    expect(m({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } })).toBe(true);
    expect(m({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } })).toBe(false);
    expect(m({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } })).toBe(true);
    expect(m({ source: [{ 'anything-but': ['aws.ec2', 'aws.s3'] }] })).toBe(false);
  });

  test('prefix, suffix, equals-ignore-case and wildcard operands', () => {
    expect(m({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } })).toBe(true);
    expect(m({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 'initializing' }))).toBe(false);
    expect(m({ source: [{ 'anything-but': { prefix: 'aws.' } }] })).toBe(false);
    expect(m({ source: [{ 'anything-but': { prefix: 'aws.' } }] }, { source: 'com.example.orders' })).toBe(true);
    expect(m({ FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.jpg' })).toBe(true);
    expect(m({ FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.png' })).toBe(false);
    expect(m({ state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'INITIALIZING' })).toBe(false);
    expect(m({ state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] }, { state: 'running' })).toBe(true);
    expect(m({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/libc.so' })).toBe(false);
    expect(m({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/env' })).toBe(true);
  });

  test('matching on detail-type (user guide: everything except CloudTrail API calls)', () => {
    expect(m({ 'detail-type': [{ 'anything-but': 'AWS API Call via CloudTrail' }] })).toBe(true);
    expect(m({ 'detail-type': [{ 'anything-but': 'AWS API Call via CloudTrail' }] },
      { 'detail-type': 'AWS API Call via CloudTrail' })).toBe(false);
  });

  test('a missing field never matches anything-but', () => {
    expect(m({ detail: { 'launch-type': [{ 'anything-but': 'spot' }] } })).toBe(false);
  });
});

describe('numeric', () => {
  test('ranges and equality (user guide example, all fields true)', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(m(pattern)).toBe(true);
    expect(m(pattern, withDetail({ 'c-count': 6 }))).toBe(false);
    expect(m(pattern, withDetail({ 'c-count': 0 }))).toBe(false);
    expect(m(pattern, withDetail({ 'd-count': 10 }))).toBe(false);
    expect(m(pattern, withDetail({ 'x-limit': 301.81 }))).toBe(false);
  });

  test('only numbers match', () => {
    expect(m({ detail: { 'c-count': [{ numeric: ['>', 0] }] } }, withDetail({ 'c-count': '5' }))).toBe(false);
    expect(m({ detail: { 'c-count': [{ numeric: ['>=', 5] }] } })).toBe(true);
  });
});

describe('cidr', () => {
  test('IPv4 (user guide: 10.0.0.0/24)', () => {
    expect(m({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toBe(true);
    expect(m({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } })).toBe(false);
    expect(m({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, { detail: { sourceIPAddress: '10.0.0.255' } })).toBe(true);
    expect(m({ detail: { sourceIPAddress: [{ cidr: '0.0.0.0/0' }] } }, { detail: { sourceIPAddress: 'delivery.logs.amazonaws.com' } })).toBe(false);
  });

  test('IPv6, including compressed and IPv4-mapped forms', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } };
    expect(m(pattern, { detail: { sourceIPAddress: '2001:db8:1::1' } })).toBe(true);
    expect(m(pattern, { detail: { sourceIPAddress: '2001:db9::1' } })).toBe(false);
    expect(m(pattern, { detail: { sourceIPAddress: '10.0.0.1' } })).toBe(false);
    expect(m({ ip: [{ cidr: '::ffff:10.0.0.0/120' }] }, { ip: '::ffff:10.0.0.7' })).toBe(true);
  });
});

describe('exists', () => {
  test('true matches a present leaf (user guide)', () => {
    expect(m({ detail: { state: [{ exists: true }] } })).toBe(true);
    const noState = { 'detail-type': ['EC2 Instance State-change Notification'], 'detail': { 'c-count': { c1: 100 } } };
    expect(m({ detail: { state: [{ exists: true }] } }, noState)).toBe(false);
  });

  test('false matches a missing field, and an object, which is not a leaf (user guide)', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    expect(m(pattern, { detail: { state: ['initializing', 'running'] } })).toBe(true);
    expect(m(pattern, { detail: { 'state': ['initializing', 'running'], 'c-count': { c1: 100 } } })).toBe(true);
    expect(m(pattern)).toBe(false);
  });

  test('a field under a missing object is missing too', () => {
    expect(m({ detail: { requestParameters: { enable: [{ exists: false }] } } })).toBe(true);
    expect(m({ detail: { requestParameters: { enable: [false] } } })).toBe(false);
  });

  test('null is a present value', () => {
    expect(m({ detail: { v: [{ exists: true }] } }, { detail: { v: null } })).toBe(true);
  });
});

describe('$or', () => {
  const metric = { source: 'aws.cloudwatch', metricName: 'CPUUtilization', namespace: 'AWS/Lambda', metricType: 'MetricType', scope: 'Account' };

  test('"source" && ("metricName" || "namespace")', () => {
    const pattern = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] };
    expect(m(pattern, metric)).toBe(true);
    expect(m(pattern, { ...metric, metricName: 'Errors' })).toBe(false);
    expect(m(pattern, { ...metric, metricName: 'Errors', namespace: 'AWS/EC2' })).toBe(true);
  });

  test('an alternative can hold several fields, and nested $or', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    };
    expect(m(pattern, metric)).toBe(false);
    expect(m(pattern, { ...metric, namespace: 'AWS/EC2', spaceId: 1000 })).toBe(true);
    expect(m(pattern, { ...metric, namespace: 'AWS/EC2' })).toBe(false);
    expect(m(pattern, { ...metric, scope: 'Service' })).toBe(true);
  });

  test('inside nested objects (user guide: numeric conditions on detail fields)', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expect(m(pattern)).toBe(true);
    expect(m(pattern, withDetail({ 'c-count': 9, 'd-count': 10, 'x-limit': 1 }))).toBe(false);
  });
});

describe('objects inside arrays', () => {
  const event = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };

  test('a nested pattern applies to each element', () => {
    expect(m({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
  });

  test('two fields never match in different elements of one array (Event Ruler rulesForJSONEvent)', () => {
    expect(m({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
    expect(m({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
  });

  test('arrays of arrays are flattened', () => {
    expect(m({ employees: { firstName: ['Peter'] } }, { employees: [[event.employees[0]], [event.employees[2]]] })).toBe(true);
  });
});

describe('the user guide\'s complex example', () => {
  test('prefix, anything-but and numeric together', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        'state': [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    };
    expect(m(pattern)).toBe(true);
    expect(m(pattern, withDetail({ 'x-limit': 200 }))).toBe(false);
  });
});

describe('invalid patterns', () => {
  test.each([
    [{ source: [] }, /at "source" must list at least one value/],
    [{ source: 'aws.ec2' }, /at "source" must be an array of values or a nested pattern object/],
    [{ source: [{ contains: 'ec2' }] }, /at "source\[0\]" must have exactly one operator/],
    [{ source: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator/],
    [{ $or: [{ source: ['aws.ec2'] }] }, /at "\$or" must be an array of at least two sub-patterns/],
    [{ detail: { n: [{ numeric: ['>', '0'] }] } }, /numeric takes/],
    [{ detail: { n: [{ numeric: ['>', 0, '>', 5] }] } }, /numeric takes/],
    [{ detail: { s: [{ 'anything-but': ['a', 1] }] } }, /only strings or only numbers/],
    [{ detail: { s: [{ 'anything-but': [{ prefix: 'a' }] }] } }, /only strings or only numbers/],
    [{ detail: { s: [{ cidr: '10.0.0.0/33' }] } }, /cidr takes/],
    [{ detail: { s: [{ wildcard: 'a**b' }] } }, /consecutive "\*"/],
    [{ detail: { s: [{ wildcard: 'a\\b' }] } }, /may only escape/],
    [{ detail: { s: [{ exists: 'yes' }] } }, /exists takes true or false/],
    [{}, /must name at least one field/],
  ])('%j', (pattern, message) => {
    expect(() => EventPatternMatcher.validate(pattern)).toThrow(message);
    expect(() => EventPatternMatcher.matches(pattern, EC2_EVENT)).toThrow(message);
  });

  test('an invalid branch fails even when another branch decides the match', () => {
    expect(() => m({ source: ['aws.ec2', { prefix: 1 }] })).toThrow(/prefix takes a string/);
  });
});
