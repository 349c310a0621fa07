import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Denies `kms:CreateGrant` unless the grant is for an AWS resource or requested by an AWS service.
 * Grants are a second, policy-invisible way to use a key; nobody needs to create them by hand for
 * the keys of this library (Control Tower control CT.KMS.PR.3).
 */
export function denyManualGrants(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsNotForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
    },
  }));
}
