import * as fs from 'fs';
import { walk } from './support/athena-emulator';
import { FIXTURE_ROOT } from './support/fixture-stacks';
import { HiveType, parseHiveType } from './support/hive-types';
import { CloudTrailSchema } from '../../src/query';

// The column list of AWS's CREATE TABLE statement for CloudTrail logs ("Create the table for
// CloudTrail logs in Athena using partition projection", Athena User Guide), as written there.
const AWS_CLOUDTRAIL_DDL = `
    eventversion STRING,
    useridentity STRUCT<
        type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
        accesskeyid: STRING, username: STRING,
        onbehalfof: STRUCT< userid: STRING, identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT< mfaauthenticated: STRING, creationdate: STRING>,
            sessionissuer: STRUCT< type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
            ec2roledelivery:string,
            webidfederationdata: STRUCT< federatedprovider: STRING, attributes: map<string,string>>
        >
    >,
    eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING, sourceipaddress STRING,
    useragent STRING, errorcode STRING, errormessage STRING, requestparameters STRING,
    responseelements STRING, additionaleventdata STRING, requestid STRING, eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT< arn: STRING, accountid: STRING, type: STRING>>,
    eventtype STRING, apiversion STRING, recipientaccountid STRING, serviceeventdetails STRING,
    sharedeventid STRING, vpcendpointid STRING, vpcendpointaccountid STRING, eventcategory STRING,
    addendum STRUCT< reason:STRING, updatedfields:STRING, originalrequestid:STRING, originaleventid:STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT< tlsversion:STRING, ciphersuite:STRING, clientprovidedhostheader:STRING>`;

/** Splits a DDL column list into [name, glue type string] pairs. */
function ddlColumns(ddl: string): Array<[string, string]> {
  const columns: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of ddl) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      columns.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  columns.push(current);
  return columns.map(c => c.trim()).filter(c => c).map((c): [string, string] => {
    const m = /^(\w+)\s+([\s\S]+)$/.exec(c)!;
    return [m[1], m[2].replace(/\s+/g, '').toLowerCase()];
  });
}

const asPairs = (columns: Array<{ name: string; type: { inputString: string } }>) =>
  columns.map(c => [c.name, c.type.inputString]);

test('event columns are exactly the columns and types of AWS\'s CloudTrail table', () => {
  expect(asPairs(CloudTrailSchema.eventColumns())).toEqual(ddlColumns(AWS_CLOUDTRAIL_DDL));
});

test('Insights columns hold the Insights record fields, with numeric statistics', () => {
  expect(asPairs(CloudTrailSchema.insightsColumns())).toEqual([
    ['eventversion', 'string'], ['eventtime', 'string'], ['awsregion', 'string'], ['eventid', 'string'],
    ['eventtype', 'string'], ['recipientaccountid', 'string'], ['sharedeventid', 'string'],
    ['insightdetails', 'struct<state:string,eventsource:string,eventname:string,insighttype:string,errorcode:string,' +
      'insightcontext:struct<statistics:struct<baseline:struct<average:double>,insight:struct<average:double>,' +
      'insightduration:double,baselineduration:double>,attributions:array<struct<attribute:string,' +
      'insight:array<struct<value:string,average:double>>,baseline:array<struct<value:string,average:double>>>>>>'],
    ['eventcategory', 'string'],
  ]);
});

test('callers get a copy they cannot use to change the schema', () => {
  CloudTrailSchema.eventColumns().pop();
  expect(CloudTrailSchema.eventColumns()).toHaveLength(29);
});

/** Record keys (as lowercase paths) that no column or struct field of `columns` holds. */
function unmappedKeys(record: object, fields: ReadonlyArray<{ name: string; type: HiveType }>, at = ''): string[] {
  const byName = new Map(fields.map(f => [f.name, f.type]));
  return Object.entries(record).flatMap(([key, value]) => {
    const where = `${at}${key.toLowerCase()}`;
    const type = byName.get(key.toLowerCase());
    if (!type) return [where];
    if (value === null || typeof value !== 'object') return [];
    if (type.kind === 'struct') return unmappedKeys(value, type.fields, `${where}.`);
    if (type.kind === 'array' && type.element.kind === 'struct') {
      const element = type.element;
      return (value as object[]).flatMap(v => unmappedKeys(v, element.fields, `${where}[].`));
    }
    return [];
  });
}

function fixtureRecords(folder: string): object[] {
  return walk(FIXTURE_ROOT).filter(f => f.includes(`/${folder}/`))
    .flatMap(f => JSON.parse(fs.readFileSync(f, 'utf8')).Records as object[]);
}

const fields = (columns: Array<{ name: string; type: { inputString: string } }>) =>
  columns.map(c => ({ name: c.name, type: parseHiveType(c.type.inputString) }));

test('every field of the fixture event records has a column, except managementEvent (not in AWS\'s table)', () => {
  const records = fixtureRecords('CloudTrail');
  expect(records.length).toBeGreaterThan(40);
  const unmapped = new Set(records.flatMap(r => unmappedKeys(r, fields(CloudTrailSchema.eventColumns()))));
  expect([...unmapped]).toEqual(['managementevent']);
});

test('every field of the fixture Insights records has a column', () => {
  const records = fixtureRecords('CloudTrail-Insight');
  expect(records).toHaveLength(4);
  expect(records.flatMap(r => unmappedKeys(r, fields(CloudTrailSchema.insightsColumns())))).toEqual([]);
});
