import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { BREAK_GLASS_ARN, guardrailProps, managementStack, ROOT_ID, WORKLOADS_OU } from './support/guardrails-fixture';
import { DetectionForwardingNames, OrganizationGuardrails, OrganizationGuardrailsProps } from '../../src';
import { GLOBAL_SERVICE_ACTIONS } from '../../src/organization/region-guardrail';
import { MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT } from '../policy/support/fixtures';
import { DeployedStack, evaluate, PolicyDocument } from '../policy/support/policy-harness';

const ALLOWED = ['eu-west-1', 'eu-central-1'];
const MEMBER_ADMIN = `arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`;
const MEMBER_BREAK_GLASS = `arn:aws:iam::${MEMBER_ACCOUNT}:role/break-glass`;
const STACK_SET_EXEC = `arn:aws:iam::${MEMBER_ACCOUNT}:role/stacksets-exec-6a1f3e0c9b8d7e6f5a4b3c2d1e0f9a8b`;
const HEARTBEAT_ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/${DetectionForwardingNames.HEARTBEAT_ROLE_NAME_PREFIX}us-east-1`;
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The deployed (intrinsic-free) region-deny document of guardrails built with `overrides`. */
function regionDeny(overrides: Partial<OrganizationGuardrailsProps> = {}): PolicyDocument {
  const m = managementStack(guardrailProps({ allowedRegions: ALLOWED, ...overrides }));
  const deployed = new DeployedStack(m.stack);
  const resources = Template.fromStack(m.stack).toJSON().Resources;
  return deployed.resolve(resources[deployed.logicalId(m.guardrails.regionDenyPolicy!)].Properties.Content);
}

function guardrails(props: Partial<OrganizationGuardrailsProps>, env = { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' }) {
  const stack = new Stack(new App(), 'Management', { env });
  return { stack, build: () => new OrganizationGuardrails(stack, 'Guardrails', guardrailProps(props)) };
}

describe('the region-deny policy', () => {
  test('is a service control policy of its own, attached to targetIds, only when allowedRegions is given', () => {
    const without = managementStack();
    expect(without.guardrails.regionDenyPolicy).toBeUndefined();
    expect(JSON.stringify(Template.fromStack(without.stack).toJSON())).not.toContain('aws:RequestedRegion');

    const m = managementStack(guardrailProps({ targetIds: [ROOT_ID, WORKLOADS_OU], allowedRegions: ALLOWED }));
    const template = Template.fromStack(m.stack);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      Name: 'cloudtrail-governance-region-deny',
      TargetIds: [ROOT_ID, WORKLOADS_OU],
    });
    // The forwarding policy keeps its 5,120 characters: the region deny is not in it.
    expect(JSON.stringify(m.guardrails.serviceControlPolicyDocument.toJSON())).not.toContain('aws:RequestedRegion');
  });

  test('denies every action but AWS\'s documented global services outside the allowed regions, with the usual exemptions', () => {
    expect(regionDeny().Statement).toEqual([{
      Sid: 'DenyOutsideAllowedRegions',
      Effect: 'Deny',
      NotAction: [...GLOBAL_SERVICE_ACTIONS],
      Resource: '*',
      Condition: {
        StringNotEquals: { 'aws:RequestedRegion': ALLOWED },
        ArnNotLike: {
          'aws:PrincipalArn': [
            'arn:aws:iam::*:role/stacksets-exec-*',
            `arn:aws:iam::*:role/${DetectionForwardingNames.ROLE_NAME_PREFIX}*`,
            BREAK_GLASS_ARN,
          ],
        },
      },
    }]);
  });

  test('the exempt list is AWS\'s example\'s: the global services and the calls CloudFront needs of KMS and ACM', () => {
    expect(GLOBAL_SERVICE_ACTIONS).toHaveLength(42);
    expect(GLOBAL_SERVICE_ACTIONS).toEqual(expect.arrayContaining([
      'iam:*', 'organizations:*', 'sts:*', 'cloudfront:*', 'route53:*', 'support:*', 'budgets:*', 'kms:*', 'acm:*',
    ]));
    // No regional workload service is exempt wholesale.
    for (const service of ['ec2', 's3', 'lambda', 'rds', 'dynamodb', 'cloudformation', 'ssm']) {
      expect(GLOBAL_SERVICE_ACTIONS).not.toContain(`${service}:*`);
    }
  });

  test('regionDenyExemptActions adds global services the example does not name', () => {
    const document = regionDeny({ regionDenyExemptActions: ['chatbot:*', 'devicefarm:List*'] });
    expect(document.Statement[0].NotAction).toEqual([...GLOBAL_SERVICE_ACTIONS, 'chatbot:*', 'devicefarm:List*']);
  });

  test('a custom policy name', () => {
    const m = managementStack(guardrailProps({ allowedRegions: ALLOWED, regionDenyPolicyName: 'eu-only' }));
    Template.fromStack(m.stack).hasResourceProperties('AWS::Organizations::Policy', { Name: 'eu-only' });
  });

  test('is size-checked like the other policies', () => {
    const many = Array.from({ length: 300 }, (_, i) => `service${i}:Describe*`);
    expect(() => guardrails({ allowedRegions: ALLOWED, regionDenyExemptActions: many }).build()).toThrow(
      /Management\/Guardrails: the region-deny policy would be \d+ characters, more than the 5120 AWS Organizations allows: give fewer or shorter allowedRegions, regionDenyExemptActions and breakGlassPrincipalArns/);
  });

  test('allowed regions from a parameter list are passed through unchecked', () => {
    const stack = new Stack(new App(), 'Management', { env: { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' } });
    const regions = Fn.split(',', new CfnParameter(stack, 'Regions').valueAsString);
    const g = new OrganizationGuardrails(stack, 'Guardrails', guardrailProps({ allowedRegions: regions }));
    expect(g.regionDenyPolicy).toBeDefined();
  });
});

describe('region-deny inputs', () => {
  test.each<[string, Partial<OrganizationGuardrailsProps>, string]>([
    ['no regions', { allowedRegions: [] }, 'allowedRegions must not be empty'],
    ['a region code that is not one', { allowedRegions: ['eu-west-1', 'euwest2'] }, 'allowedRegions[1] "euwest2" must be an AWS region code'],
    ['a region twice', { allowedRegions: ['eu-west-1', 'eu-west-1'] }, 'allowedRegions contains "eu-west-1" more than once'],
    ['a region as a number', { allowedRegions: [1 as any] }, 'allowedRegions[0] 1 must be a string'],
    ['a China region from a stack in aws', { allowedRegions: ['eu-west-1', 'cn-north-1'] },
      'allowedRegions[1] "cn-north-1" is in the aws-cn partition, but the stack\'s region us-east-1 is in aws'],
    ['a bare * as an exempt action', { allowedRegions: ALLOWED, regionDenyExemptActions: ['*'] },
      'regionDenyExemptActions[0] "*" must be an IAM action'],
    ['a service wildcard as an exempt action', { allowedRegions: ALLOWED, regionDenyExemptActions: ['*:Describe*'] },
      'regionDenyExemptActions[0] "*:Describe*" must be an IAM action'],
    ['an exempt action twice', { allowedRegions: ALLOWED, regionDenyExemptActions: ['chatbot:*', 'chatbot:*'] },
      'regionDenyExemptActions contains "chatbot:*" more than once'],
    ['exempt actions without allowedRegions', { regionDenyExemptActions: ['chatbot:*'] },
      'regionDenyExemptActions and regionDenyPolicyName need allowedRegions'],
    ['a policy name without allowedRegions', { regionDenyPolicyName: 'eu-only' }, 'need allowedRegions'],
    ['a policy name of 129 characters', { allowedRegions: ALLOWED, regionDenyPolicyName: 'p'.repeat(129) },
      'regionDenyPolicyName "' + 'p'.repeat(129) + '" must be 1-128 characters'],
  ])('%s is refused', (_, props, message) => {
    expect(() => guardrails(props).build()).toThrow(message);
  });

  test('regions of two partitions are refused in an environment-agnostic stack', () => {
    const stack = new Stack(new App(), 'Management');
    expect(() => new OrganizationGuardrails(stack, 'Guardrails', guardrailProps({ allowedRegions: ['us-gov-west-1', 'eu-west-1'] })))
      .toThrow('allowedRegions[1] "eu-west-1" is in the aws partition, but us-gov-west-1 is in aws-us-gov');
  });

  test('a well-formed region unknown to region-info is warned about', () => {
    const { stack, build } = guardrails({ allowedRegions: ['eu-west-1', 'eu-wset-1'] });
    build();
    const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-cloudtrail-governance:guardrails:unknownRegion'));
    expect(found).toHaveLength(1);
    expect(found[0].entry.data).toContain('allowedRegions[1] "eu-wset-1": not known to aws-cdk-lib/region-info');
  });
});

describe('region-deny simulation (member account, allowed regions eu-west-1 and eu-central-1)', () => {
  let scp: PolicyDocument;
  beforeAll(() => {
    scp = regionDeny({ breakGlassPrincipalArns: [MEMBER_BREAK_GLASS] });
  });

  const request = (principal: string, action: string, resource: string, region: string, scps?: PolicyDocument[]) => evaluate({
    principal,
    action,
    resource,
    resourceAccount: MEMBER_ACCOUNT,
    identityPolicies: [ADMIN],
    context: { 'aws:PrincipalArn': principal, 'aws:RequestedRegion': region, 'aws:PrincipalIsAWSService': 'false' },
    serviceControlPolicies: scps,
  });
  const instance = (region: string) => `arn:aws:ec2:${region}:${MEMBER_ACCOUNT}:instance/i-0123456789abcdef0`;

  test.each(['ap-east-1', 'us-east-1', 'us-west-2'])('ec2:RunInstances in %s, which is not listed, is denied', async (region) => {
    expect((await request(MEMBER_ADMIN, 'ec2:RunInstances', instance(region), region)).decision).toBe('Allowed');
    const guarded = await request(MEMBER_ADMIN, 'ec2:RunInstances', instance(region), region, [scp]);
    expect(guarded.decision).toBe('ExplicitlyDenied');
    expect(guarded.deniedBy).toEqual(['DenyOutsideAllowedRegions']);
  });

  test.each(ALLOWED)('ec2:RunInstances in %s, which is listed, is allowed', async (region) => {
    expect((await request(MEMBER_ADMIN, 'ec2:RunInstances', instance(region), region, [scp])).decision).toBe('Allowed');
  });

  test.each<[string, string]>([
    ['iam:CreateRole', `arn:aws:iam::${MEMBER_ACCOUNT}:role/app`],
    ['organizations:DescribeOrganization', '*'],
    ['sts:GetCallerIdentity', '*'],
  ])('%s (a global service, requested in us-east-1) is allowed', async (action, resource) => {
    expect((await request(MEMBER_ADMIN, action, resource, 'us-east-1', [scp])).decision).toBe('Allowed');
  });

  test('the break-glass role may act in an unlisted region', async () => {
    expect((await request(MEMBER_BREAK_GLASS, 'ec2:RunInstances', instance('ap-east-1'), 'ap-east-1', [scp])).decision).toBe('Allowed');
  });

  test('the StackSet execution role may deploy the forwarder\'s stack instance in an unlisted region', async () => {
    const stack = `arn:aws:cloudformation:us-east-1:${MEMBER_ACCOUNT}:stack/StackSet-${DetectionForwardingNames.STACK_SET_NAME}-0f1e/1a2b`;
    expect((await request(STACK_SET_EXEC, 'cloudformation:CreateStack', stack, 'us-east-1', [scp])).decision).toBe('Allowed');
  });

  test('the heartbeat role keeps writing its parameter in a region forwarded for its global-service events', async () => {
    const parameter = `arn:aws:ssm:us-east-1:${MEMBER_ACCOUNT}:parameter${DetectionForwardingNames.HEARTBEAT_PARAMETER_NAME}`;
    expect((await request(HEARTBEAT_ROLE, 'ssm:PutParameter', parameter, 'us-east-1', [scp])).decision).toBe('Allowed');
  });

  test('a role named like a forwarding role below another path is not exempt', async () => {
    const impostor = `arn:aws:iam::${MEMBER_ACCOUNT}:role/ops/${DetectionForwardingNames.ROLE_NAME_PREFIX}us-east-1`;
    expect((await request(impostor, 'ec2:RunInstances', instance('us-east-1'), 'us-east-1', [scp])).decision).toBe('ExplicitlyDenied');
  });
});
