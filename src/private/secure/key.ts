import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface RotatingKeyOptions {
  readonly description: string;
  /** RETAIN unless given: a deleted key makes everything it encrypted unreadable. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A customer managed key with yearly rotation, retained with the stack by default, whose policy denies
 * grants nobody needs (see {@link denyManualGrants}). Every key this library creates starts here.
 */
export function rotatingKey(scope: Construct, id: string, options: RotatingKeyOptions): kms.Key {
  const key = new kms.Key(scope, id, {
    description: options.description,
    enableKeyRotation: true,
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  denyManualGrants(key);
  return key;
}

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
