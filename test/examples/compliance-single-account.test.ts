import { EXAMPLE_DISABLED_GUARD_RULES } from '../../examples/compliance';
import { buildSingleAccountExample } from '../../examples/single-account/stacks';
import { complianceFindings, formatFindings } from '../helpers/compliance';

/**
 * The single-account example synthesizes clean under cdk-nag (AwsSolutions, NIST 800-53 R5, HIPAA Security,
 * PCI DSS 3.2.1) and the Control Tower proactive controls: any finding is either fixed or acknowledged in the
 * example's code with its reason. (One file per example, so that the two run in parallel.)
 */
test('single-account example has no unacknowledged findings', () => {
  const findings = complianceFindings((app) => { buildSingleAccountExample(app); }, { disabledGuardRules: EXAMPLE_DISABLED_GUARD_RULES });
  expect(formatFindings(findings)).toBe('');
});
