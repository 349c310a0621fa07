import { App, CfnParameter, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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
