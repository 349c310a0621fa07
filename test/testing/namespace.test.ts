import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * What a fresh process loads when it imports the library's entry point, and what it loads once a test
 * helper that needs aws-cdk-lib/assertions is used. A child process, because jest's module registry
 * is not node's require cache.
 */
interface Probe {
  readonly assertionsOnImport: boolean;
  readonly namespace: string[];
  readonly rootHasMatcher: boolean;
  readonly assertionsOnUse: boolean;
}

function probe(entry: string, register: string[]): Probe {
  const script = `
    const loaded = () => Object.keys(require.cache).some(f => f.split(require('path').sep).join('/').includes('aws-cdk-lib/assertions/'));
    const lib = require(${JSON.stringify(entry)});
    const assertionsOnImport = loaded();
    const { App, Stack } = require('aws-cdk-lib');
    const stack = new Stack(new App(), 'Probe');
    lib.testing.StableTemplate.fromStack(stack);
    console.log(JSON.stringify({
      assertionsOnImport,
      namespace: Object.keys(lib.testing).sort(),
      rootHasMatcher: 'EventPatternMatcher' in lib,
      assertionsOnUse: loaded(),
    }));`;
  const out = execFileSync(process.execPath, [...register, '-e', script], {
    cwd: ROOT,
    env: { ...process.env, CDK_VALIDATION: 'false' },
    encoding: 'utf-8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const EXPECTED: Probe = {
  assertionsOnImport: false,
  namespace: ['CloudTrailEventEnvelope', 'EventPatternMatcher', 'StableTemplate'],
  rootHasMatcher: false,
  assertionsOnUse: true,
};

test('importing src/index leaves aws-cdk-lib/assertions unloaded; the testing namespace loads it on use', () => {
  expect(probe(path.join(ROOT, 'src', 'index.ts'), ['-r', 'sucrase/register/ts'])).toEqual(EXPECTED);
}, 120_000);

// lib/ exists once the library is compiled (the build runs the tests after compiling).
const compiled = fs.existsSync(path.join(ROOT, 'lib', 'index.js'));
(compiled ? test : test.skip)('importing the compiled lib/index behaves the same', () => {
  expect(probe(path.join(ROOT, 'lib', 'index.js'), [])).toEqual(EXPECTED);
}, 60_000);
