// aws-cdk-lib validates every synthesized template against the CloudFormation resource schemas. That
// costs seconds per test file; the example tests turn it back on for the templates users deploy.
process.env.CDK_VALIDATION ??= 'false';
