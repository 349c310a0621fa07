import { awscdk, DependencyType, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new awscdk.AwsCdkConstructLibrary({
  author: 'cdk-cloudtrail-governance maintainers',
  authorAddress: 'maintainers@users.noreply.example',
  description:
    'AWS CDK constructs for a complete, compliant CloudTrail setup: organization trail, encrypted archive, ' +
    'data events and Insights, organization-wide alerts, and Athena forensics.',
  keywords: ['cdk', 'aws-cdk', 'cloudtrail', 'security', 'compliance', 'audit', 'organizations', 'athena'],
  license: 'Apache-2.0',
  // The lowest aws-cdk-lib with the stable aws-glue L2 (S3Table with partition projection).
  cdkVersion: '2.270.0',
  constructsVersion: '10.5.1',
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  name: 'cdk-cloudtrail-governance',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  repositoryUrl: 'https://github.com/cdk-cloudtrail-governance/cdk-cloudtrail-governance.git',
  github: false,
  release: false,
  prettier: false,
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'] },
  devDeps: [
    'aws-cdk@^2.1148.0',
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    // Pinned to the newest release whose native bindings are published for every platform it lists.
    '@duckdb/node-api@1.5.5-r.5',
    '@cloud-copilot/iam-simulate@^0.1.173',
  ],
  jestOptions: {
    // A snapshot that no longer matches must fail the run; `npm run test:update` rewrites on purpose.
    updateSnapshot: UpdateSnapshot.NEVER,
    // Jest 30 resolves modules through unrs-resolver (native, per-platform optional packages).
    jestVersion: '^29',
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/examples/.*/cdk.out/'],
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      coverageReporters: ['text-summary'],
      // V8 coverage slows every module the tests load (aws-cdk-lib included) about threefold on 2 cores;
      // babel instruments only the project's own files.
      coverageProvider: 'babel',
    },
  },
  gitignore: ['cdk.out/', '.cdk.staging/', 'bench/results/'],
  npmIgnoreOptions: { ignorePatterns: ['examples/', 'bench/', '.ci/'] },
});

// eslint-import-resolver-typescript v4 resolves through unrs-resolver, whose per-platform optional
// packages are not all published to every registry mirror; a lock file written without them breaks
// `npm ci`. v3.6 has no native parts. @types/node follows the Node version the project supports.
for (const [name, version] of [['eslint-import-resolver-typescript', '~3.6.3'], ['@types/node', '^20']]) {
  project.deps.removeDependency(name);
  project.deps.addDependency(`${name}@${version}`, DependencyType.BUILD);
}

// The examples and the benchmark compile against src/ directly, so a fresh clone runs them without a build.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { rootDir: '..', noEmit: true },
      include: ['**/*.ts', '../src/**/*.ts', ...(dir === 'bench' ? ['../examples/**/*.ts'] : [])],
      exclude: ['**/cdk.out/**'],
    },
  });
}

project.addTask('bench', {
  description: 'Synthesis benchmark and template sizes (not part of the test suite)',
  exec: 'ts-node --project bench/tsconfig.json bench/synth.ts',
  receiveArgs: true,
});

// Where the README's first quick-start command puts the organization example's templates.
project.addTask('synth:organization', {
  description: 'Synthesize the organization example into examples/organization/cdk.out',
  cwd: 'examples/organization',
  exec: 'cdk synth --quiet --no-notices',
});
project.addTask('synth:single-account', {
  description: 'Synthesize the single-account example into examples/single-account/cdk.out',
  cwd: 'examples/single-account',
  exec: 'cdk synth --quiet --no-notices',
});

// Generated files (API.md, package.json, ...) must match the code in CI: a build that regenerates
// them differently means the commit is stale.
project.packageTask.spawn(
  project.addTask('check:generated', {
    description: 'In CI, fail when the build changed a tracked file (API.md, projen output)',
    condition: 'node -e "if (!process.env.CI) process.exit(1)"',
    exec: 'git diff --ignore-space-at-eol --exit-code',
  }),
);

project.synth();
