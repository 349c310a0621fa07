/* eslint-disable no-console */
import * as os from 'os';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import { handBuiltOrganization } from './hand-built-organization';
import { accountTrailScope, handBuiltAccountTrail } from './hand-built-trail';
import { Json, organizationScope, Templates } from './organization-scope';
import { buildScaleCase } from './scale';
import { buildOrganizationExample } from '../examples/organization/stacks';
import { AccountTrail, DetectionForwarder, TrailArchive, TrailIdentity } from '../src';

/**
 * Synthesis benchmark, in one process: the organization example against the same scope hand-built from
 * aws-cdk-lib L2s (bench/hand-built-organization.ts); the library's account trail and archive against
 * their hand-built equivalent; the cost per resource; the 1,000-account scale case; and the size of every
 * template against CloudFormation's limits. A bare aws-cdk-lib `Trail` app is the reference for the machine.
 *
 *   npm run bench            # 8 rounds after 2 warm-up rounds
 *   npm run bench -- 16      # more rounds
 */
const ROUNDS = Number(process.argv[2] ?? 8);
const WARMUP = 2;
const TEMPLATE_BYTES_LIMIT = 1_000_000;
const RESOURCE_LIMIT = 500;

function bareTrailApp(): App {
  const app = new App();
  const stack = new Stack(app, 'BareTrail', { env: { account: '111111111111', region: 'us-east-1' } });
  new cloudtrail.Trail(stack, 'Trail');
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

/** The example's templates by stack name, and its StackSet member template. */
function organizationTemplates(): { templates: Templates; member: Json } {
  const app = new App();
  const stacks = buildOrganizationExample(app);
  const templates = Object.fromEntries(app.synth().stacks.map(s => [s.stackName, s.template]));
  const forwarder = stacks.flatMap(s => s.node.findAll()).find((c): c is DetectionForwarder => c instanceof DetectionForwarder)!;
  return { templates, member: forwarder.memberTemplate };
}

function typeCounts(template: Json): { [type: string]: number } {
  const counts: { [type: string]: number } = {};
  for (const r of Object.values<Json>(template.Resources ?? {})) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}

const SIZE_TOLERANCE = 0.15;

/**
 * Proves that the hand-built app is the example's scope before timing either: the same stacks with the same
 * number of resources of every type, member template included, and templates of about the same size. Exits
 * with the differences otherwise.
 */
function checkScope(title: string, example: { templates: Templates; member?: Json }, handBuilt: { templates: Templates; member?: Json }) {
  const label = (name: string) => (name === MEMBER ? 'StackSet member template' : name);
  const MEMBER = '(member)';
  const left: Templates = { ...example.templates, ...example.member ? { [MEMBER]: example.member } : {} };
  const right: Templates = { ...handBuilt.templates, ...handBuilt.member ? { [MEMBER]: handBuilt.member } : {} };
  const problems: string[] = [];
  console.log(`scope check, ${title} (library vs hand-built): resources, template bytes`);
  for (const name of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    if (!left[name] || !right[name]) {
      problems.push(`${label(name)}: only in the ${left[name] ? 'example' : 'hand-built app'}`);
      continue;
    }
    const a = typeCounts(left[name]);
    const b = typeCounts(right[name]);
    for (const type of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (a[type] !== b[type]) problems.push(`${label(name)}: ${type} ${a[type] ?? 0} in the example, ${b[type] ?? 0} hand-built`);
    }
    const bytesA = Buffer.byteLength(JSON.stringify(left[name]));
    const bytesB = Buffer.byteLength(JSON.stringify(right[name]));
    const diff = bytesB / bytesA - 1;
    const resources = Object.values(a).reduce((x, y) => x + y, 0);
    console.log(`  ${label(name).padEnd(42)} ${String(resources).padStart(4)} resources  ` +
      `${String(bytesA).padStart(7)} / ${String(bytesB).padStart(7)} bytes (${diff >= 0 ? '+' : ''}${(100 * diff).toFixed(1)}%)`);
    if (Math.abs(diff) > SIZE_TOLERANCE) {
      problems.push(`${label(name)}: the hand-built template is ${(100 * diff).toFixed(1)}% the size of the example's (limit ${100 * SIZE_TOLERANCE}%)`);
    }
  }
  if (problems.length > 0) {
    console.error(`\nThe hand-built app is not the scope of the ${title}:`);
    problems.forEach(p => console.error(`  ${p}`));
    process.exit(1);
  }
  console.log('  same stacks, same resource types and counts\n');
}

function scaleApp(): App {
  const app = new App();
  buildScaleCase(app);
  return app;
}

function resourceCount(app: App): number {
  return app.synth().stacks.reduce((n, stack) => n + Object.keys(stack.template.Resources ?? {}).length, 0);
}

interface Sample { readonly wall: number; readonly cpu: number }

function time(build: () => App): Sample {
  const cpu = process.cpuUsage();
  const start = performance.now();
  build().synth();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall-clock median and minimum of the rounds, and their median CPU time (this process's threads, GC included). */
interface Timing { readonly median: number; readonly min: number; readonly cpu: number }

function rounds(build: () => App, n: number): Sample[] {
  return Array.from({ length: n }, () => time(build));
}

function report(name: string, samples: Sample[]): Timing {
  const wall = samples.map(s => s.wall);
  const result = { median: median(wall), min: Math.min(...wall), cpu: median(samples.map(s => s.cpu)) };
  console.log(`${name.padEnd(32)} median ${result.median.toFixed(1).padStart(7)} ms  min ${result.min.toFixed(1).padStart(7)} ms  ` +
    `max ${Math.max(...wall).toFixed(1).padStart(7)} ms  CPU ${result.cpu.toFixed(1).padStart(7)} ms  (${samples.length} rounds)`);
  return result;
}

function measure(name: string, build: () => App): Timing {
  rounds(build, WARMUP);
  // Each app gets its own block of rounds: alternating single rounds would leave one app's garbage to the other's.
  return report(name, rounds(build, ROUNDS));
}

/**
 * Two apps in blocks of two rounds, in the order A B B A A B B A..., so that a load that comes and goes
 * during the run (the machine may be shared) weighs on both alike; a block of rounds keeps most of one
 * app's garbage collection within its own rounds.
 */
function measurePair(a: [string, () => App], b: [string, () => App]): [Timing, Timing] {
  rounds(a[1], WARMUP);
  rounds(b[1], WARMUP);
  const samplesA: Sample[] = [];
  const samplesB: Sample[] = [];
  for (let block = 0; samplesA.length < ROUNDS; block++) {
    const n = Math.min(2, ROUNDS - samplesA.length);
    const order = block % 2 === 0 ? [[a, samplesA], [b, samplesB]] as const : [[b, samplesB], [a, samplesA]] as const;
    for (const [[, build], samples] of order) samples.push(...rounds(build, n));
  }
  return [report(a[0], samplesA), report(b[0], samplesB)];
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

// aws-cdk-lib validates every template against the CloudFormation resource schemas at synth unless
// CDK_VALIDATION=false. Its WebAssembly validator costs the same for any app of this size, takes most of a
// round and would hide the construct work both sides differ in; the examples' tests keep it on.
// CDK_VALIDATION=true npm run bench includes it.
process.env.CDK_VALIDATION ??= 'false';
console.log(`${new Date().toISOString()}  node ${process.version}  ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown cpu'}  ` +
  `load average ${os.loadavg().map(l => l.toFixed(2)).join(' ')}  CDK_VALIDATION=${process.env.CDK_VALIDATION}`);

// The data both sides are made of is read once, outside the timed rounds; then the scopes are checked.
const example = organizationTemplates();
const scope = organizationScope(example.templates, example.member);
const handBuiltOnce = handBuiltOrganization(scope);
const templatesOf = (app: App): Templates => Object.fromEntries(app.synth().stacks.map(s => [s.stackName, s.template]));
checkScope('organization example', example, { templates: templatesOf(handBuiltOnce.app), member: handBuiltOnce.memberTemplate() });
const handBuiltOrganizationApp = () => handBuiltOrganization(scope).app;
const accountTrail = templatesOf(equivalentTrailApp());
const trailScope = accountTrailScope(accountTrail.AccountTrail);
checkScope('account trail', { templates: accountTrail }, { templates: templatesOf(handBuiltAccountTrail(trailScope)) });
const handBuiltTrailApp = () => handBuiltAccountTrail(trailScope);

const bare = measure('bare aws-cdk-lib Trail app', bareTrailApp);
const [handBuiltOrg, org] = measurePair(['organization, hand-built L2s', handBuiltOrganizationApp], ['organization example', organizationApp]);
const [handBuilt, equivalent] = measurePair(['account trail, hand-built L2s', handBuiltTrailApp], ['AccountTrail + TrailArchive', equivalentTrailApp]);
const scale = measure('scale case (1,000 accounts)', scaleApp);
console.log();
const ratio = (a: Timing, b: Timing) =>
  `${(a.median / b.median).toFixed(2)}x median, ${(a.min / b.min).toFixed(2)}x min, ${(a.cpu / b.cpu).toFixed(2)}x CPU`;
console.log(`organization example / hand-built L2s:     ${ratio(org, handBuiltOrg)} (target <= 1.0x)`);
console.log(`AccountTrail + TrailArchive / hand-built:  ${ratio(equivalent, handBuilt)}`);
console.log(`organization example / bare Trail app:     ${ratio(org, bare)}`);
// The member templates' resources are synthesized in every round too (7 in each app).
const memberResources = Object.keys(example.member.Resources).length;
for (const [name, t, build, extra] of [
  ['organization example', org, organizationApp, memberResources],
  ['organization, hand-built L2s', handBuiltOrg, handBuiltOrganizationApp, memberResources],
  ['scale case', scale, scaleApp, memberResources],
] as const) {
  const resources = resourceCount(build()) + extra;
  console.log(`per resource, ${name.padEnd(30)} ${(t.median / resources).toFixed(2)} ms median, ` +
    `${(t.min / resources).toFixed(2)} ms min (${resources} resources)`);
}
console.log();
const worst = Math.max(
  sizes('organization example templates', organizationApp),
  sizes('scale case templates', scaleApp),
);
console.log(`largest share of a CloudFormation limit: ${(100 * worst).toFixed(1)}% (target < 25%)`);
