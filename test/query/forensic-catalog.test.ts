import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AthenaEmulator, glueTables, Row, writeBucket } from './support/athena-emulator';
import {
  ACCOUNT_IDENTITY, ARCHIVE_BUCKET, FIXTURE_ROOT, fixtureStack, LISTED_REGIONS, ORG_IDENTITY, SavedQuery, savedQueries,
  UNLISTED_ACCOUNT, WORKLOAD_ACCOUNT, MANAGEMENT_ACCOUNT,
} from './support/fixture-stacks';
import { ForensicQuery } from '../../src/query';

// Every saved query runs twice against the fixture logs: as the named query with execution
// parameters (start-query-execution --execution-parameters) and as the prepared statement
// (EXECUTE ... USING). Fixtures hold matching events on 2024/04/30 and 2024/05/04, in an unlisted
// account and in an unlisted region: the searched days 2024/05/01-2024/05/03 must exclude them.
const START = "'2024/05/01'";
const END = "'2024/05/03'";

const ADMIN_ROLE = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/Admin`;
const MALLORY = `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/Admin/mallory`;
const BOB_SESSION = `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/Admin/bob`;
const ALICE = `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/alice`;
const KEY_ARN = `arn:aws:kms:us-east-1:${MANAGEMENT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

let emulator: AthenaEmulator;
let bucketDir: string;
const saved: { [stack: string]: { [id: string]: SavedQuery } } = {};

beforeAll(async () => {
  bucketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-bucket-'));
  writeBucket(FIXTURE_ROOT, bucketDir);
  emulator = await AthenaEmulator.create();
  const stacks = {
    org: fixtureStack(ORG_IDENTITY, { accounts: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT], regions: LISTED_REGIONS }),
    injected: fixtureStack(ORG_IDENTITY, { databaseName: 'cloudtrail_injected', regions: LISTED_REGIONS },
      { workGroupName: 'injected-forensics' }),
    account: fixtureStack(ACCOUNT_IDENTITY),
  };
  for (const [name, fixture] of Object.entries(stacks)) {
    for (const table of glueTables(fixture.template)) await emulator.loadTable(table, ARCHIVE_BUCKET, bucketDir);
    saved[name] = savedQueries(fixture);
    for (const [id, query] of Object.entries(saved[name])) {
      await emulator.prepare(query.workGroup, id, query.preparedStatement);
    }
  }
}, 60_000);

afterAll(() => {
  emulator?.close();
  fs.rmSync(bucketDir, { recursive: true, force: true });
});

/** Runs both forms of a saved query and checks they agree; returns the rows. */
async function run(stack: string, id: string, ...parameters: string[]): Promise<Row[]> {
  const query = saved[stack][id];
  const viaNamedQuery = await emulator.query(query.namedQuery, parameters);
  const viaStatement = await emulator.execute(query.workGroup, `EXECUTE ${id} USING ${parameters.join(', ')}`);
  expect(viaStatement).toEqual(viaNamedQuery);
  return viaNamedQuery;
}

const pick = (rows: Row[], ...columns: string[]) => rows.map(r => columns.map(c => r[c]));

describe('organization trail, listed accounts and regions', () => {
  test('every saved query of the catalog is covered here', () => {
    expect(Object.keys(saved.org).sort()).toEqual(ForensicQuery.all().map(q => q.id).sort());
  });

  test('who_deleted_resource finds the delete calls naming the bucket, failed ones included', async () => {
    const rows = await run('org', 'who_deleted_resource', START, END, "'evidence-bucket'");
    expect(pick(rows, 'eventname', 'errorcode', 'principal_arn', 'session_issuer_arn')).toEqual([
      ['DeleteBucketPolicy', 'AccessDenied', MALLORY, ADMIN_ROLE],
      ['DeleteBucket', null, MALLORY, ADMIN_ROLE],
    ]);
    // CreateBucket/PutBucketPolicy name the bucket but delete nothing; DeleteBucket other-bucket
    // deletes another one.
    expect(rows.map(r => r.requestparameters).every((p: string) => p.includes('"bucketName":"evidence-bucket"'))).toBe(true);
  });

  test('who_deleted_resource: the day bounds are what exclude the deletion of 2024/05/04', async () => {
    const rows = await run('org', 'who_deleted_resource', "'2024/04/30'", "'2024/05/04'", "'evidence-bucket'");
    expect(pick(rows, 'eventname', 'eventtime')).toEqual([
      ['DeleteBucketPolicy', '2024-05-02T11:29:15Z'],
      ['DeleteBucket', '2024-05-02T11:30:12Z'],
      ['DeleteBucket', '2024-05-04T00:01:40Z'],
    ]);
    // The unlisted account and region also deleted evidence-bucket; projection never reads them.
    expect(rows.map(r => r.recipientaccountid)).not.toContain(UNLISTED_ACCOUNT);
    expect(rows.map(r => r.awsregion)).not.toContain('ap-southeast-2');
  });

  test('who_deleted_resource matches instance ids in request parameters and key ARNs in resources', async () => {
    expect(pick(await run('org', 'who_deleted_resource', START, END, "'i-0abcdef1234567890'"), 'eventname', 'principal_arn'))
      .toEqual([['TerminateInstances', BOB_SESSION]]);
    expect(pick(await run('org', 'who_deleted_resource', START, END, `'${KEY_ARN}'`), 'eventname'))
      .toEqual([['ScheduleKeyDeletion']]);
    expect(await run('org', 'who_deleted_resource', START, END, "'no-such-resource'")).toEqual([]);
  });

  test('principal_activity by role ARN covers every session of the role, in time order', async () => {
    const rows = await run('org', 'principal_activity', START, END, `'${ADMIN_ROLE}'`);
    expect(rows).toHaveLength(17);
    expect(new Set(rows.map(r => r.principal_arn))).toEqual(new Set([MALLORY, BOB_SESSION]));
    expect(rows.map(r => r.eventtime)).toEqual([...rows.map(r => r.eventtime)].sort());
    expect(rows.map(r => r.awsregion)).not.toContain('ap-southeast-2');
  });

  test('principal_activity by session ARN covers that session only', async () => {
    expect(pick(await run('org', 'principal_activity', START, END, `'${BOB_SESSION}'`), 'eventname'))
      .toEqual([['TerminateInstances']]);
  });

  test('principal_activity by IAM user ARN includes its console sign-in', async () => {
    expect(pick(await run('org', 'principal_activity', START, END, `'${ALICE}'`), 'eventname')).toEqual([
      ['ConsoleLogin'], ['ListBuckets'], ['DescribeInstances'], ['GetSecretValue'], ['GetCallerIdentity'],
      ['GetBucketLocation'],
    ]);
  });

  test('access_key_activity finds the calls signed with the key only', async () => {
    const rows = await run('org', 'access_key_activity', START, END, "'AKIAEXAMPLEALICE0001'");
    expect(pick(rows, 'eventname', 'errorcode')).toEqual([
      ['ListBuckets', 'AccessDenied'], ['DescribeInstances', 'Client.UnauthorizedOperation'],
      ['GetSecretValue', 'AccessDenied'], ['GetCallerIdentity', null], ['GetBucketLocation', 'NoSuchBucket'],
    ]);
    expect(await run('org', 'access_key_activity', START, END, "'AKIAEXAMPLEUNKNOWN01'")).toEqual([]);
  });

  test('source_ip_activity finds the calls from the address only', async () => {
    const rows = await run('org', 'source_ip_activity', START, END, "'203.0.113.10'");
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map(r => r.sourceipaddress))).toEqual(new Set(['203.0.113.10']));
    expect(pick(await run('org', 'source_ip_activity', START, END, "'192.0.2.44'"), 'eventname')).toEqual([
      ['ConsoleLogin'], ['ConsoleLogin'], ['TerminateInstances'], ['EnableKey'], ['DisableKey'], ['ScheduleKeyDeletion'],
    ]);
  });

  test('root_activity excludes calls AWS services made for the root user', async () => {
    const rows = await run('org', 'root_activity', START, END);
    expect(pick(rows, 'eventname', 'recipientaccountid')).toEqual([
      ['ConsoleLogin', MANAGEMENT_ACCOUNT], ['CreateAccessKey', MANAGEMENT_ACCOUNT],
    ]);
    // support.amazonaws.com's DescribeCases on the root user's behalf is in the same file.
    expect(rows.map(r => r.eventname)).not.toContain('DescribeCases');
  });

  test('console_sign_in_without_mfa: IAM users and root without MFA; MFA, federated and failed sign-ins excluded', async () => {
    const rows = await run('org', 'console_sign_in_without_mfa', START, END);
    expect(pick(rows, 'identity_type', 'principal_arn', 'mfa_used')).toEqual([
      ['Root', `arn:aws:iam::${MANAGEMENT_ACCOUNT}:root`, 'No'],
      ['IAMUser', `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/carol`, 'No'],
    ]);
  });

  test('failed_console_sign_ins finds the failed attempts with the user name tried', async () => {
    const rows = await run('org', 'failed_console_sign_ins', START, END);
    expect(pick(rows, 'user_name', 'errormessage', 'sourceipaddress')).toEqual([
      ['bob', 'Failed authentication', '198.51.100.7'],
      ['HIDDEN_DUE_TO_SECURITY_REASONS', 'Failed authentication', '198.51.100.7'],
    ]);
  });

  test('access_denied_by_principal counts refusals per principal, not other errors', async () => {
    const rows = await run('org', 'access_denied_by_principal', START, END);
    expect(pick(rows, 'principal', 'denied_calls', 'distinct_actions', 'accounts')).toEqual([
      [ALICE, '3', '3', '1'],
      [ADMIN_ROLE, '1', '1', '1'],
    ]);
    expect(pick(rows, 'first_seen', 'last_seen')[0]).toEqual(['2024-05-02T11:04:12Z', '2024-05-02T11:04:48Z']);
  });

  test('iam_policy_changes finds policy writes, not reads or other IAM writes', async () => {
    expect(pick(await run('org', 'iam_policy_changes', START, END), 'eventname', 'principal_arn')).toEqual([
      ['PutRolePolicy', MALLORY], ['AttachUserPolicy', MALLORY],
    ]);
  });

  test('cloudtrail_tampering finds StopLogging with its trail, not DescribeTrails', async () => {
    expect(pick(await run('org', 'cloudtrail_tampering', START, END), 'eventname', 'target')).toEqual([
      ['StopLogging', `arn:aws:cloudtrail:us-east-1:${WORKLOAD_ACCOUNT}:trail/workload-trail`],
    ]);
  });

  test('security_group_changes finds the ingress rule in a listed region only', async () => {
    expect(pick(await run('org', 'security_group_changes', START, END), 'eventname', 'group_id', 'awsregion')).toEqual([
      ['AuthorizeSecurityGroupIngress', 'sg-0123456789abcdef0', 'eu-west-1'],
    ]);
  });

  test('kms_key_disable_or_deletion finds DisableKey and ScheduleKeyDeletion, not EnableKey or use', async () => {
    expect(pick(await run('org', 'kms_key_disable_or_deletion', START, END), 'eventname', 'key_id', 'pending_window_days'))
      .toEqual([['DisableKey', KEY_ARN, null], ['ScheduleKeyDeletion', KEY_ARN, '7']]);
  });

  test('s3_bucket_policy_and_public_access_changes finds policy and block public access writes, failed too', async () => {
    expect(pick(await run('org', 's3_bucket_policy_and_public_access_changes', START, END),
      'eventname', 'bucket_name', 'errorcode')).toEqual([
      ['PutBucketPublicAccessBlock', 'evidence-bucket', null],
      ['PutBucketPolicy', 'evidence-bucket', null],
      ['DeleteBucketPolicy', 'evidence-bucket', 'AccessDenied'],
    ]);
  });

  test('insights_timeline lists start and end of each Insights event within the days', async () => {
    const rows = await run('org', 'insights_timeline', START, END);
    expect(pick(rows, 'state', 'insight_type', 'api_name', 'api_error_code', 'recipientaccountid')).toEqual([
      ['Start', 'ApiCallRateInsight', 'RunInstances', null, MANAGEMENT_ACCOUNT],
      ['End', 'ApiCallRateInsight', 'RunInstances', null, MANAGEMENT_ACCOUNT],
      ['Start', 'ApiErrorRateInsight', 'ListBuckets', 'AccessDenied', WORKLOAD_ACCOUNT],
    ]);
    expect(pick(rows, 'baseline_per_minute', 'insight_per_minute', 'duration_minutes')[1]).toEqual([0.0135, 6.25, 12]);
    expect(rows[0].sharedeventid).toBe(rows[1].sharedeventid);
  });
});

describe('organization trail with an injected account partition', () => {
  test('every query takes the account as its third parameter', async () => {
    const rows = await run('injected', 'principal_activity', START, END, `'${WORKLOAD_ACCOUNT}'`, `'${ADMIN_ROLE}'`);
    expect(rows).toHaveLength(17);
    expect(await run('injected', 'principal_activity', START, END, `'${MANAGEMENT_ACCOUNT}'`, `'${ADMIN_ROLE}'`))
      .toEqual([]);
  });

  test('an account missing from any list is reachable by naming it', async () => {
    expect(pick(await run('injected', 'root_activity', START, END, `'${UNLISTED_ACCOUNT}'`), 'eventname'))
      .toEqual([['ConsoleLogin'], ['DeleteBucket']]);
  });
});

describe('account trail without key prefix', () => {
  test('root_activity reads the account folder of the trail', async () => {
    expect(pick(await run('account', 'root_activity', START, END), 'eventname', 'recipientaccountid'))
      .toEqual([['ConsoleLogin', '444444444444']]);
  });

  test('who_deleted_resource spans regions and matches substrings', async () => {
    expect(pick(await run('account', 'who_deleted_resource', START, END, "'evidence-bucket'"), 'awsregion'))
      .toEqual([['us-east-1'], ['eu-west-1']]);
    expect(pick(await run('account', 'who_deleted_resource', START, END, "'evidence-bucket-eu'"), 'awsregion'))
      .toEqual([['eu-west-1']]);
  });

  test('has no Insights records, and the organization\'s logs are outside its location', async () => {
    expect(await run('account', 'insights_timeline', START, END)).toEqual([]);
    expect(await run('account', 'principal_activity', START, END, `'${ADMIN_ROLE}'`)).toEqual([]);
  });
});
