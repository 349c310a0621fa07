import { Detection, DetectionTactic, DetectionTier } from '../../src/detection/detection';
import { VolumeDetection } from '../../src/detection/volume-detection';

/** The part of docs/detections.md that is generated from the catalog. */
export const BEGIN = '<!-- BEGIN GENERATED FROM THE CATALOG: edit src/detection/private/catalog*.ts, not this -->';
export const END = '<!-- END GENERATED -->';

const TACTIC_ORDER = [
  DetectionTactic.INITIAL_ACCESS, DetectionTactic.EXECUTION, DetectionTactic.PERSISTENCE,
  DetectionTactic.PRIVILEGE_ESCALATION, DetectionTactic.DEFENSE_EVASION, DetectionTactic.CREDENTIAL_ACCESS,
  DetectionTactic.DISCOVERY, DetectionTactic.LATERAL_MOVEMENT, DetectionTactic.COLLECTION,
  DetectionTactic.EXFILTRATION, DetectionTactic.IMPACT,
];

const tacticName = (t: string) => t.charAt(0) + t.slice(1).toLowerCase().replace(/_/g, ' ');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const sources = (d: Detection) => (d.eventPattern.source as unknown[])
  .map(s => (typeof s === 'string' ? `\`${s}\`` : `\`${(s as any).prefix}*\``)).join(', ');

/** Renders the generated section of docs/detections.md from the catalog. */
export function renderDetectionsDoc(): string {
  const all = Detection.all();
  const lines: string[] = [BEGIN, ''];
  lines.push(`${all.length} EventBridge detections (${Detection.defaultTier().length} in the default tier, ` +
    `${Detection.huntingTier().length} in the hunting tier) and ${VolumeDetection.all().length} volume detections.`, '');
  lines.push('| Tactic | Default tier | Hunting tier |', '| --- | --- | --- |');
  for (const t of TACTIC_ORDER) {
    const of = all.filter(d => d.tactic === t);
    if (of.length === 0) continue;
    lines.push(`| ${tacticName(t)} | ${of.filter(d => d.tier === DetectionTier.DEFAULT).length} | ` +
      `${of.filter(d => d.tier === DetectionTier.HUNTING).length} |`);
  }
  lines.push('');
  for (const t of TACTIC_ORDER) {
    const of = all.filter(d => d.tactic === t);
    if (of.length === 0) continue;
    lines.push(`### ${tacticName(t)}`, '');
    lines.push('| Id | Title | Tier | Severity | ATT&CK | Sources |', '| --- | --- | --- | --- | --- | --- |');
    for (const d of of) {
      lines.push(`| \`${d.id}\` | ${cell(d.title)}${d.dataEventsNeeded ? ' (needs data events)' : ''} | ` +
        `${d.tier.toLowerCase()} | ${d.severity} | ${d.techniques.join(', ') || '-'} | ${sources(d)} |`);
    }
    lines.push('');
    for (const d of of) {
      lines.push(`- **\`${d.id}\`** ${cell(d.description)}`);
      if (d.rationale !== d.description) lines.push(`  *Why:* ${cell(d.rationale)}`);
      if (d.falsePositives) lines.push(`  *False positives:* ${cell(d.falsePositives)}`);
      if (d.visibility) lines.push(`  *Not visible:* ${cell(d.visibility)}`);
      if (d.includeReadOnlyEvents) lines.push('  *Receives read-only management events.*');
    }
    lines.push('');
  }
  lines.push('### Volume detections (Contributor Insights on the trail\'s log group)', '');
  lines.push('| Id | Title | Default threshold (per principal, 5 minutes) | ATT&CK |', '| --- | --- | --- | --- |');
  for (const v of VolumeDetection.all()) {
    lines.push(`| \`${v.id}\` | ${cell(v.title)}${v.dataEventsNeeded ? ' (needs data events)' : ''} | ` +
      `${v.threshold} | ${v.techniques.join(', ')} |`);
  }
  lines.push('', END);
  return lines.join('\n');
}
