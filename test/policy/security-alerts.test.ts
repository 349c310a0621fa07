import { App, Stack } from 'aws-cdk-lib';
import { AccessRequest, DeployedStack, evaluate, PolicyDocument } from './support/policy-harness';
import { AccountTrail, CisAlarms, SecurityAlerts } from '../../src';
import { ACCOUNT_TRAIL, importedArchive, OUTSIDE_ACCOUNT, STANDALONE_ACCOUNT } from './support/fixtures';

const EVENTS = 'events.amazonaws.com';
const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const TLS = { 'aws:SecureTransport': 'true' };
const ALARM_ARN = `arn:aws:cloudwatch:eu-west-1:${STANDALONE_ACCOUNT}:alarm:CisCIS43Alarm`;

let deployed: DeployedStack;
let alerts: SecurityAlerts;
let topicArn: string;
let topicPolicy: PolicyDocument;
let keyArn: string;
let keyPolicy: PolicyDocument;
let queueArn: string;
let queuePolicy: PolicyDocument;
let ownTopic: { arn: string; policy: PolicyDocument; keyArn: string; keyPolicy: PolicyDocument };
let dlqKey: { arn: string; policy: PolicyDocument };
let health: { arn: string; policy: PolicyDocument; keyArn: string; keyPolicy: PolicyDocument };

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'Alerts', { env: { account: STANDALONE_ACCOUNT, region: 'eu-west-1' } });
  const archive = importedArchive(stack);
  const trail = new AccountTrail(stack, 'Trail', { identity: ACCOUNT_TRAIL, archive, cloudWatchLogs: {} });
  alerts = new SecurityAlerts(stack, 'Alerts');
  new CisAlarms(stack, 'Cis', { logGroup: trail.logGroup!, topic: alerts.topic });

  // CIS alarms with the topic and key they create themselves, on the same trail in an app of its own (one app
  // cannot hold the same trail twice in one account and region).
  const standalone = new Stack(new App(), 'CisOnly', { env: { account: STANDALONE_ACCOUNT, region: 'eu-west-1' } });
  const ownTrail = new AccountTrail(standalone, 'Trail', { identity: ACCOUNT_TRAIL, archive: importedArchive(standalone), cloudWatchLogs: {} });
  const cis = new CisAlarms(standalone, 'Cis', { logGroup: ownTrail.logGroup! });

  deployed = new DeployedStack(stack);
  topicArn = deployed.arnOf(alerts.topic);
  topicPolicy = deployed.topicPolicy(alerts.topic);
  keyArn = deployed.arnOf(alerts.encryptionKey!);
  keyPolicy = deployed.keyPolicy(alerts.encryptionKey!);
  queueArn = deployed.arnOf(alerts.deadLetterQueue);
  queuePolicy = deployed.queuePolicy(alerts.deadLetterQueue);
  dlqKey = { arn: deployed.arnOf(alerts.deadLetterQueueKey!), policy: deployed.keyPolicy(alerts.deadLetterQueueKey!) };
  const healthKey = alerts.healthTopic!.masterKey!;
  health = {
    arn: deployed.arnOf(alerts.healthTopic!),
    policy: deployed.topicPolicy(alerts.healthTopic!),
    keyArn: deployed.arnOf(healthKey),
    keyPolicy: deployed.keyPolicy(healthKey),
  };
  const own = new DeployedStack(standalone);
  const ownKey = cis.node.findChild('TopicKey');
  ownTopic = { arn: own.arnOf(cis.topic), policy: own.topicPolicy(cis.topic), keyArn: own.arnOf(ownKey), keyPolicy: own.keyPolicy(ownKey) };
});

async function publish(principal: string, context: { [key: string]: string }, extra: Partial<AccessRequest> = {}): Promise<string> {
  return (await evaluate({
    principal,
    action: 'sns:Publish',
    resource: topicArn,
    resourceAccount: STANDALONE_ACCOUNT,
    context: { ...TLS, ...context },
    resourcePolicy: topicPolicy,
    ...extra,
  })).decision;
}

describe('alerts topic policy: EventBridge rules', () => {
  test('a rule of SecurityAlerts may publish, by the AllowAlertRulesToPublish statement', async () => {
    const result = await evaluate({
      principal: EVENTS,
      action: 'sns:Publish',
      resource: topicArn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { ...TLS, 'aws:SourceArn': deployed.arnOf(alerts.ruleFor('CIS-4.3')), 'aws:SourceAccount': STANDALONE_ACCOUNT },
      resourcePolicy: topicPolicy,
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['AllowAlertRulesToPublish'], deniedBy: [] });
  });

  test('every rule of SecurityAlerts may publish', async () => {
    expect(alerts.rules.length).toBeGreaterThan(15);
    for (const rule of alerts.rules) {
      expect(await publish(EVENTS, { 'aws:SourceArn': deployed.arnOf(rule), 'aws:SourceAccount': STANDALONE_ACCOUNT })).toBe('Allowed');
    }
  });

  test('a rule the policy does not list may not publish', async () => {
    expect(await publish(EVENTS, {
      'aws:SourceArn': `arn:aws:events:eu-west-1:${STANDALONE_ACCOUNT}:rule/someone-elses-rule`, 'aws:SourceAccount': STANDALONE_ACCOUNT,
    })).toBe('ImplicitlyDenied');
  });

  test('a listed rule with another source account may not publish', async () => {
    expect(await publish(EVENTS, { 'aws:SourceArn': deployed.arnOf(alerts.ruleFor('CIS-4.3')), 'aws:SourceAccount': OUTSIDE_ACCOUNT }))
      .toBe('ImplicitlyDenied');
  });

  test('EventBridge without aws:SourceArn may not publish', async () => {
    expect(await publish(EVENTS, { 'aws:SourceAccount': STANDALONE_ACCOUNT })).toBe('ImplicitlyDenied');
  });

  test('publishing over plain HTTP is explicitly denied', async () => {
    expect(await publish(EVENTS, {
      'aws:SecureTransport': 'false', 'aws:SourceArn': deployed.arnOf(alerts.ruleFor('CIS-4.3')), 'aws:SourceAccount': STANDALONE_ACCOUNT,
    })).toBe('ExplicitlyDenied');
  });

  test('a principal of another account with sns:* in its own policy may not publish', async () => {
    expect(await publish(`arn:aws:iam::${OUTSIDE_ACCOUNT}:role/admin`, {}, {
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:*', Resource: '*' }] }],
    })).toBe('ImplicitlyDenied');
  });

  test('another service may not publish with a listed rule ARN', async () => {
    expect(await publish('s3.amazonaws.com', { 'aws:SourceArn': deployed.arnOf(alerts.ruleFor('CIS-4.3')), 'aws:SourceAccount': STANDALONE_ACCOUNT }))
      .toBe('ImplicitlyDenied');
  });
});

describe('alerts topic policy: CIS alarms (CisAlarms on the SecurityAlerts topic)', () => {
  test('a CloudWatch alarm of the account and region may publish, by the AllowCisAlarmsToPublish statement', async () => {
    const result = await evaluate({
      principal: CLOUDWATCH,
      action: 'sns:Publish',
      resource: topicArn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { ...TLS, 'aws:SourceArn': ALARM_ARN, 'aws:SourceAccount': STANDALONE_ACCOUNT },
      resourcePolicy: topicPolicy,
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['AllowCisAlarmsToPublish'], deniedBy: [] });
  });

  test('an alarm of another region may not publish', async () => {
    expect(await publish(CLOUDWATCH, { 'aws:SourceArn': ALARM_ARN.replace('eu-west-1', 'us-east-1'), 'aws:SourceAccount': STANDALONE_ACCOUNT }))
      .toBe('ImplicitlyDenied');
  });

  test('an alarm of another account may not publish', async () => {
    expect(await publish(CLOUDWATCH, {
      'aws:SourceArn': ALARM_ARN.replace(STANDALONE_ACCOUNT, OUTSIDE_ACCOUNT), 'aws:SourceAccount': OUTSIDE_ACCOUNT,
    })).toBe('ImplicitlyDenied');
  });

  test('CloudWatch without aws:SourceArn may not publish', async () => {
    expect(await publish(CLOUDWATCH, { 'aws:SourceAccount': STANDALONE_ACCOUNT })).toBe('ImplicitlyDenied');
  });

  test('the alarm ARN alone is enough: aws:SourceAccount, undocumented for CloudWatch, is not required', async () => {
    expect(await publish(CLOUDWATCH, { 'aws:SourceArn': ALARM_ARN })).toBe('Allowed');
  });

  test('CloudWatch with an EventBridge rule ARN may not publish', async () => {
    expect(await publish(CLOUDWATCH, { 'aws:SourceArn': deployed.arnOf(alerts.ruleFor('CIS-4.3')), 'aws:SourceAccount': STANDALONE_ACCOUNT }))
      .toBe('ImplicitlyDenied');
  });
});

describe('alerts key policy', () => {
  const onKey = async (principal: string, action: string, context: { [key: string]: string }, extra: Partial<AccessRequest> = {}) =>
    (await evaluate({ principal, action, resource: keyArn, resourceAccount: STANDALONE_ACCOUNT, context, resourcePolicy: keyPolicy, ...extra }))
      .decision;

  // What SNS passes to KMS for the alerts topic: its ARN as encryption context (no aws:Source* keys for EventBridge).
  const topicContext = () => ({ 'kms:EncryptionContext:aws:sns:topicArn': topicArn });

  test('EventBridge may generate data keys and decrypt for the alerts topic (SNS\'s encryption context)', async () => {
    const result = await evaluate({
      principal: EVENTS,
      action: 'kms:GenerateDataKey',
      resource: keyArn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: topicContext(),
      resourcePolicy: keyPolicy,
    });
    expect(result).toEqual({ decision: 'Allowed', allowedBy: ['AllowEventBridgeToEncryptAlerts'], deniedBy: [] });
    expect(await onKey(EVENTS, 'kms:Decrypt', topicContext())).toBe('Allowed');
  });

  test('EventBridge may not use the key for a topic of another account, or outside SNS', async () => {
    expect(await onKey(EVENTS, 'kms:GenerateDataKey', { 'kms:EncryptionContext:aws:sns:topicArn': topicArn.replace(STANDALONE_ACCOUNT, OUTSIDE_ACCOUNT) }))
      .toBe('ImplicitlyDenied');
    expect(await onKey(EVENTS, 'kms:GenerateDataKey', { 'kms:EncryptionContext:aws:sqs:arn': queueArn })).toBe('ImplicitlyDenied');
    expect(await onKey(EVENTS, 'kms:Decrypt', {})).toBe('ImplicitlyDenied');
  });

  test('EventBridge may not do anything else with the key', async () => {
    for (const action of ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy']) {
      expect(await onKey(EVENTS, action, {})).toBe('ImplicitlyDenied');
    }
  });

  // SNS makes these KMS requests for the alarm; no AWS page documents aws:Source* keys in them, so the key
  // must not depend on them: only the topic encryption context SNS passes.
  test('CloudWatch may generate data keys and decrypt for this account\'s topics, with only SNS\'s encryption context', async () => {
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      const result = await evaluate({
        principal: CLOUDWATCH, action, resource: keyArn, resourceAccount: STANDALONE_ACCOUNT, context: topicContext(), resourcePolicy: keyPolicy,
      });
      expect(result).toEqual({ decision: 'Allowed', allowedBy: ['AllowCisAlarmsToEncrypt'], deniedBy: [] });
      expect(await onKey(CLOUDWATCH, action, { 'aws:SourceArn': ALARM_ARN, 'aws:SourceAccount': STANDALONE_ACCOUNT, ...topicContext() }))
        .toBe('Allowed');
    }
  });

  test('CloudWatch may not use the key for another account\'s topic, or without the topic context', async () => {
    expect(await onKey(CLOUDWATCH, 'kms:GenerateDataKey', {
      'kms:EncryptionContext:aws:sns:topicArn': topicArn.replace(STANDALONE_ACCOUNT, OUTSIDE_ACCOUNT),
    })).toBe('ImplicitlyDenied');
    expect(await onKey(CLOUDWATCH, 'kms:GenerateDataKey', { 'aws:SourceArn': ALARM_ARN, 'aws:SourceAccount': STANDALONE_ACCOUNT }))
      .toBe('ImplicitlyDenied');
  });

  test('a principal of another account with kms:* in its own policy may not decrypt', async () => {
    expect(await onKey(`arn:aws:iam::${OUTSIDE_ACCOUNT}:role/admin`, 'kms:Decrypt', {}, {
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
    })).toBe('ImplicitlyDenied');
  });

  test('a user creating a grant not for an AWS resource is explicitly denied', async () => {
    expect(await onKey(`arn:aws:iam::${STANDALONE_ACCOUNT}:user/key-admin`, 'kms:CreateGrant',
      { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' }, {
        identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
      })).toBe('ExplicitlyDenied');
  });
});

describe('alerts dead-letter queue policy', () => {
  const send = async (principal: string, context: { [key: string]: string }) => (await evaluate({
    principal,
    action: 'sqs:SendMessage',
    resource: queueArn,
    resourceAccount: STANDALONE_ACCOUNT,
    context: { ...TLS, ...context },
    resourcePolicy: queuePolicy,
  })).decision;

  test('a rule of SecurityAlerts may dead-letter an event', async () => {
    expect(await send(EVENTS, { 'aws:SourceArn': deployed.arnOf(alerts.ruleFor('CLOUDTRAIL-TAMPERING')), 'aws:SourceAccount': STANDALONE_ACCOUNT }))
      .toBe('Allowed');
  });

  test('a rule the policy does not list may not', async () => {
    expect(await send(EVENTS, { 'aws:SourceArn': `arn:aws:events:eu-west-1:${STANDALONE_ACCOUNT}:rule/someone-elses-rule` }))
      .toBe('ImplicitlyDenied');
  });

  test('sending over plain HTTP is explicitly denied', async () => {
    expect(await send(EVENTS, { 'aws:SecureTransport': 'false', 'aws:SourceArn': deployed.arnOf(alerts.ruleFor('CIS-4.3')) }))
      .toBe('ExplicitlyDenied');
  });
});

describe('alerts dead-letter queue key', () => {
  const onKey = async (principal: string, action: string, context: { [key: string]: string }) =>
    (await evaluate({ principal, action, resource: dlqKey.arn, resourceAccount: STANDALONE_ACCOUNT, context, resourcePolicy: dlqKey.policy }))
      .decision;

  test('is not the topic\'s key', () => {
    expect(dlqKey.arn).not.toBe(keyArn);
  });

  test('EventBridge may use it for the dead-letter queue (SQS\'s encryption context)', async () => {
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      expect(await onKey(EVENTS, action, { 'kms:EncryptionContext:aws:sqs:arn': queueArn })).toBe('Allowed');
    }
  });

  test('EventBridge may not use it for another queue, for a topic, or without context', async () => {
    expect(await onKey(EVENTS, 'kms:GenerateDataKey', { 'kms:EncryptionContext:aws:sqs:arn': `${queueArn}-other` })).toBe('ImplicitlyDenied');
    expect(await onKey(EVENTS, 'kms:GenerateDataKey', { 'kms:EncryptionContext:aws:sns:topicArn': topicArn })).toBe('ImplicitlyDenied');
    expect(await onKey(EVENTS, 'kms:GenerateDataKey', {})).toBe('ImplicitlyDenied');
  });

  test('the topic key cannot encrypt the dead-letter queue', async () => {
    expect((await evaluate({
      principal: EVENTS,
      action: 'kms:GenerateDataKey',
      resource: keyArn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { 'kms:EncryptionContext:aws:sqs:arn': queueArn },
      resourcePolicy: keyPolicy,
    })).decision).toBe('ImplicitlyDenied');
  });
});

describe('health topic', () => {
  test('CloudWatch alarms of the account may publish to it and use its key, which is neither alerts key', async () => {
    expect(health.keyArn).not.toBe(keyArn);
    expect(health.keyArn).not.toBe(dlqKey.arn);
    const context = { 'aws:SourceArn': ALARM_ARN, 'aws:SourceAccount': STANDALONE_ACCOUNT };
    expect((await evaluate({
      principal: CLOUDWATCH,
      action: 'sns:Publish',
      resource: health.arn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { ...TLS, ...context },
      resourcePolicy: health.policy,
    }))).toEqual({ decision: 'Allowed', allowedBy: ['AllowHealthAlarmsToPublish'], deniedBy: [] });
    expect((await evaluate({
      principal: CLOUDWATCH,
      action: 'kms:GenerateDataKey',
      resource: health.keyArn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { 'kms:EncryptionContext:aws:sns:topicArn': health.arn },
      resourcePolicy: health.keyPolicy,
    })).decision).toBe('Allowed');
  });

  test('EventBridge and alarms of another account may not publish to it', async () => {
    expect((await evaluate({
      principal: EVENTS,
      action: 'sns:Publish',
      resource: health.arn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { ...TLS, 'aws:SourceAccount': STANDALONE_ACCOUNT, 'aws:SourceArn': deployed.arnOf(alerts.ruleFor('CIS-4.3')) },
      resourcePolicy: health.policy,
    })).decision).toBe('ImplicitlyDenied');
    expect((await evaluate({
      principal: CLOUDWATCH,
      action: 'sns:Publish',
      resource: health.arn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { ...TLS, 'aws:SourceArn': ALARM_ARN.replace(STANDALONE_ACCOUNT, OUTSIDE_ACCOUNT), 'aws:SourceAccount': OUTSIDE_ACCOUNT },
      resourcePolicy: health.policy,
    })).decision).toBe('ImplicitlyDenied');
  });
});

describe('CisAlarms with its own topic', () => {
  test('its alarms may publish and use its key', async () => {
    const context = { ...TLS, 'aws:SourceArn': ALARM_ARN, 'aws:SourceAccount': STANDALONE_ACCOUNT };
    expect((await evaluate({
      principal: CLOUDWATCH, action: 'sns:Publish', resource: ownTopic.arn, resourceAccount: STANDALONE_ACCOUNT, context, resourcePolicy: ownTopic.policy,
    })).decision).toBe('Allowed');
    expect((await evaluate({
      principal: CLOUDWATCH,
      action: 'kms:GenerateDataKey',
      resource: ownTopic.keyArn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { 'kms:EncryptionContext:aws:sns:topicArn': ownTopic.arn },
      resourcePolicy: ownTopic.keyPolicy,
    })).decision).toBe('Allowed');
  });

  test('EventBridge may not publish to it', async () => {
    expect((await evaluate({
      principal: EVENTS,
      action: 'sns:Publish',
      resource: ownTopic.arn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { ...TLS, 'aws:SourceAccount': STANDALONE_ACCOUNT },
      resourcePolicy: ownTopic.policy,
    })).decision).toBe('ImplicitlyDenied');
  });

  test('an alarm of another account may not publish', async () => {
    expect((await evaluate({
      principal: CLOUDWATCH,
      action: 'sns:Publish',
      resource: ownTopic.arn,
      resourceAccount: STANDALONE_ACCOUNT,
      context: { ...TLS, 'aws:SourceArn': ALARM_ARN.replace(STANDALONE_ACCOUNT, OUTSIDE_ACCOUNT), 'aws:SourceAccount': OUTSIDE_ACCOUNT },
      resourcePolicy: ownTopic.policy,
    })).decision).toBe('ImplicitlyDenied');
  });
});
