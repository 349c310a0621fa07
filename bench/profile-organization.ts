/* eslint-disable no-console */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App } from 'aws-cdk-lib';
import { handBuiltOrganization } from './hand-built-organization';
import { organizationScope } from './organization-scope';
import { buildOrganizationExample } from '../examples/organization/stacks';
import { DetectionForwarder } from '../src';

/**
 * A CPU profile of one side of the organization benchmark, after warm-up rounds, so that loading modules
 * and the first rounds' compilation stay out of it (`node --cpu-prof` would include them). Open the
 * .cpuprofile file in Chrome DevTools or speedscope.
 *
 *   node -r sucrase/register/ts bench/profile-organization.ts example 20
 *   node -r sucrase/register/ts bench/profile-organization.ts hand-built 20
 */
process.env.CDK_VALIDATION ??= 'false';
const side = process.argv[2] ?? 'example';
const rounds = Number(process.argv[3] ?? 20);
const out = path.resolve(process.argv[4] ?? `${side}.cpuprofile`);

function example(): App {
  const app = new App();
  buildOrganizationExample(app);
  return app;
}

const once = new App();
const stacks = buildOrganizationExample(once);
const templates = Object.fromEntries(once.synth().stacks.map(s => [s.stackName, s.template]));
const forwarder = stacks.flatMap(s => s.node.findAll()).find((c): c is DetectionForwarder => c instanceof DetectionForwarder)!;
const scope = organizationScope(templates, forwarder.memberTemplate);
const build = side === 'hand-built' ? () => handBuiltOrganization(scope).app : example;
for (let i = 0; i < 3; i++) build().synth();

const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start', () => {
  const start = performance.now();
  for (let i = 0; i < rounds; i++) build().synth();
  const ms = (performance.now() - start) / rounds;
  session.post('Profiler.stop', (err, result) => {
    if (err) throw err;
    fs.writeFileSync(out, JSON.stringify(result.profile));
    console.log(`${side}: ${ms.toFixed(1)} ms per round (${rounds} rounds, profiled), profile in ${out}`);
  });
}));
