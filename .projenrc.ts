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
    // Runs the examples and the benchmark from source without type-checking them (the build does that):
    // plain JavaScript, no native or per-platform parts.
    'sucrase@^3.35.1',
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
      // Jest's default (one worker fewer than the cores) runs the suite serially on a 2-core machine; the
      // tests are CPU-bound and the main process is idle while workers run.
      maxWorkers: '100%',
    },
  },
  // Names for every jsii language. Python and .NET follow the npm name in their own conventions; Java and
  // Maven use io.github.<organization>, the namespace Maven Central verifies for a GitHub organization (a
  // Java package may not contain hyphens, so the package drops them); Go modules are named by the
  // repository the generated code is pushed to, with the conventional -go suffix.
  publishToPypi: { distName: 'cdk-cloudtrail-governance', module: 'cdk_cloudtrail_governance' },
  publishToMaven: {
    javaPackage: 'io.github.cdkcloudtrailgovernance',
    mavenGroupId: 'io.github.cdk-cloudtrail-governance',
    mavenArtifactId: 'cdk-cloudtrail-governance',
  },
  publishToNuget: { dotNetNamespace: 'CdkCloudTrailGovernance', packageId: 'CdkCloudTrailGovernance' },
  publishToGo: {
    moduleName: 'github.com/cdk-cloudtrail-governance/cdk-cloudtrail-governance-go',
    packageName: 'cdkcloudtrailgovernance',
  },
  gitignore: ['cdk.out/', '.cdk.staging/', 'bench/results/', '.jsii.tabl.json'],
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
      include: ['**/*.ts', '../src/**/*.ts', ...(dir === 'bench' ? ['../examples/**/*.ts', '../test/**/*.ts'] : [])],
      exclude: ['**/cdk.out/**'],
    },
  });
}

// `cdk synth` of an example and `npm run bench` run TypeScript through sucrase, which strips types and
// checks nothing: type-checking all of src/ on every synth cost users about 10 s. The build type-checks
// the examples and the benchmark instead (bench/tsconfig.json includes examples/ and src/).
// jest only transpiles (test/tsconfig.json sets isolatedModules); the tests are type-checked here.
project.compileTask.exec('tsc --noEmit -p bench/tsconfig.json', { name: 'type-check the examples, the benchmark and the tests' });
// The `testing` namespace loads on first use, not with every import of the package (see the script).
project.compileTask.exec('node -r sucrase/register/ts projenrc/lazy-namespaces.ts', { name: 'lazy testing namespace' });

project.addTask('bench', {
  description: 'Synthesis benchmark and template sizes (not part of the test suite)',
  exec: 'node -r sucrase/register/ts bench/synth.ts',
  receiveArgs: true,
});

// Where the README's first quick-start command puts the organization example's templates.
// The examples' templates are validated against CloudFormation's schemas by the test suite (test/examples);
// the main job only synthesizes them, without aws-cdk-lib's per-synth schema check.
project.addTask('synth:organization', {
  description: 'Synthesize the organization example into examples/organization/cdk.out',
  cwd: 'examples/organization',
  env: { CDK_VALIDATION: 'false' },
  exec: 'cdk synth --quiet --no-notices',
});
project.addTask('synth:single-account', {
  description: 'Synthesize the single-account example into examples/single-account/cdk.out',
  cwd: 'examples/single-account',
  env: { CDK_VALIDATION: 'false' },
  exec: 'cdk synth --quiet --no-notices',
});

// Packaging for Python, Java, .NET and Go needs PyPI, Maven Central, NuGet and the Go toolchain, which this
// project's machines do not reach or have. The build packages JavaScript and generates (without building)
// the code of the other languages, which fails on names or constructs a language cannot express;
// `npx projen package-all` builds every package where those toolchains and registries exist.
const packageJs = project.tasks.tryFind('package:js')!;
const generateOtherLanguages = project.addTask('package:generate-other-languages', {
  description: 'Generate (without building) the Python, Java, .NET and Go code into dist/code-only',
  exec: 'jsii-pacmak --code-only --outdir dist/code-only --target python --target java --target dotnet --target go',
});
project.packageTask.reset();
project.packageTask.spawn(packageJs);
project.packageTask.spawn(generateOtherLanguages);

// `npm pack` on a clone that was never built would pack no lib/ and print no error.
project.setScript('prepack', 'node -e "' +
  "if (!require('fs').existsSync('lib/index.js') || !require('fs').existsSync('.jsii')) {" +
  " console.error('lib/ is not built: run npx projen build (or npx projen compile) before npm pack');" +
  ' process.exit(1); }"');

// Every TypeScript snippet of the README and docs/ compiles: the README through jsii-rosetta's strict extraction
// (translated to every jsii language), docs/ through the same extraction and compiler with the rosetta/ fixtures.
// After compile, because both need the fresh .jsii assembly and lib/.
const docsCompile = project.addTask('docs:compile', {
  description: 'Compile every TypeScript snippet of README.md and docs/ (strict)',
  steps: [
    { exec: 'jsii-rosetta extract --strict .jsii' },
    { exec: 'ts-node --project test/tsconfig.json test/docs/compile-markdown.ts README.md docs/*.md' },
  ],
});
project.postCompileTask.spawn(docsCompile);

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
