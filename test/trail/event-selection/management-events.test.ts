import { ALL_MANAGEMENT, render, selectors } from './helpers';
import { DataEvents, EventReadWrite, ManagementEvents, ManagementEventSource } from '../../../src/trail/event-selection';

describe('ManagementEvents', () => {
  test('all() is the default and selects every management event', () => {
    expect(selectors()).toEqual([ALL_MANAGEMENT]);
    expect(selectors({ managementEvents: ManagementEvents.all() })).toEqual([ALL_MANAGEMENT]);
  });

  test('readOnly() adds readOnly = true', () => {
    expect(selectors({ managementEvents: ManagementEvents.readOnly() })).toEqual([{
      Name: 'Read-only management events',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'readOnly', Equals: ['true'] },
      ],
    }]);
  });

  test('writeOnly() adds readOnly = false', () => {
    expect(selectors({ managementEvents: ManagementEvents.writeOnly() })).toEqual([{
      Name: 'Write-only management events',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'readOnly', Equals: ['false'] },
      ],
    }]);
  });

  test('excluding KMS drops only its read-only events: a second selector keeps every write event', () => {
    expect(selectors({
      managementEvents: ManagementEvents.all({ excludedSources: [ManagementEventSource.KMS, ManagementEventSource.RDS_DATA_API] }),
    })).toEqual([
      {
        Name: 'All management events except read-only kms.amazonaws.com, rdsdata.amazonaws.com',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] },
        ],
      },
      {
        Name: 'Write management events of AWS KMS',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'eventSource', NotEquals: ['rdsdata.amazonaws.com'] },
          { Field: 'readOnly', Equals: ['false'] },
        ],
      },
    ]);
  });

  test('excluding only the RDS Data API needs one selector', () => {
    expect(selectors({
      managementEvents: ManagementEvents.all({ excludedSources: [ManagementEventSource.RDS_DATA_API] }),
    })).toEqual([{
      Name: 'All management events except rdsdata.amazonaws.com',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'eventSource', NotEquals: ['rdsdata.amazonaws.com'] },
      ],
    }]);
  });

  test('write-only with KMS excluded keeps the KMS writes: nothing is left to exclude', () => {
    const events = ManagementEvents.writeOnly({ excludedSources: [ManagementEventSource.KMS] });
    expect(selectors({ managementEvents: events })).toEqual([{
      Name: 'Write-only management events except kms.amazonaws.com',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'readOnly', Equals: ['false'] },
      ],
    }]);
    expect(events.recordsKmsWriteEvents).toBe(true);
  });

  test('write-only with an exclusion orders eventSource before readOnly', () => {
    expect(selectors({
      managementEvents: ManagementEvents.writeOnly({ excludedSources: [ManagementEventSource.RDS_DATA_API] }),
    })[0].FieldSelectors).toEqual([
      { Field: 'eventCategory', Equals: ['Management'] },
      { Field: 'eventSource', NotEquals: ['rdsdata.amazonaws.com'] },
      { Field: 'readOnly', Equals: ['false'] },
    ]);
  });

  test('read-only with KMS excluded records no KMS event at all', () => {
    const events = ManagementEvents.readOnly({ excludedSources: [ManagementEventSource.KMS] });
    expect(selectors({ managementEvents: events })).toHaveLength(1);
    expect(events.recordsKmsWriteEvents).toBe(false);
    expect(events.recordsKmsReadEvents).toBe(false);
  });

  test.each([
    ['all', ManagementEvents.all(), true, true],
    ['all without KMS', ManagementEvents.all({ excludedSources: [ManagementEventSource.KMS] }), true, false],
    ['read-only', ManagementEvents.readOnly(), false, true],
    ['none', ManagementEvents.none(), false, false],
  ])('%s: KMS writes recorded %s, KMS reads recorded %s', (_name, events, writes, reads) => {
    expect(events.recordsKmsWriteEvents).toBe(writes);
    expect(events.recordsKmsReadEvents).toBe(reads);
  });

  test('none() emits no management selector', () => {
    expect(selectors({
      managementEvents: ManagementEvents.none(),
      dataEvents: [DataEvents.lambdaFunctions()],
    })).toEqual([{
      Name: 'Lambda function data events',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] },
      ],
    }]);
  });

  test('an empty exclusion list excludes nothing', () => {
    expect(selectors({ managementEvents: ManagementEvents.all({ excludedSources: [] }) })).toEqual([ALL_MANAGEMENT]);
  });

  test('a source CloudTrail cannot exclude is rejected', () => {
    expect(() => render({
      managementEvents: ManagementEvents.all({ excludedSources: ['s3.amazonaws.com' as ManagementEventSource] }),
    })).toThrow('managementEvents.excludedSources "s3.amazonaws.com" is not a valid eventSource value for management events; ' +
      'use "kms.amazonaws.com" or "rdsdata.amazonaws.com"');
  });

  test('a source excluded twice is rejected', () => {
    expect(() => render({
      managementEvents: ManagementEvents.all({ excludedSources: [ManagementEventSource.KMS, ManagementEventSource.KMS] }),
    })).toThrow('managementEvents.excludedSources "kms.amazonaws.com" is given more than once for eventSource NotEquals');
  });

  test('something other than a ManagementEvents is rejected', () => {
    expect(() => render({ managementEvents: 'all' as unknown as ManagementEvents }))
      .toThrow('managementEvents "all" must be a ManagementEvents');
  });

  test('reports what it records', () => {
    expect([ManagementEvents.all(), ManagementEvents.readOnly(), ManagementEvents.writeOnly(), ManagementEvents.none()]
      .map(m => [m.readWrite, m.recordsEvents, m.recordsWriteEvents])).toEqual([
      [EventReadWrite.ALL, true, true],
      [EventReadWrite.READ_ONLY, true, false],
      [EventReadWrite.WRITE_ONLY, true, true],
      [undefined, false, false],
    ]);
  });
});
