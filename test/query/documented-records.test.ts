import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { App, Stack } from 'aws-cdk-lib';
import { AthenaEmulator, glueTables, Row } from './support/athena-emulator';
import { StandInArchive } from './support/stand-in-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { CloudTrailTable, InsightsTable } from '../../src/query';

// The records of test/fixtures/documented-records, delivered the way an organization trail delivers them
// (gzipped {"Records":[...]} files under AWSLogs/<orgId>/<account>/CloudTrail[-Insight]/<region>/yyyy/MM/dd/)
// and read back through the synthesized Glue tables.
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'documented-records');
const BUCKET = 'org-trail-archive';
const ORGANIZATION_ID = 'o-k3x9d2m7qa';
const WORKLOAD = '210987654321';
const MANAGEMENT = '246813579024';
const REGIONS = ['us-east-1', 'us-east-2', 'eu-west-1', 'eu-central-1'];

const records: Array<{ name: string; record: { [key: string]: any } }> = fs.readdirSync(FIXTURES)
  .filter(f => f.endsWith('.json')).sort()
  .map(f => ({ name: f.replace(/\.json$/, ''), record: JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) }));
const isInsight = (r: { [key: string]: any }) => r.eventType === 'AwsCloudTrailInsight';

/** Writes one log file per account, folder, region and day, named as CloudTrail names them. */
function deliver(bucketDir: string): string[] {
  const files = new Map<string, Array<{ [key: string]: any }>>();
  for (const { record } of records) {
    const folder = isInsight(record) ? 'CloudTrail-Insight' : 'CloudTrail';
    const [yyyy, mm, dd] = record.eventTime.slice(0, 10).split('-');
    const account = record.recipientAccountId;
    const key = `AWSLogs/${ORGANIZATION_ID}/${account}/${folder}/${record.awsRegion}/${yyyy}/${mm}/${dd}/` +
      `${account}_${folder}_${record.awsRegion}_${yyyy}${mm}${dd}T1000Z_4F2A9C1E7B3D5A60.json.gz`;
    files.set(key, [...files.get(key) ?? [], record]);
  }
  for (const [key, content] of files) {
    const target = path.join(bucketDir, ...key.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, zlib.gzipSync(JSON.stringify({ Records: content })));
  }
  return [...files.keys()].sort();
}

let emulator: AthenaEmulator;
let bucketDir: string;
let keys: string[];
const loaded: { [table: string]: string[] } = {};

beforeAll(async () => {
  bucketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'documented-records-'));
  keys = deliver(bucketDir);
  const app = new App();
  const stack = new Stack(app, 'LogArchive', { env: { account: '999999999999', region: 'us-east-1' } });
  const identity = TrailIdentity.organization({
    trailName: 'org-audit', organizationId: ORGANIZATION_ID, managementAccount: MANAGEMENT, homeRegion: 'us-east-1',
  });
  const archive = new StandInArchive(stack, 'Archive', {
    identity, bucketName: BUCKET, keyArn: 'arn:aws:kms:us-east-1:999999999999:key/7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d',
  });
  const tableProps = { identity, archive, accounts: [WORKLOAD, MANAGEMENT], regions: REGIONS };
  new CloudTrailTable(stack, 'Events', tableProps);
  new InsightsTable(stack, 'Insights', tableProps);
  emulator = await AthenaEmulator.create();
  for (const table of glueTables(app.synth().getStackByName(stack.stackName).template)) {
    loaded[table.name] = await emulator.loadTable(table, BUCKET, bucketDir);
  }
});

afterAll(() => {
  emulator?.close();
  if (bucketDir) fs.rmSync(bucketDir, { recursive: true, force: true });
});

const byEventId = (rows: Row[]) => new Map(rows.map(row => [row.eventid as string, row]));

describe('documented records through the events table', () => {
  const apiRecords = records.filter(({ record }) => !isInsight(record));
  let rows: Map<string, Row>;

  beforeAll(async () => {
    rows = byEventId(await emulator.query(`
      SELECT eventid, eventname, eventtype, eventcategory, account, region, day, readonly, errorcode,
        useridentity.type AS identity_type,
        useridentity.sessioncontext.sessionissuer.arn AS issuer_arn,
        useridentity.onbehalfof.userid AS on_behalf_of,
        useridentity.invokedby AS invoked_by,
        resources[1].arn AS first_resource_arn,
        resources[2].arn AS second_resource_arn,
        tlsdetails.tlsversion AS tls_version,
        tlsdetails.clientprovidedhostheader AS host_header,
        additionaleventdata, requestparameters, responseelements, serviceeventdetails,
        sharedeventid, vpcendpointid, vpcendpointaccountid, sessioncredentialfromconsole
      FROM "cloudtrail_org_audit"."events"`));
  });

  test('partition projection reaches every delivered events file, and no Insights file', () => {
    expect(loaded.events).toEqual(keys.filter(k => k.includes('/CloudTrail/')));
    expect(loaded.insights).toEqual(keys.filter(k => k.includes('/CloudTrail-Insight/')));
  });

  test('every record yields exactly one row', () => {
    expect([...rows.keys()].sort()).toEqual(apiRecords.map(({ record }) => record.eventID).sort());
  });

  test.each(apiRecords.map(({ name, record }) => [name, record] as const))('%s: nested fields decode', (_, record) => {
    const row = rows.get(record.eventID)!;
    const json = (text: unknown) => (text === null ? null : JSON.parse(text as string));
    expect(row).toMatchObject({
      eventname: record.eventName,
      eventtype: record.eventType,
      eventcategory: record.eventCategory,
      account: record.recipientAccountId,
      region: record.awsRegion,
      day: record.eventTime.slice(0, 10).replace(/-/g, '/'),
      identity_type: record.userIdentity.type,
      issuer_arn: record.userIdentity.sessionContext?.sessionIssuer?.arn ?? null,
      on_behalf_of: record.userIdentity.onBehalfOf?.userId ?? null,
      invoked_by: record.userIdentity.invokedBy ?? null,
      first_resource_arn: record.resources?.[0]?.ARN ?? null,
      tls_version: record.tlsDetails?.tlsVersion ?? null,
      host_header: record.tlsDetails?.clientProvidedHostHeader ?? null,
      errorcode: record.errorCode ?? null,
      sharedeventid: record.sharedEventID ?? null,
      vpcendpointid: record.vpcEndpointId ?? null,
      vpcendpointaccountid: record.vpcEndpointAccountId ?? null,
      sessioncredentialfromconsole: record.sessionCredentialFromConsole ?? null,
    });
    expect(row.readonly).toBe(record.readOnly === undefined ? null : String(record.readOnly));
    expect(row.second_resource_arn).toBe(record.resources?.[1]?.ARN ?? null);
    // Objects of API-specific shape are STRING columns: the SerDe hands back their JSON text.
    for (const [column, field] of [['additionaleventdata', 'additionalEventData'], ['requestparameters', 'requestParameters'],
      ['responseelements', 'responseElements'], ['serviceeventdetails', 'serviceEventDetails']] as const) {
      const value = record[field];
      if (value === undefined || value === null) {
        expect([column, row[column]]).toEqual([column, null]);
      } else {
        expect([column, typeof row[column], json(row[column])]).toEqual([column, 'string', value]);
      }
    }
  });

  test('a data event keeps both resources: the object first, then the bucket with its account', async () => {
    const [row] = await emulator.query(`
      SELECT resources[1].type AS object_type, resources[2].arn AS bucket_arn, resources[2].accountid AS bucket_account,
        json_extract_scalar(additionaleventdata, '$.bytesTransferredOut') AS bytes_out
      FROM "cloudtrail_org_audit"."events" WHERE eventname = 'GetObject'`);
    expect(row).toEqual({
      object_type: 'AWS::S3::Object', bucket_arn: 'arn:aws:s3:::finance-exports-210987', bucket_account: WORKLOAD, bytes_out: '48213',
    });
  });

  test('the sign-in questions the forensic queries ask can be answered from the decoded columns', async () => {
    const found = await emulator.query(`
      SELECT eventid FROM "cloudtrail_org_audit"."events"
      WHERE eventname = 'ConsoleLogin' AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
        AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
      ORDER BY eventid`);
    const expected = records.filter(({ record }) => record.eventName === 'ConsoleLogin'
      && record.additionalEventData.MFAUsed === 'No' && record.responseElements.ConsoleLogin === 'Success');
    expect(expected.map(r => r.name).sort()).toEqual(['signin-iam-user-success-no-mfa', 'signin-saml-federated-user']);
    expect(found.map(r => r.eventid)).toEqual(expected.map(r => r.record.eventID).sort());
  });
});

describe('documented Insights records through the Insights table', () => {
  const insights = records.filter(({ record }) => isInsight(record));

  test('every Insights record yields a row with its statistics and attributions', async () => {
    const rows = byEventId(await emulator.query(`
      SELECT eventid, eventcategory, sharedeventid, insightdetails.state AS state, insightdetails.errorcode AS error_code,
        insightdetails.insighttype AS insight_type,
        insightdetails.insightcontext.statistics.baseline.average AS baseline_average,
        insightdetails.insightcontext.statistics.insightduration AS duration,
        insightdetails.insightcontext.attributions[1].attribute AS first_attribute,
        insightdetails.insightcontext.attributions[1].insight[1].value AS first_value
      FROM "cloudtrail_org_audit"."insights"`));
    expect(insights).toHaveLength(2);
    expect([...rows.keys()].sort()).toEqual(insights.map(({ record }) => record.eventID).sort());
    for (const { record } of insights) {
      const details = record.insightDetails;
      expect(rows.get(record.eventID)).toEqual({
        eventid: record.eventID,
        eventcategory: 'Insight',
        sharedeventid: record.sharedEventID,
        state: details.state,
        error_code: details.errorCode,
        insight_type: 'ApiErrorRateInsight',
        baseline_average: details.insightContext.statistics.baseline.average,
        duration: details.insightContext.statistics.insightDuration,
        first_attribute: details.insightContext.attributions[0].attribute,
        first_value: details.insightContext.attributions[0].insight[0].value,
      });
    }
  });
});
