import { App, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  BREAK_GLASS_ARN, DEPLOYMENT_ROLE_ARN, deployedPolicies, guardrailProps, managementStack, ROOT_ID, SECURITY_OU, WORKLOADS_OU,
} from './support/guardrails-fixture';
import { DetectionForwardingNames, OrganizationGuardrails, OrganizationGuardrailsProps } from '../../src';
import { PROTECTED_BUCKET_ACTIONS, PROTECTED_KEY_ACTIONS, PROTECTED_OBJECT_ACTIONS } from '../../src/private/protected-actions';
import { LOG_BUCKET, LOG_KEY_ARN, MANAGEMENT_ACCOUNT } from '../policy/support/fixtures';

const N = DetectionForwardingNames;

function synth(props: OrganizationGuardrailsProps) {
  const m = managementStack(props);
  return { ...m, template: Template.fromStack(m.stack) };
}

function statement(document: any, sid: string): any {
  const found = document.Statement.filter((s: any) => s.Sid === sid);
  expect(found).toHaveLength(1);
  return found[0];
}

function warnings(stack: Stack, id: string) {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id));
}

describe('service control policy', () => {
  test('is a service control policy attached to the given targets', () => {
    const { template } = synth(guardrailProps({ targetIds: [ROOT_ID, WORKLOADS_OU, '123456789012'] }));
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      Name: 'cloudtrail-governance-forwarding-guardrail',
      TargetIds: [ROOT_ID, WORKLOADS_OU, '123456789012'],
    });
  });

  test('denies only, names no principal, and exempts the StackSet execution role and the break-glass roles', () => {
    const { scp } = deployedPolicies(managementStack());
    expect(scp.Statement.map((s: any) => s.Sid)).toEqual(['DenyForwardingPipelineChanges', 'DenyExemptRoleChanges']);
    for (const s of scp.Statement) {
      expect(s.Effect).toBe('Deny');
      expect(s.Principal).toBeUndefined();
      expect(s.NotPrincipal).toBeUndefined();
      expect(s.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/stacksets-exec-*', BREAK_GLASS_ARN] } });
    }
  });

  test('protects the forwarding resources by their fixed names in every account and region', () => {
    const { scp } = deployedPolicies(managementStack());
    const pipeline = statement(scp, 'DenyForwardingPipelineChanges');
    expect(pipeline.Resource).toEqual([
      `arn:aws:events:*:*:rule/${N.RULE_NAME}`,
      `arn:aws:iam::*:role/${N.ROLE_NAME_PREFIX}*`,
      `arn:aws:sqs:*:*:${N.DEAD_LETTER_QUEUE_NAME}`,
      `arn:aws:cloudwatch:*:*:alarm:${N.ALARM_NAME_PREFIX}*`,
      `arn:aws:cloudformation:*:*:stack/StackSet-${N.STACK_SET_NAME}-*/*`,
    ]);
    expect(pipeline.Action).toEqual(expect.arrayContaining([
      'events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets',
      'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy',
      'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:UpdateRole',
      'sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes', 'sqs:AddPermission', 'sqs:RemovePermission',
      'cloudwatch:DeleteAlarms', 'cloudwatch:DisableAlarmActions', 'cloudwatch:PutMetricAlarm', 'cloudwatch:SetAlarmState',
      'cloudformation:DeleteStack', 'cloudformation:UpdateStack', 'cloudformation:ExecuteChangeSet',
    ]));
    // Each action belongs to the service of one of the resources: none is there for nothing.
    const services = new Set(pipeline.Resource.map((arn: string) => arn.split(':')[2]));
    for (const action of pipeline.Action) expect(services).toContain(action.split(':')[0]);
  });

  test('keeps the exempt roles and the archive deployment roles from being created or rewritten by others', () => {
    const { scp } = deployedPolicies(managementStack());
    const roles = statement(scp, 'DenyExemptRoleChanges');
    expect(roles).toMatchObject({
      Action: expect.arrayContaining(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy']),
      Resource: ['arn:aws:iam::*:role/stacksets-exec-*', BREAK_GLASS_ARN, DEPLOYMENT_ROLE_ARN],
    });
    // The deployment role is passed to CloudFormation on every deployment of the archive.
    expect(roles.Action).not.toContain('iam:PassRole');
  });

  test('guards organization trails only when asked', () => {
    const { scp } = deployedPolicies(managementStack());
    expect(scp.Statement.map((s: any) => s.Sid)).not.toContain('DenyOrganizationTrailChanges');
    const trail = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT}:trail/org-trail`;
    const guarded = deployedPolicies(managementStack(guardrailProps({ organizationTrailArns: [trail] }))).scp;
    expect(statement(guarded, 'DenyOrganizationTrailChanges')).toMatchObject({
      Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors'],
      Resource: trail,
      Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/stacksets-exec-*', BREAK_GLASS_ARN] } },
    });
  });

  test('names the partition through the stack, not a literal', () => {
    const { template } = synth(guardrailProps({ breakGlassPrincipalArns: undefined, archiveDeploymentRoleArns: undefined }));
    const content = JSON.stringify(template.findResources('AWS::Organizations::Policy', { Properties: { Type: 'SERVICE_CONTROL_POLICY' } }));
    expect(content).toContain('AWS::Partition');
    expect(content).not.toContain('arn:aws:');
  });

  test('follows a custom StackSet name', () => {
    const { scp } = deployedPolicies(managementStack(guardrailProps({ stackSetName: 'trail-forwarder' })));
    expect(statement(scp, 'DenyForwardingPipelineChanges').Resource).toContain('arn:aws:cloudformation:*:*:stack/StackSet-trail-forwarder-*/*');
  });

  test('is created without any archive input, and then alone', () => {
    const { template, guardrails } = synth({ targetIds: [ROOT_ID], breakGlassPrincipalArns: [BREAK_GLASS_ARN] });
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    expect(guardrails.resourceControlPolicy).toBeUndefined();
    expect(guardrails.resourceControlPolicyDocument).toBeUndefined();
  });
});

describe('resource control policy', () => {
  test('is a resource control policy attached to the archive targets', () => {
    const { template } = synth(guardrailProps());
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'RESOURCE_CONTROL_POLICY',
      Name: 'cloudtrail-governance-archive-guardrail',
      TargetIds: [SECURITY_OU],
    });
  });

  test('is attached to targetIds when no archive targets are given', () => {
    const { template } = synth(guardrailProps({ archiveTargetIds: undefined }));
    template.hasResourceProperties('AWS::Organizations::Policy', { Type: 'RESOURCE_CONTROL_POLICY', TargetIds: [WORKLOADS_OU] });
  });

  test('denies only, to Principal "*", never to AWS service principals, except the exempt principals', () => {
    const { rcp } = deployedPolicies(managementStack());
    expect(rcp.Statement).toHaveLength(1);
    expect(rcp.Statement[0]).toMatchObject({
      Sid: 'DenyArchiveDestruction',
      Effect: 'Deny',
      Principal: '*',
      Condition: {
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS_ARN, DEPLOYMENT_ROLE_ARN] },
      },
    });
  });

  test('covers exactly the shared protected actions on the given buckets, their objects and keys', () => {
    const { rcp } = deployedPolicies(managementStack());
    expect(rcp.Statement[0].Action).toEqual([...PROTECTED_OBJECT_ACTIONS, ...PROTECTED_BUCKET_ACTIONS, ...PROTECTED_KEY_ACTIONS]);
    expect(rcp.Statement[0].Resource).toEqual([`arn:aws:s3:::${LOG_BUCKET}`, `arn:aws:s3:::${LOG_BUCKET}/*`, LOG_KEY_ARN]);
  });

  test('a key alone makes a key-only policy', () => {
    const { rcp } = deployedPolicies(managementStack(guardrailProps({ archiveBucketNames: undefined })));
    expect(rcp.Statement[0].Action).toEqual([...PROTECTED_KEY_ACTIONS]);
    expect(rcp.Statement[0].Resource).toBe(LOG_KEY_ARN);
  });

  test('with no exempt principal at all, denies every non-service principal', () => {
    const { rcp } = deployedPolicies(managementStack(guardrailProps({ archiveDeploymentRoleArns: undefined, breakGlassPrincipalArns: undefined })));
    expect(rcp.Statement[0].Condition).toEqual({ BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } });
  });
});

describe('validation', () => {
  test.each<[string, Partial<OrganizationGuardrailsProps>, RegExp]>([
    ['empty targets', { targetIds: [] }, /^Management\/Guardrails: targetIds must not be empty$/],
    ['an OU name', { targetIds: ['Workloads'] }, /^Management\/Guardrails: targetIds "Workloads" must contain the root id \(r-xxxx\), organizational unit ids/],
    ['a short account id', { targetIds: ['12345'] }, /^Management\/Guardrails: targetIds "12345" must contain/],
    ['a repeated target', { targetIds: [WORKLOADS_OU, WORKLOADS_OU] }, /^Management\/Guardrails: targetIds contains "ou-a1b2-c3d4e5f6" more than once$/],
    ['a bad archive target', { archiveTargetIds: ['ou-x'] }, /^Management\/Guardrails: archiveTargetIds "ou-x" must contain/],
    ['an uppercase bucket', { archiveBucketNames: ['Logs'] }, /^Management\/Guardrails: archiveBucketNames "Logs" must be an S3 bucket name/],
    ['a bucket ARN', { archiveBucketNames: ['arn:aws:s3:::logs'] }, /^Management\/Guardrails: archiveBucketNames "arn:aws:s3:::logs" must be an S3 bucket name/],
    ['an alias ARN', { archiveKeyArns: ['arn:aws:kms:us-east-1:999999999999:alias/logs'] }, /^Management\/Guardrails: archiveKeyArns ".*alias\/logs" must be a KMS key ARN/],
    ['a key id', { archiveKeyArns: ['0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e'] }, /^Management\/Guardrails: archiveKeyArns "0b6f1c2e.*" must be a KMS key ARN/],
    ['a wildcard account', { breakGlassPrincipalArns: ['arn:aws:iam::*:role/break-glass'] }, /^Management\/Guardrails: breakGlassPrincipalArns ".*" must be the ARN of a role in one account/],
    ['a user', { breakGlassPrincipalArns: ['arn:aws:iam::111111111111:user/admin'] }, /^Management\/Guardrails: breakGlassPrincipalArns ".*user\/admin" must be the ARN of a role/],
    ['every role of an account', { breakGlassPrincipalArns: ['arn:aws:iam::111111111111:role/*'] }, /^Management\/Guardrails: breakGlassPrincipalArns .* a wildcard only after a name prefix$/],
    ['a root principal', { archiveDeploymentRoleArns: ['arn:aws:iam::999999999999:root'] }, /^Management\/Guardrails: archiveDeploymentRoleArns "arn:aws:iam::999999999999:root" must be the ARN of a role/],
    ['a repeated break-glass role', { breakGlassPrincipalArns: [BREAK_GLASS_ARN, BREAK_GLASS_ARN] }, /^Management\/Guardrails: breakGlassPrincipalArns contains .* more than once$/],
    ['a trail name', { organizationTrailArns: ['org-trail'] }, /^Management\/Guardrails: organizationTrailArns "org-trail" must be a trail ARN/],
    ['a bad StackSet name', { stackSetName: '1-forwarder' }, /^Management\/Guardrails: stackSetName "1-forwarder" must be 1-128 letters, digits and hyphens, starting with a letter$/],
    ['an empty SCP name', { serviceControlPolicyName: '' }, /^Management\/Guardrails: serviceControlPolicyName "" must be 1-128 characters/],
    ['a long RCP name', { resourceControlPolicyName: 'x'.repeat(129) }, /^Management\/Guardrails: resourceControlPolicyName "x+" must be 1-128 characters/],
  ])('rejects %s', (_name, overrides, message) => {
    expect(() => synth(guardrailProps(overrides))).toThrow(message);
  });

  test('rejects archive targets without anything to protect', () => {
    expect(() => synth({ targetIds: [ROOT_ID], archiveTargetIds: [SECURITY_OU] }))
      .toThrow(/^Management\/Guardrails: archiveTargetIds needs archiveBucketNames or archiveKeyArns/);
  });

  test('rejects archive deployment roles without anything to protect', () => {
    expect(() => synth({ targetIds: [ROOT_ID], archiveDeploymentRoleArns: [DEPLOYMENT_ROLE_ARN] }))
      .toThrow(/^Management\/Guardrails: archiveDeploymentRoleArns needs archiveBucketNames or archiveKeyArns/);
  });

  test('rejects a service control policy past 5,120 characters, measured in the longest partition', () => {
    const many = Array.from({ length: 45 }, (_, i) => `arn:aws:iam::111111111111:role/break-glass-${i}`);
    expect(() => synth(guardrailProps({ breakGlassPrincipalArns: many })))
      .toThrow(/^Management\/Guardrails: the service control policy would be \d+ characters, more than the 5120 AWS Organizations allows: give fewer or shorter breakGlassPrincipalArns, archiveDeploymentRoleArns and organizationTrailArns$/);
  });

  test('rejects a resource control policy past 5,120 characters', () => {
    const buckets = Array.from({ length: 60 }, (_, i) => `organization-cloudtrail-archive-bucket-${i}`);
    expect(() => synth(guardrailProps({ archiveBucketNames: buckets })))
      .toThrow(/^Management\/Guardrails: the resource control policy would be \d+ characters, more than the 5120 AWS Organizations allows/);
  });

  test('the default documents fit with room to spare, in every partition', () => {
    const { scp, rcp } = deployedPolicies(managementStack());
    const gov = (doc: any) => JSON.stringify(doc).replace(/arn:aws:/g, 'arn:aws-us-gov:').length;
    expect(gov(scp)).toBeLessThan(OrganizationGuardrails.MAX_POLICY_CHARACTERS / 2);
    expect(gov(rcp)).toBeLessThan(OrganizationGuardrails.MAX_POLICY_CHARACTERS / 2);
  });

  test('skips unresolved values', () => {
    const stack = new Stack(new App(), 'Tokens');
    expect(() => new OrganizationGuardrails(stack, 'Guardrails', {
      targetIds: [Token.asString({ Ref: 'Target' })],
      archiveBucketNames: [Token.asString({ Ref: 'Bucket' })],
      breakGlassPrincipalArns: [Token.asString({ Ref: 'BreakGlass' })],
    })).not.toThrow();
  });
});

describe('warnings', () => {
  test('no break-glass principal', () => {
    const { stack } = synth(guardrailProps({ breakGlassPrincipalArns: undefined }));
    expect(warnings(stack, 'cdk-cloudtrail-governance:guardrails:noBreakGlassPrincipal')).toHaveLength(1);
  });

  test('no archive deployment role while the archive is protected', () => {
    const { stack } = synth(guardrailProps({ archiveDeploymentRoleArns: undefined }));
    expect(warnings(stack, 'cdk-cloudtrail-governance:guardrails:noArchiveDeploymentRole')).toHaveLength(1);
  });

  test('none with break-glass and deployment roles, wherever the stack is', () => {
    const stack = new Stack(new App(), 'Frankfurt', { env: { account: '111111111111', region: 'eu-central-1' } });
    new OrganizationGuardrails(stack, 'Guardrails', guardrailProps());
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
