import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { CloudTrailBaseline, DataEventPresets, DataEvents, FieldSelector, SelectorField } from '../../src';
import { acknowledgeNoReplication } from '../compliance';

export const ACCOUNT = '444444444444';
export const REGION = 'us-east-1';

/**
 * One account, one construct: archive (Object Lock, tamper-resistant bucket and key policies), multi-region
 * trail, Insights, CloudWatch Logs, EventBridge alerts of both detection tiers and the volume detections, CIS and
 * pipeline-tampering alarms, and Athena forensics, with the library's defaults, plus one custom data event selector.
 */
export class SingleAccountStack extends Stack {
  public readonly baseline: CloudTrailBaseline;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.baseline = new CloudTrailBaseline(this, 'CloudTrail', {
      trailName: 'account-trail',
      // Named, so that the pipeline-tampering detection and your break-glass runbook can name it.
      archiveOptions: {
        bucketName: `cloudtrail-${ACCOUNT}-${REGION}`,
        breakGlassPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/cloudtrail-break-glass`],
      },
      // The default tier and the noisier hunting tier, and the volume detections.
      huntingTier: true,
      // Pinned, so that the Glue tables (and this stack's snapshot) do not change with aws-cdk-lib's region list.
      regions: ['us-east-1', 'eu-west-1'],
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
    this.baseline.alertsTopic!.addSubscription(new subscriptions.EmailSubscription('security-team@example.com'));
    this.baseline.alerts!.healthTopic!.addSubscription(new subscriptions.EmailSubscription('security-team@example.com'));
  }
}

/** Adds the single-account example's stack to `app`; termination-protected, as it holds the account's audit trail. */
export function buildSingleAccountExample(app: App): Stack[] {
  return [
    new SingleAccountStack(app, 'CloudTrailSingleAccount', {
      env: { account: ACCOUNT, region: REGION },
      terminationProtection: true,
    }),
  ];
}
