import { App } from 'aws-cdk-lib';
import { buildSingleAccountExample } from './stacks';

const app = new App();
buildSingleAccountExample(app);
app.synth();
