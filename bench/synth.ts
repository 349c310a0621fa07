/* eslint-disable no-console */
import * as os from 'os';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { handBuiltOrganizationApp, organizationScope } from './hand-built-organization';
import { buildScaleCase } from './scale';
import { buildOrganizationExample } from '../examples/organization/stacks';
import { AccountTrail, TrailArchive, TrailIdentity } from '../src';

/**
 * Synthesis benchmark, in one process: the organization example against the same scope hand-built from
 * aws-cdk-lib L2s (bench/hand-built-organization.ts); the library's account trail and archive against
 * their hand-built equivalent; the cost per resource; the 1,000-account scale case; and the size of every
 * template against CloudFormation's limits. A bare aws-cdk-lib `Trail` app is the reference for the machine.
 *
 *   npm run bench            # 7 rounds after 2 warm-up rounds
 *   npm run bench -- 15      # more rounds
 */
const ROUNDS = Number(process.argv[2] ?? 7);
const WARMUP = 2;
const TEMPLATE_BYTES_LIMIT = 1_000_000;
const RESOURCE_LIMIT = 500;

function bareTrailApp(): App {
  const app = new App();
  const stack = new Stack(app, 'BareTrail', { env: { account: '111111111111', region: 'us-east-1' } });
  new cloudtrail.Trail(stack, 'Trail');
  return app;
}

/**
 * What AccountTrail + TrailArchive build, hand-assembled from aws-cdk-lib L2s: a rotating key, an
 * encrypted, versioned, TLS-only log bucket with server access logging to a second bucket, and a
 * multi-region trail with log file validation writing to it. The same scope, so the ratio is overhead.
 */
function handBuiltTrailApp(): App {
  const app = new App();
  const stack = new Stack(app, 'HandBuiltTrail', { env: { account: '111111111111', region: 'us-east-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const accessLogs = new s3.Bucket(stack, 'AccessLogs', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true });
  const bucket = new s3.Bucket(stack, 'Logs', {
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogs,
  });
  new cloudtrail.Trail(stack, 'Trail', { bucket, encryptionKey: key, isMultiRegionTrail: true, enableFileValidation: true });
  return app;
}

/** The library's account trail and archive in one stack. */
function equivalentTrailApp(): App {
  const app = new App();
  const stack = new Stack(app, 'AccountTrail', { env: { account: '111111111111', region: 'us-east-1' } });
  const identity = TrailIdentity.account({ trailName: 'account-trail', account: '111111111111', homeRegion: 'us-east-1' });
  const archive = new TrailArchive(stack, 'Archive', { writers: [identity] });
  new AccountTrail(stack, 'Trail', { identity, archive });
  return app;
}

function organizationApp(): App {
  const app = new App();
  buildOrganizationExample(app);
  return app;
}

function scaleApp(): App {
  const app = new App();
  buildScaleCase(app);
  return app;
}

function resourceCount(app: App): number {
  return app.synth().stacks.reduce((n, stack) => n + Object.keys(stack.template.Resources ?? {}).length, 0);
}

function time(build: () => App): number {
  const start = performance.now();
  build().synth();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(name: string, build: () => App): number {
  for (let i = 0; i < WARMUP; i++) time(build);
  const samples: number[] = [];
  // Alternating runs would mix GC pressure of the two apps; each app gets its own block of rounds.
  for (let i = 0; i < ROUNDS; i++) samples.push(time(build));
  const m = median(samples);
  console.log(`${name.padEnd(28)} median ${m.toFixed(1).padStart(8)} ms  (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)}, ${ROUNDS} rounds)`);
  return m;
}

function sizes(label: string, build: () => App) {
  const assembly = build().synth();
  const rows: string[] = [];
  let worst = 0;
  for (const stack of assembly.stacks) {
    const bytes = Buffer.byteLength(JSON.stringify(stack.template));
    const resources = Object.keys(stack.template.Resources ?? {}).length;
    const lambdas = Object.values<any>(stack.template.Resources ?? {})
      .filter((r) => r.Type === 'AWS::Lambda::Function' || r.Type.startsWith('Custom::')).length;
    worst = Math.max(worst, bytes / TEMPLATE_BYTES_LIMIT, resources / RESOURCE_LIMIT);
    rows.push(`  ${stack.stackName.padEnd(36)} ${String(bytes).padStart(9)} bytes (${(100 * bytes / TEMPLATE_BYTES_LIMIT).toFixed(1)}% of 1 MB)  ` +
      `${String(resources).padStart(4)} resources (${(100 * resources / RESOURCE_LIMIT).toFixed(1)}% of 500)  ${lambdas} Lambda/custom resources`);
  }
  console.log(`${label}:`);
  rows.forEach((r) => console.log(r));
  return worst;
}

// aws-cdk-lib's CloudFormation schema validation is a fixed cost per process (its validator is loaded on
// first use) that both sides pay alike; the examples' tests keep it on. Set CDK_VALIDATION=true to include it.
process.env.CDK_VALIDATION ??= 'false';
console.log(`${new Date().toISOString()}  node ${process.version}  ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown cpu'}  ` +
  `load average ${os.loadavg().map(l => l.toFixed(2)).join(' ')}  CDK_VALIDATION=${process.env.CDK_VALIDATION}`);
const scope = organizationScope(Object.fromEntries(organizationApp().synth().stacks.map(s => [s.stackName, s.template])));
const handBuiltOrganization = () => handBuiltOrganizationApp(scope);

const bare = measure('bare aws-cdk-lib Trail app', bareTrailApp);
const handBuiltOrg = measure('organization, hand-built L2s', handBuiltOrganization);
const org = measure('organization example', organizationApp);
const handBuilt = measure('account trail, hand-built L2s', handBuiltTrailApp);
const equivalent = measure('AccountTrail + TrailArchive', equivalentTrailApp);
const scale = measure('scale case (1,000 accounts)', scaleApp);
console.log();
console.log(`ratio organization example / hand-built L2s:     ${(org / handBuiltOrg).toFixed(2)}x (target <= 1.0x)`);
console.log(`ratio AccountTrail + TrailArchive / hand-built:   ${(equivalent / handBuilt).toFixed(2)}x`);
console.log(`ratio organization example / bare Trail app:      ${(org / bare).toFixed(2)}x`);
for (const [name, ms, build] of [
  ['organization example', org, organizationApp],
  ['organization, hand-built L2s', handBuiltOrg, handBuiltOrganization],
  ['scale case', scale, scaleApp],
] as const) {
  const resources = resourceCount(build());
  console.log(`per resource, ${name.padEnd(30)} ${(ms / resources).toFixed(2)} ms (${resources} resources)`);
}
console.log();
const worst = Math.max(
  sizes('organization example templates', organizationApp),
  sizes('organization, hand-built L2s templates', handBuiltOrganization),
  sizes('scale case templates', scaleApp),
);
console.log(`largest share of a CloudFormation limit: ${(100 * worst).toFixed(1)}% (target < 25%)`);
