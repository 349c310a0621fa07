import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccountTrail, DataEvents, FieldSelector, SelectorField, TrailArchive, TrailIdentity } from '../../src';
import { acknowledgeNoReplication } from '../compliance';

export const ACCOUNT = '444444444444';
export const REGION = 'eu-west-1';

/** One account: the archive and the trail that writes to it, in one stack. */
export class SingleAccountStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const identity = TrailIdentity.account({ trailName: 'account-trail', account: ACCOUNT, homeRegion: REGION });
    const archive = new TrailArchive(this, 'Archive', { writers: [identity] });
    acknowledgeNoReplication(archive);
    new AccountTrail(this, 'Trail', {
      identity,
      archive,
      cloudWatchLogs: {},
      dataEvents: [
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
  }
}

/** Adds the single-account example's stack to `app`. */
export function buildSingleAccountExample(app: App) {
  return { stack: new SingleAccountStack(app, 'CloudTrailSingleAccount', { env: { account: ACCOUNT, region: REGION } }) };
}
