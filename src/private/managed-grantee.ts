import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A grantee whose grants land in a customer managed policy attached to the role, rather than in the role's inline
 * default policy: audit tooling (the NIST, HIPAA and PCI packs of cdk-nag) flags inline policies, and other
 * constructs' `grant*` methods would otherwise write one.
 */
export function managedPolicyGrantee(role: iam.IRole, policy: iam.ManagedPolicy): iam.IGrantable {
  const principal: iam.IPrincipal = {
    get grantPrincipal() { return principal; },
    assumeRoleAction: role.assumeRoleAction,
    policyFragment: role.policyFragment,
    principalAccount: role.principalAccount,
    addToPrincipalPolicy: (statement) => {
      policy.addStatements(statement);
      return { statementAdded: true, policyDependable: policy };
    },
  };
  return { grantPrincipal: principal };
}
