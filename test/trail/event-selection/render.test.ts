import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ALL_MANAGEMENT, Input, render, selectors, synthesize, synthesizeTemplate, warningsOf } from './helpers';
import {
  DataEvents, EventReadWrite, FieldSelector, InsightType, ManagementEvents, ManagementEventSource, NetworkActivityEvents,
  NetworkActivitySource, SelectorField,
} from '../../../src/trail/event-selection';
import { MAX_SELECTOR_VALUES, renderEventSelection } from '../../../src/trail/event-selection/render';

const ARCHIVE = 'arn:aws:s3:::org-trail-archive';
const ACCESS_LOGS = 'arn:aws:s3:::org-trail-access-logs';
const data = { Field: 'eventCategory', Equals: ['Data'] };
const s3Objects = { Field: 'resources.type', Equals: ['AWS::S3::Object'] };
const TAMPERING_NAMES = ['DeleteObject', 'DeleteObjects', 'PutObjectRetention', 'PutObjectLegalHold', 'CopyObject'];
/** The selector that records only the destructive calls on the archive buckets. */
const tampering = (...buckets: string[]) => ({
  Name: 'Archive log deletions, overwrites and lock changes',
  FieldSelectors: [
    data, s3Objects, { Field: 'eventName', Equals: TAMPERING_NAMES },
    { Field: 'resources.ARN', StartsWith: buckets.map(b => `${b}/`) },
  ],
});

describe('renderEventSelection', () => {
  describe('a full selection', () => {
    let properties: { [key: string]: any };
    beforeAll(() => {
      // A full synthesis: the template also passes aws-cdk-lib's CloudFormation schema validation.
      properties = synthesizeTemplate({
        managementEvents: ManagementEvents.all({ excludedSources: [ManagementEventSource.KMS] }),
        dataEvents: [
          DataEvents.s3AllBuckets({ readWrite: EventReadWrite.WRITE_ONLY }),
          DataEvents.lambdaFunctions(),
        ],
        networkActivityEvents: [NetworkActivityEvents.forSource(NetworkActivitySource.KMS, { accessDeniedOnly: true })],
        insights: [InsightType.API_CALL_RATE, InsightType.API_ERROR_RATE],
        excludedBucketArns: [ARCHIVE, ACCESS_LOGS],
      });
    });

    test('emits management, data and network selectors in that order, exactly', () => {
      expect(properties.AdvancedEventSelectors).toEqual([
        {
          Name: 'All management events except read-only kms.amazonaws.com',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
          ],
        },
        {
          Name: 'Write management events of AWS KMS',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['false'] },
          ],
        },
        {
          Name: 'S3 object data events: all buckets (write-only)',
          FieldSelectors: [
            data, s3Objects, { Field: 'readOnly', Equals: ['false'] },
            { Field: 'resources.ARN', NotStartsWith: [`${ARCHIVE}/`, `${ACCESS_LOGS}/`] },
          ],
        },
        {
          Name: 'Lambda function data events',
          FieldSelectors: [data, { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] }],
        },
        {
          Name: 'Network activity events: kms.amazonaws.com (VPC endpoint access denied)',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['NetworkActivity'] },
            { Field: 'eventSource', Equals: ['kms.amazonaws.com'] },
            { Field: 'errorCode', Equals: ['VpceAccessDenied'] },
          ],
        },
        tampering(ARCHIVE, ACCESS_LOGS),
      ]);
    });

    test('emits the Insights selectors', () => {
      expect(properties.InsightSelectors).toEqual([
        { InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] },
        { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] },
      ]);
    });

    test('never emits basic event selectors', () => {
      expect(properties.EventSelectors).toBeUndefined();
      expect(Object.keys(render({ dataEvents: [DataEvents.s3AllBuckets()] })).sort())
        .toEqual(['advancedEventSelectors', 'insightSelectors']);
    });
  });

  test('the same input renders the same template in a new app', () => {
    const input = (): Input => ({
      dataEvents: [
        DataEvents.s3Buckets(['b-bucket', 'a-bucket']),
        DataEvents.custom('AWS::DynamoDB::Table', {
          fieldSelectors: [
            FieldSelector.equalTo(SelectorField.EVENT_NAME, ['PutItem']),
            FieldSelector.notEquals(SelectorField.EVENT_TYPE, ['AwsServiceEvent']),
          ],
        }),
      ],
      excludedBucketArns: [ARCHIVE],
    });
    const first = JSON.stringify(selectors(input(), new Stack(new App(), 'One')));
    const second = JSON.stringify(selectors(input(), new Stack(new App(), 'One')));
    expect(second).toEqual(first);
  });

  test('a trail that records nothing is rejected', () => {
    expect(() => render({ managementEvents: ManagementEvents.none() })).toThrow(
      'managementEvents is ManagementEvents.none() and neither dataEvents nor networkActivityEvents is given: the trail ' +
      'would record nothing. Record management events or give data or network activity events');
    expect(() => render({ managementEvents: ManagementEvents.none(), dataEvents: [], networkActivityEvents: [] }))
      .toThrow('the trail would record nothing');
  });

  test('lists must be lists', () => {
    expect(() => render({ dataEvents: DataEvents.s3AllBuckets() as unknown as DataEvents[] }))
      .toThrow('dataEvents [object Object] must be a list');
  });

  describe('duplicate selectors', () => {
    test('two data entries selecting the same events are rejected, whatever their names or value order', () => {
      expect(() => render({
        dataEvents: [
          DataEvents.s3Buckets(['a-bucket', 'b-bucket']),
          DataEvents.lambdaFunctions(),
          DataEvents.s3Buckets(['b-bucket', 'a-bucket'], { name: 'Same buckets' }),
        ],
      })).toThrow('dataEvents[2] selects the same events as dataEvents[0]: remove one of them');
    });

    test('presets that overlap exactly are rejected', () => {
      expect(() => render({ dataEvents: [DataEvents.s3AllBuckets(), DataEvents.s3AllBuckets({ readWrite: EventReadWrite.ALL })] }))
        .toThrow('dataEvents[1] selects the same events as dataEvents[0]');
    });

    test('two network entries for the same source and filter are rejected', () => {
      expect(() => render({
        networkActivityEvents: [NetworkActivityEvents.forSource('kms.amazonaws.com'), NetworkActivityEvents.forSource('kms.amazonaws.com')],
      })).toThrow('networkActivityEvents[1] selects the same events as networkActivityEvents[0]');
    });

    test('selectors that differ in read/write or filter are not duplicates', () => {
      expect(selectors({
        dataEvents: [
          DataEvents.s3AllBuckets({ readWrite: EventReadWrite.READ_ONLY }),
          DataEvents.s3AllBuckets({ readWrite: EventReadWrite.WRITE_ONLY }),
        ],
        networkActivityEvents: [
          NetworkActivityEvents.forSource('kms.amazonaws.com'),
          NetworkActivityEvents.forSource('kms.amazonaws.com', { accessDeniedOnly: true }),
        ],
      })).toHaveLength(5);
    });
  });
});

describe('archive exclusion', () => {
  function s3Selector(dataEvents: DataEvents, input: Input, stack = new Stack()): any {
    return selectors({ managementEvents: ManagementEvents.none(), dataEvents: [dataEvents], ...input }, stack)[0];
  }

  test('a same-stack archive bucket (a token) is excluded through its Arn attribute', () => {
    const stack = new Stack();
    const archive = new s3.Bucket(stack, 'Archive');
    const accessLogs = new s3.Bucket(stack, 'AccessLogs');
    const selector = s3Selector(DataEvents.s3AllBuckets(), { excludedBucketArns: [archive.bucketArn, accessLogs.bucketArn] }, stack);
    expect(selector.FieldSelectors).toEqual([data, s3Objects, {
      Field: 'resources.ARN',
      NotStartsWith: [
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(archive.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/']] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(accessLogs.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/']] },
      ],
    }]);
  });

  test('an imported archive bucket is excluded by its name in the deployment partition', () => {
    const stack = new Stack();
    const archive = s3.Bucket.fromBucketName(stack, 'Archive', 'org-trail-archive');
    const selector = s3Selector(DataEvents.s3AllBuckets(), { excludedBucketArns: [archive.bucketArn] }, stack);
    expect(selector.FieldSelectors[2]).toEqual({
      Field: 'resources.ARN',
      NotStartsWith: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::org-trail-archive/']] }],
    });
  });

  test('a literal archive ARN is excluded with a trailing slash', () => {
    expect(s3Selector(DataEvents.s3AllBuckets(), { excludedBucketArns: [ARCHIVE, ACCESS_LOGS, ARCHIVE] }).FieldSelectors[2])
      .toEqual({ Field: 'resources.ARN', NotStartsWith: [`${ARCHIVE}/`, `${ACCESS_LOGS}/`] });
  });

  test('the exclusion joins the user\'s own resources.ARN conditions without repeating them', () => {
    const selector = s3Selector(DataEvents.s3AllBuckets({
      fieldSelectors: [FieldSelector.notStartsWith(SelectorField.RESOURCES_ARN, ['arn:aws:s3:::scratch/', `${ARCHIVE}/`])],
    }), { excludedBucketArns: [ARCHIVE, ACCESS_LOGS] });
    expect(selector.FieldSelectors[2]).toEqual({
      Field: 'resources.ARN',
      NotStartsWith: ['arn:aws:s3:::scratch/', `${ARCHIVE}/`, `${ACCESS_LOGS}/`],
    });
  });

  test('selections of other buckets, known at synth time, need no exclusion', () => {
    expect(s3Selector(DataEvents.s3Buckets(['invoices']), { excludedBucketArns: [ARCHIVE, ACCESS_LOGS] }).FieldSelectors)
      .toEqual([data, s3Objects, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::invoices/'] }]);
  });

  test('selections that may reach the archive keep only the exclusions they need', () => {
    expect(s3Selector(DataEvents.s3Buckets(['invoices', 'org-trail-archive']), { excludedBucketArns: [ARCHIVE, ACCESS_LOGS] })
      .FieldSelectors[2]).toEqual({
      Field: 'resources.ARN',
      StartsWith: ['arn:aws:s3:::invoices/', 'arn:aws:s3:::org-trail-archive/'],
      NotStartsWith: [`${ARCHIVE}/`],
    });
    expect(s3Selector(DataEvents.s3Prefixes([{ bucketName: 'org-trail-access-logs', keyPrefix: 'logs/' }]),
      { excludedBucketArns: [ARCHIVE, ACCESS_LOGS] }).FieldSelectors[2].NotStartsWith).toEqual([`${ACCESS_LOGS}/`]);
    expect(s3Selector(DataEvents.custom('AWS::S3::Object', {
      fieldSelectors: [FieldSelector.startsWith(SelectorField.RESOURCES_ARN, ['arn:aws:s3:::org-'])],
    }), { excludedBucketArns: [ARCHIVE] }).FieldSelectors[2].NotStartsWith).toEqual([`${ARCHIVE}/`]);
    expect(s3Selector(DataEvents.custom('AWS::S3::Object', {
      fieldSelectors: [FieldSelector.endsWith(SelectorField.RESOURCES_ARN, ['.json'])],
    }), { excludedBucketArns: [ARCHIVE] }).FieldSelectors[2].NotStartsWith).toEqual([`${ARCHIVE}/`]);
  });

  test('a bucket selected by a token is always excluded from', () => {
    const stack = new Stack();
    const name = new CfnParameter(stack, 'BucketName').valueAsString;
    expect(s3Selector(DataEvents.s3Buckets([name]), { excludedBucketArns: [ARCHIVE] }, stack).FieldSelectors[2].NotStartsWith)
      .toEqual([`${ARCHIVE}/`]);
  });

  test('other resource types are not touched', () => {
    expect(selectors({
      managementEvents: ManagementEvents.none(),
      dataEvents: [DataEvents.s3ExpressObjects(), DataEvents.lambdaFunctions()],
      excludedBucketArns: [ARCHIVE],
    }).map(s => s.FieldSelectors.length)).toEqual([2, 2, 4]);
  });

  test('excluded bucket ARNs must be S3 bucket ARNs', () => {
    expect(() => render({ dataEvents: [DataEvents.s3AllBuckets()], excludedBucketArns: ['org-trail-archive'] }))
      .toThrow('excludedBucketArns[0] "org-trail-archive" must be an S3 bucket ARN (arn:<partition>:s3:::<bucket>)');
    expect(() => render({ excludedBucketArns: [`${ARCHIVE}/AWSLogs`] })).toThrow('excludedBucketArns[0]');
  });

  test('records only the destructive calls on the excluded buckets, even without S3 data events', () => {
    const recorded = selectors({ excludedBucketArns: [ARCHIVE, ACCESS_LOGS] });
    expect(recorded).toEqual([
      { Name: 'All management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      tampering(ARCHIVE, ACCESS_LOGS),
    ]);
    // Log deliveries and reads stay out: recording them is the feedback loop the exclusion prevents.
    const names = recorded[1].FieldSelectors.find((f: any) => f.Field === 'eventName').Equals;
    for (const loop of ['PutObject', 'CompleteMultipartUpload', 'GetObject']) expect(names).not.toContain(loop);
  });

  test('a same-stack archive is recorded by its token ARN', () => {
    const stack = new Stack();
    const archive = new s3.Bucket(stack, 'Archive');
    const recorded = selectors({ excludedBucketArns: [archive.bucketArn] }, stack);
    expect(recorded[1].FieldSelectors[3]).toMatchObject({
      Field: 'resources.ARN',
      StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(archive.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/']] }],
    });
  });

  test('no tampering selector when the exclusion is off', () => {
    expect(selectors({ dataEvents: [DataEvents.s3AllBuckets()], archiveExclusionDisabled: true })
      .map((s: any) => s.Name)).not.toContain('Archive log deletions, overwrites and lock changes');
  });

  test('turning the exclusion off warns when S3 object data events are recorded', () => {
    const stack = new Stack();
    const properties = synthesize({ dataEvents: [DataEvents.s3AllBuckets()], archiveExclusionDisabled: true }, stack);
    expect(properties.AdvancedEventSelectors[1].FieldSelectors).toEqual([data, s3Objects]);
    expect(warningsOf(stack)).toEqual([
      'excludeArchiveFromDataEvents is false: the S3 data events of this trail include its own archive and access-log ' +
      'buckets. Every log file CloudTrail delivers there is itself an S3 data event, recorded in a later log file: a ' +
      'feedback loop that multiplies data event charges. [ack: cdk-cloudtrail-governance:trail:archiveExclusionDisabled]',
    ]);
  });

  test('turning the exclusion off without S3 object data events does not warn', () => {
    const stack = new Stack();
    synthesize({ dataEvents: [DataEvents.lambdaFunctions()], archiveExclusionDisabled: true }, stack);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('the exclusion on does not warn', () => {
    const stack = new Stack();
    synthesize({ dataEvents: [DataEvents.s3AllBuckets()], excludedBucketArns: [ARCHIVE] }, stack);
    expect(warningsOf(stack)).toEqual([]);
  });
});

describe('the 500-value quota', () => {
  /** Management (1 value) + a custom S3 selector of 2 + `names` eventName values. */
  function withEventNames(count: number, input: Input = {}): Input {
    const names = Array.from({ length: count }, (_, i) => `Event${i}`);
    return {
      dataEvents: [DataEvents.custom('AWS::S3::Object', { fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_NAME, names)] })],
      ...input,
    };
  }

  test('is CloudTrail\'s 500', () => {
    expect(MAX_SELECTOR_VALUES).toBe(500);
  });

  test('exactly 500 values are accepted', () => {
    expect(render(withEventNames(497)).advancedEventSelectors).toHaveLength(2);
  });

  test('501 values are rejected', () => {
    expect(() => render(withEventNames(498))).toThrow(
      'managementEvents, dataEvents and networkActivityEvents use 501 selector values together (archive exclusion and archive tampering selector included); ' +
      'CloudTrail allows at most 500 values across all conditions of all advanced event selectors of a trail: select by ' +
      'prefix (StartsWith) instead of listing resources, or split the trail');
  });

  test('the archive exclusion and the tampering selector count, token or not', () => {
    // 1 + 2 + n, plus 2 exclusions, plus the tampering selector's 2 + 5 event names + 2 prefixes.
    const stack = new Stack();
    const archive = new s3.Bucket(stack, 'Archive');
    expect(() => renderEventSelection(stack, {
      ...withEventNames(486), partition: 'aws', excludedBucketArns: [archive.bucketArn, ACCESS_LOGS],
    })).not.toThrow();
    expect(() => renderEventSelection(new Stack(), {
      ...withEventNames(487), partition: 'aws', excludedBucketArns: [ARCHIVE, ACCESS_LOGS],
    })).toThrow('use 501 selector values');
  });

  test('a list token counts as one value', () => {
    const stack = new Stack();
    const list = new CfnParameter(stack, 'Names', { type: 'CommaDelimitedList' }).valueAsList;
    const tokenSelector = DataEvents.custom('AWS::S3::Object', { fieldSelectors: [FieldSelector.equalTo(SelectorField.EVENT_NAME, list)] });
    // 1 (management) + 3 (token selector) + 2 + n (event names)
    expect(render({ dataEvents: [tokenSelector, ...withEventNames(494).dataEvents!] }, stack).advancedEventSelectors).toHaveLength(3);
    expect(() => render({ dataEvents: [tokenSelector, ...withEventNames(495).dataEvents!] }, stack)).toThrow('use 501 selector values');
  });

  test('values across all selectors add up', () => {
    const arns = Array.from({ length: 248 }, (_, i) => `arn:aws:lambda:eu-west-1:111122223333:function:f${i}`);
    expect(() => render({
      dataEvents: [
        DataEvents.lambdaFunctions({ resourceArns: arns }),
        DataEvents.dynamoDbTables({ resourceArns: arns.map(a => a.replace('lambda', 'dynamodb').replace('function:', 'table/')) }),
      ],
    })).toThrow('use 501 selector values');
  });

  test('keeps the management selector first', () => {
    expect(selectors(withEventNames(1))[0]).toEqual(ALL_MANAGEMENT);
  });
});
