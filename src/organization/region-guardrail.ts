import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { STACK_SET_EXECUTION_ROLE_NAME_PATTERN } from './guardrail-statements';
import { DetectionForwardingNames } from '../detection/forwarding-names';
import { fail, isUnresolved, show, validateNonEmpty, validatePattern, validateRegion, validateString, validateUnique } from '../private/validation';

/**
 * The actions AWS's region-deny example SCP exempts, verbatim: the global services, whose single endpoint is hosted
 * in us-east-1 (IAM, Organizations, STS's global endpoint, CloudFront, Route 53, Support, Budgets...), and the calls
 * they need of regional services (KMS and ACM for CloudFront). AWS Organizations User Guide, "Deny access to AWS
 * based on the requested AWS Region"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html), which
 * warns that the list "might not include all of the latest global AWS services or operations".
 */
export const GLOBAL_SERVICE_ACTIONS: readonly string[] = [
  'a4b:*',
  'acm:*',
  'aws-marketplace-management:*',
  'aws-marketplace:*',
  'aws-portal:*',
  'budgets:*',
  'ce:*',
  'chime:*',
  'cloudfront:*',
  'config:*',
  'cur:*',
  'directconnect:*',
  'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways',
  'fms:*',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'importexport:*',
  'kms:*',
  'mobileanalytics:*',
  'networkmanager:*',
  'organizations:*',
  'pricing:*',
  'route53:*',
  'route53domains:*',
  'route53-recovery-cluster:*',
  'route53-recovery-control-config:*',
  'route53-recovery-readiness:*',
  's3:GetAccountPublic*',
  's3:ListAllMyBuckets',
  's3:ListMultiRegionAccessPoints',
  's3:PutAccountPublic*',
  'shield:*',
  'sts:*',
  'support:*',
  'trustedadvisor:*',
  'waf-regional:*',
  'waf:*',
  'wafv2:*',
  'wellarchitected:*',
];

/** What the region-deny policy needs to know. */
export interface RegionDenyInput {
  readonly partition: string;
  readonly allowedRegions: string[];
  /** Actions let through in every region besides `GLOBAL_SERVICE_ACTIONS`. */
  readonly exemptActions: string[];
  /** The break-glass roles. */
  readonly breakGlassArns: string[];
}

/**
 * The region-deny statement: every action but the global services' is denied outside `allowedRegions`
 * (`aws:RequestedRegion`), as in AWS's example. Exempt, besides the break-glass roles: the StackSet execution role, so
 * that the forwarder's stack instances can be managed in every region the StackSet reaches, and the forwarding and
 * heartbeat roles (`DetectionForwardingNames.ROLE_NAME_PREFIX`), so that a region forwarded for its global-service
 * events (us-east-1 for an organization that runs elsewhere) keeps writing its heartbeat. Both are guarded by the
 * forwarding guardrail, which is attached to the same targets: nobody else may create or rewrite roles under those names.
 */
export function regionDenyStatements(input: RegionDenyInput): iam.PolicyStatement[] {
  const p = input.partition;
  const exempt = [
    `arn:${p}:iam::*:role/${STACK_SET_EXECUTION_ROLE_NAME_PATTERN}`,
    `arn:${p}:iam::*:role/${DetectionForwardingNames.ROLE_NAME_PREFIX}*`,
    ...input.breakGlassArns,
  ];
  return [new iam.PolicyStatement({
    sid: 'DenyOutsideAllowedRegions',
    effect: iam.Effect.DENY,
    notActions: [...new Set([...GLOBAL_SERVICE_ACTIONS, ...input.exemptActions])],
    resources: ['*'],
    conditions: {
      StringNotEquals: { 'aws:RequestedRegion': input.allowedRegions },
      ArnNotLike: { 'aws:PrincipalArn': exempt },
    },
  })];
}

/**
 * `allowedRegions` of the region-deny policy: region codes, each once, all in the partition of the stack that
 * deploys the policy (an organization lives in one partition). A region unknown to region-info gets a warning: it
 * may be newer than this aws-cdk-lib, or a typo, which leaves the real region denied.
 */
export function validateAllowedRegions(scope: IConstruct, prop: string, regions: string[]): void {
  if (isUnresolved(regions)) return;
  validateNonEmpty(scope, prop, regions);
  regions.forEach((r, i) => {
    validateString(scope, `${prop}[${i}]`, r);
    validateRegion(scope, `${prop}[${i}]`, r);
  });
  validateUnique(scope, prop, regions, (r) => r);
  const stackRegion = Stack.of(scope).region;
  const home = isUnresolved(stackRegion) ? undefined : RegionInfo.get(stackRegion).partition;
  const unknown: string[] = [];
  let first: { region: string; partition: string } | undefined;
  regions.forEach((region, i) => {
    if (isUnresolved(region)) return;
    const partition = RegionInfo.get(region).partition;
    if (partition === undefined) {
      unknown.push(`${prop}[${i}] ${show(region)}`);
    } else if (home !== undefined && partition !== home) {
      fail(scope, `${prop}[${i}]`, region, `is in the ${partition} partition, but the stack's region ${stackRegion} is in ${home}: ` +
        'a service control policy applies only within its organization\'s partition');
    } else if (first !== undefined && partition !== first.partition) {
      fail(scope, `${prop}[${i}]`, region, `is in the ${partition} partition, but ${first.region} is in ${first.partition}: ` +
        'an organization lives in one partition');
    }
    first = first ?? (partition === undefined ? undefined : { region, partition });
  });
  if (unknown.length > 0) {
    Annotations.of(scope).addWarningV2('cdk-cloudtrail-governance:guardrails:unknownRegion',
      `${unknown.join(', ')}: not known to aws-cdk-lib/region-info. Check the spelling (a misspelled region leaves the real ` +
      'one denied to everyone), or acknowledge this warning for a region newer than this aws-cdk-lib.');
  }
}

/** `service:action` with `*` wildcards in the action only: a bare `*` would exempt everything. */
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

export function validateExemptActions(scope: IConstruct, prop: string, actions: string[]): void {
  if (isUnresolved(actions)) return;
  actions.forEach((a, i) => {
    validateString(scope, `${prop}[${i}]`, a);
    validatePattern(scope, `${prop}[${i}]`, a, ACTION, 'must be an IAM action such as "chatbot:*" or "ec2:DescribeRegions" ' +
      '(service prefix, colon, action name with optional * wildcards)');
  });
  validateUnique(scope, prop, actions, (a) => a);
}
