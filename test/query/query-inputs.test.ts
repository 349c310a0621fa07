import { App, Aws, CfnParameter, Duration, Environment, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { StandInArchive } from './support/stand-in-archive';
import { ITrailArchive } from '../../src/archive/archive-base';
import { TrailArchive } from '../../src/archive/trail-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import {
  CloudTrailTable, ForensicQuery, ForensicQueryProps, ForensicQueryTable, InsightsTable, TrailAnalytics, TrailAnalyticsProps,
  TrailTableProps,
} from '../../src/query';

/**
 * Every input of the query constructs either works, or is refused with an error naming the prop, the
 * value and the rule, or is warned about with an acknowledgeable id when AWS accepts it but it is very
 * likely wrong (a table that silently returns no rows, results that can be deleted with the stack).
 *
 * Each row: [case, props (or a function of the stack giving them), 'accepted' | a warning id | an error substring].
 * Every row runs in a stack without env, as `cdk init` creates it.
 */

const W = (id: string) => `cdk-cloudtrail-governance:query:${id}`;
const FUTURE = W('projectionStartInFuture');
const UNKNOWN_REGION = W('unknownRegion');
const LARGE_ACCOUNTS = W('largeAccountProjection');
const NOT_RETAINED = W('resultsNotRetained');
const ACCOUNTS_FIXED = W('accountProjectionFixed');
const GLOBAL_NOT_PROJECTED = W('globalRegionNotProjected');
const WARNINGS = [FUTURE, UNKNOWN_REGION, LARGE_ACCOUNTS, NOT_RETAINED, ACCOUNTS_FIXED, GLOBAL_NOT_PROJECTED];

const US_ENV = { account: '999999999999', region: 'us-east-1' };
const ORG = TrailIdentity.organization({
  trailName: 'org-trail', organizationId: 'o-a1b2c3d4e5', managementAccount: '111111111111', homeRegion: 'us-east-1',
});
const ACCOUNT = TrailIdentity.account({ trailName: 'account-trail', account: '444444444444', homeRegion: 'us-east-1' });
const OTHER_ACCOUNT = TrailIdentity.account({ trailName: 'other', account: '555555555555', homeRegion: 'us-east-1' });
const SAME_FOLDERS_OTHER_NAME = TrailIdentity.account({
  trailName: 'renamed', account: '444444444444', homeRegion: 'us-east-1',
});

function standIn(stack: Stack, identity: TrailIdentity = ORG, id = 'Archive'): ITrailArchive {
  return new StandInArchive(stack, id, {
    identity, bucketName: 'archive-bucket', keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc',
  });
}

function realArchive(stack: Stack, writers: TrailIdentity[]): ITrailArchive {
  return new TrailArchive(stack, 'RealArchive', { writers, bucketName: 'real-archive-bucket' });
}

const accountIds = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));
const parameter = (stack: Stack, name: string) => new CfnParameter(stack, name).valueAsString;

/** The query warnings under test found anywhere in `scope`, by id. */
function warningIds(scope: Construct): string[] {
  const messages = scope.node.findAll().flatMap(c => c.node.metadata
    .filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data)));
  return WARNINGS.filter(id => messages.some(m => m.includes(`[ack: ${id}]`)));
}

/** `expected`: 'accepted', the warning ids (in WARNINGS order), or an error substring. */
function expectOutcome(build: (stack: Stack) => void, expected: string | string[], env?: Environment) {
  const stack = new Stack(new App(), 'S', { env });
  const ids = typeof expected === 'string' ? [expected] : expected;
  if (expected === 'accepted' || ids.every(id => WARNINGS.includes(id))) {
    build(stack);
    expect(warningIds(stack)).toEqual(expected === 'accepted' ? [] : ids);
  } else {
    expect(() => build(stack)).toThrow(expected as string);
  }
}

type TableProps = Partial<TrailTableProps> | ((stack: Stack) => Partial<TrailTableProps>);

const tableRows: Array<[string, TableProps, string | string[]]> = [
  ['organization table, defaults', {}, 'accepted'],
  ['two listed accounts (an account that joins later is invisible)', { accounts: ['111111111111', '222222222222'] }, ACCOUNTS_FIXED],
  ['50 listed accounts', { accounts: accountIds(50) }, ACCOUNTS_FIXED],
  ['51 listed accounts (Athena recommends a few dozen enum values)', { accounts: accountIds(51) }, [LARGE_ACCOUNTS, ACCOUNTS_FIXED]],
  ['40,000 listed accounts (past Glue\'s 512,000 characters per table parameter)', { accounts: accountIds(40_000) },
    'accounts lists 40000 accounts, 519999 characters'],
  ['an account given as a number', { accounts: [111111111111 as any] },
    'accounts[0] 111111111111 must be a string, not a number: write it in quotes ("111111111111")'],
  ['an account of 11 digits', { accounts: ['11111111111'] }, 'accounts[0] "11111111111" must be a 12-digit AWS account id'],
  ['no accounts', { accounts: [] }, 'accounts must not be empty'],
  ['an account twice', { accounts: ['111111111111', '111111111111'] }, 'accounts contains "111111111111" more than once'],
  ['accounts as one CfnParameter list', s => ({ accounts: Fn.split(',', parameter(s, 'Accounts')) }),
    'accounts must be a list written out at synth time, not a list token'],
  ['an account from a CfnParameter', s => ({ accounts: [parameter(s, 'Account')] }), ACCOUNTS_FIXED],
  ['accounts for an account trail', s => ({ identity: ACCOUNT, archive: standIn(s, ACCOUNT), accounts: ['444444444444'] }),
    'accounts must not be set for an account trail'],
  ['listed regions', { regions: ['us-east-1', 'eu-west-1'] }, 'accepted'],
  ['a China region for a trail in aws', { regions: ['us-east-1', 'cn-north-1'] },
    'regions[1] "cn-north-1" is in the aws-cn partition, but the trail\'s home region us-east-1 is in aws'],
  ['a GovCloud region for a trail in aws', { regions: ['us-gov-west-1'] }, 'is in the aws-us-gov partition'],
  ['a misspelled region (well-formed)', { regions: ['us-east-1', 'us-esat-1'] }, UNKNOWN_REGION],
  ['a misspelled home region (well-formed)', s => {
    const identity = TrailIdentity.account({ trailName: 'main', account: '444444444444', homeRegion: 'us-esat-1' });
    return { identity, archive: standIn(s, identity) };
  }, UNKNOWN_REGION],
  ['a region that is not a region code', { regions: ['useast1'] },
    'regions[0] "useast1" must be an AWS region code such as us-east-1'],
  ['a region given as a number', { regions: [1 as any] }, 'regions[0] 1 must be a string'],
  ['no regions', { regions: [] }, 'regions must not be empty'],
  ['a region twice', { regions: ['us-east-1', 'us-east-1'] }, 'regions contains "us-east-1" more than once'],
  ['regions as one CfnParameter list', s => ({ regions: Fn.split(',', parameter(s, 'Regions')) }),
    'regions must be a list written out at synth time, not a list token'],
  ['a region from a CfnParameter', s => ({ regions: [parameter(s, 'Region')] }), 'accepted'],
  ['regions without us-east-1, where the global services\' events are', { regions: ['eu-west-1'] }, GLOBAL_NOT_PROJECTED],
  ['allowed regions', { allowedRegions: ['us-east-1', 'eu-west-1', 'ap-east-1'] }, 'accepted'],
  ['allowed regions without us-east-1', { allowedRegions: ['eu-west-1', 'eu-central-1'] }, GLOBAL_NOT_PROJECTED],
  ['allowed regions with a China region for a trail in aws', { allowedRegions: ['us-east-1', 'cn-north-1'] },
    'allowedRegions[1] "cn-north-1" is in the aws-cn partition, but the trail\'s home region us-east-1 is in aws'],
  ['allowed regions with a misspelled region (well-formed)', { allowedRegions: ['us-east-1', 'us-esat-1'] }, UNKNOWN_REGION],
  ['allowed regions with a region that is not a region code', { allowedRegions: ['useast1'] },
    'allowedRegions[0] "useast1" must be an AWS region code such as us-east-1'],
  ['allowed regions with a region given as a number', { allowedRegions: [1 as any] }, 'allowedRegions[0] 1 must be a string'],
  ['no allowed regions', { allowedRegions: [] }, 'allowedRegions must not be empty'],
  ['an allowed region twice', { allowedRegions: ['us-east-1', 'us-east-1'] }, 'allowedRegions contains "us-east-1" more than once'],
  ['allowed regions as one CfnParameter list', s => ({ allowedRegions: Fn.split(',', parameter(s, 'Regions')) }),
    'allowedRegions must be a list written out at synth time, not a list token'],
  ['an allowed region from a CfnParameter', s => ({ allowedRegions: [parameter(s, 'Region')] }), 'accepted'],
  ['allowed regions and regions', { allowedRegions: ['us-east-1'], regions: ['us-east-1'] },
    'regions must not be set together with allowedRegions'],
  ['a projection start day in the past', { projectionStartDay: '2024/01/31' }, 'accepted'],
  ['a projection start day in the future', { projectionStartDay: '2999/01/01' }, FUTURE],
  ['a projection start day that does not exist', { projectionStartDay: '2024/02/30' },
    'projectionStartDay "2024/02/30" must be a calendar day written yyyy/MM/dd'],
  ['a projection start day with dashes', { projectionStartDay: '2024-01-31' }, 'must be a calendar day written yyyy/MM/dd'],
  ['a projection start day as a Date', { projectionStartDay: new Date(0) as any }, 'projectionStartDay'],
  ['a database name with a dash', { databaseName: 'cloud-trail' }, 'databaseName "cloud-trail" must be 1-255 lowercase'],
  ['a table name of 256 characters', { tableName: 't'.repeat(256) }, 'must be 1-255 lowercase letters'],
  ['a table name of 255 characters', { tableName: 't'.repeat(255) }, 'accepted'],
  ['a database name as a number', { databaseName: 5 as any }, 'databaseName 5 must be a string'],
  ['a database and a database name', s => ({
    database: new glue.Database(s, 'Db', { databaseName: 'mine' }), databaseName: 'x',
  }), 'databaseName must not be set together with database'],
  ['not a TrailIdentity', { identity: { trailName: 'x' } as any }, 'identity'],
  ['no archive', { archive: undefined as any }, 'archive undefined must be an ITrailArchive'],
  ['an archive whose writers include the trail', s => ({ identity: ACCOUNT, archive: realArchive(s, [ACCOUNT]) }), 'accepted'],
  ['an archive whose writers write the same folders under another trail name', s => ({
    identity: SAME_FOLDERS_OTHER_NAME, archive: realArchive(s, [ACCOUNT]),
  }), 'accepted'],
  ['an archive whose writers do not include the trail', s => ({ identity: OTHER_ACCOUNT, archive: realArchive(s, [ACCOUNT]) }),
    'identity arn:aws:cloudtrail:us-east-1:555555555555:trail/other does not write to archive S/RealArchive: the ' +
    'archive\'s writers are arn:aws:cloudtrail:us-east-1:444444444444:trail/account-trail'],
  ['an organization table over an archive of an account trail', s => ({ identity: ORG, archive: realArchive(s, [ACCOUNT]) }),
    'would always be empty'],
  ['a trail name from a CfnParameter, without a database name', s => ({
    identity: TrailIdentity.account({ trailName: parameter(s, 'Trail'), account: '444444444444', homeRegion: 'us-east-1' }),
  }), 'databaseName (or database) must be given when the trailName is a token'],
  ['a trail name from a CfnParameter, with a database name', s => ({
    identity: TrailIdentity.account({ trailName: parameter(s, 'Trail'), account: '444444444444', homeRegion: 'us-east-1' }),
    databaseName: 'cloudtrail',
  }), 'accepted'],
  ['an env-agnostic trail identity without regions', {
    identity: TrailIdentity.account({ trailName: 'main', account: Aws.ACCOUNT_ID, homeRegion: Aws.REGION }),
  }, 'allowedRegions must be given when the trail\'s homeRegion is a token'],
  ['an env-agnostic trail identity with allowed regions', {
    identity: TrailIdentity.account({ trailName: 'main', account: Aws.ACCOUNT_ID, homeRegion: Aws.REGION }),
    allowedRegions: ['eu-west-1'],
  }, 'accepted'],
  ['an env-agnostic trail identity with regions', {
    identity: TrailIdentity.account({ trailName: 'main', account: Aws.ACCOUNT_ID, homeRegion: Aws.REGION }),
    regions: ['us-east-1'],
  }, 'accepted'],
];

describe('CloudTrailTable inputs', () => {
  test.each(tableRows)('%s', (_case, props, expected) => {
    expectOutcome(stack => {
      const given = typeof props === 'function' ? props(stack) : props;
      const archive = 'archive' in given ? given.archive! : standIn(stack);
      new CloudTrailTable(stack, 'Events', { identity: ORG, ...given, archive });
    }, expected);
  });
});

type AnalyticsProps = Partial<TrailAnalyticsProps>;
const LONG_TRAIL = TrailIdentity.account({ trailName: `t${'x'.repeat(126)}t`, account: '444444444444', homeRegion: 'us-east-1' });

const analyticsRows: Array<[string, AnalyticsProps | ((stack: Stack) => AnalyticsProps), string]> = [
  ['defaults', {}, 'accepted'],
  ['a 128-character trail name (the default workgroup name is derived to fit)', s => ({
    table: new CloudTrailTable(s, 'LongEvents', { identity: LONG_TRAIL, archive: standIn(s, LONG_TRAIL) }),
  }), 'accepted'],
  ['a workgroup name with a space', { workGroupName: 'my workgroup' },
    'workGroupName "my workgroup" must be 1-128 letters, digits'],
  ['a workgroup name of 129 characters', { workGroupName: 'w'.repeat(129) }, 'must be 1-128 letters'],
  ['a workgroup name as a number', { workGroupName: 7 as any }, 'workGroupName 7 must be a string'],
  ['a workgroup name from a CfnParameter', s => ({ workGroupName: parameter(s, 'WorkGroup') }), 'accepted'],
  ['removalPolicy DESTROY', { removalPolicy: RemovalPolicy.DESTROY }, NOT_RETAINED],
  ['removalPolicy RETAIN_ON_UPDATE_OR_DELETE', { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE }, 'accepted'],
  ['removalPolicy SNAPSHOT (S3 buckets and KMS keys have none)', { removalPolicy: RemovalPolicy.SNAPSHOT },
    'removalPolicy "snapshot" must be one of retain, retain-on-update-or-delete, destroy'],
  ['removalPolicy that does not exist', { removalPolicy: 'forever' as RemovalPolicy },
    'removalPolicy "forever" must be one of'],
  ['results kept 36 hours', { resultsRetention: Duration.hours(36) },
    'resultsRetention "1 day 12 hours" must be a whole number of days, at least 1'],
  ['results kept 0 days', { resultsRetention: Duration.days(0) }, 'resultsRetention "0 days" must be a whole number of days'],
  ['results kept 30 as a number', { resultsRetention: 30 as any }, 'resultsRetention 30 must be a Duration'],
  ['a scan cutoff below Athena\'s 10 MB minimum', { bytesScannedCutoffPerQuery: 9_999_999 },
    'bytesScannedCutoffPerQuery 9999999 must be an integer between 10000000'],
  ['a fractional scan cutoff', { bytesScannedCutoffPerQuery: 10_000_000.5 }, 'must be an integer'],
  ['a scan cutoff as a string', { bytesScannedCutoffPerQuery: '10000000' as any }, 'bytesScannedCutoffPerQuery'],
  ['a table that is not a trail table', { table: {} as any }, 'table [object Object] must be a table of the trail\'s events'],
  ['an Insights table of another trail', s => ({
    insightsTable: new InsightsTable(s, 'OtherInsights', { identity: ACCOUNT, archive: standIn(s, ACCOUNT, 'Other'), regions: ['us-east-1'] }),
  }), 'insightsTable "arn:aws:cloudtrail:us-east-1:444444444444:trail/account-trail" must read the same trail as table'],
  ['an Insights query without an Insights table', { queries: ForensicQuery.all() }, 'reads the Insights table: give insightsTable'],
];

function logsBucket(stack: Stack, region: string): s3.IBucket {
  return s3.Bucket.fromBucketAttributes(stack, 'Logs', { bucketName: 'results-logs', account: '999999999999', region });
}

describe('TrailAnalytics inputs', () => {
  test.each(analyticsRows)('%s', (_case, props, expected) => {
    expectOutcome(stack => {
      const given = typeof props === 'function' ? props(stack) : props;
      const table = given.table ?? new CloudTrailTable(stack, 'Events', { identity: ORG, archive: standIn(stack) });
      new TrailAnalytics(stack, 'Analytics', { ...given, table });
    }, expected);
  });

  // S3 delivers access logs only within one account and region, which a stack with an env can check.
  const accessLogRows: Array<[string, string, string]> = [
    ['an access-log bucket in another region', 'eu-west-1',
      'resultsAccessLogsBucket S/Logs is in account 999999999999 and region eu-west-1, the results bucket in account ' +
      '999999999999 and region us-east-1: S3 delivers server access logs only to a bucket in the source bucket\'s ' +
      'account and region'],
    ['an access-log bucket in the same account and region', 'us-east-1', 'accepted'],
  ];
  test.each(accessLogRows)('%s', (_case, region, expected) => {
    expectOutcome(stack => {
      const table = new CloudTrailTable(stack, 'Events', { identity: ORG, archive: standIn(stack) });
      new TrailAnalytics(stack, 'Analytics', { table, resultsAccessLogsBucket: logsBucket(stack, region) });
    }, expected, US_ENV);
  });
});

/**
 * A custom query's SQL fragments stay inside their clause (the partition bounds hold whatever `where` says),
 * and name only columns of the table the query reads. Checked when the query is made, before any stack.
 */
const CUSTOM: ForensicQueryProps = {
  id: 'custom', title: 'Custom', description: 'A custom query.', select: 'eventtime, eventname',
};
const ONE_PARAMETER = [{ name: 'value', description: 'a value', example: "'x'" }];

const customRows: Array<[string, Partial<ForensicQueryProps>, string]> = [
  ['an OR condition (rendered in parentheses of its own)', { where: "eventname = 'DeleteBucket' OR eventname = 'DeleteObject'" }, 'accepted'],
  ['a parameter in a struct field condition', { where: 'useridentity.arn LIKE ?', parameters: ONE_PARAMETER }, 'accepted'],
  ['-- and ) inside a string', { where: "errormessage = 'a -- b)'" }, 'accepted'],
  ['/* and ; inside a string', { where: "errormessage = 'a /* b; DROP TABLE x'" }, 'accepted'],
  ['a function over an array of a struct field', { where: "contains(transform(resources, r -> r.arn), 'x')" }, 'accepted'],
  ['a lambda filter over an array of structs', { where: "cardinality(filter(resources, r -> r.type = 'AWS::S3::Object')) > 0" }, 'accepted'],
  ['partition columns', { where: "region = 'us-east-1' AND account = '111122223333'" }, 'accepted'],
  ['select aliases in orderBy, positions in groupBy',
    { select: 'eventname AS name, count(*) AS calls', groupBy: '1', orderBy: 'calls DESC, name' }, 'accepted'],
  ['Insights fields in an Insights query', {
    table: ForensicQueryTable.INSIGHTS,
    select: 'insightdetails.insightcontext.statistics.insight.average AS rate',
    where: "insightdetails.state = 'Start'",
  }, 'accepted'],
  ['a condition closing the library\'s parenthesis', { where: '1=1) OR (1=1' },
    'where "1=1) OR (1=1" closes at character 4 a ")" it did not open: a fragment\'s parentheses must balance, and it must ' +
    'not close the library\'s own'],
  ['a line comment', { where: 'eventname = 1 --' }, 'where "eventname = 1 --" must not contain comments ("--" at character 15)'],
  ['a block comment', { where: 'eventname = 1 /* */' }, 'where "eventname = 1 /* */" must not contain comments ("/*" at character 15)'],
  ['an unclosed quote', { where: "'unclosed" }, 'where "\'unclosed" has an unclosed \' at character 1'],
  ['a second statement', { where: 'eventname = 1; DROP TABLE events' }, 'where "eventname = 1; DROP TABLE events" must be one statement: no ";"'],
  ['a lone )', { where: ')' }, 'where ")" closes at character 1 a ")" it did not open'],
  ['a lone (', { where: '(' }, 'where "(" leaves the "(" of character 1 open'],
  ['a UNION', { where: "eventname = 'a' UNION SELECT * FROM events" }, 'where "eventname = \'a\' UNION SELECT * FROM events" must not ' +
    'contain UNION at character 17'],
  ['a subquery scanning every partition', { where: 'EXISTS (SELECT 1 FROM events)' }, 'must not contain SELECT'],
  ['a comment in select', { select: 'eventtime -- , eventname' }, 'select "eventtime -- , eventname" must not contain comments'],
  ['a LIMIT in orderBy', { orderBy: 'eventtime LIMIT 10' }, 'orderBy "eventtime LIMIT 10" must not contain LIMIT at character 11'],
  ['DROP in groupBy', { groupBy: 'DROP' }, 'groupBy "DROP" must not contain DROP'],
  ['an unknown column', { where: "eventnmae = 'x'" },
    'where "eventnmae = \'x\'" names eventnmae, which is not a column of the events table (closest: eventname, eventtime, eventtype)'],
  ['an unknown struct field', { select: 'useridentity.sessioncontext.sessionissuer.name' },
    'select "useridentity.sessioncontext.sessionissuer.name" names useridentity.sessioncontext.sessionissuer.name: ' +
    'useridentity.sessioncontext.sessionissuer has no field name (closest: username)'],
  ['a sub-field named as a column', { orderBy: 'arn' },
    'orderBy "arn" names arn, which is not a column of the events table (closest: useridentity.arn, ' +
    'useridentity.sessioncontext.sessionissuer.arn)'],
  ['an events column in an Insights query', { table: ForensicQueryTable.INSIGHTS, select: 'useridentity.arn' },
    'select "useridentity.arn" names useridentity, which is not a column of the Insights table'],
  ['a select alias in groupBy', { select: 'eventname AS name, count(*) AS calls', groupBy: 'name' },
    'groupBy "name" names name, an alias of select: Trino resolves select aliases only in ORDER BY'],
  ['a select given as a number', { select: 1 as any }, 'select 1 must be a string, not a number'],
  ['a where given as an object', { where: {} as any }, 'where [object Object] must be a string, not an object'],
  ['parameters given as one object', { parameters: ONE_PARAMETER[0] as any }, 'parameters [object Object] must be a list'],
  ['no title', { title: undefined as any }, 'title undefined must be 1-128 characters'],
];

describe('ForensicQuery.custom inputs', () => {
  test.each(customRows)('%s', (_case, change, expected) => {
    const make = () => ForensicQuery.custom({ ...CUSTOM, ...change });
    if (expected === 'accepted') expect(make).not.toThrow();
    else expect(make).toThrow(expected);
  });

  test('a fragment from a CfnParameter is not checked (its value is known only at deploy time)', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => ForensicQuery.custom({ ...CUSTOM, where: parameter(stack, 'Where') })).not.toThrow();
    expect(() => ForensicQuery.custom({ ...CUSTOM, select: parameter(stack, 'Select'), orderBy: 'nonsense' })).not.toThrow();
  });
});

describe('derived names', () => {
  test('the default workgroup name of a 128-character trail name fits Athena\'s 128 characters and stays distinct', () => {
    const names = ['a', 'b'].map(last => {
      const identity = TrailIdentity.account({ trailName: `t${'x'.repeat(126)}${last}`, account: '444444444444', homeRegion: 'us-east-1' });
      const stack = new Stack(new App(), 'S');
      const table = new CloudTrailTable(stack, 'Events', { identity, archive: standIn(stack, identity) });
      return new TrailAnalytics(stack, 'Analytics', { table }).workGroupName;
    });
    for (const name of names) {
      expect(name).toMatch(/^tx{108}-[0-9a-f]{8}-forensics$/);
      expect(name.length).toBe(128);
    }
    expect(names[0]).not.toBe(names[1]);
  });

  test('a short trail name keeps the plain default', () => {
    const stack = new Stack(new App(), 'S');
    const table = new CloudTrailTable(stack, 'Events', { identity: ORG, archive: standIn(stack) });
    expect(new TrailAnalytics(stack, 'Analytics', { table }).workGroupName).toBe('org-trail-forensics');
  });
});

describe('removalPolicy', () => {
  test('RETAIN by default on the results bucket and key', () => {
    const stack = new Stack(new App(), 'S');
    const table = new CloudTrailTable(stack, 'Events', { identity: ORG, archive: standIn(stack) });
    new TrailAnalytics(stack, 'Analytics', { table });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('DESTROY reaches the results bucket and key, with the warning', () => {
    const stack = new Stack(new App(), 'S');
    const table = new CloudTrailTable(stack, 'Events', { identity: ORG, archive: standIn(stack) });
    new TrailAnalytics(stack, 'Analytics', { table, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    expect(warningIds(stack)).toEqual([NOT_RETAINED]);
  });
});

/**
 * Names unique per account and region, checked across the whole app: two stacks (or two constructs in
 * one stack) that would create the same Glue database, Glue table or Athena workgroup.
 */
type Placement = Environment | undefined;
const US = { account: '999999999999', region: 'us-east-1' };
const EU = { account: '999999999999', region: 'eu-west-1' };
const named = (trailName: string) => TrailIdentity.account({ trailName, account: '444444444444', homeRegion: 'us-east-1' });

const ONE_STACK = true;
const TWO_STACKS = false;
const collisionRows: Array<[string, boolean, Array<[Placement, TrailIdentity, Partial<TrailTableProps>]>, string]> = [
  ['two trails whose names map to the same database', ONE_STACK, [[US, named('Org-Trail'), {}], [US, named('org.trail'), {}]],
    'S0/T1: databaseName and tableName "cloudtrail_org_trail.events" (CloudTrail events of trail org.trail) names the ' +
    'same Glue table as CloudTrail events of trail Org-Trail'],
  ['the same, with distinct table names', ONE_STACK, [[US, named('Org-Trail'), {}], [US, named('org.trail'), { tableName: 'events2' }]],
    'accepted'],
  ['one trail\'s tables in two stacks of one account and region', TWO_STACKS, [[US, named('main'), {}], [{ ...US }, named('main'), {}]],
    'databaseName "cloudtrail_main" (the CloudTrail database of stack S1'],
  ['one trail\'s tables in two regions', TWO_STACKS, [[US, named('main'), {}], [EU, named('main'), { regions: ['us-east-1'] }]], 'accepted'],
  ['two env-agnostic stacks (they may deploy anywhere)', TWO_STACKS, [[undefined, named('main'), {}], [undefined, named('main'), {}]],
    'accepted'],
  ['two tables of one name in one env-agnostic stack', ONE_STACK, [[undefined, named('main'), {}], [undefined, named('main'), {}]],
    'S0/T1: databaseName and tableName "cloudtrail_main.events" (CloudTrail events of trail main) names the same ' +
    'Glue table as CloudTrail events of trail main (S0/T0) in stack S0'],
];

describe('names unique per app, account and region', () => {
  test.each(collisionRows)('%s', (_case, sameStack, placements, expected) => {
    const app = new App();
    const build = () => placements.forEach(([env, identity, props], i) => {
      const stack = sameStack
        ? (app.node.tryFindChild('S0') as Stack ?? new Stack(app, 'S0', { env }))
        : new Stack(app, `S${i}`, { env });
      new CloudTrailTable(stack, `T${i}`, { identity, archive: standIn2(stack, identity, i), ...props });
    });
    if (expected === 'accepted') expect(build).not.toThrow();
    else expect(build).toThrow(expected);
  });

  test('two workgroups of one name in one account and region', () => {
    const app = new App();
    const analytics = (stackId: string, env: Environment, workGroupName: string) => {
      const stack = new Stack(app, stackId, { env });
      const table = new CloudTrailTable(stack, 'Events', { identity: ORG, archive: standIn(stack), databaseName: stackId.toLowerCase() });
      return new TrailAnalytics(stack, 'Analytics', { table, workGroupName });
    };
    analytics('A', US, 'forensics');
    analytics('B', EU, 'forensics');
    expect(() => analytics('C', US, 'forensics')).toThrow(
      'C/Analytics: workGroupName "forensics" (the forensics workgroup of trail org-trail) names the same Athena ' +
      'workgroup as the forensics workgroup of trail org-trail (A/Analytics) in account 999999999999 and region us-east-1');
  });

  test('the events and Insights tables of one trail share the default database', () => {
    const stack = new Stack(new App(), 'S', { env: US });
    const archive = standIn(stack);
    const events = new CloudTrailTable(stack, 'Events', { identity: ORG, archive });
    const insights = new InsightsTable(stack, 'Insights', { identity: ORG, archive });
    expect(insights.database).toBe(events.database);
    expect(Template.fromStack(stack).resourceCountIs('AWS::Glue::Database', 1));
  });
});

function standIn2(stack: Stack, identity: TrailIdentity, i: number): ITrailArchive {
  return new StandInArchive(stack, `Archive${i}`, {
    identity, bucketName: 'archive-bucket', keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc',
  });
}

/**
 * `cdk init`'s stack has no env; others set only a region or only an account. Everything of the query
 * part synthesizes in each of them (tokens are skipped, never put in map keys or names).
 */
const envs: Array<[string, Environment | undefined]> = [
  ['no env', undefined],
  ['region only', { region: 'eu-west-1' }],
  ['account only', { account: '999999999999' }],
  ['account and region', US],
];

describe('env-agnostic stacks', () => {
  test.each(envs)('tables and analytics synthesize with %s', (_case, env) => {
    const app = new App();
    const stack = new Stack(app, 'S', { env });
    const archive = new StandInArchive(stack, 'Archive', {
      identity: ORG,
      bucketName: 'archive-bucket',
      keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc',
      accessLogsBucketName: 'archive-access-logs',
    });
    const table = new CloudTrailTable(stack, 'Events', { identity: ORG, archive, accounts: ['111111111111'] });
    const insightsTable = new InsightsTable(stack, 'Insights', { identity: ORG, archive, accounts: ['111111111111'] });
    const analytics = new TrailAnalytics(stack, 'Analytics', { table, insightsTable });
    const template = app.synth().getStackByName('S').template;
    const workGroup = template.Resources[stack.getLogicalId(analytics.workGroup)];
    expect(workGroup.Properties.Name).toBe('org-trail-forensics');
    // The results bucket must be owned by the deploying account, whichever it is.
    const owner = workGroup.Properties.WorkGroupConfiguration.ResultConfiguration.ExpectedBucketOwner;
    expect(owner).toEqual(env?.account ?? { Ref: 'AWS::AccountId' });
  });

  test('a trail named by a CfnParameter: the workgroup name follows the parameter', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const identity = TrailIdentity.account({ trailName: parameter(stack, 'TrailName'), account: Aws.ACCOUNT_ID, homeRegion: Aws.REGION });
    const archive = standIn(stack, identity);
    const table = new CloudTrailTable(stack, 'Events', { identity, archive, databaseName: 'cloudtrail', regions: ['us-east-1'] });
    const analytics = new TrailAnalytics(stack, 'Analytics', { table });
    const template = app.synth().getStackByName('S').template;
    expect(template.Resources[stack.getLogicalId(analytics.workGroup)].Properties.Name)
      .toEqual({ 'Fn::Join': ['', [{ Ref: 'TrailName' }, '-forensics']] });
  });
});
