import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DetectionForwardingNames } from './forwarding-names';
import { rotatingKey, validateCustomerManagedKey } from '../private/secure';
import { partitionOfRegion } from '../private/secure/validators';
import { fail, isUnresolved, validateAccount, validateRegion } from '../private/validation';

/**
 * Names a forwarding health topic, for building its ARN in another account's stack.
 */
export interface ForwardingHealthTopicArnProps {
  /** The security account that holds the topic. */
  readonly account: string;

  /** The region of the topic: the region of the alarms that notify it. */
  readonly region: string;
}

/**
 * Properties of ForwardingHealthTopic.
 */
export interface ForwardingHealthTopicProps {
  /**
   * The key that encrypts the topic: a customer managed key (CloudWatch cannot use an AWS managed key). Its policy
   * gets a statement that lets CloudWatch use it for this topic only, when the key belongs to this app.
   *
   * @default - a new key with rotation enabled, retained on stack deletion
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The topic, in the security account and in one region, that the forwarding health alarms of every account of
 * the organization notify (`DetectionForwardingRule.healthTopicAccount`), and that `ForwardingHeartbeat`'s alarms
 * notify in its own region. Deploy one in every forwarded region: a CloudWatch alarm can publish to a topic of
 * another account, but only in its own region.
 *
 * The topic has the fixed name `DetectionForwardingNames.HEALTH_TOPIC_NAME`, so member templates name it without a
 * reference. Its policy lets CloudWatch publish for alarms whose names start with the forwarding and heartbeat
 * alarm prefixes (`aws:SourceArn`, the alarm's ARN, which AWS documents for alarm notifications: "Example cases for
 * Amazon SNS access control", https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html). The
 * account part of the pattern is a wildcard because the alarms live in every account of the organization: an
 * alarm of another organization with such a name could publish too, which adds a notification and hides none.
 *
 * Subscribe to it with `topic.addSubscription(...)`. Changes to it are `PIPELINE-CENTRAL-HEALTH-TAMPERING`.
 */
export class ForwardingHealthTopic extends Construct {
  /**
   * The ARN of the forwarding health topic of a security account in a region:
   * `arn:<partition>:sns:<region>:<account>:cloudtrail-governance-forwarding-health`.
   */
  public static arnFor(props: ForwardingHealthTopicArnProps): string {
    validateAccount(undefined, 'account', props.account);
    validateRegion(undefined, 'region', props.region);
    if (isUnresolved(props.region)) {
      fail(undefined, 'region', props.region, 'must be a literal region, because the partition of the ARN depends on it');
    }
    return `arn:${partitionOfRegion(props.region)}:sns:${props.region}:${props.account}:${DetectionForwardingNames.HEALTH_TOPIC_NAME}`;
  }

  /** The topic; subscribe to it. */
  public readonly topic: sns.Topic;

  /** The key that encrypts the topic. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: ForwardingHealthTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    validateCustomerManagedKey(this, 'encryptionKey', props.encryptionKey, 'CloudWatch, whose alarms notify the topic,');
    this.encryptionKey = props.encryptionKey ?? rotatingKey(this, 'Key', { description: `Encrypts the forwarding health topic of ${this.node.path}` });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: DetectionForwardingNames.HEALTH_TOPIC_NAME,
      displayName: 'Detection forwarding health',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    const principal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const alarms = [DetectionForwardingNames.ALARM_NAME_PREFIX, DetectionForwardingNames.HEARTBEAT_ALARM_NAME_PREFIX].map(prefix =>
      stack.formatArn({ service: 'cloudwatch', account: '*', resource: 'alarm', resourceName: `${prefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowForwardingHealthAlarmsToPublish',
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { ArnLike: { 'aws:SourceArn': alarms } },
    }));
    // SNS asks KMS for the data key with the topic as encryption context; the name is fixed, so the context names
    // this topic exactly. AWS documents no aws:Source* key on this KMS call, so none is required.
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowForwardingHealthAlarmsToEncrypt',
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': stack.formatArn({ service: 'sns', resource: DetectionForwardingNames.HEALTH_TOPIC_NAME }) },
      },
    }));
  }
}
