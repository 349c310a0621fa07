import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { rotatingKey } from './secure/key';

/**
 * The key condition that holds in every KMS request SNS makes for a topic of this account and region: SNS
 * passes the topic's ARN as the `aws:sns:topicArn` encryption context. The pattern names the account's
 * topics rather than one topic because the topic refers to its key, so a key policy that referred to the
 * topic would be a dependency cycle; a fixed topic name would break the cycle, but renaming an existing
 * topic replaces it and silently drops every subscription.
 */
export function snsTopicEncryptionContext(scope: Construct): Record<string, Record<string, string>> {
  return { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': snsTopicArnPattern(scope) } };
}

function snsTopicArnPattern(scope: Construct): string {
  return Stack.of(scope).formatArn({ service: 'sns', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

/**
 * A TLS-only topic encrypted with a key of its own (rotation on, retained with the stack). A topic that
 * reports on other resources' failures must not share their key: disabling that key would silence both.
 */
export function encryptedAlertTopic(scope: Construct, topicId: string, keyId: string, displayName: string, topicName?: string): sns.Topic {
  const key = rotatingKey(scope, keyId, { description: `Encrypts the ${displayName} topic of ${scope.node.path}` });
  return new sns.Topic(scope, topicId, { displayName, topicName, masterKey: key, enforceSSL: true });
}

/**
 * Lets CloudWatch alarms of this account and region publish to a topic, and use its key when it is
 * encrypted, with only the conditions AWS documents for these requests.
 *
 * The topic policy: `aws:SourceArn` like the account's alarms in this region (which pins the account too), as
 * in https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger and the SNS developer guide
 * ("Example cases for Amazon SNS access control", https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html);
 * `aws:SourceAccount` is not documented for CloudWatch.
 *
 * The key policy: SNS makes the KMS requests, and no AWS page documents `aws:Source*` keys in them (the
 * Knowledge Center's statement, https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns, has no
 * condition); a condition missing from the request would deny it and silently drop every alarm notification.
 * What SNS does pass is the topic as encryption context `aws:sns:topicArn`, as AWS's key policies for
 * services publishing to encrypted topics check (e.g.
 * https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html).
 *
 * @returns whether the topic policy got the statement (false for an imported topic)
 */
export function allowAlarmsToPublish(scope: Construct, topic: sns.ITopic, sidPrefix: string): boolean {
  const stack = Stack.of(scope);
  const principal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
  const added = topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: `${sidPrefix}ToPublish`,
    principals: [principal],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }));
  topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
    sid: `${sidPrefix}ToEncrypt`,
    principals: [principal],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: snsTopicEncryptionContext(scope),
  }));
  return added.statementAdded;
}
