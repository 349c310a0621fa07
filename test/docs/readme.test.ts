import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');
const WARNINGS = path.join(ROOT, 'docs', 'warnings.md');
const warningsPage = () => fs.readFileSync(WARNINGS, 'utf8');
const ORGANIZATION_STACKS = path.join(ROOT, 'examples', 'organization', 'stacks.ts');
const WARNING_PREFIX = 'cdk-cloudtrail-governance:';
/** The README must stay a page a new user reads from top to bottom; depth lives in docs/. */
const MAX_README_BYTES = 32_000;

const readme = () => fs.readFileSync(README, 'utf8');

/**
 * The marked region of examples/organization/stacks.ts as the README shows it: imported from the package
 * rather than from src/, without the examples-only import of the cdk-nag acknowledgement helper (the README's
 * fixture provides it).
 */
export function walkthroughFromExample(source: string): string {
  const match = /^\/\/ README:begin walkthrough[^\n]*\n([\s\S]*?)^\/\/ README:end/m.exec(source);
  if (!match) throw new Error('examples/organization/stacks.ts has no "// README:begin walkthrough" ... "// README:end" region');
  return match[1]
    .replace(/'\.\.\/\.\.\/src'/g, "'cdk-cloudtrail-governance'")
    .split('\n')
    .filter((line) => !line.includes("from '../compliance'"))
    .join('\n')
    .trimEnd();
}

/** The body of the README's code fence tagged `fixture=organization` (there must be exactly one). */
export function walkthroughFromReadme(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```(?:ts|typescript|TypeScript) fixture=organization\n([\s\S]*?)^```$/gm)];
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} code blocks tagged fixture=organization, expected 1`);
  return blocks[0][1].trimEnd();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * Every warning id src/ can emit. Ids are written as string literals, either in the `addWarningV2` call or in
 * a constant it passes; a call whose first argument is neither is reported, so an id built at run time
 * cannot slip past the table.
 */
export function emittedWarningIds(srcDir: string): { ids: Set<string>; unreadable: string[] } {
  const files = sourceFiles(srcDir).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const literal = new RegExp(`['"\`](${WARNING_PREFIX}[A-Za-z0-9:._-]+)['"\`]`, 'g');
  const constants = new Map<string, string>();
  const ids = new Set<string>();
  for (const { text } of files) {
    for (const m of text.matchAll(literal)) ids.add(m[1]);
    for (const m of text.matchAll(new RegExp(`const\\s+([A-Za-z_$][\\w$]*)\\s*(?::\\s*string\\s*)?=\\s*['"\`](${WARNING_PREFIX}[^'"\`]+)['"\`]`, 'g'))) {
      constants.set(m[1], m[2]);
    }
  }
  const unreadable: string[] = [];
  for (const { file, text } of files) {
    for (const m of text.matchAll(/addWarningV2\(\s*([^,]+?)\s*,/g)) {
      const arg = m[1];
      const line = text.slice(0, m.index).split('\n').length;
      const where = `${path.relative(ROOT, file)}:${line}`;
      const quoted = /^['"`]([^'"`$]*)['"`]$/.exec(arg);
      if (quoted && quoted[1].startsWith(WARNING_PREFIX)) continue;
      if (/^[A-Za-z_$][\w$]*$/.test(arg) && constants.has(arg)) continue;
      // A property of an object whose ids are all literals in src/ (e.g. `w.id` over warnings built from constants).
      if (/^[A-Za-z_$][\w$]*\.id$/.test(arg) && isWarningListRelay(text, constants)) continue;
      unreadable.push(`${where}: ${arg}`);
    }
  }
  return { ids, unreadable };
}

/** A file that relays warnings (`w.id`) where every `id:` it builds is a warning-id constant or literal. */
function isWarningListRelay(text: string, constants: Map<string, string>): boolean {
  const built = [...text.matchAll(/\bid:\s*([^,\n}]+)/g)].map((m) => m[1].trim());
  return built.length > 0 && built.every((v) => constants.has(v) || v.startsWith(`'${WARNING_PREFIX}`));
}

/** The ids in the first column of docs/warnings.md's table (rows starting with `| \`cdk-cloudtrail-governance:`). */
export function documentedWarningIds(markdown: string): Set<string> {
  const rows = markdown.matchAll(new RegExp(`^\\| \`(${WARNING_PREFIX}[^\`]+)\` \\|`, 'gm'));
  return new Set([...rows].map((m) => m[1]));
}

describe('README.md', () => {
  test('the organization walkthrough is the organization example\'s code, verbatim', () => {
    const fromExample = walkthroughFromExample(fs.readFileSync(ORGANIZATION_STACKS, 'utf8'));
    expect(fromExample).toContain('new OrganizationTrail(');
    expect(walkthroughFromReadme(readme())).toEqual(fromExample);
  });

  test('a walkthrough that drifts from the example is detected', () => {
    const drifted = readme().replace("trailName: 'organization-trail'", "trailName: 'org-trail'");
    expect(drifted).not.toEqual(readme());
    expect(walkthroughFromReadme(drifted)).not.toEqual(walkthroughFromExample(fs.readFileSync(ORGANIZATION_STACKS, 'utf8')));
  });

  test('every warning id emitted in src/ is in docs/warnings.md, and the page lists no other', () => {
    const { ids, unreadable } = emittedWarningIds(path.join(ROOT, 'src'));
    expect(unreadable).toEqual([]);
    expect(ids.size).toBeGreaterThan(0);
    const documented = documentedWarningIds(warningsPage());
    expect([...ids].filter((id) => !documented.has(id)).sort()).toEqual([]);
    expect([...documented].filter((id) => !ids.has(id)).sort()).toEqual([]);
  });

  test('warning ids passed as an expression the check cannot read are reported', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warning-ids-'));
    fs.writeFileSync(path.join(dir, 'a.ts'), [
      "const ID = 'cdk-cloudtrail-governance:area:known';",
      "Annotations.of(this).addWarningV2(ID, 'message');",
      "Annotations.of(this).addWarningV2('cdk-cloudtrail-governance:area:literal', 'message');",
      "Annotations.of(this).addWarningV2(`cdk-cloudtrail-governance:${area}:built`, 'message');",
    ].join('\n'));
    const { ids, unreadable } = emittedWarningIds(dir);
    expect([...ids].sort()).toEqual(['cdk-cloudtrail-governance:area:known', 'cdk-cloudtrail-governance:area:literal']);
    expect(unreadable).toEqual([expect.stringContaining('`cdk-cloudtrail-governance:${area}:built`')]);
  });

  test('a warning id missing from the table is detected', () => {
    const id = 'cdk-cloudtrail-governance:trail:logFileValidationOff';
    expect(documentedWarningIds(warningsPage()).has(id)).toBe(true);
    const withoutRow = warningsPage().split('\n').filter((line) => !line.startsWith(`| \`${id}\``)).join('\n');
    expect(documentedWarningIds(withoutRow).has(id)).toBe(false);
  });

  test(`is at most ${MAX_README_BYTES} bytes`, () => {
    expect(Buffer.byteLength(readme(), 'utf8')).toBeLessThanOrEqual(MAX_README_BYTES);
  });
});
