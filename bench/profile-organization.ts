/* eslint-disable no-console */
import { performance } from 'perf_hooks';
import { App } from 'aws-cdk-lib';
import { handBuiltOrganization } from './hand-built-organization';
import { organizationScope } from './organization-scope';
import { buildOrganizationExample } from '../examples/organization/stacks';
import { DetectionForwarder } from '../src';

/**
 * Runs one side of the organization benchmark many times, for a CPU profile of it alone:
 *
 *   node --cpu-prof --cpu-prof-dir=profiles -r sucrase/register/ts bench/profile-organization.ts example 20
 *   node --cpu-prof --cpu-prof-dir=profiles -r sucrase/register/ts bench/profile-organization.ts hand-built 20
 */
process.env.CDK_VALIDATION ??= 'false';
const side = process.argv[2] ?? 'example';
const rounds = Number(process.argv[3] ?? 20);

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

const start = performance.now();
for (let i = 0; i < rounds; i++) build().synth();
console.log(`${side}: ${((performance.now() - start) / rounds).toFixed(1)} ms per round (${rounds} rounds)`);
