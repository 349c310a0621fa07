import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/**
 * A generated CloudTrail archive for the columnar tier's tests and bench: management events of many
 * principals over many accounts, regions and days, written the way CloudTrail delivers them (one gzipped
 * `{"Records":[...]}` object per account, region and roughly five minutes of activity, so most objects are
 * small), plus the events each saved forensic query looks for. Deterministic for a seed.
 */
export interface CorpusOptions {
  /** Where the bucket's objects are written (the bucket root). */
  readonly bucketDir: string;
  /** The key prefix above the account folders (`TrailIdentity.accountsPrefix`). */
  readonly accountsPrefix: string;
  readonly accounts: string[];
  readonly regions: string[];
  /** Delivery days, `yyyy/MM/dd`. */
  readonly days: string[];
  /** Events per day over all accounts and regions. */
  readonly eventsPerDay: number;
  readonly seed?: number;
  /** The share of events the saved queries look for (deletions, policy changes, sign-ins...). @default 0.015 */
  readonly notableShare?: number;
  /** Called with each record and the partition it was written to (the bench builds its columnar copy from it). */
  readonly onRecord?: (record: any, partition: { account: string; region: string; day: string }) => void;
}

/** What the corpus holds, for the queries' parameters. */
export interface Corpus {
  readonly objects: number;
  readonly events: number;
  readonly bytes: number;
  /** Bytes of the objects of each `account/region/day` folder. */
  readonly folderBytes: Map<string, number>;
  /** Values the saved queries' parameters can take, each present in the corpus. */
  readonly probes: {
    readonly principalArn: string;
    readonly sessionArn: string;
    readonly accessKeyId: string;
    readonly sourceIp: string;
    readonly deletedResource: string;
  };
}

/** A small, seedable generator (Park-Miller minimal standard). */
function random(seed: number): () => number {
  let state = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

interface Principal {
  readonly kind: 'role' | 'user' | 'root';
  readonly account: string;
  readonly name: string;
  readonly principalId: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  session?: { name: string; key: string; created: string };
}

const USER_AGENTS = [
  'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.173.0',
  'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.220-209.869.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144',
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#s3.ls',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'aws-internal/3 aws-sdk-java/1.12.748 Linux/5.10.219-186.866.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b09 java/1.8.0_412 vendor/Oracle_Corporation cfg/retry-mode/standard',
  'terraform-provider-aws/5.59.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5',
];

const ROLES = ['Admin', 'Developer', 'ReadOnly', 'CiDeploy', 'DataPipeline', 'Monitoring', 'Backup', 'SecurityAudit',
  'AWSReservedSSO_PowerUser_3f2a', 'eks-node-group-NodeInstanceRole', 'lambda-orders-processor', 'ecs-task-api'];
const USERS = ['alice', 'bob', 'carol', 'legacy-ci', 'svc-reporting'];

/** Background activity: mostly reads, as in real trails. [source, name, readOnly, weight] */
const BACKGROUND: Array<[string, string, boolean, number]> = [
  ['kms.amazonaws.com', 'Decrypt', true, 18], ['kms.amazonaws.com', 'GenerateDataKey', true, 8],
  ['sts.amazonaws.com', 'AssumeRole', true, 10], ['ec2.amazonaws.com', 'DescribeInstances', true, 9],
  ['ec2.amazonaws.com', 'DescribeSecurityGroups', true, 4], ['ec2.amazonaws.com', 'DescribeVolumes', true, 3],
  ['s3.amazonaws.com', 'GetBucketLocation', true, 6], ['s3.amazonaws.com', 'ListBuckets', true, 3],
  ['s3.amazonaws.com', 'GetBucketAcl', true, 3], ['iam.amazonaws.com', 'GetRole', true, 4],
  ['iam.amazonaws.com', 'ListRoles', true, 2], ['logs.amazonaws.com', 'DescribeLogGroups', true, 4],
  ['monitoring.amazonaws.com', 'DescribeAlarms', true, 3], ['lambda.amazonaws.com', 'ListFunctions20150331', true, 2],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', true, 4], ['ssm.amazonaws.com', 'GetParameter', true, 5],
  ['dynamodb.amazonaws.com', 'DescribeTable', true, 3], ['ec2.amazonaws.com', 'CreateTags', false, 1],
  ['ec2.amazonaws.com', 'RunInstances', false, 1], ['s3.amazonaws.com', 'CreateBucket', false, 0.3],
  ['logs.amazonaws.com', 'CreateLogStream', false, 2], ['sts.amazonaws.com', 'GetCallerIdentity', true, 4],
];
const BACKGROUND_TOTAL = BACKGROUND.reduce((s, b) => s + b[3], 0);

/** What the saved queries look for, each a small share of the events. */
const NOTABLE: Array<[string, string, boolean]> = [
  ['s3.amazonaws.com', 'DeleteBucket', false], ['s3.amazonaws.com', 'DeleteBucketPolicy', false],
  ['ec2.amazonaws.com', 'TerminateInstances', false], ['kms.amazonaws.com', 'ScheduleKeyDeletion', false],
  ['kms.amazonaws.com', 'DisableKey', false], ['iam.amazonaws.com', 'PutRolePolicy', false],
  ['iam.amazonaws.com', 'AttachRolePolicy', false], ['iam.amazonaws.com', 'CreatePolicyVersion', false],
  ['cloudtrail.amazonaws.com', 'StopLogging', false], ['cloudtrail.amazonaws.com', 'PutEventSelectors', false],
  ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', false], ['ec2.amazonaws.com', 'RevokeSecurityGroupEgress', false],
  ['s3.amazonaws.com', 'PutBucketPolicy', false], ['s3.amazonaws.com', 'PutBucketPublicAccessBlock', false],
  ['signin.amazonaws.com', 'ConsoleLogin', false], ['iam.amazonaws.com', 'DeleteRolePolicy', false],
  ['ec2.amazonaws.com', 'DeleteSecurityGroup', false], ['logs.amazonaws.com', 'DeleteLogGroup', false],
];

export function generateCorpus(options: CorpusOptions): Corpus {
  const rnd = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)];
  const chars = (alphabet: string, n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    return s;
  };
  const uuid = () => `${chars(HEX, 8)}-${chars(HEX, 4)}-4${chars(HEX, 3)}-${chars('89ab', 1)}${chars(HEX, 3)}-${chars(HEX, 12)}`;
  const ip = () => `${pick(['203.0.113', '198.51.100', '192.0.2', '10.20', '172.31'])}.${Math.floor(rnd() * 250)}${rnd() < 0.4 ? `.${Math.floor(rnd() * 250)}` : ''}`;
  // Skewed shares: the first accounts and regions (us-east-1 above all) carry most of the activity.
  const weights = (n: number) => Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const weighted = <T>(items: readonly T[], w: number[]) => {
    const total = w.reduce((a, b) => a + b, 0);
    let r = rnd() * total;
    for (let i = 0; i < items.length; i++) {
      r -= w[i];
      if (r <= 0) return items[i];
    }
    return items[items.length - 1];
  };
  const accountWeights = weights(options.accounts.length);
  const regionWeights = weights(options.regions.length).map((w, i) => (i === 0 ? w * 3 : w));

  const principals = new Map<string, Principal[]>();
  for (const account of options.accounts) {
    const list: Principal[] = [];
    for (const name of ROLES) {
      list.push({ kind: 'role', account, name, principalId: `AROA${chars(UPPER, 17)}`, sourceIp: ip(), userAgent: pick(USER_AGENTS) });
    }
    for (const name of USERS) {
      list.push({ kind: 'user', account, name, principalId: `AIDA${chars(UPPER, 17)}`, sourceIp: ip(), userAgent: pick(USER_AGENTS) });
    }
    list.push({ kind: 'root', account, name: 'root', principalId: account, sourceIp: ip(), userAgent: USER_AGENTS[3] });
    principals.set(account, list);
  }
  const probeAccount = options.accounts[0];
  const probeRole = principals.get(probeAccount)![0];
  const probeUser = principals.get(probeAccount)!.find(p => p.kind === 'user')!;
  const userKeys = new Map<Principal, string>();
  for (const list of principals.values()) for (const p of list) if (p.kind === 'user') userKeys.set(p, `AKIA${chars(UPPER, 16)}`);

  const identityOf = (p: Principal, when: string): any => {
    if (p.kind === 'root') {
      return { type: 'Root', principalId: p.account, arn: `arn:aws:iam::${p.account}:root`, accountId: p.account, accessKeyId: `ASIA${chars(UPPER, 16)}` };
    }
    if (p.kind === 'user') {
      return {
        type: 'IAMUser',
        principalId: p.principalId,
        arn: `arn:aws:iam::${p.account}:user/${p.name}`,
        accountId: p.account,
        accessKeyId: userKeys.get(p),
        userName: p.name,
      };
    }
    // A role's session lasts a while: its key and session name repeat over many events.
    if (!p.session || rnd() < 0.02) p.session = { name: `${pick(['i-0', 'botocore-session-', 'GitHubActions-', ''])}${chars(HEX, 10)}`, key: `ASIA${chars(UPPER, 16)}`, created: when };
    return {
      type: 'AssumedRole',
      principalId: `${p.principalId}:${p.session.name}`,
      arn: `arn:aws:sts::${p.account}:assumed-role/${p.name}/${p.session.name}`,
      accountId: p.account,
      accessKeyId: p.session.key,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: p.principalId, arn: `arn:aws:iam::${p.account}:role/${p.name}`, accountId: p.account, userName: p.name },
        webIdFederationData: {},
        attributes: { creationDate: p.session.created, mfaAuthenticated: 'false' },
      },
    };
  };

  const requestOf = (source: string, name: string, account: string, region: string): { req: any; resp: any; resources?: any[] } => {
    const bucket = `${pick(['app', 'logs', 'data', 'backup', 'artifacts'])}-${account.slice(-4)}-${region}`;
    const keyArn = `arn:aws:kms:${region}:${account}:key/${uuid()}`;
    switch (`${source}:${name}`) {
      case 'kms.amazonaws.com:Decrypt':
      case 'kms.amazonaws.com:GenerateDataKey':
        return {
          req: { encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${bucket}/${chars(HEX, 8)}` }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', ...(name === 'GenerateDataKey' ? { keySpec: 'AES_256', keyId: keyArn } : {}) },
          resp: null,
          resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: keyArn }],
        };
      case 'sts.amazonaws.com:AssumeRole':
        return {
          req: { roleArn: `arn:aws:iam::${account}:role/${pick(ROLES)}`, roleSessionName: chars(HEX, 12), durationSeconds: 3600 },
          resp: { credentials: { accessKeyId: `ASIA${chars(UPPER, 16)}`, sessionToken: chars(B64, 444), expiration: 'Jan 1, 2025, 1:00:00 AM' }, assumedRoleUser: { assumedRoleId: `AROA${chars(UPPER, 17)}:${chars(HEX, 12)}`, arn: `arn:aws:sts::${account}:assumed-role/${pick(ROLES)}/${chars(HEX, 12)}` } },
          resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${account}:role/${pick(ROLES)}` }],
        };
      case 'ec2.amazonaws.com:DescribeInstances':
        return { req: { instancesSet: rnd() < 0.3 ? { items: [{ instanceId: `i-${chars(HEX, 17)}` }] } : {}, filterSet: {} }, resp: null };
      case 'ec2.amazonaws.com:TerminateInstances':
      case 'ec2.amazonaws.com:CreateTags':
      case 'ec2.amazonaws.com:RunInstances':
        return { req: { instancesSet: { items: [{ instanceId: `i-${chars(HEX, 17)}` }] } }, resp: { requestId: uuid() } };
      case 'ec2.amazonaws.com:AuthorizeSecurityGroupIngress':
      case 'ec2.amazonaws.com:RevokeSecurityGroupEgress':
      case 'ec2.amazonaws.com:DeleteSecurityGroup':
        return { req: { groupId: `sg-${chars(HEX, 17)}`, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } }, resp: { requestId: uuid(), _return: true } };
      case 'iam.amazonaws.com:PutRolePolicy':
      case 'iam.amazonaws.com:AttachRolePolicy':
      case 'iam.amazonaws.com:DeleteRolePolicy':
      case 'iam.amazonaws.com:CreatePolicyVersion':
        return { req: { roleName: pick(ROLES), policyName: `inline-${chars(HEX, 6)}`, policyArn: `arn:aws:iam::${account}:policy/${chars(HEX, 8)}` }, resp: null };
      case 'iam.amazonaws.com:GetRole':
        return { req: { roleName: pick(ROLES) }, resp: null };
      case 'kms.amazonaws.com:ScheduleKeyDeletion':
      case 'kms.amazonaws.com:DisableKey':
        return { req: { keyId: keyArn, pendingWindowInDays: 7 }, resp: { keyId: keyArn }, resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: keyArn }] };
      case 'cloudtrail.amazonaws.com:StopLogging':
      case 'cloudtrail.amazonaws.com:PutEventSelectors':
        return { req: { name: `arn:aws:cloudtrail:${region}:${account}:trail/${pick(['audit', 'org-trail'])}` }, resp: null };
      case 'secretsmanager.amazonaws.com:GetSecretValue':
        return { req: { secretId: `arn:aws:secretsmanager:${region}:${account}:secret:${pick(['db', 'api', 'token'])}-${chars(HEX, 6)}` }, resp: null };
      case 'ssm.amazonaws.com:GetParameter':
        return { req: { name: `/${pick(['app', 'infra'])}/${pick(['db-url', 'feature-flags', 'endpoint'])}`, withDecryption: rnd() < 0.5 }, resp: null };
      case 'logs.amazonaws.com:CreateLogStream':
      case 'logs.amazonaws.com:DeleteLogGroup':
        return { req: { logGroupName: `/aws/lambda/${pick(['orders', 'payments', 'auth'])}`, logStreamName: `2024/05/01/[$LATEST]${chars(HEX, 32)}` }, resp: null };
      case 'dynamodb.amazonaws.com:DescribeTable':
        return { req: { tableName: pick(['orders', 'sessions', 'users']) }, resp: null };
      case 'lambda.amazonaws.com:ListFunctions20150331':
      case 'monitoring.amazonaws.com:DescribeAlarms':
      case 'logs.amazonaws.com:DescribeLogGroups':
        return { req: rnd() < 0.5 ? { maxResults: 50 } : null, resp: null };
      case 'sts.amazonaws.com:GetCallerIdentity':
      case 's3.amazonaws.com:ListBuckets':
      case 'iam.amazonaws.com:ListRoles':
        return { req: null, resp: null };
      default:
        if (source === 's3.amazonaws.com') return { req: { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, ...(name.includes('Policy') ? { bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] } } : {}) }, resp: null };
        return { req: null, resp: null };
    }
  };

  const folderBytes = new Map<string, number>();
  let objects = 0;
  let events = 0;
  let bytes = 0;
  let deletedResource = '';
  for (const day of options.days) {
    const [y, m, d] = day.split('/');
    const buckets = new Map<string, Array<{ t: number; record: any }>>();
    for (let i = 0; i < options.eventsPerDay; i++) {
      const account = weighted(options.accounts, accountWeights);
      const region = weighted(options.regions, regionWeights);
      const seconds = Math.floor(rnd() * 86_400);
      const when = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d), 0, 0, seconds)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const notable = rnd() < (options.notableShare ?? 0.015);
      let [source, name, readOnly] = notable ? pick(NOTABLE) : (() => {
        let r = rnd() * BACKGROUND_TOTAL;
        for (const b of BACKGROUND) {
          r -= b[3];
          if (r <= 0) return [b[0], b[1], b[2]] as [string, string, boolean];
        }
        return [BACKGROUND[0][0], BACKGROUND[0][1], BACKGROUND[0][2]] as [string, string, boolean];
      })();
      // The probe role and user are busy in every account's first region, so their queries return rows.
      const list = principals.get(account)!;
      let principal = rnd() < 0.05 ? probeRole : weighted(list, weights(list.length));
      if (principal.kind === 'root' && rnd() < 0.7) principal = list[1];
      if (source === 'signin.amazonaws.com') principal = rnd() < 0.5 ? probeUser : pick(list.filter(p => p.kind !== 'role'));
      const { req, resp, resources } = requestOf(source, name, account, region);
      const denied = !readOnly && rnd() < 0.08 || readOnly && rnd() < 0.01;
      const record: any = {
        eventVersion: '1.09',
        userIdentity: identityOf(principal, when),
        eventTime: when,
        eventSource: source,
        eventName: name,
        awsRegion: source === 'signin.amazonaws.com' || source === 'iam.amazonaws.com' ? 'us-east-1' : region,
        sourceIPAddress: rnd() < 0.1 ? `${source.split('.')[0]}.amazonaws.com` : principal.sourceIp,
        userAgent: principal.userAgent,
        ...(denied ? { errorCode: pick(['AccessDenied', 'Client.UnauthorizedOperation', 'AccessDeniedException']), errorMessage: `User: ${principal.name} is not authorized to perform: ${source.split('.')[0]}:${name}` } : {}),
        requestParameters: req,
        responseElements: denied ? null : resp,
        requestID: uuid(),
        eventID: uuid(),
        readOnly,
        ...(resources ? { resources } : {}),
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: 'Management',
        tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${source.split('.')[0]}.${region}.amazonaws.com` },
      };
      if (name === 'ConsoleLogin') {
        const ok = rnd() < 0.6;
        record.eventType = 'AwsConsoleSignIn';
        record.requestParameters = null;
        record.responseElements = { ConsoleLogin: ok ? 'Success' : 'Failure' };
        record.additionalEventData = { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: rnd() < 0.5 ? 'Yes' : 'No' };
        if (!ok) record.errorMessage = 'Failed authentication';
        delete record.errorCode;
        delete record.userIdentity.accessKeyId;
      }
      // A bucket deleted on the middle day in a projected account and region, so a window around it finds it.
      const probed = account === probeAccount && region === options.regions[0];
      if (name === 'DeleteBucket' && probed && (!deletedResource || options.days.indexOf(day) === Math.floor(options.days.length / 2))) {
        deletedResource = req.bucketName;
      }
      const key = `${account}/${region}`;
      const fileWindow = Math.floor(seconds / 300) + 1; // delivered in the next 5-minute window
      const bucketKey = `${key}/${fileWindow}`;
      if (!buckets.has(bucketKey)) buckets.set(bucketKey, []);
      buckets.get(bucketKey)!.push({ t: seconds, record });
    }
    for (const [bucketKey, entries] of buckets) {
      const [account, region, windowText] = bucketKey.split('/');
      const windowIndex = Number(windowText);
      entries.sort((a, b) => a.t - b.t);
      // Events of the last minutes of a day are delivered after midnight: into the next day's folder.
      const next = options.days[options.days.indexOf(day) + 1];
      const deliveryDay = windowIndex >= 288 && next !== undefined ? next : day;
      const stamp = `${deliveryDay.replace(/\//g, '')}T${String(Math.floor((windowIndex % 288) * 5 / 60)).padStart(2, '0')}${String((windowIndex % 288) * 5 % 60).padStart(2, '0')}Z`;
      const objectKey = `${options.accountsPrefix}${account}/CloudTrail/${region}/${deliveryDay}/${account}_CloudTrail_${region}_${stamp}_${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16)}.json.gz`;
      const body = zlib.gzipSync(JSON.stringify({ Records: entries.map(e => e.record) }));
      const file = path.join(options.bucketDir, ...objectKey.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, body);
      const folder = `${account}/${region}/${deliveryDay}`;
      folderBytes.set(folder, (folderBytes.get(folder) ?? 0) + body.length);
      objects++;
      bytes += body.length;
      events += entries.length;
      for (const e of entries) options.onRecord?.(e.record, { account, region, day: deliveryDay });
    }
  }
  const sessionArn = `arn:aws:sts::${probeAccount}:assumed-role/${probeRole.name}/${probeRole.session?.name}`;
  return {
    objects,
    events,
    bytes,
    folderBytes,
    probes: {
      principalArn: `arn:aws:iam::${probeAccount}:role/${probeRole.name}`,
      sessionArn,
      accessKeyId: userKeys.get(probeUser)!,
      sourceIp: probeUser.sourceIp,
      deletedResource: deletedResource || 'app',
    },
  };
}
