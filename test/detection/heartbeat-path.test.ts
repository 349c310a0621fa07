import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { metricFilterMatches } from './metric-filter-evaluator';
import {
  buildOrganizationExample, ALLOWED_REGIONS, ManagementStack, ORGANIZATION_ACCOUNTS, SecurityStack,
} from '../../examples/organization/stacks';
import { DetectionForwarder, DetectionForwardingNames as Names } from '../../src';
import { EventPatternMatcher } from '../../src/private/event-pattern-matcher';
import { CloudTrailEventEnvelope } from '../../src/testing';
import { DeployedStack, evaluate, PolicyDocument } from '../policy/support/policy-harness';

/**
 * The heartbeat's whole path, walked over the synthesized templates of the organization example as they would be
 * deployed: the member account's schedule, its role and policy, the CloudTrail record the write becomes, the
 * forwarding rule and its role and policy, the central bus policy, the heartbeat rule, the log group's resource
 * policy, the metric filter and the account's alarm. Each link is then broken in a copy of the templates, the way
 * a member administrator (or a mistake) could, and the heartbeats must stop reaching the count, so that the
 * account's alarm fires.
 */

const MEMBER = '444444444444';
const SECURITY = '333333333333';
const ORGANIZATION_ID = 'o-exampleorg1';
const HOME = 'us-east-1';
const BUS_ARN = `arn:aws:events:${HOME}:${SECURITY}:event-bus/security-detections`;

type Json = { [key: string]: any };

interface Templates {
  readonly member: Json;
  readonly security: Json;
}

let original: Templates;

beforeAll(() => {
  const app = new App();
  const stacks = buildOrganizationExample(app);
  const management = stacks.find((s): s is ManagementStack => s instanceof ManagementStack)!;
  const security = stacks.find((s): s is SecurityStack => s instanceof SecurityStack)!;
  const forwarder = management.node.findAll().find((c): c is DetectionForwarder => c instanceof DetectionForwarder)!;
  const securityTemplate = Template.fromStack(security).toJSON();
  Template.fromStack(management);
  original = { member: forwarder.memberTemplate, security: securityTemplate };
});

const copy = (t: Templates): Templates => JSON.parse(JSON.stringify(t));

function resourcesOf(template: Json, type: string): Array<[string, Json]> {
  return Object.entries(template.Resources).filter(([, r]: [string, any]) => r.Type === type) as Array<[string, Json]>;
}

function one(template: Json, type: string, test: (props: Json) => boolean): [string, Json] | undefined {
  return resourcesOf(template, type).find(([, r]) => test(r.Properties ?? {}));
}

/** The role a `Fn::GetAtt [Role, Arn]` names. */
function roleId(arn: any): string | undefined {
  return arn?.['Fn::GetAtt']?.[0];
}

function identityPolicies(deployed: DeployedStack, template: Json, role: string): PolicyDocument[] {
  const attached = Object.values(template.Resources as Json)
    .filter((r: any) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type))
    .filter((r: any) => (r.Properties.Roles ?? []).some((ref: any) => ref.Ref === role))
    .map((r: any) => r.Properties.PolicyDocument);
  return deployed.resolve(attached);
}

/** The CloudTrail record of the heartbeat write, made by a session of the heartbeat role. */
function heartbeatRecord(account: string, region: string, roleName: string, parameterName: string): Json {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEHEARTBEAT:d5fb1d2e4c1a4a7c9b0a',
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/d5fb1d2e4c1a4a7c9b0a`,
      accountId: account,
      accessKeyId: 'ASIAEXAMPLEHEARTBEAT',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEHEARTBEAT', arn: `arn:aws:iam::${account}:role/${roleName}`, accountId: account, userName: roleName },
        attributes: { creationDate: '2026-12-08T10:00:00Z', mfaAuthenticated: 'false' },
      },
      invokedBy: 'scheduler.amazonaws.com',
    },
    eventTime: '2026-12-08T10:05:00Z',
    eventSource: 'ssm.amazonaws.com',
    eventName: 'PutParameter',
    awsRegion: region,
    sourceIPAddress: 'scheduler.amazonaws.com',
    userAgent: 'scheduler.amazonaws.com',
    requestParameters: { name: parameterName, type: 'String', overwrite: true, value: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    responseElements: { version: 42, tier: 'Standard' },
    requestID: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
    eventID: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

/** Why the heartbeat of one account and region does not reach the count, or undefined when it does. */
async function brokenLink(t: Templates, account: string, region: string): Promise<string | undefined> {
  const member = DeployedStack.ofTemplate(t.member, { account, region, parameters: { CentralEventBusArn: BUS_ARN } });
  const security = DeployedStack.ofTemplate(t.security, { account: SECURITY, region: HOME });

  // 1. The schedule calls ssm:PutParameter with the heartbeat parameter, as a role the scheduler may assume.
  const schedule = one(t.member, 'AWS::Scheduler::Schedule', p => p.Name === Names.HEARTBEAT_SCHEDULE_NAME);
  if (!schedule) return 'no heartbeat schedule';
  const sp = schedule[1].Properties;
  if ((sp.State ?? 'ENABLED') !== 'ENABLED') return 'schedule disabled';
  if (member.resolve(sp.Target.Arn) !== 'arn:aws:scheduler:::aws-sdk:ssm:putParameter') return 'schedule target is not ssm:PutParameter';
  const input = JSON.parse(sp.Target.Input);
  const parameterArn = `arn:aws:ssm:${region}:${account}:parameter${input.Name}`;
  const heartbeatRole = roleId(sp.Target.RoleArn);
  if (!heartbeatRole || !t.member.Resources[heartbeatRole]) return 'schedule has no role';
  const heartbeatRoleArn = member.resolve(sp.Target.RoleArn);
  const assume = await evaluate({
    principal: 'scheduler.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: heartbeatRoleArn,
    resourceAccount: account,
    resourcePolicy: member.resolve(t.member.Resources[heartbeatRole].Properties.AssumeRolePolicyDocument),
    context: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:scheduler:${region}:${account}:schedule-group/default` },
  });
  if (assume.decision !== 'Allowed') return 'scheduler cannot assume the heartbeat role';
  const write = await evaluate({
    principal: heartbeatRoleArn,
    action: 'ssm:PutParameter',
    resource: parameterArn,
    resourceAccount: account,
    identityPolicies: identityPolicies(member, t.member, heartbeatRole),
  });
  if (write.decision !== 'Allowed') return 'heartbeat role may not write the parameter';

  // 2. CloudTrail records the write; EventBridge delivers it to the account's default bus.
  const roleName = heartbeatRoleArn.split(':role/')[1];
  const event = CloudTrailEventEnvelope.fromRecord(heartbeatRecord(account, region, roleName, input.Name));

  // 3. The forwarding rule matches it and puts it on the central bus with its role.
  const rule = one(t.member, 'AWS::Events::Rule', p => p.Name === Names.RULE_NAME);
  if (!rule) return 'no forwarding rule';
  const rp = rule[1].Properties;
  if (!ruleEnabled(rp.State)) return 'forwarding rule disabled';
  if (!EventPatternMatcher.matches(rp.EventPattern, event)) return 'forwarding pattern does not match the heartbeat';
  const target = (rp.Targets ?? []).find((x: any) => member.resolve(x.Arn) === BUS_ARN);
  if (!target) return 'forwarding rule does not target the central bus';
  const forwardingRole = roleId(target.RoleArn);
  if (!forwardingRole || !t.member.Resources[forwardingRole]) return 'forwarding target has no role';
  const forwardingRoleArn = member.resolve(target.RoleArn);
  const ruleArn = `arn:aws:events:${region}:${account}:rule/${rp.Name}`;
  const assumeForwarding = await evaluate({
    principal: 'events.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: forwardingRoleArn,
    resourceAccount: account,
    resourcePolicy: member.resolve(t.member.Resources[forwardingRole].Properties.AssumeRolePolicyDocument),
    context: { 'aws:SourceAccount': account, 'aws:SourceArn': ruleArn },
  });
  if (assumeForwarding.decision !== 'Allowed') return 'EventBridge cannot assume the forwarding role';
  const putEvents = await evaluate({
    principal: forwardingRoleArn,
    action: 'events:PutEvents',
    resource: BUS_ARN,
    resourceAccount: SECURITY,
    identityPolicies: identityPolicies(member, t.member, forwardingRole),
    resourcePolicy: busPolicy(security, t.security),
    context: { 'aws:PrincipalOrgID': ORGANIZATION_ID, 'aws:PrincipalArn': forwardingRoleArn, 'aws:PrincipalAccount': account },
  });
  if (putEvents.decision !== 'Allowed') return 'the central bus refuses the forwarding role';

  // 4. The heartbeat rule on the central bus sends it to the heartbeat log group.
  const heartbeatRule = one(t.security, 'AWS::Events::Rule', p => p.Name === 'cloudtrail-governance-heartbeat');
  if (!heartbeatRule) return 'no heartbeat rule';
  const hp = heartbeatRule[1].Properties;
  if (!ruleEnabled(hp.State)) return 'heartbeat rule disabled';
  if (security.resolve(hp.EventBusName) !== 'security-detections') return 'heartbeat rule is not on the central bus';
  if (!EventPatternMatcher.matches(hp.EventPattern, event)) return 'heartbeat pattern does not match the heartbeat';
  const logGroupArn = `arn:aws:logs:${HOME}:${SECURITY}:log-group:${Names.HEARTBEAT_LOG_GROUP_NAME}`;
  if (!(hp.Targets ?? []).some((x: any) => security.resolve(x.Arn) === logGroupArn)) return 'heartbeat rule does not target the log group';
  const logPolicies = resourcesOf(t.security, 'AWS::Logs::ResourcePolicy').map(([, r]) => JSON.parse(security.resolve(r.Properties.PolicyDocument)));
  const delivered = await Promise.all(logPolicies.map(policy => evaluate({
    principal: 'events.amazonaws.com',
    action: 'logs:PutLogEvents',
    resource: `${logGroupArn}:log-stream:x`,
    resourceAccount: SECURITY,
    resourcePolicy: policy,
    context: { 'aws:SourceArn': `arn:aws:events:${HOME}:${SECURITY}:rule/security-detections/${hp.Name}`, 'aws:SourceAccount': SECURITY },
  })));
  if (!delivered.some(d => d.decision === 'Allowed')) return 'the log group refuses EventBridge';

  // 5. The metric filter counts it, for this account.
  const filter = one(t.security, 'AWS::Logs::MetricFilter', p => security.resolve(p.LogGroupName) === Names.HEARTBEAT_LOG_GROUP_NAME);
  if (!filter) return 'no heartbeat metric filter';
  const fp = filter[1].Properties;
  if (!metricFilterMatches(fp.FilterPattern, event)) return 'the metric filter does not count the heartbeat';
  const transformation = fp.MetricTransformations[0];
  const dimension = (transformation.Dimensions ?? []).find((d: any) => d.Key === 'Account');
  if (dimension?.Value !== '$.account' || event.account !== account) return 'the heartbeat is not counted for its account';
  return undefined;
}

/** A rule is on unless disabled (EventBridge's default state is ENABLED). */
function ruleEnabled(state: string | undefined): boolean {
  return state === undefined || state === 'ENABLED' || state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
}

function busPolicy(security: DeployedStack, template: Json): PolicyDocument {
  const statements = resourcesOf(template, 'AWS::Events::EventBusPolicy').map(([, r]) => r.Properties.Statement);
  return { Version: '2012-10-17', Statement: security.resolve(statements) };
}

/**
 * The state the account's alarm reaches over one window, given which regions deliver: the alarm's own threshold,
 * comparison and missing-data treatment, applied to the count of heartbeats that arrive.
 */
async function alarmState(t: Templates, account: string, deliveringRegions?: string[]): Promise<'OK' | 'ALARM'> {
  const alarm = one(t.security, 'AWS::CloudWatch::Alarm', p => p.AlarmName === `${Names.HEARTBEAT_ALARM_NAME_PREFIX}${account}`);
  if (!alarm) throw new Error(`no heartbeat alarm for ${account}`);
  const ap = alarm[1].Properties;
  const filter = one(t.security, 'AWS::Logs::MetricFilter', p => p.MetricTransformations?.[0]?.MetricName === ap.MetricName);
  if (!filter || filter[1].Properties.MetricTransformations[0].MetricNamespace !== ap.Namespace) throw new Error('alarm reads no metric of the filter');
  const schedule = one(t.member, 'AWS::Scheduler::Schedule', p => p.Name === Names.HEARTBEAT_SCHEDULE_NAME);
  const minutes = Number(/^rate\((\d+) minutes?\)$/.exec(schedule?.[1].Properties.ScheduleExpression ?? 'rate(5 minutes)')![1]);
  const perRegion = ap.Period / 60 / minutes;
  let count = 0;
  for (const region of ALLOWED_REGIONS) {
    const broken = await brokenLink(t, account, region);
    if (broken === undefined && (deliveringRegions ?? ALLOWED_REGIONS).includes(region)) count += perRegion;
  }
  if (count === 0) return ap.TreatMissingData === 'breaching' ? 'ALARM' : 'OK';
  expect(ap.ComparisonOperator).toBe('LessThanThreshold');
  return count < ap.Threshold ? 'ALARM' : 'OK';
}

describe('the heartbeat path of the organization example', () => {
  test('every link holds: the heartbeat of every account and region is counted, and no alarm fires', async () => {
    for (const account of ORGANIZATION_ACCOUNTS) {
      for (const region of ALLOWED_REGIONS) {
        expect([account, region, await brokenLink(original, account, region)]).toEqual([account, region, undefined]);
      }
      expect(await alarmState(original, account)).toBe('OK');
    }
  });

  test('one region going quiet is enough to fire the account\'s alarm', async () => {
    expect(await alarmState(original, MEMBER, [ALLOWED_REGIONS[0]])).toBe('ALARM');
    expect(await alarmState(original, MEMBER, [])).toBe('ALARM');
  });

  const member = (change: (r: Json) => void) => (t: Templates) => change(t.member.Resources);
  const security = (change: (r: Json) => void) => (t: Templates) => change(t.security.Resources);
  const props = (resources: Json, type: string, test: (p: Json) => boolean = () => true): Json => {
    const found = Object.values(resources).find((r: any) => r.Type === type && test(r.Properties));
    if (!found) throw new Error(`no ${type}`);
    return (found as Json).Properties;
  };
  const forwardingRule = (r: Json) => props(r, 'AWS::Events::Rule', p => p.Name === Names.RULE_NAME);
  const schedule = (r: Json) => props(r, 'AWS::Scheduler::Schedule');
  const policyNamed = (prefix: string) => (r: Json) => props(r, 'AWS::IAM::ManagedPolicy',
    p => JSON.stringify(p.ManagedPolicyName).includes(prefix));
  const denyAll = { Effect: 'Deny', Action: '*', Resource: '*' };

  /** [the link, how it is broken]: each is something a member administrator could try without the guardrails. */
  const BREAKS: Array<[string, (t: Templates) => void, string]> = [
    ['schedule disabled', member(r => { schedule(r).State = 'DISABLED'; }), 'schedule disabled'],

    ['schedule deleted', member(r => { for (const [k, v] of Object.entries(r)) if ((v as any).Type === 'AWS::Scheduler::Schedule') delete r[k]; }), 'no heartbeat schedule'],

    ['schedule writes another parameter', member(r => { schedule(r).Target.Input = JSON.stringify({ ...JSON.parse(schedule(r).Target.Input), Name: '/other' }); }), 'heartbeat role may not write the parameter'],

    ['heartbeat role trust rewritten', member(r => {
      props(r, 'AWS::IAM::Role', p => JSON.stringify(p.RoleName).includes('heartbeat')).AssumeRolePolicyDocument.Statement[0].Principal = { Service: 'ec2.amazonaws.com' };
    }), 'scheduler cannot assume the heartbeat role'],

    ['heartbeat policy given a deny-all default version', member(r => { policyNamed('forwarding-heartbeat-')(r).PolicyDocument.Statement = [denyAll]; }), 'heartbeat role may not write the parameter'],

    ['forwarding rule disabled', member(r => { forwardingRule(r).State = 'DISABLED'; }), 'forwarding rule disabled'],

    ['forwarding rule re-patterned', member(r => { forwardingRule(r).EventPattern = { source: ['aws.none'] }; }), 'forwarding pattern does not match the heartbeat'],

    ['forwarding rule re-targeted', member(r => { forwardingRule(r).Targets[0].Arn = 'arn:aws:events:us-east-1:444444444444:event-bus/default'; }), 'forwarding rule does not target the central bus'],

    ['forwarding targets removed', member(r => { forwardingRule(r).Targets = []; }), 'forwarding rule does not target the central bus'],

    ['forwarding role trust rewritten', member(r => {
      props(r, 'AWS::IAM::Role', p => !JSON.stringify(p.RoleName).includes('heartbeat')).AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals['aws:SourceArn'] = 'arn:aws:events:us-east-1:444444444444:rule/other';
    }), 'EventBridge cannot assume the forwarding role'],

    ['forwarding policy given a deny-all default version', member(r => {
      policyNamed('"cloudtrail-governance-forwarding-",')(r).PolicyDocument.Statement = [denyAll];
    }), 'the central bus refuses the forwarding role'],

    ['forwarding policy detached', member(r => { policyNamed('"cloudtrail-governance-forwarding-",')(r).Roles = []; }), 'the central bus refuses the forwarding role'],

    ['central bus policy narrowed to another organization', security(r => {
      props(r, 'AWS::Events::EventBusPolicy').Statement.Condition.StringEquals['aws:PrincipalOrgID'] = 'o-otherorg999';
    }), 'the central bus refuses the forwarding role'],

    ['heartbeat rule disabled', security(r => { props(r, 'AWS::Events::Rule', p => p.Name === 'cloudtrail-governance-heartbeat').State = 'DISABLED'; }), 'heartbeat rule disabled'],

    ['heartbeat log group policy removed', security(r => { for (const [k, v] of Object.entries(r)) if ((v as any).Type === 'AWS::Logs::ResourcePolicy') delete r[k]; }), 'the log group refuses EventBridge'],

    ['heartbeat metric filter re-patterned', security(r => {
      props(r, 'AWS::Logs::MetricFilter', p => p.MetricTransformations[0].MetricName === 'Heartbeats').FilterPattern = '{ $.detail.eventName = "Nothing" }';
    }), 'the metric filter does not count the heartbeat'],
  ];

  test.each(BREAKS)('%s: the heartbeats stop and the account\'s alarm fires', async (_name, breakIt, reason) => {
    const broken = copy(original);
    breakIt(broken);
    for (const region of ALLOWED_REGIONS) expect(await brokenLink(broken, MEMBER, region)).toBe(reason);
    expect(await alarmState(broken, MEMBER)).toBe('ALARM');
  });

  test('a heartbeat written by hand, by any other principal, is not counted', async () => {
    const forged = CloudTrailEventEnvelope.fromRecord(heartbeatRecord(MEMBER, HOME, 'Admin', Names.HEARTBEAT_PARAMETER_NAME));
    const rule = one(original.security, 'AWS::Events::Rule', p => p.Name === 'cloudtrail-governance-heartbeat')!;
    expect(EventPatternMatcher.matches(rule[1].Properties.EventPattern, forged)).toBe(false);
    const denied = { ...heartbeatRecord(MEMBER, HOME, `${Names.HEARTBEAT_ROLE_NAME_PREFIX}${HOME}`, Names.HEARTBEAT_PARAMETER_NAME), errorCode: 'AccessDenied' };
    expect(EventPatternMatcher.matches(rule[1].Properties.EventPattern, CloudTrailEventEnvelope.fromRecord(denied))).toBe(false);
    expect(EventPatternMatcher.matches(rule[1].Properties.EventPattern, { ...CloudTrailEventEnvelope.fromRecord(denied), source: 'custom.ssm' })).toBe(false);
  });

  test('every alarm that reports on the heartbeat or on forwarding has an action outside the path it watches', () => {
    const app = new App();
    const stacks = buildOrganizationExample(app);
    const templates = stacks.map(s => ({ stack: s, template: Template.fromStack(s).toJSON() }));
    const management = stacks.find((s): s is ManagementStack => s instanceof ManagementStack)!;
    const forwarder = management.node.findAll().find((c): c is DetectionForwarder => c instanceof DetectionForwarder)!;
    const all: Array<{ where: string; region: string; template: Json }> = [
      ...templates.map(({ stack, template }) => ({ where: stack.stackName, region: Stack.of(stack).region, template })),
      { where: 'member', region: '${AWS::Region}', template: forwarder.memberTemplate },
    ];
    let forwardingAlarms = 0;
    for (const { where, region, template } of all) {
      for (const [id, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
        const p = alarm.Properties;
        const name = JSON.stringify(p.AlarmName ?? id);
        const actions = JSON.stringify(p.AlarmActions ?? []);
        expect([where, id, (p.AlarmActions ?? []).length > 0]).toEqual([where, id, true]);
        if (name.includes(Names.ALARM_NAME_PREFIX) && !name.includes(Names.HEARTBEAT_ALARM_NAME_PREFIX)) {
          forwardingAlarms++;
          // A forwarding health alarm notifies the security account's topic of its own region, never a topic of
          // the account it watches, and never through the forwarding rule.
          expect([where, id, actions]).toEqual([where, id, expect.stringContaining(`:${SECURITY}:${Names.HEALTH_TOPIC_NAME}`)]);
          expect(actions).toContain(region === '${AWS::Region}' ? '{"Ref":"AWS::Region"}' : `:sns:${region}:`);
        }
      }
    }
    // The member template's two, and those of the management account's forwarding rule in each region.
    expect(forwardingAlarms).toBe(2 + 2 * ALLOWED_REGIONS.length);
  });
});
