import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  Annotations as CoreAnnotations, App, Aspects, CfnResource, IAspect, IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1, RemovalPolicy, Stack, Tags,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { Detection } from '../../src/detection/detection';
import { DetectionForwarder, DetectionForwarderProps, StackSetCaller } from '../../src/detection/detection-forwarder';
import { DetectionForwardingNames } from '../../src/detection/forwarding-names';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';

// Watched file-system calls, to show that construction writes nothing.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, mkdtempSync: jest.fn(actual.mkdtempSync), writeFileSync: jest.fn(actual.writeFileSync) };
});

const BUS = 'arn:aws:events:eu-west-1:444455556666:event-bus/security-detections';
const BASE: DetectionForwarderProps = {
  centralBusArn: BUS,
  organizationalUnitIds: ['r-a1b2'],
  regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  healthTopicAccount: '333333333333',
};

function synth(props: Partial<DetectionForwarderProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
  const forwarder = new DetectionForwarder(stack, 'Forwarder', { ...BASE, ...props });
  return { app, stack, forwarder, template: Template.fromStack(stack) };
}

describe('DetectionForwarder', () => {
  let template: Template;
  let defaults: DetectionForwarder;
  let stackSet: { [key: string]: any };
  beforeAll(() => {
    ({ template, forwarder: defaults } = synth());
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
    expect(JSON.stringify(defaults.memberTemplate)).toContain(DetectionForwardingNames.RULE_NAME);
  });

  test('another removal policy is possible, with a warning', () => {
    const { template: t, stack } = synth({ removalPolicy: RemovalPolicy.DESTROY });
    t.hasResource('AWS::CloudFormation::StackSet', { DeletionPolicy: 'Delete' });
    Annotations.fromStack(stack).hasWarning('/Management/Forwarder', Match.stringLikeRegexp('removalPolicy is destroy'));
    Annotations.fromStack(synth().stack).hasNoWarning('*', Match.stringLikeRegexp('removalPolicy'));
  });

  test('the StackSet reads the member template from the enclosing stack\'s published file asset', () => {
    expect(stackSet.TemplateBody).toBeUndefined();
    const { app, stack } = synth();
    const assembly = app.synth();
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'));
    const [hash, asset] = Object.entries(manifest.files as { [k: string]: any })
      .find(([, f]) => f.source.path.endsWith('.stackset.template.json'))!;
    expect(path.dirname(asset.source.path)).toMatch(/^assembly-/);
    const url = (Object.values(artifact.template.Resources) as any[])
      .find(r => r.Type === 'AWS::CloudFormation::StackSet').Properties.TemplateURL;
    expect(JSON.stringify(url)).toContain(`/${hash}.json`);
    expect(asset.destinations['current_account-current_region'] ?? Object.values(asset.destinations)[0])
      .toMatchObject({ objectKey: `${hash}.json` });
    const published = JSON.parse(fs.readFileSync(path.join(assembly.directory, asset.source.path), 'utf8'));
    const forwarder = stack.node.findChild('Forwarder') as DetectionForwarder;
    expect(published).toEqual(forwarder.memberTemplate);
    expect(Buffer.byteLength(JSON.stringify(published), 'utf8')).toBeLessThanOrEqual(51200);
  });

  test('the member template needs no bootstrapping and holds only the forwarding resources', () => {
    const member = defaults.memberTemplate;
    expect(Object.keys(member.Parameters)).toEqual(['CentralEventBusArn']);
    expect(member.Rules).toBeUndefined();
    const types = Object.values(member.Resources).map((r: any) => r.Type).sort();
    expect(types).toEqual(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Alarm', 'AWS::Events::Rule', 'AWS::IAM::ManagedPolicy',
      'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'AWS::Scheduler::Schedule']);
    expect(JSON.stringify(member)).not.toMatch(/\$\{Token\[/);
  });

  test('the member rule forwards to the bus named by the parameter, with the role that may only put events there', () => {
    const resources = Object.values(defaults.memberTemplate.Resources) as any[];
    const rule = resources.find(r => r.Type === 'AWS::Events::Rule').Properties;
    expect(rule.EventPattern).toEqual(forwardingPattern(undefined, Detection.defaultTier()));
    expect(rule.Targets[0].Arn).toEqual({ Ref: 'CentralEventBusArn' });
    const policy = resources.find(r => r.Type === 'AWS::IAM::ManagedPolicy').Properties.PolicyDocument;
    expect(policy.Statement).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { Ref: 'CentralEventBusArn' } }]);
  });

  test('the member stack is no top-level artifact (`cdk deploy --all` deploys only the enclosing stack); it sits in a nested assembly', () => {
    const { app, forwarder } = synth();
    const assembly = app.synth();
    // The CLI's --all selects the top-level stacks of the assembly, as it does for a Stage's stacks.
    expect(assembly.stacks.map(a => a.stackName)).toEqual(['Management']);
    expect(assembly.artifacts.map(a => a.id).sort())
      .toEqual(['Management', 'Management.assets', 'Tree', 'assembly-ManagementForwarderMember25D1D4BC']);
    expect(forwarder.memberStack.node.path).toBe('Management/Forwarder/Member');
    expect(fs.readdirSync(assembly.directory).filter(f => f.endsWith('.template.json'))).toEqual(['Management.template.json']);
    const nested = assembly.nestedAssemblies.map(a => a.nestedAssembly);
    expect(nested).toHaveLength(1);
    const [member] = nested[0].stacks;
    expect(member.hierarchicalId).toBe('Management/Forwarder/Member');
    expect(member.templateFile).toBe(forwarder.memberStack.templateFile);
    expect(member.templateFile).toMatch(/\.stackset\.template\.json$/);
    expect(member.template).toEqual(forwarder.memberTemplate);
    // Environment-agnostic, no bootstrap requirement, no assets: it is deployed by the StackSet, not by cdk.
    expect(member.environment.name).toBe('aws://unknown-account/unknown-region');
    expect(nested[0].artifacts.map(a => a.id)).toEqual([member.id]);
  });

  test('the app\'s policy validation plugins validate the member template with the other templates', () => {
    const seen: string[][] = [];
    const plugin: IPolicyValidationPluginBeta1 = {
      name: 'no-unbounded-roles',
      validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
        seen.push(context.templatePaths.map(p => path.basename(p)));
        const violations = context.templatePaths.flatMap(templatePath => {
          const resources = JSON.parse(fs.readFileSync(templatePath, 'utf8')).Resources as { [id: string]: any };
          return Object.entries(resources)
            .filter(([, r]) => r.Type === 'AWS::IAM::Role' && !r.Properties.PermissionsBoundary)
            .map(([logicalId]) => ({
              ruleName: 'role-needs-boundary',
              description: 'roles need a permissions boundary',
              violatingResources: [{ resourceLogicalId: logicalId, templatePath, locations: ['Properties'] }],
            }));
        });
        return { success: violations.length === 0, violations };
      },
    };
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'forwarder-plugin-'));
    try {
      const app = new App({ outdir, policyValidationBeta1: [plugin], context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
      const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
      const forwarder = new DetectionForwarder(stack, 'Forwarder', BASE);
      app.synth();
      expect(seen).toEqual([['Management.template.json', forwarder.memberStack.templateFile].sort()]);
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
      const mine = report.pluginReports.find((r: any) => r.pluginName === 'no-unbounded-roles');
      const paths = mine.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => c.constructPath));
      expect(paths).toContainEqual(expect.stringMatching(/^Management\/Forwarder\/Member\/Forwarding\/.*Role/));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('construction writes nothing: no temporary directory, no file; synthesis writes only into the output directory', () => {
    const mkdtemp = fs.mkdtempSync as unknown as jest.Mock;
    const write = fs.writeFileSync as unknown as jest.Mock;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'forwarder-test-'));
    try {
      mkdtemp.mockClear();
      write.mockClear();
      const app = new App({ outdir });
      const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
      new DetectionForwarder(stack, 'Forwarder', BASE);
      expect(mkdtemp).not.toHaveBeenCalled();
      expect(write).not.toHaveBeenCalled();
      expect(fs.readdirSync(outdir)).toEqual([]);
      app.synth();
      expect(mkdtemp).not.toHaveBeenCalled();
      const written = write.mock.calls.map(c => path.resolve(String(c[0])));
      expect(written).toContain(path.resolve(outdir, 'Management.template.json'));
      expect(written.filter(f => !f.startsWith(path.resolve(outdir) + path.sep))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the user\'s Aspects reach the member template: tags and permission boundaries', () => {
    const app = new App();
    const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
    const forwarder = new DetectionForwarder(stack, 'Forwarder', BASE);
    Tags.of(app).add('team', 'security');
    iam.PermissionsBoundary.of(app).apply(iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', 'arn:aws:iam::aws:policy/Boundary'));
    Template.fromStack(stack);
    const resources = Object.values(forwarder.memberTemplate.Resources) as any[];
    for (const type of ['AWS::Events::Rule', 'AWS::IAM::Role', 'AWS::SQS::Queue', 'AWS::CloudWatch::Alarm']) {
      const tagged = resources.filter(r => r.Type === type);
      expect(tagged.length).toBeGreaterThan(0);
      for (const r of tagged) expect(r.Properties.Tags).toContainEqual({ Key: 'team', Value: 'security' });
    }
    const role = resources.find(r => r.Type === 'AWS::IAM::Role');
    expect(role.Properties.PermissionsBoundary).toBe('arn:aws:iam::aws:policy/Boundary');
  });

  test('the app\'s context is visible inside the member stack', () => {
    const app = new App({ context: { 'forwarder-test:team': 'security' } });
    const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
    const forwarder = new DetectionForwarder(stack, 'Forwarder', BASE);
    expect(forwarder.memberStack.node.tryGetContext('forwarder-test:team')).toBe('security');
    new CfnResource(forwarder.memberStack, 'FromContext', {
      type: 'AWS::SSM::Parameter',
      properties: { Type: 'String', Value: forwarder.memberStack.node.tryGetContext('forwarder-test:team') },
    });
    Template.fromStack(stack);
    expect(forwarder.memberTemplate.Resources.FromContext.Properties.Value).toBe('security');
  });

  test('errors and warnings raised inside the member stack reach the enclosing stack\'s artifact', () => {
    class Flag implements IAspect {
      public visit(node: IConstruct): void {
        if (node instanceof CfnResource && node.cfnResourceType === 'AWS::IAM::Role') {
          CoreAnnotations.of(node).addError('role fails the organization rule');
        }
      }
    }
    const app = new App();
    const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
    new DetectionForwarder(stack, 'Forwarder', BASE);
    Aspects.of(app).add(new Flag());
    Annotations.fromStack(stack).hasError('/Management/Forwarder',
      Match.stringLikeRegexp('^\\[Management/Forwarder/Member/Forwarding/.*\\] role fails the organization rule$'));
  });

  test('the member template is read after synthesis, and may use up to 1 MB', () => {
    const app = new App();
    const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
    const forwarder = new DetectionForwarder(stack, 'Forwarder', BASE);
    expect(() => forwarder.memberTemplate).toThrow(/Management\/Forwarder\/Member: the member template exists once the app is synthesized/);
    // Past the 51,200 bytes CloudFormation accepts inline, which a template URL lifts.
    new CfnResource(forwarder.memberStack, 'Large', {
      type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(60000) },
    });
    expect(() => Template.fromStack(stack)).not.toThrow();
    expect(Buffer.byteLength(JSON.stringify(forwarder.memberTemplate), 'utf8')).toBeGreaterThan(51200);

    const tooLargeApp = new App();
    const tooLarge = new DetectionForwarder(new Stack(tooLargeApp, 'Management'), 'Forwarder', BASE);
    for (let i = 0; i < 20; i++) {
      new CfnResource(tooLarge.memberStack, `Large${i}`, {
        type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(60000) },
      });
    }
    expect(() => tooLargeApp.synth()).toThrow(
      /Management\/Forwarder\/Member: the member template has \d+ bytes, more than the 1048576 bytes CloudFormation accepts for a StackSet template/);
  });

  test('the member stack takes no assets: other accounts cannot read the enclosing account\'s asset bucket', () => {
    const { forwarder } = synth();
    expect(() => forwarder.memberStack.synthesizer.addFileAsset({ sourceHash: 'x', fileName: 'x.json' }))
      .toThrow(/Management\/Forwarder\/Member: a StackSet member template cannot use file assets/);
  });

  // With an environment, CDK refuses the reference itself; between environment-agnostic stacks it would
  // become an export and an import, which the member stack refuses.
  const OWN = /Management\/Forwarder\/Member: a StackSet member template cannot reference other stacks' resources or be referenced by them/;
  test.each([
    ['to', { account: '111111111111', region: 'us-east-1' }, /cannot reference \{Management\/Topic\[Ref\]\}/],
    ['to', undefined, OWN],
    ['from', { account: '111111111111', region: 'us-east-1' }, /cannot reference \{Management\/Forwarder\/Member\/Topic\[Ref\]\}/],
    ['from', undefined, OWN],
  ])('a reference %s the enclosing stack (env %j) is rejected: it could not resolve across accounts', (direction, env, message) => {
    const app = new App();
    const stack = new Stack(app, 'Management', { env });
    const forwarder = new DetectionForwarder(stack, 'Forwarder', BASE);
    const inParent = new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
    const inMember = new CfnResource(forwarder.memberStack, 'Topic', { type: 'AWS::SNS::Topic' });
    const [from, to] = direction === 'to' ? [forwarder.memberStack, inParent] : [stack, inMember];
    new CfnResource(from, 'Reference', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: to.ref } });
    expect(() => app.synth()).toThrow(message);
  });

  test('options reach the StackSet', () => {
    const { template: t, forwarder: forwarder2 } = synth({
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
    expect(props.TemplateBody).toBeUndefined();
    const member = forwarder2.memberTemplate;
    expect(Object.values(member.Resources).map((r: any) => r.Type)).not.toContain('AWS::SQS::Queue');
    const rule = (Object.values(member.Resources) as any[]).find(r => r.Type === 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual(forwardingPattern(undefined, [Detection.CIS_4_5]));
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
    [{ callAs: 'self' }, /^Management\/Forwarder: callAs "self" must be one of SELF, DELEGATED_ADMIN$/],
    [{ callAs: 1 }, /^Management\/Forwarder: callAs 1 must be one of SELF, DELEGATED_ADMIN$/],
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
