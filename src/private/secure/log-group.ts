import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { rotatingKey } from './key';

export interface EncryptedLogGroupOptions {
  readonly logGroupName: string;
  readonly description: string;
  readonly retention: logs.RetentionDays;
  /** RETAIN unless given. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A log group with a fixed name, encrypted with a key of its own that only CloudWatch Logs may use, and only for
 * this log group (the `aws:logs:arn` encryption context CloudWatch Logs passes, per "Encrypt log data in CloudWatch
 * Logs using AWS KMS"). The name is fixed so the key policy can name the group without a dependency cycle.
 */
export interface EncryptedLogGroup {
  readonly logGroup: logs.LogGroup;
  readonly key: kms.Key;
  /** The group's ARN, built from its name (no `:*`). */
  readonly logGroupArn: string;
}

export function encryptedLogGroup(scope: Construct, id: string, options: EncryptedLogGroupOptions): EncryptedLogGroup {
  const stack = Stack.of(scope);
  const logGroupArn = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: options.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const key = rotatingKey(scope, `${id}Key`, { description: options.description, removalPolicy: options.removalPolicy });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsEncryption',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
  }));
  const logGroup = new logs.LogGroup(scope, id, {
    logGroupName: options.logGroupName,
    encryptionKey: key,
    retention: options.retention,
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  // The key policy must exist before CloudWatch Logs validates the key.
  logGroup.node.addDependency(key);
  return { logGroup, key, logGroupArn };
}
