import { App } from 'aws-cdk-lib';
import { buildOrganizationExample } from './stacks';

const app = new App();
buildOrganizationExample(app);
app.synth();
