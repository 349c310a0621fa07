import { EXAMPLE_DISABLED_GUARD_RULES } from '../../examples/compliance';
import { buildOrganizationExample } from '../../examples/organization/stacks';
import { buildSingleAccountExample } from '../../examples/single-account/stacks';
import { complianceFindings, formatFindings } from '../helpers/compliance';

/**
 * Every example synthesizes clean under cdk-nag (AwsSolutions, NIST 800-53 R5, HIPAA Security,
 * PCI DSS 3.2.1) and the Control Tower proactive controls: any finding is either fixed or
 * acknowledged in the example's code with its reason.
 */
test.each([
  ['organization', buildOrganizationExample],
  ['single-account', buildSingleAccountExample],
])('%s example has no unacknowledged findings', (_name, build) => {
  const findings = complianceFindings((app) => { build(app); }, { disabledGuardRules: EXAMPLE_DISABLED_GUARD_RULES });
  expect(formatFindings(findings)).toBe('');
});
