import { Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * `iam.Grant.addToPrincipalOrResource` for a key, keeping the conditions in both statements. The
 * aws-cdk-lib helper drops conditions from the statement it adds to the key policy, which would let a
 * grantee of another account use the key without them; and the key policy names the key as `*` (a key
 * policy referring to its own key's ARN is a dependency cycle).
 */
export function grantKeyWithConditions(
  key: kms.IKey,
  grantee: iam.IGrantable,
  actions: string[],
  conditions: Record<string, Record<string, unknown>>,
): iam.Grant {
  const onPrincipal = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [key.keyArn], conditions });
  const principalAccount = grantee.grantPrincipal.principalAccount;
  const comparison = principalAccount ? Token.compareStrings(key.env.account, principalAccount) : undefined;
  const sameAccount = comparison === TokenComparison.SAME || comparison === TokenComparison.BOTH_UNRESOLVED;
  if (onPrincipal.success && sameAccount) {
    return onPrincipal;
  }
  const onResource = iam.Grant.addStatementToResourcePolicy({
    grantee,
    actions,
    resourceArns: [key.keyArn],
    resource: key,
    statement: new iam.PolicyStatement({
      actions,
      resources: ['*'],
      principals: [grantee.grantPrincipal],
      conditions,
    }),
  });
  return onPrincipal.success ? onPrincipal.combine(onResource) : onResource;
}
