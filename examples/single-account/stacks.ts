import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CloudTrailBaseline, DataEventPresets, DataEvents, FieldSelector, SelectorField } from '../../src';
import { acknowledgeNoReplication } from '../compliance';

export const ACCOUNT = '444444444444';
export const REGION = 'us-east-1';

/**
 * One account, one construct: archive, multi-region trail, Insights, CloudWatch Logs, EventBridge alerts,
 * CIS alarms and Athena forensics with the library's defaults, plus one custom data event selector.
 */
export class SingleAccountStack extends Stack {
  public readonly baseline: CloudTrailBaseline;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.baseline = new CloudTrailBaseline(this, 'CloudTrail', {
      trailName: 'account-trail',
      dataEvents: [
        // CIS 3.8: who wrote or deleted which object, in every bucket but the archive.
        ...DataEventPresets.cisS3ObjectWriteEvents(),
        // A custom selector: deletions in the payments tables, except by the nightly cleanup role.
        DataEvents.custom('AWS::DynamoDB::Table', {
          name: 'Payments table deletions',
          fieldSelectors: [
            FieldSelector.equalTo(SelectorField.EVENT_NAME, ['DeleteItem', 'BatchWriteItem']),
            FieldSelector.startsWith(SelectorField.RESOURCES_ARN, [`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/payments`]),
            FieldSelector.notStartsWith(SelectorField.USER_IDENTITY_ARN, [`arn:aws:sts::${ACCOUNT}:assumed-role/nightly-cleanup/`]),
          ],
        }),
      ],
    });
    acknowledgeNoReplication(this.baseline);
    // Subscribe your team to this.baseline.alertsTopic.
  }
}

/** Adds the single-account example's stack to `app`. */
export function buildSingleAccountExample(app: App) {
  return { stack: new SingleAccountStack(app, 'CloudTrailSingleAccount', { env: { account: ACCOUNT, region: REGION } }) };
}
