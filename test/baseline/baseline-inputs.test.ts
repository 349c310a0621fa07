import { App, CfnParameter, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudTrailBaseline, CloudTrailBaselineProps } from '../../src/baseline/cloudtrail-baseline';

type Env = StackProps['env'];
const FULL: Env = { account: '444444444444', region: 'us-east-1' };

/** [case, stack env, props (a function for props that need the stack), expected error substring or 'accepted']. */
const CASES: Array<[string, Env, (stack: Stack) => CloudTrailBaselineProps, string]> = [
  ['defaults in a full environment', FULL, () => ({}), 'accepted'],
  ['environment-agnostic stack with regions', undefined, () => ({ regions: ['us-east-1', 'eu-west-1'] }), 'accepted'],
  ['environment-agnostic stack without regions', undefined, () => ({}),
    'regions must be given when the stack\'s region is not known at synth time'],
  ['environment-agnostic stack without analytics needs no regions', undefined, () => ({ analytics: false }), 'accepted'],
  ['region-only stack', { region: 'eu-west-1' }, () => ({}), 'accepted'],
  ['account-only stack with regions', { account: '444444444444' }, () => ({ regions: ['us-east-1'] }), 'accepted'],
  ['trail name from a parameter with a database name', FULL,
    s => ({ trailName: new CfnParameter(s, 'TrailName').valueAsString, databaseName: 'trail_db' }), 'accepted'],
  ['trail name from a parameter without a database name', FULL,
    s => ({ trailName: new CfnParameter(s, 'TrailName').valueAsString }),
    'databaseName must be given when trailName is not known at synth time'],
  ['a region that does not exist', FULL, () => ({ regions: ['us-east-7x'] }), 'regions'],
  ['cisAlarms without CloudWatch Logs', FULL, () => ({ cloudWatchLogs: false }), 'cisAlarms true requires cloudWatchLogs true'],
  // The archive's exempt principals and Object Lock mode reach TrailArchive, whose errors carry its path.
  ['an exact break-glass role', FULL, () => ({ archiveOptions: { breakGlassPrincipalArns: ['arn:aws:iam::444444444444:role/BreakGlass'] } }),
    'accepted'],
  ['a break-glass role of another account', FULL,
    () => ({ archiveOptions: { breakGlassPrincipalArns: ['arn:aws:iam::555555555555:role/BreakGlass'] } }), 'accepted'],
  ['a break-glass role from a parameter', FULL,
    s => ({ archiveOptions: { breakGlassPrincipalArns: [new CfnParameter(s, 'BreakGlass').valueAsString] } }), 'accepted'],
  ['every role of the account as break-glass', FULL, () => ({ archiveOptions: { breakGlassPrincipalArns: ['arn:aws:iam::444444444444:role/*'] } }),
    'Baseline/CloudTrail/Archive: breakGlassPrincipalArns[0] "arn:aws:iam::444444444444:role/*" must be the exact ARN of an IAM role'],
  ['a break-glass name prefix', FULL, () => ({ archiveOptions: { breakGlassPrincipalArns: ['arn:aws:iam::444444444444:role/break-*'] } }),
    'without "*" or "?"'],
  ['a "?" in the break-glass name', FULL, () => ({ archiveOptions: { breakGlassPrincipalArns: ['arn:aws:iam::444444444444:role/a?c'] } }),
    'without "*" or "?"'],
  ['a break-glass user', FULL, () => ({ archiveOptions: { breakGlassPrincipalArns: ['arn:aws:iam::444444444444:user/admin'] } }),
    'breakGlassPrincipalArns[0] "arn:aws:iam::444444444444:user/admin" must be the exact ARN of an IAM role'],
  ['a break-glass role of another partition', FULL,
    () => ({ archiveOptions: { breakGlassPrincipalArns: ['arn:aws-cn:iam::444444444444:role/BreakGlass'] } }), 'must be a role of partition aws'],
  ['a wildcard deployment role', FULL, () => ({ archiveOptions: { deploymentRoleArn: 'arn:aws:iam::444444444444:role/cdk-*' } }),
    'Baseline/CloudTrail/Archive: deploymentRoleArn "arn:aws:iam::444444444444:role/cdk-*" must be the exact ARN of an IAM role'],
  ['an Object Lock mode in the wrong case', FULL,
    () => ({ archiveOptions: { objectLock: { mode: 'compliance' as s3.ObjectLockMode, retention: Duration.days(30) } } }),
    'Baseline/CloudTrail/Archive: objectLock.mode "compliance" must be one of GOVERNANCE, COMPLIANCE'],
  ['an Object Lock mode as a number', FULL,
    () => ({ archiveOptions: { objectLock: { mode: 0 as unknown as s3.ObjectLockMode, retention: Duration.days(30) } } }),
    'objectLock.mode 0 must be one of GOVERNANCE, COMPLIANCE'],
  ['an alerts topic with a customer managed key', FULL, s => ({ alertsTopic: new sns.Topic(s, 'Alerts', { masterKey: new kms.Key(s, 'Key') }) }),
    'accepted'],
  ['an alerts topic encrypted with an AWS managed key', FULL,
    s => ({ alertsTopic: new sns.Topic(s, 'Alerts', { masterKey: kms.Alias.fromAliasName(s, 'Managed', 'alias/aws/sns') }) }),
    'Baseline/CloudTrail/Alerts: topic.masterKey "alias/aws/sns" must be a customer managed key, not an AWS managed key'],
  ['an alerts topic with an AWS managed key and no SecurityAlerts (CIS alarms only)', FULL, s => ({
    alerts: false,
    alertsTopic: sns.Topic.fromTopicAttributes(s, 'Alerts', {
      topicArn: 'arn:aws:sns:us-east-1:444444444444:alerts', keyArn: 'arn:aws:kms:us-east-1:444444444444:alias/aws/sns',
    }),
  }), 'Baseline/CloudTrail/CisAlarms: topic.masterKey "arn:aws:kms:us-east-1:444444444444:alias/aws/sns" must be a customer managed key'],
];

describe('CloudTrailBaseline inputs', () => {
  test.each(CASES)('%s', (_name, env, props, expected) => {
    const app = new App();
    const stack = new Stack(app, 'Baseline', { env });
    const build = () => {
      new CloudTrailBaseline(stack, 'CloudTrail', props(stack));
      return Template.fromStack(stack);
    };
    if (expected === 'accepted') {
      expect(build().findResources('AWS::CloudTrail::Trail')).not.toEqual({});
    } else {
      expect(build).toThrow(expected);
    }
  });

  test('pinned regions are what the table projects, so the template does not change with aws-cdk-lib\'s region list', () => {
    const stack = new Stack(new App(), 'Baseline', { env: FULL });
    const baseline = new CloudTrailBaseline(stack, 'CloudTrail', { regions: ['us-east-1', 'eu-west-1'] });
    expect(baseline.table!.regions).toEqual(['us-east-1', 'eu-west-1']);
  });
});
