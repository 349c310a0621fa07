import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-assets';
import { StableTemplate } from '../../src/testing/stable-template';

function stackWithAsset(content: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-'));
  fs.writeFileSync(path.join(dir, 'file.txt'), content);
  const app = new App({ analyticsReporting: true, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'Baseline', { env: { account: '111111111111', region: 'us-east-1' } });
  const bucket = new s3.Bucket(stack, 'Bucket', { versioned: true });
  const asset = new s3deploy.Asset(stack, 'Asset', { path: dir });
  new CfnOutput(stack, 'AssetKey', { value: asset.s3ObjectKey });
  bucket.node.addMetadata('note', 'kept');
  return stack;
}

test('removes the volatile parts and keeps the rest', () => {
  const stack = stackWithAsset('one');
  const raw = Template.fromStack(stack).toJSON();
  expect(raw.Parameters.BootstrapVersion).toBeDefined();
  expect(raw.Rules.CheckBootstrapVersion).toBeDefined();
  expect(JSON.stringify(raw)).toMatch(/[0-9a-f]{64}/);

  const stable = StableTemplate.fromStack(stack);
  expect(stable.Parameters).toBeUndefined();
  expect(stable.Rules).toBeUndefined();
  expect(JSON.stringify(stable)).not.toMatch(/[0-9a-f]{64}/);
  expect(Object.values(stable.Resources).some((r: any) => r.Type === 'AWS::CDK::Metadata')).toBe(false);
  expect(JSON.stringify(stable)).not.toContain('aws:cdk:path');
  const bucket: any = Object.values(stable.Resources).find((r: any) => r.Type === 'AWS::S3::Bucket');
  expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  expect(stable.Outputs.AssetKey.Value).toBe('[asset hash].zip');
});

test('two syntheses that differ only in asset content give the same stable template', () => {
  expect(StableTemplate.fromStack(stackWithAsset('one'))).toEqual(StableTemplate.fromStack(stackWithAsset('two')));
});

test('a real change still shows', () => {
  const a = new Stack(new App(), 'A');
  new s3.Bucket(a, 'Bucket', { versioned: true });
  const b = new Stack(new App(), 'A');
  new s3.Bucket(b, 'Bucket', { versioned: false });
  expect(StableTemplate.fromStack(a)).not.toEqual(StableTemplate.fromStack(b));
});

test('normalize does not modify its input', () => {
  const template = { Parameters: { BootstrapVersion: { Type: 'String' } }, Resources: {} };
  StableTemplate.normalize(template);
  expect(template.Parameters.BootstrapVersion).toBeDefined();
});
