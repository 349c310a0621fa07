import * as fs from 'fs';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Detection } from '../../src/detection/detection';
import { DetectionForwarder, DetectionForwarderProps, StackSetCaller } from '../../src/detection/detection-forwarder';
import { DetectionForwardingNames } from '../../src/detection/forwarding-names';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';

const BUS = 'arn:aws:events:eu-west-1:444455556666:event-bus/security-detections';
const BASE: DetectionForwarderProps = {
  centralBusArn: BUS,
  organizationalUnitIds: ['r-a1b2'],
  regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
};

function synth(props: Partial<DetectionForwarderProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
  const forwarder = new DetectionForwarder(stack, 'Forwarder', { ...BASE, ...props });
  return { app, stack, forwarder, template: Template.fromStack(stack) };
}

describe('DetectionForwarder', () => {
  let template: Template;
  let forwarder: DetectionForwarder;
  let stackSet: { [key: string]: any };
  beforeAll(() => {
    ({ template, forwarder } = synth());
    stackSet = (Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0] as any).Properties;
  });

  test('a service-managed StackSet that deploys automatically to the organization\'s accounts and the given regions', () => {
    expect(stackSet).toMatchObject({
      StackSetName: 'cloudtrail-governance-detection-forwarder',
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ManagedExecution: { Active: true },
      OperationPreferences: { RegionConcurrencyType: 'PARALLEL', MaxConcurrentPercentage: 25, FailureTolerancePercentage: 10 },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-a1b2'] }, Regions: BASE.regions }],
      Parameters: [{ ParameterKey: 'CentralEventBusArn', ParameterValue: BUS }],
    });
  });

  test('the StackSet is retained when its stack is deleted', () => {
    template.hasResource('AWS::CloudFormation::StackSet', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(JSON.stringify(forwarder.memberTemplate)).toContain(DetectionForwardingNames.RULE_NAME);
  });

  test('another removal policy is possible, with a warning', () => {
    const { template: t, stack } = synth({ removalPolicy: RemovalPolicy.DESTROY });
    t.hasResource('AWS::CloudFormation::StackSet', { DeletionPolicy: 'Delete' });
    Annotations.fromStack(stack).hasWarning('/Management/Forwarder', Match.stringLikeRegexp('removalPolicy is destroy'));
    Annotations.fromStack(synth().stack).hasNoWarning('*', Match.stringLikeRegexp('removalPolicy'));
  });

  test('the template body is the member template CDK synthesized, within CloudFormation\'s inline limit', () => {
    expect(JSON.parse(stackSet.TemplateBody)).toEqual(forwarder.memberTemplate);
    expect(Buffer.byteLength(stackSet.TemplateBody, 'utf8')).toBeLessThanOrEqual(51200);
  });

  test('the member template needs no bootstrapping and holds only the forwarding resources', () => {
    const member = forwarder.memberTemplate;
    expect(Object.keys(member.Parameters)).toEqual(['CentralEventBusArn']);
    expect(member.Rules).toBeUndefined();
    const types = Object.values(member.Resources).map((r: any) => r.Type).sort();
    expect(types).toEqual(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Alarm', 'AWS::Events::Rule', 'AWS::IAM::ManagedPolicy',
      'AWS::IAM::Role', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy']);
    expect(JSON.stringify(member)).not.toMatch(/\$\{Token\[/);
  });

  test('the member rule forwards to the bus named by the parameter, with the role that may only put events there', () => {
    const resources = Object.values(forwarder.memberTemplate.Resources) as any[];
    const rule = resources.find(r => r.Type === 'AWS::Events::Rule').Properties;
    expect(rule.EventPattern).toEqual(forwardingPattern(Detection.defaultTier()));
    expect(rule.Targets[0].Arn).toEqual({ Ref: 'CentralEventBusArn' });
    const policy = resources.find(r => r.Type === 'AWS::IAM::ManagedPolicy').Properties.PolicyDocument;
    expect(policy.Statement).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { Ref: 'CentralEventBusArn' } }]);
  });

  test('the private App leaves the cloud assembly alone', () => {
    const { app } = synth();
    const files = fs.readdirSync(app.synth().directory);
    expect(files.filter(f => f.endsWith('.template.json'))).toEqual(['Management.template.json']);
  });

  test('options reach the StackSet', () => {
    const { template: t } = synth({
      stackSetName: 'detections',
      callAs: StackSetCaller.DELEGATED_ADMIN,
      retainStacksOnAccountRemoval: true,
      maxConcurrentPercentage: 100,
      failureTolerancePercentage: 0,
      organizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-99999999'],
      deadLetterQueue: false,
      detections: [Detection.CIS_4_5],
    });
    const props = (Object.values(t.findResources('AWS::CloudFormation::StackSet'))[0] as any).Properties;
    expect(props).toMatchObject({
      StackSetName: 'detections',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      OperationPreferences: { MaxConcurrentPercentage: 100, FailureTolerancePercentage: 0 },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-99999999'] } }],
    });
    const member = JSON.parse(props.TemplateBody);
    expect(Object.values(member.Resources).map((r: any) => r.Type)).not.toContain('AWS::SQS::Queue');
    const rule = (Object.values(member.Resources) as any[]).find(r => r.Type === 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual(forwardingPattern([Detection.CIS_4_5]));
  });

  test.each([
    [{ organizationalUnitIds: [] }, /organizationalUnitIds must not be empty/],
    [{ organizationalUnitIds: ['123456789012'] }, /organizationalUnitIds "123456789012" must contain organizational unit ids/],
    [{ organizationalUnitIds: ['r-a1b2', 'r-a1b2'] }, /organizationalUnitIds contains "r-a1b2" more than once/],
    [{ regions: [] }, /regions must not be empty/],
    [{ regions: ['us-east-1', 'Europe'] }, /regions "Europe" must be an AWS region code/],
    [{ regions: ['us-east-1', 'us-east-1'] }, /regions contains "us-east-1" more than once/],
    [{ stackSetName: '1-forwarder' }, /stackSetName "1-forwarder" must be 1-128 letters, digits and hyphens, starting with a letter/],
    [{ maxConcurrentPercentage: 0 }, /maxConcurrentPercentage 0 must be an integer between 1 and 100/],
    [{ failureTolerancePercentage: 101 }, /failureTolerancePercentage 101 must be an integer between 0 and 100/],
    [{ centralBusArn: 'arn:aws:events:eu-west-1:444455556666:rule/x' }, /centralBusArn .* must be an event bus ARN/],
  ])('rejects %j', (props, message) => {
    expect(() => synth(props as any)).toThrow(message);
  });

  test('warns when us-east-1 is left out, or a region is unknown', () => {
    const { stack } = synth({ regions: ['eu-west-1', 'eu-nowhere-7'] });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Management/Forwarder', Match.stringLikeRegexp('do not include us-east-1.*CIS-4.2, CIS-4.4, CIS-4.6, CIS-4.15'));
    annotations.hasWarning('/Management/Forwarder', Match.stringLikeRegexp('eu-nowhere-7 are not known'));
    Annotations.fromStack(synth().stack).hasNoWarning('*', Match.anyValue());
    Annotations.fromStack(synth({ regions: ['eu-west-1'], detections: [Detection.CIS_4_5] }).stack).hasNoWarning('*', Match.anyValue());
  });
});
