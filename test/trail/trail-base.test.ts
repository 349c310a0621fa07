import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { TrailArchive } from '../../src/archive/trail-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { AccountTrail, AccountTrailProps } from '../../src/trail/account-trail';

const ENV = { account: '444444444444', region: 'eu-west-1' };
const IDENTITY = TrailIdentity.account({ trailName: 'account-trail', account: ENV.account, homeRegion: ENV.region });
const TRAIL_ARN = 'arn:aws:cloudtrail:eu-west-1:444444444444:trail/account-trail';

function build(props: Partial<AccountTrailProps> = {}, env: { account?: string; region?: string } = ENV) {
  const stack = new Stack(new App(), 'Single', { env });
  const archive = new TrailArchive(stack, 'Archive', { writers: [IDENTITY] });
  const trail = new AccountTrail(stack, 'Trail', { identity: IDENTITY, archive, ...props });
  return { stack, archive, trail };
}

describe('defaults', () => {
  const { stack } = build();
  const template = Template.fromStack(stack);

  test('multi-region, global events, validation, KMS with the archive key, logging', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'account-trail',
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      IsOrganizationTrail: Match.absent(),
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ArchiveKey'), 'Arn'] },
      S3BucketName: { Ref: Match.stringLikeRegexp('^ArchiveBucket') },
      EventSelectors: Match.absent(),
      CloudWatchLogsLogGroupArn: Match.absent(),
    });
  });

  test('the trail is retained when its stack is deleted', () => {
    template.hasResource('AWS::CloudTrail::Trail', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('removalPolicy'));
  });

  test('records all management events through advanced event selectors only', () => {
    const trail: any = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0];
    const selectors = trail.Properties.AdvancedEventSelectors;
    expect(JSON.stringify(selectors)).toContain('"Management"');
    expect(trail.Properties.EventSelectors).toBeUndefined();
  });

  test('the trail depends on the bucket policy and the key in the same stack', () => {
    const trail: any = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0];
    const policyId = Object.entries(template.findResources('AWS::S3::BucketPolicy'))
      .find(([id]) => id.startsWith('ArchiveBucketPolicy'))![0];
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    expect(trail.DependsOn).toEqual(expect.arrayContaining([policyId, keyId]));
  });
});

describe('CloudWatch Logs delivery', () => {
  const { stack } = build({ cloudWatchLogs: {} });
  const template = Template.fromStack(stack);

  test('KMS-encrypted log group, one year, retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/aws/cloudtrail/account-trail',
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailLogGroupKey'), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailLogGroup'), 'Arn'] },
      CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailLogsDeliveryRole'), 'Arn'] },
    });
  });

  test('log group key lets CloudWatch Logs use it for this log group only', () => {
    const keys = template.findResources('AWS::KMS::Key');
    const logKey: any = Object.entries(keys).find(([id]) => id.startsWith('TrailLogGroupKey'))![1];
    const statement = logKey.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'CloudWatchLogsEncryption');
    expect(statement.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(statement.Condition).toEqual({
      ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:444444444444:log-group:/aws/cloudtrail/account-trail' },
    });
    expect(logKey.Properties.EnableKeyRotation).toBe(true);
  });

  test('delivery role: assumed by CloudTrail (no aws:Source* condition, which the role policy does not support), may only create streams and put events', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Condition: Match.absent(),
        }],
      },
    });
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    const policy: any = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0];
    expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^TrailLogsDeliveryRole/) }]);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:eu-west-1:444444444444:log-group:/aws/cloudtrail/account-trail:log-stream:*',
    }]);
  });

  test('the trail is created after the delivery role and its policy', () => {
    const trail: any = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0];
    const roleId = Object.keys(template.findResources('AWS::IAM::Role'))[0];
    const policyId = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))[0];
    expect(trail.DependsOn).toEqual(expect.arrayContaining([roleId, policyId]));
  });

  test('custom retention and name', () => {
    const { stack: s } = build({ cloudWatchLogs: { logGroupName: 'trail-events', retention: logs.RetentionDays.TWO_YEARS, removalPolicy: RemovalPolicy.RETAIN } });
    Template.fromStack(s).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'trail-events', RetentionInDays: 731 });
  });
});

test('delivery notifications: only this trail may publish', () => {
  const stack = new Stack(new App(), 'Single', { env: ENV });
  const archive = new TrailArchive(stack, 'Archive', { writers: [IDENTITY] });
  const topic = new sns.Topic(stack, 'Topic');
  new AccountTrail(stack, 'Trail', { identity: IDENTITY, archive, deliveryTopic: topic });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::CloudTrail::Trail', { SnsTopicName: { Ref: Match.stringLikeRegexp('^Topic') } });
  template.hasResourceProperties('AWS::SNS::TopicPolicy', {
    PolicyDocument: {
      Statement: [{
        Sid: 'CloudTrailDeliveryNotification',
        Effect: 'Allow',
        Action: 'sns:Publish',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Resource: { Ref: Match.stringLikeRegexp('^Topic') },
        Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
      }],
    },
  });
});

describe('region coverage', () => {
  test('a home-region-only trail', () => {
    const { stack } = build({ multiRegion: false, includeGlobalServiceEvents: false });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: false, IncludeGlobalServiceEvents: false,
    });
  });

  test('a multi-region trail must include global service events', () => {
    expect(() => build({ includeGlobalServiceEvents: false }))
      .toThrow('includeGlobalServiceEvents false cannot be combined with multiRegion true');
  });

  test('a single-region trail outside us-east-1 is warned that it gets no global service events', () => {
    const { stack } = build({ multiRegion: false });
    Annotations.fromStack(stack).hasWarning('/Single/Trail', Match.stringLikeRegexp('records no global service events'));
  });

  test('turning off log file validation warns', () => {
    const { stack } = build({ logFileValidation: false });
    Annotations.fromStack(stack).hasWarning('/Single/Trail', Match.stringLikeRegexp('logFileValidation is false'));
  });
});

describe('environment checks', () => {
  test('another account is a synth error', () => {
    expect(() => build({}, { account: '999999999999', region: 'eu-west-1' }))
      .toThrow("The stack's account 999999999999 differs from the TrailIdentity's account 444444444444");
  });
  test('another region is a synth error', () => {
    expect(() => build({}, { account: ENV.account, region: 'us-west-2' }))
      .toThrow("The stack's region us-west-2 differs from the TrailIdentity's homeRegion eu-west-1");
  });
  test('an environment-agnostic stack is accepted', () => {
    expect(() => build({}, {})).not.toThrow();
  });
});

describe('removal policy', () => {
  test('another removal policy is possible, with a warning', () => {
    const { stack } = build({ removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::CloudTrail::Trail', { DeletionPolicy: 'Delete' });
    Annotations.fromStack(stack).hasWarning('/Single/Trail', Match.stringLikeRegexp('removalPolicy is destroy: deleting the stack'));
  });
});

describe('forwarding dead-letter queue messages', () => {
  const selectorNames = (props: Partial<AccountTrailProps>): string[] => {
    const [trail] = Object.values(Template.fromStack(build(props).stack).findResources('AWS::CloudTrail::Trail')) as any[];
    return trail.Properties.AdvancedEventSelectors.map((s: any) => s.Name);
  };

  test('are recorded by default: SQS data events on queues named like the forwarding dead-letter queue, nothing else', () => {
    const template = Template.fromStack(build().stack);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      AdvancedEventSelectors: Match.arrayWith([{
        Name: 'Forwarding dead-letter queue messages',
        FieldSelectors: Match.arrayWith([
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::SQS::Queue'] },
          { Field: 'resources.ARN', EndsWith: [':cloudtrail-governance-forwarding-dlq'] },
        ]),
      }]),
    });
  });

  test('can be switched off', () => {
    expect(selectorNames({ recordForwardingQueueMessages: false })).not.toContain('Forwarding dead-letter queue messages');
    expect(selectorNames({})).toContain('Forwarding dead-letter queue messages');
  });
});
