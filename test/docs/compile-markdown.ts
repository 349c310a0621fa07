/**
 * Compiles every TypeScript snippet of the given markdown files the way `jsii-rosetta extract --strict`
 * compiles the README inside the jsii assembly: same snippet extraction, same fixtures (rosetta/*.ts-fixture,
 * `fixture=...` on the code fence), same compiler and options, against the built package (lib/) and its peer
 * dependencies. The assembly only carries README.md, so the pages under docs/ need this second pass.
 *
 * Usage: ts-node --project test/tsconfig.json test/docs/compile-markdown.ts docs/*.md
 * Exits with 1 and prints every diagnostic when a snippet does not compile (or, like `--strict`, when it
 * cannot be translated to the other jsii languages).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ApiLocation, CompilationDependency, RosettaTranslator, SnippetParameters, TypeScriptSnippet, updateParameters,
} from 'jsii-rosetta';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Rosetta's own extraction and fixture code, which its package `exports` do not list: loaded by path so the
 * snippets are cut out and completed exactly as `jsii-rosetta extract` does it.
 */
function rosettaInternal<T>(module: string): T {
  return require(path.join(path.dirname(require.resolve('jsii-rosetta/package.json')), 'lib', module));
}
const { fixturize } = rosettaInternal<{
  fixturize: (snippet: TypeScriptSnippet, loose?: boolean) => TypeScriptSnippet;
}>('fixtures.js');
const { extractTypescriptSnippetsFromMarkdown } = rosettaInternal<{
  extractTypescriptSnippetsFromMarkdown: (markdown: string, location: ApiLocation, strict: boolean) => TypeScriptSnippet[];
}>('markdown/extract-snippets.js');

/** What `jsii-rosetta extract` gives a snippet of this package: the package itself and its peer dependencies. */
function compilationDependencies(): Record<string, CompilationDependency> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const deps: Record<string, CompilationDependency> = { [pkg.name]: { type: 'concrete', resolvedDirectory: ROOT } };
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
    deps[name] = { type: 'concrete', resolvedDirectory: path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] })) };
  }
  return deps;
}

export function snippetsOf(file: string): TypeScriptSnippet[] {
  const markdown = fs.readFileSync(file, 'utf8');
  const fileName = path.relative(ROOT, file);
  const dependencies = compilationDependencies();
  return extractTypescriptSnippetsFromMarkdown(markdown, { api: 'file', fileName }, true)
    .map((snippet) => updateParameters(snippet, { [SnippetParameters.$PROJECT_DIRECTORY]: ROOT }))
    .map((snippet) => fixturize({ ...snippet, compilationDependencies: dependencies }));
}

async function main(files: string[]) {
  if (files.length === 0) throw new Error('usage: compile-markdown.ts <file.md>...');
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.d.ts'))) {
    throw new Error('lib/index.d.ts is missing: run `npx projen compile` (jsii) first; snippets compile against the built package');
  }
  const snippets = files.flatMap((f) => snippetsOf(path.resolve(f)));
  const translator = new RosettaTranslator({ includeCompilerDiagnostics: true });
  const result = await translator.translateAll(snippets, { addToTablet: false });
  for (const d of result.diagnostics) process.stderr.write(d.formattedMessage);
  const errors = result.diagnostics.filter((d) => d.isError).length;
  process.stdout.write(`${snippets.length} snippets in ${files.length} files: ${result.diagnostics.length} diagnostics, ${errors} errors\n`);
  // Like `jsii-rosetta extract --strict`: any diagnostic fails.
  if (result.diagnostics.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
