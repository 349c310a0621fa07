import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildOrganizationExample } from '../../examples/organization/stacks';
import { buildSingleAccountExample } from '../../examples/single-account/stacks';
import { StableTemplate } from '../../src/testing/stable-template';

/**
 * The examples are the compliance baseline users copy: their templates are pinned by snapshots, and a
 * change to any of them must be reviewed and updated with `npx projen test:update`.
 */
const examples: { [name: string]: (app: App) => Stack[] } = {
  'organization': buildOrganizationExample,
  'single-account': buildSingleAccountExample,
};

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Synthesizes with aws-cdk-lib's CloudFormation schema validation on, as `cdk synth` runs it. */
function synthesizeValidated(build: (app: App) => Stack[]) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
  const app = new App({ outdir });
  // Snapshots are named after the stacks.
  const stacks = Object.fromEntries(build(app).map((stack) => [stack.stackName, stack]));
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    app.synth();
  } finally {
    process.env.CDK_VALIDATION = previous;
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  outdirs.push(outdir);
  return { stacks, report, outdir };
}

const assemblies: { [name: string]: string } = {};

describe.each(Object.entries(examples))('%s example', (name, build) => {
  const { stacks, report, outdir } = synthesizeValidated(build);
  assemblies[name] = outdir;

  test('templates pass CloudFormation schema validation', () => {
    expect(report.pluginReports).toEqual([]);
  });

  test.each(Object.keys(stacks))('%s stack matches its snapshot', (key) => {
    expect(StableTemplate.fromStack(stacks[key])).toMatchSnapshot();
  });

  test('no Lambda-backed custom resources', () => {
    for (const stack of Object.values(stacks)) {
      const resources = Object.values<any>(Template.fromStack(stack).toJSON().Resources ?? {});
      expect(resources.filter((r) => r.Type === 'AWS::Lambda::Function')).toEqual([]);
      expect(resources.filter((r) => r.Type === 'AWS::CloudFormation::CustomResource' || r.Type.startsWith('Custom::')))
        .toEqual([]);
    }
  });
});

test('the README quick start names the files the organization example writes', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('## Quick start');
  const quickStart = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const named = [...quickStart.matchAll(/`((?:[\w.-]+\.template\.json)|(?:assembly-[\w-]+\*\/))`/g)].map(m => m[1]);
  expect(named.length).toBeGreaterThanOrEqual(5);
  const written = fs.readdirSync(assemblies.organization);
  for (const file of named) {
    const pattern = new RegExp(`^${file.replace(/[.]/g, '\\.').replace('*/', '[A-Z0-9]+$')}`);
    expect(written.filter(f => pattern.test(f))).toHaveLength(1);
  }
  const templates = written.filter(f => f.endsWith('.template.json'));
  expect(templates.sort()).toEqual(named.filter(f => f.endsWith('.template.json')).sort());
});
