import { App, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CentralDetectionBus } from '../../src/detection/central-detection-bus';
import { DetectionForwardingNames } from '../../src/detection/forwarding-names';

describe('CentralDetectionBus', () => {
  let template: Template;
  let bus: CentralDetectionBus;
  beforeAll(() => {
    const stack = new Stack(new App(), 'Security', { env: { account: '444455556666', region: 'eu-west-1' } });
    bus = new CentralDetectionBus(stack, 'Bus', { organizationId: 'o-a1b2c3d4e5' });
    template = Template.fromStack(stack);
  });

  test('creates the named bus', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'security-detections' });
    expect(bus.eventBusArn).toBe(bus.eventBus.eventBusArn);
  });

  test('only the forwarding roles of the organization may put events', () => {
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy')) as any[];
    expect(policies).toHaveLength(1);
    const statement = policies[0].Properties.Statement;
    expect(statement).toEqual({
      Sid: 'cdk-AllowOrganizationForwardingRolesToPutEvents',
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Bus/), 'Arn'] },
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
        ArnLike: {
          'aws:PrincipalArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::*:role/${DetectionForwardingNames.ROLE_NAME_PREFIX}*`]],
          },
        },
      },
    });
  });

  test('validates its props', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new CentralDetectionBus(stack, 'A', { organizationId: 'o-123' }))
      .toThrow(/organizationId "o-123" must be "o-" followed by 10 to 32 lowercase letters or digits/);
    expect(() => new CentralDetectionBus(stack, 'B', { organizationId: 'o-a1b2c3d4e5', eventBusName: 'default' }))
      .toThrow(/eventBusName "default" must be 1-256 letters/);
    new CentralDetectionBus(stack, 'C', { organizationId: Token.asString({ Ref: 'OrgId' }) });
  });
});

describe('CentralDetectionBus.arnFor', () => {
  test('builds the ARN member accounts target, with the partition of the region', () => {
    expect(CentralDetectionBus.arnFor({ account: '444455556666', region: 'eu-west-1' }))
      .toBe('arn:aws:events:eu-west-1:444455556666:event-bus/security-detections');
    expect(CentralDetectionBus.arnFor({ account: '444455556666', region: 'us-gov-west-1', eventBusName: 'detections' }))
      .toBe('arn:aws-us-gov:events:us-gov-west-1:444455556666:event-bus/detections');
  });

  test('validates account, region and name', () => {
    expect(() => CentralDetectionBus.arnFor({ account: '4444', region: 'eu-west-1' })).toThrow(/account "4444" must be a 12-digit/);
    expect(() => CentralDetectionBus.arnFor({ account: '444455556666', region: 'europe' })).toThrow(/region "europe" must be an AWS region code/);
    expect(() => CentralDetectionBus.arnFor({ account: '444455556666', region: Token.asString({ Ref: 'AWS::Region' }) }))
      .toThrow(/must be a literal region/);
  });
});
