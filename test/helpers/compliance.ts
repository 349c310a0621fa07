import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  App, IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1, Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';

/** The validator that reported a finding. */
export type ComplianceTool = 'cdk-nag' | 'cfn-guard';

/** One unacknowledged rule violation on one resource. */
export interface ComplianceFinding {
  readonly tool: ComplianceTool;
  /**
   * cdk-nag: the rule id as `acknowledge()` takes it (`AwsSolutions-S1`, `AwsSolutions-IAM5[Action::s3:*]`).
   * cfn-guard: the Control Tower control id (`CT.S3.PR.1`); the guard rule name for other rules.
   */
  readonly rule: string;
  /** Construct path of the violating L1 resource (`Stack/Bucket/Resource`); `(unattributed)` if the tool gave none. */
  readonly resource: string;
  /** What the rule requires, followed by the tool's suggested fix when it gives one. */
  readonly message: string;
  /** `error` or `warning`, as the tool reports it. */
  readonly severity: string;
}

/** Options for {@link complianceFindings}. */
export interface ComplianceOptions {
  /**
   * Control Tower guard rules not to run at all, by control id (`CT.S3.PR.9`), each with the reason it
   * does not apply. Every rule disabled for an example must also be listed with its reason in the README.
   *
   * @default - every bundled Control Tower rule runs
   */
  readonly disabledGuardRules?: { readonly [controlId: string]: string };

  /**
   * Context for the App, e.g. the feature flags of the example's `cdk.json`
   * (`{ '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true }`), so the checked templates are the
   * ones that example deploys.
   *
   * @default - no context: every feature flag at its library default
   */
  readonly context?: { readonly [key: string]: unknown };
}

// The report the CDK validation framework writes into the cloud assembly.
interface ViolationJson {
  readonly ruleName: string;
  readonly description: string;
  readonly suggestedFix?: string;
  readonly severity?: string;
  readonly customSeverity?: string;
  readonly acknowledgedId?: string;
  readonly violatingConstructs: ReadonlyArray<{ readonly constructPath: string }>;
}
interface ReportJson {
  readonly pluginReports: ReadonlyArray<{
    readonly pluginName: string;
    readonly metadata?: { readonly [key: string]: string };
    readonly violations: readonly ViolationJson[];
    readonly suppressedViolations?: readonly ViolationJson[];
  }>;
}

const REPORT_FILE = 'validation-report.json';
const GUARD_PLUGIN = 'cdk-validator-cfnguard';
const NAG_PACKS = ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
const CONTROL_ID = /^CT\.([A-Z0-9-]+)\.PR\.(\d+)$/;
const UNATTRIBUTED = '(unattributed)';
const RESOURCE_TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

interface GuardRuleFile {
  readonly file: string;
  /** Every `AWS::<Service>::<Type>` the rule file names; empty when it names none. */
  readonly resourceTypes: readonly string[];
}

let guardRules: {
  readonly byRuleName: Map<string, string>;
  readonly byControlId: Map<string, string>;
  readonly files: readonly GuardRuleFile[];
} | undefined;

/**
 * Control Tower control id <-> guard rule name, read from the bundled rule files: `ct-s3-pr-1.guard`
 * defines `rule s3_bucket_level_public_access_prohibited_check`. The plugin reports and acknowledges by
 * rule name and disables by file name; people and the Control Tower docs use the control id.
 */
function bundledGuardRules(): NonNullable<typeof guardRules> {
  if (guardRules) return guardRules;
  const root = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
    'rules', 'control-tower', 'cfn-guard');
  const byRuleName = new Map<string, string>();
  const byControlId = new Map<string, string>();
  const files: GuardRuleFile[] = [];
  for (const dir of fs.readdirSync(root)) {
    for (const file of fs.readdirSync(path.join(root, dir))) {
      if (!file.endsWith('.guard')) continue;
      const text = fs.readFileSync(path.join(root, dir, file), 'utf8');
      files.push({ file: path.join(root, dir, file), resourceTypes: [...new Set(text.match(RESOURCE_TYPE) ?? [])] });
      const id = /^ct-(.+)-pr-(\d+)\.guard$/.exec(file);
      const rule = id && /^rule (\w+) when is_cfn_template/m.exec(text);
      if (!id || !rule) continue;
      const controlId = `CT.${id[1].toUpperCase()}.PR.${id[2]}`;
      byRuleName.set(rule[1], controlId);
      byControlId.set(controlId, rule[1]);
    }
  }
  guardRules = { byRuleName, byControlId, files };
  return guardRules;
}

function guardRuleName(controlId: string, what: string): string {
  const rule = CONTROL_ID.test(controlId) ? bundledGuardRules().byControlId.get(controlId) : undefined;
  if (!rule) throw new Error(`${what}: "${controlId}" is not a bundled Control Tower control id (e.g. CT.S3.PR.9)`);
  return rule;
}

/**
 * The id that acknowledges a Control Tower guard rule, for
 * `Validations.of(construct).acknowledge({ id: guardAcknowledgmentId('CT.S3.PR.9'), reason })`.
 * The CDK framework applies such an acknowledgment to the whole app; {@link complianceFindings} honours it
 * only on the acknowledging construct and its children, as cdk-nag does.
 */
export function guardAcknowledgmentId(controlId: string): string {
  return `${GUARD_PLUGIN}::${guardRuleName(controlId, 'guardAcknowledgmentId')}`;
}

/**
 * The bundled Control Tower rule files that can apply to an app with these resource types: each rule
 * selects resources by type (`Resources.*[ Type == 'AWS::S3::Bucket' ]`), and one whose types are all
 * absent can only skip. cfn-guard parses every data template once per rule file (about 0.2 s each for a
 * 400 KB template on this machine), so leaving out rules that can only skip saves tens of seconds per
 * app and loses no finding. A rule file that names no resource type is always kept.
 */
export function applicableGuardRules(resourceTypes: ReadonlySet<string>): string[] {
  return bundledGuardRules().files
    .filter(f => f.resourceTypes.length === 0 || f.resourceTypes.some(t => resourceTypes.has(t)))
    .map(f => f.file);
}

/**
 * The Control Tower guard rules as a CDK validation plugin that runs only the rule files applicable to the
 * templates it is given (see {@link applicableGuardRules}); reported under the plugin's own name.
 */
class ApplicableGuardRules implements IPolicyValidationPluginBeta1 {
  public readonly name = GUARD_PLUGIN;
  public readonly version = new CfnGuardValidator().version;

  constructor(private readonly disabledFiles: readonly string[]) {}

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const resourceTypes = new Set(context.templatePaths.flatMap(file =>
      Object.values(JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {}).map((r: any) => r.Type as string)));
    return new CfnGuardValidator({
      controlTowerRulesEnabled: false,
      rules: applicableGuardRules(resourceTypes),
      disabledRules: [...this.disabledFiles],
    }).validate(context);
  }
}

function guardValidator(disabled: { readonly [controlId: string]: string }): IPolicyValidationPluginBeta1 {
  for (const [id, reason] of Object.entries(disabled)) {
    guardRuleName(id, 'disabledGuardRules');
    if (reason.trim() === '') throw new Error(`disabledGuardRules: "${id}" needs a reason`);
  }
  // The plugin matches disabled rules against rule file names (CT.S3.PR.9 -> ct-s3-pr-9).
  return new ApplicableGuardRules(Object.keys(disabled).map(id =>
    id.replace(CONTROL_ID, (_, svc: string, n: string) => `ct-${svc.toLowerCase()}-pr-${n}`)));
}

/**
 * Builds a fresh App with the four cdk-nag packs (AwsSolutions, NIST 800-53 R5, HIPAA Security,
 * PCI DSS 3.2.1) and the Control Tower guard rules attached as CDK validation plugins, lets `build`
 * add stacks, synthesizes once (both tools check the same templates), and returns every finding
 * that is not acknowledged, sorted by tool, resource and rule.
 *
 * Acknowledge inside `build`, on the construct or an ancestor, with a reason:
 * cdk-nag `Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason })`,
 * guard `Validations.of(bucket).acknowledge({ id: guardAcknowledgmentId('CT.S3.PR.9'), reason })`.
 * An acknowledgment covers its construct and everything below it, never siblings.
 *
 * Throws when a validator itself fails (e.g. the cfn-guard binary cannot run), so a broken tool never
 * reads as "no findings".
 */
export function complianceFindings(build: (app: App) => void, options: ComplianceOptions = {}): ComplianceFinding[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-'));
  try {
    const app = new App({
      outdir,
      // Report instead of throwing: violations are the result, not a failure of the run.
      context: { ...options.context, '@aws-cdk/core:failSynthOnValidationErrors': false },
    });
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new NIST80053R5Checks(app),
      new HIPAASecurityChecks(app),
      new PCIDSS321Checks(app),
      guardValidator(options.disabledGuardRules ?? {}),
    );
    build(app);
    const assembly = withoutDefaultTemplateValidation(() => app.synth());
    const reportPath = path.join(assembly.directory, REPORT_FILE);
    // The framework writes no report when the app has no stacks.
    if (!fs.existsSync(reportPath)) return [];
    const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as ReportJson;
    return findingsFromReport(report, acknowledgments(app));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * aws-cdk-lib also runs its own "CloudFormation Validate" plugin on every synth unless CDK_VALIDATION
 * is "false". Its schema checks are not compliance findings (this harness ignores its report), and
 * starting its engine costs seconds per test file, so it is switched off for this one synth only.
 */
function withoutDefaultTemplateValidation<T>(synth: () => T): T {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return synth();
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
  }
}

/** Acknowledged rule id (as the framework stores it, e.g. `cdk-validator-cfnguard::rule`) -> construct paths. */
function acknowledgments(app: App): Map<string, string[]> {
  const acks = new Map<string, string[]>();
  for (const c of app.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const id of Object.keys(entry.data as object)) {
        acks.set(id, [...acks.get(id) ?? [], c.node.path]);
      }
    }
  }
  return acks;
}

function covers(ackPath: string, resource: string): boolean {
  return ackPath === '' || resource === ackPath || resource.startsWith(`${ackPath}/`);
}

function findingsFromReport(report: ReportJson, acks: Map<string, string[]>): ComplianceFinding[] {
  const findings: ComplianceFinding[] = [];
  for (const plugin of report.pluginReports) {
    const tool: ComplianceTool | undefined = plugin.pluginName === GUARD_PLUGIN ? 'cfn-guard'
      : NAG_PACKS.includes(plugin.pluginName) ? 'cdk-nag' : undefined;
    // Other plugins (CloudFormation Validate, construct annotations) are outside this harness.
    if (!tool) continue;
    if (plugin.metadata?.error) throw new Error(`${plugin.pluginName} did not run: ${plugin.metadata.error}`);

    // The framework applies a namespaced acknowledgment to every resource in the app; narrow it back
    // to the acknowledging construct's subtree.
    const suppressed = (plugin.suppressedViolations ?? []).map(v => ({
      ...v,
      violatingConstructs: v.violatingConstructs.filter(c =>
        !(acks.get(v.acknowledgedId ?? '') ?? []).some(p => covers(p, c.constructPath))),
    }));
    const attributed = new Set([...plugin.violations, ...plugin.suppressedViolations ?? []]
      .filter(v => v.violatingConstructs.some(c => c.constructPath)).map(v => v.ruleName));
    const all = [...plugin.violations, ...suppressed];
    for (const v of all) {
      const rule = tool === 'cfn-guard' ? bundledGuardRules().byRuleName.get(v.ruleName) ?? v.ruleName : v.ruleName;
      const what = v.description.replace(/^\[CT\.[^\]]+\]:\s*/, '');
      const message = v.suggestedFix && v.suggestedFix !== 'N/A' && v.suggestedFix !== v.description
        ? `${what} Fix: ${v.suggestedFix}` : what;
      for (const c of v.violatingConstructs) {
        // cfn-guard sometimes adds a location-less entry for a check it could not resolve, next to the
        // resource it already reported for the same rule.
        if (!c.constructPath && attributed.has(v.ruleName)) continue;
        findings.push({
          tool,
          rule,
          message,
          resource: c.constructPath || UNATTRIBUTED,
          severity: v.customSeverity ?? v.severity ?? 'error',
        });
      }
    }
  }
  return dedupe(findings).sort(compareFindings);
}

function dedupe(findings: ComplianceFinding[]): ComplianceFinding[] {
  const seen = new Set<string>();
  return findings.filter(f => {
    const key = [f.tool, f.rule, f.resource, f.message].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareFindings(a: ComplianceFinding, b: ComplianceFinding): number {
  return a.tool.localeCompare(b.tool) || a.resource.localeCompare(b.resource) || a.rule.localeCompare(b.rule);
}

/**
 * One line per finding (`[tool] rule at resource: message`); `''` when there are none, so
 * `expect(formatFindings(findings)).toBe('')` fails with the whole list.
 */
export function formatFindings(findings: readonly ComplianceFinding[]): string {
  if (findings.length === 0) return '';
  const lines = [...findings].sort(compareFindings).map(f =>
    `[${f.tool}] ${f.rule} at ${f.resource}${f.severity === 'error' ? '' : ` (${f.severity})`}: ${f.message}`);
  return `${findings.length} unacknowledged compliance finding(s):\n${lines.join('\n')}`;
}
