import { selectors } from './helpers';
import { DataEventPresets, ManagementEvents } from '../../../src/trail/event-selection';
import { DataEvents } from '../../../src/trail/event-selection/data-events';

const data = { Field: 'eventCategory', Equals: ['Data'] };
const type = (t: string) => ({ Field: 'resources.type', Equals: [t] });
const ARCHIVE = 'arn:aws:s3:::org-trail-archive';
const ACCESS_LOGS = 'arn:aws:s3:::org-trail-access-logs';
const exclusion = { Field: 'resources.ARN', NotStartsWith: [`${ARCHIVE}/`, `${ACCESS_LOGS}/`] };

/** The presets' selectors, without the archive tampering selector every excluding trail ends with. */
function emitted(dataEvents: DataEvents[]): any[] {
  const all = selectors({ managementEvents: ManagementEvents.none(), dataEvents, excludedBucketArns: [ARCHIVE, ACCESS_LOGS] });
  expect(all[all.length - 1].Name).toBe('Archive log deletions, overwrites and lock changes');
  return all.slice(0, -1);
}

describe('DataEventPresets', () => {
  test('CIS 3.8: write events of all S3 buckets except the archive', () => {
    expect(emitted(DataEventPresets.cisS3ObjectWriteEvents())).toEqual([{
      Name: 'CIS 3.8: S3 object-level write events',
      FieldSelectors: [data, type('AWS::S3::Object'), { Field: 'readOnly', Equals: ['false'] }, exclusion],
    }]);
  });

  test('CIS 3.9: read events of all S3 buckets except the archive', () => {
    expect(emitted(DataEventPresets.cisS3ObjectReadEvents())).toEqual([{
      Name: 'CIS 3.9: S3 object-level read events',
      FieldSelectors: [data, type('AWS::S3::Object'), { Field: 'readOnly', Equals: ['true'] }, exclusion],
    }]);
  });

  test('CIS 3.8 and 3.9 together: one selector without readOnly', () => {
    expect(emitted(DataEventPresets.cisS3ObjectLogging())).toEqual([{
      Name: 'CIS 3.8 and 3.9: S3 object-level read and write events',
      FieldSelectors: [data, type('AWS::S3::Object'), exclusion],
    }]);
  });

  test('the CIS write and read presets can be combined', () => {
    expect(emitted([...DataEventPresets.cisS3ObjectWriteEvents(), ...DataEventPresets.cisS3ObjectReadEvents()])
      .map(s => s.Name)).toEqual(['CIS 3.8: S3 object-level write events', 'CIS 3.9: S3 object-level read events']);
  });

  test('Lambda invocations: every function', () => {
    expect(emitted(DataEventPresets.lambdaInvocations())).toEqual([{
      Name: 'Lambda function invocations',
      FieldSelectors: [data, type('AWS::Lambda::Function')],
    }]);
  });

  test('write data events only: S3, S3 Express and DynamoDB writes, the archive excluded from S3', () => {
    const write = { Field: 'readOnly', Equals: ['false'] };
    expect(emitted(DataEventPresets.writeDataEventsOnly())).toEqual([
      { Name: 'S3 object data events: all buckets (write-only)', FieldSelectors: [data, type('AWS::S3::Object'), write, exclusion] },
      { Name: 'S3 Express One Zone object data events (write-only)', FieldSelectors: [data, type('AWS::S3Express::Object'), write] },
      { Name: 'DynamoDB table data events (write-only)', FieldSelectors: [data, type('AWS::DynamoDB::Table'), write] },
    ]);
  });
});
