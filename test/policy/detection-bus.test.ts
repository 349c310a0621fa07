import { App, Stack } from 'aws-cdk-lib';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from './support/policy-harness';
import { CentralDetectionBus, DetectionForwardingNames, DetectionForwardingRule, SecurityAlerts } from '../../src';
import { MEMBER_ACCOUNT, ORGANIZATION_ID, OUTSIDE_ACCOUNT, SECURITY_ACCOUNT } from './support/fixtures';

const EVENTS = 'events.amazonaws.com';
const PUT_EVENTS_ANYWHERE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] };
const MEMBER_ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/workload`;
const FORWARDING_ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/${DetectionForwardingNames.ROLE_NAME_PREFIX}us-east-1`;
const RULE_ARN = `arn:aws:events:us-east-1:${MEMBER_ACCOUNT}:rule/${DetectionForwardingNames.RULE_NAME}`;

let security: DeployedStack;
let alerts: SecurityAlerts;
let busArn: string;
let busPolicy: PolicyDocument;
let forwarder: {
  roleArn: string;
  trustPolicy: PolicyDocument;
  policies: PolicyDocument[];
  sessionArn: string;
  ruleArn: string;
  queueArn: string;
  queuePolicy: PolicyDocument;
};

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
    ruleArn: member.arnOf(rule.rule),
    queueArn: member.arnOf(rule.deadLetterQueue!),
    queuePolicy: member.queuePolicy(rule.deadLetterQueue!),
    roleArn,
    trustPolicy: member.trustPolicy(rule.role),
    policies: member.identityPolicies(rule.role),
    sessionArn: `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/events-session`,
  };
});

/**
 * aws:PrincipalArn as AWS sets it in every request (the simulator does not): the role's ARN for a role
 * session, the user's or role's own ARN otherwise.
 */
function principalArn(principal: string): { [key: string]: string } {
  if (!principal.startsWith('arn:')) return {};
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  return { 'aws:PrincipalArn': session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : principal };
}

async function putEvents(principal: string, context: { [key: string]: string }, extra: Partial<AccessRequest> = {}): Promise<string> {
  return (await evaluate({
    principal,
    action: 'events:PutEvents',
    resource: busArn,
    resourceAccount: SECURITY_ACCOUNT,
    context: { ...principalArn(principal), ...context },
    identityPolicies: [PUT_EVENTS_ANYWHERE],
    resourcePolicy: busPolicy,
    ...extra,
  })).decision;
}

describe('central bus policy', () => {
  test('the bus ARN is the one member accounts build with arnFor', () => {
    expect(busArn).toBe(CentralDetectionBus.arnFor({ account: SECURITY_ACCOUNT, region: 'us-east-1' }));
  });

  test('PutEvents from a forwarding role of the organization is allowed', async () => {
    const result = await evaluate({
      principal: FORWARDING_ROLE,
      action: 'events:PutEvents',
      resource: busArn,
      resourceAccount: SECURITY_ACCOUNT,
      context: { ...principalArn(FORWARDING_ROLE), 'aws:PrincipalOrgID': ORGANIZATION_ID },
      identityPolicies: [PUT_EVENTS_ANYWHERE],
      resourcePolicy: busPolicy,
    });
    expect(result.decision).toBe('Allowed');
    expect(result.allowedBy).toContain('cdk-AllowOrganizationForwardingRolesToPutEvents');
  });

  test('PutEvents from a workload role of a member account is denied (it could forge alerts)', async () => {
    expect(await putEvents(MEMBER_ROLE, { 'aws:PrincipalOrgID': ORGANIZATION_ID })).toBe('ImplicitlyDenied');
    expect(await putEvents(`arn:aws:iam::${MEMBER_ACCOUNT}:user/admin`, { 'aws:PrincipalOrgID': ORGANIZATION_ID })).toBe('ImplicitlyDenied');
    expect(await putEvents(`arn:aws:iam::${MEMBER_ACCOUNT}:role/not-${DetectionForwardingNames.ROLE_NAME_PREFIX}us-east-1`,
      { 'aws:PrincipalOrgID': ORGANIZATION_ID })).toBe('ImplicitlyDenied');
  });

  test('PutEvents from a role named like a forwarding role outside the organization is denied', async () => {
    expect(await putEvents(FORWARDING_ROLE.replace(MEMBER_ACCOUNT, OUTSIDE_ACCOUNT), { 'aws:PrincipalOrgID': 'o-zz9yy8xx7w' }))
      .toBe('ImplicitlyDenied');
    expect(await putEvents(FORWARDING_ROLE.replace(MEMBER_ACCOUNT, OUTSIDE_ACCOUNT), {})).toBe('ImplicitlyDenied');
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

  test('a forwarding role without PutEvents in its own policy is denied', async () => {
    expect(await putEvents(FORWARDING_ROLE, { 'aws:PrincipalOrgID': ORGANIZATION_ID }, { identityPolicies: [] })).toBe('ImplicitlyDenied');
  });

  test('the organization may not change the bus\'s rules', async () => {
    expect((await evaluate({
      principal: FORWARDING_ROLE,
      action: 'events:PutRule',
      resource: `arn:aws:events:us-east-1:${SECURITY_ACCOUNT}:rule/security-detections/injected`,
      resourceAccount: SECURITY_ACCOUNT,
      context: { ...principalArn(FORWARDING_ROLE), 'aws:PrincipalOrgID': ORGANIZATION_ID },
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

  test('it has the fixed name the central bus policy admits, and its trust names the forwarding rule', () => {
    expect(forwarder.roleArn).toBe(FORWARDING_ROLE);
    expect(forwarder.ruleArn).toBe(RULE_ARN);
  });

  test('EventBridge, for the forwarding rule of the member account, may assume it', async () => {
    expect(await assume(EVENTS, { 'aws:SourceAccount': MEMBER_ACCOUNT, 'aws:SourceArn': RULE_ARN })).toBe('Allowed');
  });

  test('EventBridge for another rule of the account may not assume it', async () => {
    expect(await assume(EVENTS, { 'aws:SourceAccount': MEMBER_ACCOUNT, 'aws:SourceArn': RULE_ARN.replace(/rule\/.*/, 'rule/attacker') }))
      .toBe('ImplicitlyDenied');
  });

  test('EventBridge on behalf of another account may not assume it', async () => {
    expect(await assume(EVENTS, { 'aws:SourceAccount': OUTSIDE_ACCOUNT, 'aws:SourceArn': RULE_ARN.replace(MEMBER_ACCOUNT, OUTSIDE_ACCOUNT) }))
      .toBe('ImplicitlyDenied');
  });

  test('EventBridge without aws:SourceAccount or aws:SourceArn may not assume it', async () => {
    expect(await assume(EVENTS, {})).toBe('ImplicitlyDenied');
    expect(await assume(EVENTS, { 'aws:SourceAccount': MEMBER_ACCOUNT })).toBe('ImplicitlyDenied');
  });

  test('another service may not assume it', async () => {
    expect(await assume('lambda.amazonaws.com', { 'aws:SourceAccount': MEMBER_ACCOUNT, 'aws:SourceArn': RULE_ARN })).toBe('ImplicitlyDenied');
  });

  test('its session may put events on the central bus (its policy and the bus policy)', async () => {
    expect((await evaluate({
      principal: forwarder.sessionArn,
      action: 'events:PutEvents',
      resource: busArn,
      resourceAccount: SECURITY_ACCOUNT,
      context: { ...principalArn(forwarder.sessionArn), 'aws:PrincipalOrgID': ORGANIZATION_ID },
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
        context: { ...principalArn(forwarder.sessionArn), 'aws:PrincipalOrgID': ORGANIZATION_ID },
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
      context: { ...principalArn(forwarder.sessionArn), 'aws:PrincipalOrgID': ORGANIZATION_ID },
      identityPolicies: forwarder.policies,
      resourcePolicy: busPolicy,
    })).decision).toBe('ImplicitlyDenied');
  });
});

describe('forwarding dead-letter queue (member account)', () => {
  const send = async (principal: string, context: { [key: string]: string }) => (await evaluate({
    principal,
    action: 'sqs:SendMessage',
    resource: forwarder.queueArn,
    resourceAccount: MEMBER_ACCOUNT,
    context: { 'aws:SecureTransport': 'true', ...context },
    resourcePolicy: forwarder.queuePolicy,
  })).decision;

  test('the forwarding rule may dead-letter an event', async () => {
    expect(forwarder.queueArn).toBe(`arn:aws:sqs:us-east-1:${MEMBER_ACCOUNT}:${DetectionForwardingNames.DEAD_LETTER_QUEUE_NAME}`);
    expect(await send(EVENTS, { 'aws:SourceArn': RULE_ARN })).toBe('Allowed');
  });

  test('another rule, another service or a principal of another account may not', async () => {
    expect(await send(EVENTS, { 'aws:SourceArn': RULE_ARN.replace(/rule\/.*/, 'rule/attacker') })).toBe('ImplicitlyDenied');
    expect(await send('sns.amazonaws.com', { 'aws:SourceArn': RULE_ARN })).toBe('ImplicitlyDenied');
    expect((await evaluate({
      principal: `arn:aws:iam::${OUTSIDE_ACCOUNT}:role/admin`,
      action: 'sqs:SendMessage',
      resource: forwarder.queueArn,
      resourceAccount: MEMBER_ACCOUNT,
      context: { 'aws:SecureTransport': 'true' },
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] }],
      resourcePolicy: forwarder.queuePolicy,
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
