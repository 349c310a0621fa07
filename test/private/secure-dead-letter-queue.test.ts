import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { deadLetterQueue } from '../../src/private/secure';

function newStack() {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

test('keeps messages 14 days, takes any source queue, is retained by default and SQS-encrypted without a key', () => {
  const stack = newStack();
  deadLetterQueue(stack, 'Queue', { queueName: 'undelivered' });
  Template.fromStack(stack).hasResource('AWS::SQS::Queue', {
    Properties: {
      QueueName: 'undelivered',
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
      RedriveAllowPolicy: { redrivePermission: 'allowAll' },
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

test('uses the key it is given and takes the removal policy it is given', () => {
  const stack = newStack();
  const key = new kms.Key(stack, 'Key');
  deadLetterQueue(stack, 'Queue', { queueName: 'undelivered', encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY });
  const template = Template.fromStack(stack);
  template.hasResource('AWS::SQS::Queue', {
    Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    DeletionPolicy: 'Delete',
  });
  expect(JSON.stringify(template.findResources('AWS::SQS::Queue'))).not.toContain('SqsManagedSseEnabled');
});

test('refuses requests without TLS', () => {
  const stack = newStack();
  deadLetterQueue(stack, 'Queue', { queueName: 'undelivered' });
  Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      })]),
    },
  });
});
