/**
 * Makes the `testing` namespace of the compiled package load on first use, as aws-cdk-lib loads its
 * service modules.
 *
 * jsii declares a submodule only through `export * as testing from './testing'` in src/index.ts, which
 * TypeScript compiles to an eager `require`: every `import ... from 'cdk-cloudtrail-governance'` would load
 * the test helpers. This step, run right after jsii compiles lib/, turns that one assignment into a getter
 * and then checks, in a fresh process, that importing the package loads nothing under lib/testing/ while
 * `testing.StableTemplate` still resolves. It fails the build when the compiled line is not found, so a
 * change in TypeScript's output cannot silently make the namespace eager again.
 *
 *   node -r sucrase/register/ts projenrc/lazy-namespaces.ts
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const NAMESPACES = ['testing'];
const index = path.join(__dirname, '..', 'lib', 'index.js');

let source = fs.readFileSync(index, 'utf8');
for (const name of NAMESPACES) {
  const eager = `exports.${name} = __importStar(require("./${name}"));`;
  const lazy = `Object.defineProperty(exports, "${name}", { enumerable: true, configurable: true, ` +
    `get: function () { return __importStar(require("./${name}")); } });`;
  if (source.includes(lazy)) continue;
  const count = source.split(eager).length - 1;
  if (count !== 1) {
    throw new Error(`lib/index.js: expected the compiled namespace export "${eager}" once, found it ${count} times`);
  }
  source = source.replace(eager, lazy);
}
fs.writeFileSync(index, source);

const check = `
const lib = require(${JSON.stringify(index)});
const loaded = () => Object.keys(require.cache).filter(f => /[\\\\/]lib[\\\\/](${NAMESPACES.join('|')})[\\\\/]/.test(f));
if (loaded().length > 0) throw new Error('importing the package loaded ' + loaded().join(', '));
if (typeof lib.testing.StableTemplate !== 'function') throw new Error('testing.StableTemplate does not resolve');
if (loaded().length === 0) throw new Error('testing was not loaded on use');
`;
execFileSync(process.execPath, ['-e', check], { stdio: 'inherit' });
console.log(`lib/index.js: ${NAMESPACES.join(', ')} loaded on first use`);
