import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Detection } from '../../src/detection/detection';
import { DetectionForwardingRule, DetectionForwardingRuleProps } from '../../src/detection/detection-forwarding-rule';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';

const BUS = 'arn:aws:events:eu-west-1:444455556666:event-bus/security-detections';

function synth(props: Partial<DetectionForwardingRuleProps> = {}) {
  const stack = new Stack(new App(), 'Member', { env: { account: '111122223333', region: 'ap-southeast-2' } });
  const forwarding = new DetectionForwardingRule(stack, 'Forwarding', { centralBusArn: BUS, ...props });
  return { forwarding, template: Template.fromStack(stack) };
}

describe('DetectionForwardingRule', () => {
  let template: Template;
  let forwarding: DetectionForwardingRule;
  beforeAll(() => ({ template, forwarding } = synth()));

  test('one rule on the default bus forwards the detections\' events, read-only ones included', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as any[];
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventBusName).toBeUndefined();
    expect(rules[0].Properties.EventPattern).toEqual(forwardingPattern(Detection.defaultTier()));
    expect(rules[0].Properties.EventPattern).toEqual(forwarding.eventPattern);
    expect(rules[0].Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });

  test('the target is the central bus, through the role, with the dead-letter queue', () => {
    const [rule] = Object.values(template.findResources('AWS::Events::Rule')) as any[];
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(rule.Properties.Targets).toEqual([{
      Arn: BUS,
      Id: 'Target0',
      RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    }]);
  });

  test('the role may only put events on the central bus, and only EventBridge of this account assumes it', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: BUS }]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        }],
      },
    });
  });

  test('the dead-letter queue is encrypted, TLS-only, retained, and only the rule may send to it', () => {
    template.hasResource('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600, RedriveAllowPolicy: { redrivePermission: 'allowAll' } },
      DeletionPolicy: 'Retain',
    });
    const [ruleId] = Object.keys(template.findResources('AWS::Events::Rule'));
    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as any[];
    expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
      }),
    ]));
  });

  test('without detections of reads the rule does not receive read-only events', () => {
    const { template: t } = synth({ detections: [Detection.CIS_4_5, Detection.CLOUDTRAIL_TAMPERING] });
    t.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED' });
  });

  test('the dead-letter queue can be left out', () => {
    const { template: t, forwarding: f } = synth({ deadLetterQueue: false });
    t.resourceCountIs('AWS::SQS::Queue', 0);
    expect(f.deadLetterQueue).toBeUndefined();
    const [rule] = Object.values(t.findResources('AWS::Events::Rule')) as any[];
    expect(rule.Properties.Targets[0].DeadLetterConfig).toBeUndefined();
  });

  test('rejects a central bus ARN that is not an event bus ARN', () => {
    expect(() => synth({ centralBusArn: 'arn:aws:sns:eu-west-1:444455556666:alerts' }))
      .toThrow(/centralBusArn "arn:aws:sns:eu-west-1:444455556666:alerts" must be an event bus ARN/);
  });
});
