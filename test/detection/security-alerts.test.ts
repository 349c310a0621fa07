import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Detection } from '../../src/detection/detection';
import { SecurityAlerts, SecurityAlertsProps } from '../../src/detection/security-alerts';

const ACCOUNT = '111122223333';

function synth(props: SecurityAlertsProps = {}, region = 'us-east-1', extra?: (stack: Stack, alerts: SecurityAlerts) => void) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region } });
  const alerts = new SecurityAlerts(stack, 'Alerts', props);
  extra?.(stack, alerts);
  return { stack, alerts, template: Template.fromStack(stack) };
}

function rulesOf(template: Template): Array<{ id: string; props: { [key: string]: any } }> {
  return Object.entries(template.findResources('AWS::Events::Rule')).map(([id, r]) => ({ id, props: (r as any).Properties }));
}

describe('default SecurityAlerts', () => {
  let template: Template;
  let alerts: SecurityAlerts;
  beforeAll(() => ({ template, alerts } = synth()));

  test('one rule per detection, described "[id] title", with the detection\'s pattern', () => {
    const rules = rulesOf(template);
    expect(rules).toHaveLength(Detection.defaultTier().length);
    for (const d of Detection.defaultTier()) {
      const rule = rules.find(r => r.props.Description === `[${d.id}] ${d.title}`);
      expect(rule?.props.EventPattern).toEqual(d.eventPattern);
      expect(rule?.props.EventBusName).toBeUndefined();
    }
  });

  test('rules of reads also receive read-only management events; the others do not', () => {
    const states = Object.fromEntries(rulesOf(template).map(r => [r.props.Description.split(']')[0].slice(1), r.props.State]));
    expect(states['CIS-4.1']).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(states['CIS-4.3']).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(states['CIS-4.4']).toBe('ENABLED');
    expect(states['CLOUDTRAIL-TAMPERING']).toBe('ENABLED');
  });

  test('every target publishes to the topic with a retry policy and the dead-letter queue', () => {
    const topic = template.findResources('AWS::SNS::Topic');
    const queue = template.findResources('AWS::SQS::Queue');
    const [topicId] = Object.keys(topic);
    const [queueId] = Object.keys(queue);
    for (const rule of rulesOf(template)) {
      expect(rule.props.Targets).toHaveLength(1);
      const [target] = rule.props.Targets;
      expect(target.Arn).toEqual({ Ref: topicId });
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    }
  });

  test('alerts say who, what, where, when, source IP, event id and detection id', () => {
    const rule = rulesOf(template).find(r => r.props.Description.startsWith('[CIS-4.3]'))!;
    const transformer = rule.props.Targets[0].InputTransformer;
    const paths = Object.values(transformer.InputPathsMap);
    expect(paths).toEqual(expect.arrayContaining(['$.detail.userIdentity.arn', '$.detail.eventName', '$.detail.eventSource',
      '$.account', '$.region', '$.time', '$.detail.sourceIPAddress', '$.detail.eventID']));
    const text = JSON.parse(transformer.InputTemplate);
    expect(text).toMatch(/^\[CIS-4.3\] Root account usage \(CRITICAL\)\n/);
    expect(text).toMatch(/\nWho: <detail-userIdentity-arn>/);
    expect(text).toMatch(/\nSource IP: <detail-sourceIPAddress>\n/);
    expect(text).toMatch(/\nDetection: CIS-4.3$/);
  });

  test('Insights alerts describe the insight', () => {
    const rule = rulesOf(template).find(r => r.props.Description.startsWith('[CLOUDTRAIL-INSIGHT]'))!;
    const paths = Object.values(rule.props.Targets[0].InputTransformer.InputPathsMap);
    expect(paths).toEqual(expect.arrayContaining(['$.detail.insightDetails.insightType', '$.detail.insightDetails.eventName']));
    expect(paths).not.toContain('$.detail.userIdentity.arn');
  });

  test('the topic is encrypted with a rotating customer managed key that is retained', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });

  test('the key lets EventBridge encrypt and denies grants for anything but AWS services', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key')) as any[];
    const statements = key.Properties.KeyPolicy.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Sid: 'AllowEventBridgeToEncryptAlerts',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      }),
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'kms:CreateGrant',
        Principal: { AWS: '*' },
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    ]));
  });

  test('only these rules of this account may publish to the topic', () => {
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy')) as any[];
    const allows = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(allows[0].Action).toBe('sns:Publish');
    expect(allows[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    const ruleIds = rulesOf(template).map(r => r.id).sort();
    expect(allows[0].Condition.ArnEquals['aws:SourceArn'].map((a: any) => a['Fn::GetAtt'][0]).sort()).toEqual(ruleIds);
    expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]));
  });

  test('the dead-letter queue is encrypted, TLS-only, kept 14 days, retained, and only the rules may send to it', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    template.hasResource('AWS::SQS::Queue', {
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, MessageRetentionPeriod: 1209600 },
      DeletionPolicy: 'Retain',
    });
    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as any[];
    const statements = policy.Properties.PolicyDocument.Statement;
    const allow = statements.find((s: any) => s.Effect === 'Allow');
    expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(allow.Action).toBe('sqs:SendMessage');
    expect(allow.Condition.ArnEquals['aws:SourceArn']).toHaveLength(Detection.defaultTier().length);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]));
  });

  test('ruleFor returns the rule of a detection', () => {
    expect(alerts.ruleFor('CIS-4.3')).toBe(alerts.rules[2]);
    expect(() => alerts.ruleFor('CIS-9.9')).toThrow(/detectionId "CIS-9.9" must be one of CIS-4.1, /);
  });
});

describe('options', () => {
  test('runs on a given event bus', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'security-detections' });
    new SecurityAlerts(stack, 'Alerts', { eventBus: bus, detections: [Detection.CIS_4_3] });
    expect(rulesOf(Template.fromStack(stack))[0].props.EventBusName).toEqual({ Ref: expect.stringMatching(/^Bus/) });
  });

  test('retry policy can be tuned and is validated', () => {
    const { template } = synth({ detections: [Detection.CIS_4_5], retryAttempts: 10, maxEventAge: Duration.hours(2) });
    expect(rulesOf(template)[0].props.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 7200 });
    expect(() => synth({ retryAttempts: 186 })).toThrow(/retryAttempts 186 must be an integer between 0 and 185/);
    expect(() => synth({ maxEventAge: Duration.seconds(30) })).toThrow(/maxEventAge "30 seconds" must be between 1 minute and 24 hours/);
    expect(() => synth({ maxEventAge: Duration.hours(25) })).toThrow(/must be between 1 minute and 24 hours/);
  });

  test('detections must be a non-empty list of distinct detections', () => {
    expect(() => synth({ detections: [] })).toThrow(/detections must not be empty/);
    expect(() => synth({ detections: [Detection.CIS_4_3, Detection.ROOT_ACTIVITY] }))
      .toThrow(/detections "CIS-4.3" must not contain the same detection id twice/);
  });

  test('given topic and queue: no key is created', () => {
    const { template, alerts } = synth({ detections: [Detection.CIS_4_5] });
    expect(alerts.encryptionKey).toBeDefined();
    template.resourceCountIs('AWS::KMS::Key', 1);
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const own = new SecurityAlerts(stack, 'Own', { detections: [Detection.CIS_4_5] });
    const reuse = new SecurityAlerts(stack, 'Reuse', { detections: [Detection.CIS_4_7], topic: own.topic, deadLetterQueue: own.deadLetterQueue });
    expect(reuse.encryptionKey).toBeUndefined();
    expect(reuse.topic).toBe(own.topic);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });
});

describe('addTarget', () => {
  test('user targets get the retry policy and dead-letter queue unless they bring their own', () => {
    const { template } = synth({ detections: [Detection.CIS_4_5, Detection.CIS_4_7] }, 'us-east-1', (stack, alerts) => {
      alerts.addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'Plain')));
      const own = new sqs.Queue(stack, 'OwnDlq');
      alerts.addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'WithOwnDlq'), { deadLetterQueue: own, retryAttempts: 3 }));
      alerts.addTarget(new targets.EventBus(events.EventBus.fromEventBusArn(stack, 'Other',
        'arn:aws:events:us-east-1:444455556666:event-bus/elsewhere')));
    });
    const queues = template.findResources('AWS::SQS::Queue');
    const idOf = (prefix: string) => Object.keys(queues).find(id => id.startsWith(prefix))!;
    const alertsDlq = { Arn: { 'Fn::GetAtt': [idOf('AlertsDeadLetterQueue'), 'Arn'] } };
    for (const rule of rulesOf(template)) {
      const [, plain, withOwn, bus] = rule.props.Targets;
      expect(plain.DeadLetterConfig).toEqual(alertsDlq);
      expect(plain.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
      expect(withOwn.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [idOf('OwnDlq'), 'Arn'] } });
      expect(withOwn.RetryPolicy).toEqual({ MaximumRetryAttempts: 3 });
      expect(bus.DeadLetterConfig).toEqual(alertsDlq);
      expect(bus.RetryPolicy).toBeUndefined();
    }
  });
});

describe('global-service warning', () => {
  const WARNING = /CIS-4.2, CIS-4.4, CIS-4.6, CIS-4.15, ACCOUNT-LEFT-ORGANIZATION, IAM-ACCESS-KEY-FOR-OTHER-USER, .* detect events of global services .* receives in us-east-1 only/;

  test('warns on the default bus outside us-east-1', () => {
    const { stack } = synth({}, 'eu-west-1');
    Annotations.fromStack(stack).hasWarning('/Stack/Alerts', Match.stringLikeRegexp(WARNING.source));
  });

  test('does not warn in us-east-1, on another bus, when forwarded, or without global detections', () => {
    const quiet = [
      synth({}, 'us-east-1').stack,
      synth({ globalServiceEventsForwarded: true }, 'eu-west-1').stack,
      synth({ detections: [Detection.CIS_4_3, Detection.CIS_4_10] }, 'eu-west-1').stack,
    ];
    const app = new App();
    const onBus = new Stack(app, 'OnBus', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new SecurityAlerts(onBus, 'Alerts', { eventBus: new events.EventBus(onBus, 'Bus') });
    const agnostic = new Stack(new App(), 'Agnostic');
    new SecurityAlerts(agnostic, 'Alerts');
    for (const stack of [...quiet, onBus, agnostic]) {
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('global services'));
    }
  });

  test('names the global-service region of the partition', () => {
    const { stack } = synth({ detections: [Detection.CIS_4_4] }, 'us-gov-east-1');
    Annotations.fromStack(stack).hasWarning('/Stack/Alerts', Match.stringLikeRegexp('receives in us-gov-west-1 only'));
  });
});
