import { App, Stack } from 'aws-cdk-lib';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from './support/policy-harness';
import { CentralDetectionBus, DetectionForwardingRule, SecurityAlerts } from '../../src';
import { MEMBER_ACCOUNT, ORGANIZATION_ID, OUTSIDE_ACCOUNT, SECURITY_ACCOUNT } from './support/fixtures';

const EVENTS = 'events.amazonaws.com';
const PUT_EVENTS_ANYWHERE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] };
const MEMBER_ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/workload`;

let security: DeployedStack;
let alerts: SecurityAlerts;
let busArn: string;
let busPolicy: PolicyDocument;
let forwarder: { roleArn: string; trustPolicy: PolicyDocument; policies: PolicyDocument[]; sessionArn: string };

beforeAll(() => {
  const app = new App();
  const securityStack = new Stack(app, 'Security', { env: { account: SECURITY_ACCOUNT, region: 'us-east-1' } });
  const bus = new CentralDetectionBus(securityStack, 'Bus', { organizationId: ORGANIZATION_ID });
  alerts = new SecurityAlerts(securityStack, 'Alerts', { eventBus: bus.eventBus });

  const memberStack = new Stack(app, 'Member', { env: { account: MEMBER_ACCOUNT, region: 'us-east-1' } });
  const rule = new DetectionForwardingRule(memberStack, 'Forwarding', {
    centralBusArn: CentralDetectionBus.arnFor({ account: SECURITY_ACCOUNT, region: 'us-east-1' }),
  });

  security = new DeployedStack(securityStack);
  busArn = security.arnOf(bus.eventBus);
  busPolicy = security.eventBusPolicy(bus.eventBus);
  const member = new DeployedStack(memberStack);
  const roleArn = member.arnOf(rule.role);
  forwarder = {
    roleArn,
    trustPolicy: member.trustPolicy(rule.role),
    policies: member.identityPolicies(rule.role),
    sessionArn: `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/events-session`,
  };
});

async function putEvents(principal: string, context: { [key: string]: string }, extra: Partial<AccessRequest> = {}): Promise<string> {
  return (await evaluate({
    principal,
    action: 'events:PutEvents',
    resource: busArn,
    resourceAccount: SECURITY_ACCOUNT,
    context,
    identityPolicies: [PUT_EVENTS_ANYWHERE],
    resourcePolicy: busPolicy,
    ...extra,
  })).decision;
}

describe('central bus policy', () => {
  test('the bus ARN is the one member accounts build with arnFor', () => {
    expect(busArn).toBe(CentralDetectionBus.arnFor({ account: SECURITY_ACCOUNT, region: 'us-east-1' }));
  });

  test('PutEvents from a principal of the organization is allowed', async () => {
    const result = await evaluate({
      principal: MEMBER_ROLE,
      action: 'events:PutEvents',
      resource: busArn,
      resourceAccount: SECURITY_ACCOUNT,
      context: { 'aws:PrincipalOrgID': ORGANIZATION_ID },
      identityPolicies: [PUT_EVENTS_ANYWHERE],
      resourcePolicy: busPolicy,
    });
    expect(result.decision).toBe('Allowed');
    expect(result.allowedBy).toContain('cdk-AllowOrganizationToPutEvents');
  });

  test('PutEvents from a principal of another organization is denied', async () => {
    expect(await putEvents(`arn:aws:iam::${OUTSIDE_ACCOUNT}:role/workload`, { 'aws:PrincipalOrgID': 'o-zz9yy8xx7w' })).toBe('ImplicitlyDenied');
  });

  test('PutEvents from a principal outside any organization is denied', async () => {
    expect(await putEvents(`arn:aws:iam::${OUTSIDE_ACCOUNT}:role/workload`, {})).toBe('ImplicitlyDenied');
  });

  test('an anonymous PutEvents is denied', async () => {
    expect(await putEvents('anonymous', {}, { identityPolicies: [] })).toBe('ImplicitlyDenied');
  });

  test('a principal of the organization without PutEvents in its own policy is denied', async () => {
    expect(await putEvents(MEMBER_ROLE, { 'aws:PrincipalOrgID': ORGANIZATION_ID }, { identityPolicies: [] })).toBe('ImplicitlyDenied');
  });

  test('the organization may not change the bus\'s rules', async () => {
    expect((await evaluate({
      principal: MEMBER_ROLE,
      action: 'events:PutRule',
      resource: `arn:aws:events:us-east-1:${SECURITY_ACCOUNT}:rule/security-detections/injected`,
      resourceAccount: SECURITY_ACCOUNT,
      context: { 'aws:PrincipalOrgID': ORGANIZATION_ID },
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:*', Resource: '*' }] }],
      resourcePolicy: busPolicy,
    })).decision).toBe('ImplicitlyDenied');
  });
});

describe('forwarding rule role (member account)', () => {
  const assume = async (principal: string, context: { [key: string]: string }) => (await evaluate({
    principal,
    action: 'sts:AssumeRole',
    resource: forwarder.roleArn,
    resourceAccount: MEMBER_ACCOUNT,
    context,
    resourcePolicy: forwarder.trustPolicy,
  })).decision;

  test('EventBridge of the member account may assume it', async () => {
    expect(await assume(EVENTS, { 'aws:SourceAccount': MEMBER_ACCOUNT })).toBe('Allowed');
  });

  test('EventBridge on behalf of another account may not assume it', async () => {
    expect(await assume(EVENTS, { 'aws:SourceAccount': OUTSIDE_ACCOUNT })).toBe('ImplicitlyDenied');
  });

  test('EventBridge without aws:SourceAccount may not assume it', async () => {
    expect(await assume(EVENTS, {})).toBe('ImplicitlyDenied');
  });

  test('another service may not assume it', async () => {
    expect(await assume('lambda.amazonaws.com', { 'aws:SourceAccount': MEMBER_ACCOUNT })).toBe('ImplicitlyDenied');
  });

  test('its session may put events on the central bus (its policy and the bus policy)', async () => {
    expect((await evaluate({
      principal: forwarder.sessionArn,
      action: 'events:PutEvents',
      resource: busArn,
      resourceAccount: SECURITY_ACCOUNT,
      context: { 'aws:PrincipalOrgID': ORGANIZATION_ID },
      identityPolicies: forwarder.policies,
      resourcePolicy: busPolicy,
    })).decision).toBe('Allowed');
  });

  test('its session may not put events on another bus', async () => {
    for (const bus of [`arn:aws:events:us-east-1:${MEMBER_ACCOUNT}:event-bus/default`, `arn:aws:events:eu-west-1:${SECURITY_ACCOUNT}:event-bus/security-detections`]) {
      expect((await evaluate({
        principal: forwarder.sessionArn,
        action: 'events:PutEvents',
        resource: bus,
        resourceAccount: bus.split(':')[4],
        context: { 'aws:PrincipalOrgID': ORGANIZATION_ID },
        identityPolicies: forwarder.policies,
      })).decision).toBe('ImplicitlyDenied');
    }
  });

  test('its session may not do anything else on the central bus', async () => {
    expect((await evaluate({
      principal: forwarder.sessionArn,
      action: 'events:DescribeEventBus',
      resource: busArn,
      resourceAccount: SECURITY_ACCOUNT,
      context: { 'aws:PrincipalOrgID': ORGANIZATION_ID },
      identityPolicies: forwarder.policies,
      resourcePolicy: busPolicy,
    })).decision).toBe('ImplicitlyDenied');
  });
});

describe('SecurityAlerts on the central bus', () => {
  const publish = async (sourceArn: string) => (await evaluate({
    principal: EVENTS,
    action: 'sns:Publish',
    resource: security.arnOf(alerts.topic),
    resourceAccount: SECURITY_ACCOUNT,
    context: { 'aws:SecureTransport': 'true', 'aws:SourceArn': sourceArn, 'aws:SourceAccount': SECURITY_ACCOUNT },
    resourcePolicy: security.topicPolicy(alerts.topic),
  })).decision;

  test('its rules on the central bus may publish', async () => {
    const ruleArn = security.arnOf(alerts.ruleFor('CIS-4.3'));
    expect(ruleArn).toMatch(new RegExp(`^arn:aws:events:us-east-1:${SECURITY_ACCOUNT}:rule/security-detections/`));
    expect(await publish(ruleArn)).toBe('Allowed');
  });

  test('a rule of the same name on the default bus may not publish', async () => {
    expect(await publish(security.arnOf(alerts.ruleFor('CIS-4.3')).replace('rule/security-detections/', 'rule/'))).toBe('ImplicitlyDenied');
  });
});
