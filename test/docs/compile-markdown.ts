/**
 * Compiles every TypeScript snippet of the given markdown files the way `jsii-rosetta extract --strict`
 * compiles the README inside the jsii assembly: same snippet extraction, same fixtures (rosetta/*.ts-fixture,
 * `fixture=...` on the code fence), same compiler and options, against the built package (lib/) and its peer
 * dependencies. The assembly only carries README.md, so the pages under docs/ need this second pass.
 *
 * Usage: ts-node --project test/tsconfig.json test/docs/compile-markdown.ts README.md docs/*.md
 * Exits with 1 and prints every diagnostic when a snippet does not compile (or, like `--strict`, when it
 * cannot be translated to the other jsii languages).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ApiLocation, CompilationDependency, parseMetadataLine, RosettaDiagnostic, RosettaTranslator, SnippetParameters,
  TypeScriptSnippet, typeScriptSnippetFromVisibleSource, updateParameters,
} from 'jsii-rosetta';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Rosetta's own extraction and fixture code, which its package `exports` do not list: loaded by path so the
 * snippets are cut out and completed exactly as `jsii-rosetta extract` does it.
 */
function rosettaInternal<T>(module: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file path, not a package: no import form
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

/**
 * Fences written ```TypeScript (capital T and S) hold TypeScript-only code: jest test files, and the organization
 * walkthrough while the example uses constructs the other jsii languages lack (spread, arrow functions).
 * Rosetta extracts only ```ts and ```typescript fences, so these are cut out here, compiled as strictly, and
 * only their translation is waived. GitHub highlights them as TypeScript all the same.
 */
const TYPESCRIPT_ONLY_FENCE = /^```TypeScript(?: +([^\n]*))?\n([\s\S]*?)^```$/gm;

export function snippetsOf(file: string): TypeScriptSnippet[] {
  const markdown = fs.readFileSync(file, 'utf8');
  const fileName = path.relative(ROOT, file);
  const dependencies = compilationDependencies();
  const translatable = extractTypescriptSnippetsFromMarkdown(markdown, { api: 'file', fileName }, true);
  const typeScriptOnly = [...markdown.matchAll(TYPESCRIPT_ONLY_FENCE)].map((m) => updateParameters(
    typeScriptSnippetFromVisibleSource(m[2], { api: { api: 'file', fileName }, field: { field: 'markdown', line: lineOf(markdown, m.index!) } }, true),
    { ...parseMetadataLine(m[1] ?? ''), [TYPESCRIPT_ONLY]: 'true' }));
  return [...translatable, ...typeScriptOnly]
    .map((snippet) => updateParameters(snippet, { [SnippetParameters.$PROJECT_DIRECTORY]: ROOT }))
    .map((snippet) => fixturize({ ...snippet, compilationDependencies: dependencies }));
}

const TYPESCRIPT_ONLY = 'typescript-only';

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

async function main(files: string[]) {
  if (files.length === 0) throw new Error('usage: compile-markdown.ts <file.md>...');
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.d.ts'))) {
    throw new Error('lib/index.d.ts is missing: run `npx projen compile` (jsii) first; snippets compile against the built package');
  }
  const snippets = files.flatMap((f) => snippetsOf(path.resolve(f)));
  const translatable = snippets.filter((s) => !isTypeScriptOnly(s));
  const typeScriptOnly = snippets.filter(isTypeScriptOnly);
  const diagnostics = [
    ...await compile(translatable),
    // ```TypeScript fences: compiled like the others, only the translation is waived.
    ...(await compile(typeScriptOnly)).filter((d) => !isTranslationOnly(d)),
  ];
  for (const d of diagnostics) process.stderr.write(d.formattedMessage);
  process.stdout.write(`${snippets.length} snippets (${typeScriptOnly.length} TypeScript-only) in ${files.length} files: ` +
    `${diagnostics.length} diagnostics\n`);
  // Like `jsii-rosetta extract --strict`: any diagnostic fails.
  if (diagnostics.length > 0) process.exitCode = 1;
}

function isTypeScriptOnly(snippet: TypeScriptSnippet): boolean {
  return snippet.parameters?.[TYPESCRIPT_ONLY] === 'true';
}

/** Rosetta reports constructs it cannot translate with code 0; compiler errors carry their TS code. */
function isTranslationOnly(d: RosettaDiagnostic): boolean {
  // eslint-disable-next-line no-control-regex
  return / TS0: /.test(d.formattedMessage.replace(/\u001b\[[0-9;]*m/g, ''));
}

async function compile(snippets: TypeScriptSnippet[]): Promise<readonly RosettaDiagnostic[]> {
  if (snippets.length === 0) return [];
  const translator = new RosettaTranslator({ includeCompilerDiagnostics: true });
  return (await translator.translateAll(snippets, { addToTablet: false })).diagnostics;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
