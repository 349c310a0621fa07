import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OrganizationGuardrails, OrganizationGuardrailsProps } from '../../../src';
import { LOG_ARCHIVE_ACCOUNT, LOG_BUCKET, LOG_KEY_ARN, MANAGEMENT_ACCOUNT } from '../../policy/support/fixtures';
import { DeployedStack, PolicyDocument } from '../../policy/support/policy-harness';

export const ROOT_ID = 'r-a1b2';
export const WORKLOADS_OU = 'ou-a1b2-c3d4e5f6';
export const SECURITY_OU = 'ou-a1b2-f6e5d4c3';
export const BREAK_GLASS_ARN = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/break-glass`;
export const DEPLOYMENT_ROLE_ARN = `arn:aws:iam::${LOG_ARCHIVE_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${LOG_ARCHIVE_ACCOUNT}-us-east-1`;

/** Guardrails protecting the shared archive fixture's bucket and key, with one break-glass role and the deployment role. */
export function guardrailProps(overrides: Partial<OrganizationGuardrailsProps> = {}): OrganizationGuardrailsProps {
  return {
    targetIds: [WORKLOADS_OU],
    archiveTargetIds: [SECURITY_OU],
    archiveBucketNames: [LOG_BUCKET],
    archiveKeyArns: [LOG_KEY_ARN],
    archiveDeploymentRoleArns: [DEPLOYMENT_ROLE_ARN],
    breakGlassPrincipalArns: [BREAK_GLASS_ARN],
    ...overrides,
  };
}

export interface ManagementStack {
  readonly stack: Stack;
  readonly guardrails: OrganizationGuardrails;
}

export function managementStack(props: OrganizationGuardrailsProps = guardrailProps()): ManagementStack {
  const stack = new Stack(new App(), 'Management', { env: { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' } });
  return { stack, guardrails: new OrganizationGuardrails(stack, 'Guardrails', props) };
}

/** The deployed (intrinsic-free) documents of both policies. */
export function deployedPolicies(m: ManagementStack): { scp: PolicyDocument; rcp: PolicyDocument; alerting?: PolicyDocument } {
  const deployed = new DeployedStack(m.stack);
  const resources = Template.fromStack(m.stack).toJSON().Resources;
  const content = (policy: any) => deployed.resolve(resources[deployed.logicalId(policy)].Properties.Content);
  return {
    scp: content(m.guardrails.serviceControlPolicy),
    rcp: content(m.guardrails.resourceControlPolicy!),
    alerting: m.guardrails.alertingServiceControlPolicy ? content(m.guardrails.alertingServiceControlPolicy) : undefined,
  };
}
