import { CIS_DEFINITIONS, DetectionDefinition } from './catalog';
import { CREDENTIAL_ACCESS_DEFINITIONS } from './catalog-credential-access';
import { DEFENSE_EVASION_DEFINITIONS } from './catalog-defense-evasion';
import { EXECUTION_DEFINITIONS } from './catalog-execution';
import { EXFILTRATION_DEFINITIONS } from './catalog-exfiltration';
import { OTHER_DEFINITIONS } from './catalog-extra';
import { HEALTH_DEFINITIONS } from './catalog-health';
import { IMPACT_DEFINITIONS } from './catalog-impact';
import { PERSISTENCE_DEFINITIONS } from './catalog-persistence';
import { PIPELINE_DEFINITIONS } from './catalog-pipeline';

/** The whole catalog in its documented order: CIS, the original extras, by tactic, then the pipeline's own. */
export const ALL_DEFINITIONS: readonly DetectionDefinition[] = [
  ...CIS_DEFINITIONS,
  ...OTHER_DEFINITIONS,
  ...DEFENSE_EVASION_DEFINITIONS,
  ...CREDENTIAL_ACCESS_DEFINITIONS,
  ...PERSISTENCE_DEFINITIONS,
  ...EXFILTRATION_DEFINITIONS,
  ...EXECUTION_DEFINITIONS,
  ...IMPACT_DEFINITIONS,
  ...PIPELINE_DEFINITIONS,
  ...HEALTH_DEFINITIONS,
];
