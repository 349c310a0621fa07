import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';

/**
 * A bare aws-cdk-lib Trail app, the reference for whole-process synth times: run it the way the examples run
 * (`cdk synth --app "node -r sucrase/register/ts bench/bare-trail-app.ts"`), next to `npx projen synth:organization`.
 */
const app = new App();
const stack = new Stack(app, 'BareTrail', { env: { account: '111111111111', region: 'us-east-1' } });
new cloudtrail.Trail(stack, 'Trail');
app.synth();
