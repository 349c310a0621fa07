import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ARCHIVE_BUCKET, fixtureStack, FixtureStack, ORG_IDENTITY } from './support/fixture-stacks';
import { StandInArchive } from './support/stand-in-archive';
import { TrailArchive } from '../../src/archive/trail-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { CloudTrailTable, ForensicQuery, InsightsTable, TrailAnalytics, TrailAnalyticsProps } from '../../src/query';
import { complianceFindings, formatFindings } from '../helpers/compliance';

const ACCOUNTS = ['111111111111', '222222222222'];

let org: FixtureStack;
let template: Template;

beforeAll(() => {
  org = fixtureStack(ORG_IDENTITY, { accounts: ACCOUNTS });
  template = Template.fromJSON(org.template);
});

/** A stack with an events table and optional Insights table; `analytics` adds TrailAnalytics to it. */
function analyticsStack(options: {
  accessLogsBucketName?: string; accessLogsBucketAccount?: string; insights?: boolean; identity?: TrailIdentity;
} = {}) {
  const identity = options.identity ?? ORG_IDENTITY;
  const stack = new Stack(new App(), 'Stack', { env: { account: '999999999999', region: 'eu-west-1' } });
  const archive = new StandInArchive(stack, 'Archive', {
    identity,
    bucketName: ARCHIVE_BUCKET,
    keyArn: 'arn:aws:kms:eu-west-1:999999999999:key/abc',
    accessLogsBucketName: options.accessLogsBucketName,
    accessLogsBucketAccount: options.accessLogsBucketAccount,
  });
  const table = new CloudTrailTable(stack, 'Events', { identity, archive, accounts: ACCOUNTS });
  const insightsTable = options.insights ? new InsightsTable(stack, 'Insights', { identity, archive, accounts: ACCOUNTS }) : undefined;
  const analytics = (props: Partial<TrailAnalyticsProps> = {}) =>
    new TrailAnalytics(stack, 'Analytics', { table, insightsTable, ...props });
  return { stack, archive, table, insightsTable, analytics };
}

describe('workgroup', () => {
  test('engine 3, enforced configuration, CloudWatch metrics, 100 GiB cutoff, KMS-encrypted results', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'org-trail-forensics',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 107374182400,
        RequesterPaysEnabled: false,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('ResultsBucket') }, '/results/']] },
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('ResultsKey'), 'Arn'] },
          },
          ExpectedBucketOwner: '999999999999',
        },
      },
    });
  });

  test('workGroupName and bytesScannedCutoffPerQuery can be set', () => {
    const { stack, analytics } = analyticsStack();
    analytics({ workGroupName: 'ir_team.2024', bytesScannedCutoffPerQuery: 10_000_000 });
    Template.fromStack(stack).hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'ir_team.2024',
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10_000_000 }),
    });
  });

  test.each<[string, Partial<TrailAnalyticsProps>, string]>([
    ['cutoff below Athena\'s minimum', { bytesScannedCutoffPerQuery: 9_999_999 },
      'bytesScannedCutoffPerQuery 9999999 must be an integer between 10000000 and 9007199254740991'],
    ['fractional cutoff', { bytesScannedCutoffPerQuery: 10_000_000.5 }, 'bytesScannedCutoffPerQuery 10000000.5 must be an integer'],
    ['workgroup name', { workGroupName: 'ir team' }, 'workGroupName "ir team" must be 1-128 letters, digits, ".", "_" or "-"'],
    ['retention in hours', { resultsRetention: Duration.hours(36) },
      'resultsRetention "1 day 12 hours" must be a whole number of days, at least 1'],
    ['zero retention', { resultsRetention: Duration.days(0) }, 'resultsRetention "0 days" must be a whole number of days'],
    ['insights query without insights table', { queries: [ForensicQuery.INSIGHTS_TIMELINE] },
      'queries "insights_timeline" reads the Insights table: give insightsTable'],
    ['duplicate query', { queries: [ForensicQuery.ROOT_ACTIVITY, ForensicQuery.ROOT_ACTIVITY] },
      'queries "root_activity" contains this query id more than once'],
  ])('rejects a bad %s', (_, props, message) => {
    expect(() => analyticsStack().analytics(props)).toThrow(message);
  });

  test('rejects an Insights table of another trail', () => {
    const { stack, archive, table } = analyticsStack();
    const other = TrailIdentity.organization({
      trailName: 'other-trail', organizationId: 'o-a1b2c3d4e5', managementAccount: '111111111111', homeRegion: 'us-east-1',
    });
    const insightsTable = new InsightsTable(stack, 'OtherInsights', { identity: other, archive, databaseName: 'other' });
    expect(() => new TrailAnalytics(stack, 'Analytics', { table, insightsTable }))
      .toThrow('insightsTable "arn:aws:cloudtrail:us-east-1:111111111111:trail/other-trail" must read the same trail as table');
  });
});

describe('results bucket', () => {
  test('SSE-KMS with a rotating, retained key; public access blocked; ACLs disabled; versioned; retained', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('ResultsKey'), 'Arn'] },
            },
          }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('results expire after 30 days, noncurrent versions a day later', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' }),
          Match.objectLike({ ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
        ],
      },
    });
    const { stack, analytics } = analyticsStack();
    analytics({ resultsRetention: Duration.days(7) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]) },
    });
  });

  test('denies requests without TLS 1.2 or later', () => {
    const policy = JSON.stringify(template.findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toContain('"s3:TlsVersion":1.2');
  });

  test('server access logs go to the archive\'s access-log bucket when it is in the same account and region', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: 'archive-access-logs', LogFilePrefix: 'athena-query-results/' },
    });
    expect(Annotations.fromStack(org.stack).findWarning('*', Match.stringLikeRegexp('server access logs'))).toEqual([]);
  });

  test('without a usable access-log bucket there are no access logs, and a warning says so', () => {
    const { stack, analytics } = analyticsStack();
    analytics();
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: Match.absent() });
    Annotations.fromStack(stack).hasWarning('/Stack/Analytics',
      Match.stringLikeRegexp('query results bucket has no server access logs'));
  });

  test('an access-log bucket in another account is not used', () => {
    const { stack, analytics } = analyticsStack({ accessLogsBucketName: 'archive-access-logs', accessLogsBucketAccount: '888888888888' });
    analytics();
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: Match.absent() });
    Annotations.fromStack(stack).hasWarning('/Stack/Analytics', Match.stringLikeRegexp('no server access logs'));
  });

  test('resultsKey and resultsAccessLogsBucket can be given', () => {
    const { stack, analytics } = analyticsStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:999999999999:key/results');
    const logs = s3.Bucket.fromBucketName(stack, 'Logs', 'my-access-logs');
    analytics({ resultsKey: key, resultsAccessLogsBucket: logs });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        ResultConfiguration: Match.objectLike({
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: 'arn:aws:kms:eu-west-1:999999999999:key/results' },
        }),
      }),
    });
    t.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: Match.objectLike({ DestinationBucketName: 'my-access-logs' }) });
  });
});

describe('saved queries', () => {
  test('each catalog query is a named query and a prepared statement in the workgroup', () => {
    expect(Object.keys(template.findResources('AWS::Athena::NamedQuery'))).toHaveLength(14);
    expect(Object.keys(template.findResources('AWS::Athena::PreparedStatement'))).toHaveLength(14);
    template.hasResourceProperties('AWS::Athena::NamedQuery', {
      Name: 'Who deleted a resource',
      Database: 'cloudtrail_org_trail',
      WorkGroup: { Ref: Match.stringLikeRegexp('WorkGroup') },
      QueryString: Match.stringLikeRegexp('^SELECT [\\s\\S]+FROM "cloudtrail_org_trail"\\."events"\nWHERE day BETWEEN \\? AND \\?'),
      Description: Match.stringLikeRegexp("Parameters, in order: start_day, e\\.g\\. '2024/05/01' \\(.*\\); end_day, .*; resource, e\\.g\\. 'evidence-bucket'"),
    });
    template.hasResourceProperties('AWS::Athena::PreparedStatement', {
      StatementName: 'insights_timeline',
      WorkGroup: { Ref: Match.stringLikeRegexp('WorkGroup') },
      QueryStatement: Match.stringLikeRegexp('FROM "cloudtrail_org_trail"\\."insights"'),
    });
  });

  test('named query and prepared statement carry the same SQL', () => {
    for (const [id, statement] of Object.entries(org.analytics.preparedStatements)) {
      expect(statement.queryStatement).toBe(org.analytics.namedQueries[id].queryString);
    }
  });

  test('saved queries are created after the tables they name', () => {
    const resource = Object.values(template.findResources('AWS::Athena::PreparedStatement'))[0];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([
      org.stack.getLogicalId(org.table.table.node.defaultChild as any),
      org.stack.getLogicalId(org.insights.table.node.defaultChild as any),
    ]));
  });

  test('without an Insights table the Insights queries are left out; queries selects a subset', () => {
    const first = analyticsStack({ accessLogsBucketName: 'logs' });
    const all = first.analytics();
    expect(all.queries.map(q => q.id)).not.toContain('insights_timeline');
    expect(all.queries).toHaveLength(13);
    const second = analyticsStack();
    const some = second.analytics({ queries: [ForensicQuery.ROOT_ACTIVITY, ForensicQuery.CLOUDTRAIL_TAMPERING] });
    expect(Object.keys(some.preparedStatements)).toEqual(['root_activity', 'cloudtrail_tampering']);
    Template.fromStack(second.stack).resourceCountIs('AWS::Athena::NamedQuery', 2);
  });

  test('an injected account partition adds the account parameter to the saved queries', () => {
    const fixture = fixtureStack(ORG_IDENTITY);
    const sql = fixture.analytics.namedQueries.root_activity.queryString;
    expect(sql).toContain('WHERE day BETWEEN ? AND ?\n  AND account = ?\n  AND (');
    expect(fixture.analytics.preparedStatements.root_activity.description)
      .toMatch(/start_day, .*; end_day, .*; account, e\.g\. '111122223333'/);
  });

  test('a custom query is saved like the built-in ones', () => {
    const { stack, analytics } = analyticsStack();
    analytics({
      queries: [ForensicQuery.custom({
        id: 'console_actions',
        title: 'Console actions',
        description: 'Calls made from the console.',
        select: 'eventtime, eventname',
        where: "sessioncredentialfromconsole = 'true'",
      })],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Athena::PreparedStatement', {
      StatementName: 'console_actions',
      QueryStatement: 'SELECT eventtime, eventname\nFROM "cloudtrail_org_trail"."events"\nWHERE day BETWEEN ? AND ?\n' +
        "  AND (sessioncredentialfromconsole = 'true')",
    });
  });

  test('rejects a query whose description with parameters exceeds Athena\'s 1024 characters', () => {
    const query = ForensicQuery.custom({
      id: 'long',
      title: 'Long',
      description: 'x'.repeat(600),
      select: 'eventname',
      where: 'eventname = ? AND eventsource = ? AND awsregion = ? AND errorcode = ?',
      parameters: ['a', 'b', 'c', 'd'].map(name => ({ name, description: 'y'.repeat(100), example: "'value'" })),
    });
    expect(() => analyticsStack().analytics({ queries: [query] }))
      .toThrow(/queries "long" has a description of \d+ characters with its parameters; Athena allows 1024/);
  });
});

describe('grantQuery', () => {
  let statements: any[];
  beforeAll(() => {
    const { stack, analytics, archive } = analyticsStack({ insights: true });
    const role = new iam.Role(stack, 'Investigator', { assumedBy: new iam.AccountRootPrincipal() });
    const archiveGrant = jest.spyOn(archive, 'grantRead');
    analytics().grantQuery(role);
    expect(archiveGrant).toHaveBeenCalledTimes(1);
    statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  });
  const find = (action: string) => statements.filter(s => [s.Action].flat().includes(action));
  const text = (value: unknown) => JSON.stringify(value);

  test('runs queries, saved queries and prepared statements in the workgroup only', () => {
    const [s] = find('athena:StartQueryExecution');
    expect(s.Action).toEqual(expect.arrayContaining([
      'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetNamedQuery',
      'athena:ListNamedQueries', 'athena:GetPreparedStatement', 'athena:GetWorkGroup',
    ]));
    expect(text(s.Resource)).toContain(':athena:eu-west-1:999999999999:workgroup/org-trail-forensics');
    expect(s.Action.some((a: string) => a.includes('*'))).toBe(false);
    expect(text(find('athena:ListDatabases')[0].Resource)).toContain(':datacatalog/AwsDataCatalog');
  });

  test('reads the Glue catalog, the database and both tables', () => {
    const glue = find('glue:GetTable');
    expect(glue).toHaveLength(2);
    const resources = text(glue.map(s => s.Resource));
    expect(resources).toContain(':catalog');
    expect(resources).toContain(':database/cloudtrail_org_trail');
    expect(resources).toContain(':table/cloudtrail_org_trail/events');
    expect(resources).toContain(':table/cloudtrail_org_trail/insights');
    for (const s of glue) expect(s.Action).toEqual(['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions']);
  });

  test('reads and writes result objects under results/ and uses the results key through S3 only', () => {
    const [objects] = find('s3:PutObject');
    expect(objects.Action).toEqual(['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']);
    expect(text(objects.Resource)).toMatch(/ResultsBucket.*\/results\/\*/);
    const [key] = find('kms:GenerateDataKey');
    expect(key.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(key.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
    expect(text(key.Resource)).toContain('ResultsKey');
  });

  test('reads the logs through the archive\'s grant', () => {
    const decrypt = find('kms:Decrypt').find(s => s.Condition?.StringLike);
    expect(decrypt.Condition.StringLike).toEqual({ 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111111111111:trail/*' });
  });
});

describe('with the library\'s TrailArchive', () => {
  test('a same-stack archive: results access logs go to its access-log bucket', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '999999999999', region: 'us-east-1' } });
    const archive = new TrailArchive(stack, 'Archive', { writers: [ORG_IDENTITY] });
    const table = new CloudTrailTable(stack, 'Events', { identity: ORG_IDENTITY, archive, accounts: ACCOUNTS });
    new TrailAnalytics(stack, 'Analytics', { table }).grantQuery(new iam.Role(stack, 'Investigator', {
      assumedBy: new iam.AccountRootPrincipal(),
    }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: stack.getLogicalId(archive.accessLogsBucket!.node.defaultChild as any) } },
    });
    expect(Annotations.fromStack(stack).findWarning('/Stack/Analytics', Match.anyValue())).toEqual([]);
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: stack.getLogicalId(archive.accessLogsBucket!.node.defaultChild as any) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: {
            ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('AnalyticsResultsBucket'), 'Arn'] } },
            StringEquals: { 'aws:SourceAccount': '999999999999' },
          },
        })]),
      },
    });
  });

  test('an archive in another stack of the app: access logging without a reference cycle', () => {
    const app = new App();
    const env = { account: '999999999999', region: 'us-east-1' };
    const archiveStack = new Stack(app, 'ArchiveStack', { env });
    const archive = new TrailArchive(archiveStack, 'Archive', { writers: [ORG_IDENTITY] });
    const stack = new Stack(app, 'ForensicsStack', { env });
    const table = new CloudTrailTable(stack, 'Events', { identity: ORG_IDENTITY, archive, accounts: ACCOUNTS });
    new TrailAnalytics(stack, 'Analytics', { table });
    const assembly = app.synth();
    const archivePolicies = JSON.stringify(Template.fromJSON(assembly.getStackByName('ArchiveStack').template)
      .findResources('AWS::S3::BucketPolicy'));
    expect(archivePolicies).toContain('athena-query-results/*');
    expect(archivePolicies).not.toContain('Fn::ImportValue');
    expect(stack.dependencies).toEqual([archiveStack]);
  });

  test('an imported archive: the table reads the imported bucket', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '999999999999', region: 'us-east-1' } });
    const archive = TrailArchive.fromAttributes(stack, 'Archive', {
      bucketName: 'org-cloudtrail-archive', keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc', writers: [ORG_IDENTITY],
    });
    const table = new CloudTrailTable(stack, 'Events', { identity: ORG_IDENTITY, archive, accounts: ACCOUNTS });
    expect(table.locationTemplate).toBe('s3://org-cloudtrail-archive/org-trail/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${day}');
    new TrailAnalytics(stack, 'Analytics', { table, resultsAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'logs') });
    Template.fromStack(stack).resourceCountIs('AWS::Athena::PreparedStatement', 13);
  });
});

describe('compliance', () => {
  // Inherent, acknowledged where the constructs are used:
  // - results are short-lived copies that expire, so neither replication nor Object Lock fits them;
  // - grantQuery (like every CDK grant) writes the grantee's inline default policy, and an
  //   investigator reads every log object of the trail (the archive's AWSLogs/ prefixes) and writes
  //   result objects whose names Athena chooses (results/*).
  const INHERENT = [
    'cdk-nag HIPAA.Security-S3BucketReplicationEnabled Forensics/Analytics/Results/Bucket/Resource',
    'cdk-nag NIST.800.53.R5-S3BucketReplicationEnabled Forensics/Analytics/Results/Bucket/Resource',
    'cdk-nag PCI.DSS.321-S3BucketReplicationEnabled Forensics/Analytics/Results/Bucket/Resource',
    'cdk-nag AwsSolutions-IAM5[Resource::<AnalyticsResultsBucket2CE31ECE.Arn>/results/*] Forensics/Investigator/DefaultPolicy/Resource',
    'cdk-nag AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::archive-bucket/org-trail/AWSLogs/111111111111/*] Forensics/Investigator/DefaultPolicy/Resource',
    'cdk-nag AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::archive-bucket/org-trail/AWSLogs/o-a1b2c3d4e5/*] Forensics/Investigator/DefaultPolicy/Resource',
    'cdk-nag HIPAA.Security-IAMNoInlinePolicy Forensics/Investigator/DefaultPolicy/Resource',
    'cdk-nag NIST.800.53.R5-IAMNoInlinePolicy Forensics/Investigator/DefaultPolicy/Resource',
    'cdk-nag PCI.DSS.321-IAMNoInlinePolicy Forensics/Investigator/DefaultPolicy/Resource',
    'cfn-guard CT.S3.PR.9 Forensics/Analytics/Results/Bucket/Resource',
  ];

  test('cdk-nag and Control Tower rules: only the inherent findings remain', () => {
    const findings = complianceFindings(app => {
      const stack = new Stack(app, 'Forensics', { env: { account: '999999999999', region: 'us-east-1' } });
      const archive = new StandInArchive(stack, 'Archive', {
        identity: ORG_IDENTITY,
        bucketName: ARCHIVE_BUCKET,
        keyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc',
        accessLogsBucketName: 'archive-access-logs',
      });
      const table = new CloudTrailTable(stack, 'Events', { identity: ORG_IDENTITY, archive, accounts: ACCOUNTS });
      const insightsTable = new InsightsTable(stack, 'Insights', { identity: ORG_IDENTITY, archive, accounts: ACCOUNTS });
      const analytics = new TrailAnalytics(stack, 'Analytics', { table, insightsTable });
      analytics.grantQuery(new iam.Role(stack, 'Investigator', { assumedBy: new iam.AccountRootPrincipal() }));
    });
    const remaining = findings.filter(f => !INHERENT.includes(`${f.tool} ${f.rule} ${f.resource}`));
    expect(formatFindings(remaining)).toBe('');
    expect(findings).toHaveLength(INHERENT.length);
  });
});
