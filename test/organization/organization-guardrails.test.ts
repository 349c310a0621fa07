import { App, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  BREAK_GLASS_ARN, DEPLOYMENT_ROLE_ARN, deployedPolicies, guardrailProps, managementStack, ROOT_ID, SECURITY_OU, WORKLOADS_OU,
} from './support/guardrails-fixture';
import { DetectionForwardingNames, OrganizationGuardrails, OrganizationGuardrailsProps } from '../../src';
import {
  BUCKET_DESTRUCTION_ACTIONS, BUCKET_UPDATE_ACTIONS, KEY_DESTRUCTION_ACTIONS, KEY_UPDATE_ACTIONS, PROTECTED_BUCKET_ACTIONS, PROTECTED_KEY_ACTIONS,
  PROTECTED_OBJECT_ACTIONS,
} from '../../src/private/protected-actions';
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
      `arn:aws:iam::*:policy/${N.POLICY_NAME_PREFIX}*`,
      `arn:aws:sqs:*:*:${N.DEAD_LETTER_QUEUE_NAME}`,
      `arn:aws:cloudwatch:*:*:alarm:${N.ALARM_NAME_PREFIX}*`,
      `arn:aws:scheduler:*:*:schedule/default/${N.HEARTBEAT_SCHEDULE_NAME}`,
      `arn:aws:ssm:*:*:parameter${N.HEARTBEAT_PARAMETER_NAME}`,
      `arn:aws:cloudformation:*:*:stack/StackSet-${N.STACK_SET_NAME}-*/*`,
    ]);
    expect(pipeline.Action).toEqual(expect.arrayContaining([
      'events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets',
      'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:*RolePolicy', 'iam:*RolePermissionsBoundary', 'iam:UpdateRole',
      'iam:CreatePolicy*', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy*',
      'sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes', 'sqs:AddPermission', 'sqs:RemovePermission',
      'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:StartMessageMoveTask',
      'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'ssm:LabelParameterVersion',
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
      Action: expect.arrayContaining(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:*RolePolicy', 'iam:*RolePermissionsBoundary']),
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

  test('denies only, to Principal "*", never to AWS service principals; the deployment role only what a stack update changes', () => {
    const { rcp } = deployedPolicies(managementStack());
    expect(rcp.Statement).toHaveLength(2);
    const service = { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } };
    expect(rcp.Statement[0]).toMatchObject({
      Sid: 'DenyArchiveDestruction',
      Effect: 'Deny',
      Principal: '*',
      Condition: { ...service, ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS_ARN] } },
    });
    expect(rcp.Statement[1]).toMatchObject({
      Sid: 'DenyArchiveConfigurationChanges',
      Effect: 'Deny',
      Principal: '*',
      Condition: { ...service, ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS_ARN, DEPLOYMENT_ROLE_ARN] } },
    });
  });

  test('covers exactly the shared protected actions on the given buckets, their objects and keys, split by who may make them', () => {
    const { rcp } = deployedPolicies(managementStack());
    expect(rcp.Statement[0].Action).toEqual([...PROTECTED_OBJECT_ACTIONS, ...BUCKET_DESTRUCTION_ACTIONS, ...KEY_DESTRUCTION_ACTIONS]);
    expect(rcp.Statement[0].Resource).toEqual([`arn:aws:s3:::${LOG_BUCKET}`, `arn:aws:s3:::${LOG_BUCKET}/*`, LOG_KEY_ARN]);
    expect(rcp.Statement[1].Action).toEqual([...BUCKET_UPDATE_ACTIONS, ...KEY_UPDATE_ACTIONS]);
    expect(rcp.Statement[1].Resource).toEqual([`arn:aws:s3:::${LOG_BUCKET}`, LOG_KEY_ARN]);
    expect([...rcp.Statement[0].Action, ...rcp.Statement[1].Action].sort())
      .toEqual([...PROTECTED_OBJECT_ACTIONS, ...PROTECTED_BUCKET_ACTIONS, ...PROTECTED_KEY_ACTIONS].sort());
  });

  test('a key alone makes a key-only policy', () => {
    const { rcp } = deployedPolicies(managementStack(guardrailProps({ archiveBucketNames: undefined })));
    expect(rcp.Statement[0].Action).toEqual([...KEY_DESTRUCTION_ACTIONS]);
    expect(rcp.Statement[0].Resource).toBe(LOG_KEY_ARN);
    expect(rcp.Statement[1].Action).toEqual([...KEY_UPDATE_ACTIONS]);
  });

  test('a key account protects every key of that account by ARN, with no KMS-specific condition key', () => {
    const { rcp } = deployedPolicies(managementStack(guardrailProps({ archiveBucketNames: undefined, archiveKeyArns: undefined, archiveKeyAccounts: ['222222222222'] })));
    expect(rcp.Statement[0].Resource).toBe('arn:aws:kms:*:222222222222:key/*');
    expect(JSON.stringify(rcp)).not.toMatch(/kms:ResourceAliases/);
  });

  test('with no exempt principal at all, denies every non-service principal', () => {
    const { rcp } = deployedPolicies(managementStack(guardrailProps({ archiveDeploymentRoleArns: undefined, breakGlassPrincipalArns: undefined })));
    expect(rcp.Statement[0].Condition).toEqual({ BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } });
  });
});

describe('service control policy: the alerting', () => {
  const BUS = 'arn:aws:events:us-east-1:333333333333:event-bus/security-detections';
  const ROLE = 'arn:aws:iam::333333333333:role/cdk-hnb659fds-cfn-exec-role-333333333333-us-east-1';
  test('guards the bus, its rules, the topics and the heartbeat resources of the bus account, exempting its deployment role', () => {
    const { scp, alerting: alertingScp } = deployedPolicies(managementStack(guardrailProps({
      centralBusArns: [BUS],
      alertTopicArns: ['arn:aws:sns:us-east-1:333333333333:security-alerts'],
      alertingDeploymentRoleArns: [ROLE],
      alertingAlarmNamePrefixes: ['organization-trail-alerts-'],
    })));
    const alerting = statement(alertingScp, 'DenyAlertingChanges');
    expect(alerting.Resource).toEqual([
      BUS,
      'arn:aws:events:us-east-1:333333333333:rule/security-detections/*',
      'arn:aws:sns:us-east-1:333333333333:security-alerts',
      `arn:aws:sns:*:333333333333:${N.HEALTH_TOPIC_NAME}`,
      `arn:aws:cloudwatch:*:333333333333:alarm:${N.HEARTBEAT_ALARM_NAME_PREFIX}*`,
      'arn:aws:cloudwatch:*:333333333333:alarm:organization-trail-alerts-*',
      `arn:aws:logs:*:333333333333:log-group:${N.HEARTBEAT_LOG_GROUP_NAME}*`,
    ]);
    expect(alerting.Condition.ArnNotLike['aws:PrincipalArn']).toContain(ROLE);
    const busPolicy = statement(alertingScp, 'DenyAlertingPolicyChanges');
    expect(busPolicy).toMatchObject({
      Action: ['events:PutPermission', 'events:RemovePermission', 'logs:PutResourcePolicy', 'logs:DeleteResourcePolicy'], Resource: '*',
    });
    // A policy of its own, so the pipeline policy keeps its room for break-glass roles.
    expect(scp.Statement.map((st: any) => st.Sid)).not.toContain('DenyAlertingChanges');
    expect(busPolicy.Condition.StringEquals).toEqual({ 'aws:PrincipalAccount': ['333333333333'] });
    // The alerting deployment role is exempt from nothing else, and nobody may take it over.
    expect(statement(scp, 'DenyForwardingPipelineChanges').Condition.ArnNotLike['aws:PrincipalArn']).not.toContain(ROLE);
    expect(statement(scp, 'DenyExemptRoleChanges').Resource).toContain(ROLE);
  });

  test('warns when no deployment role of the security stack is exempt', () => {
    const { stack } = managementStack(guardrailProps({ centralBusArns: [BUS] }));
    Annotations.fromStack(stack).hasWarning('/Management/Guardrails', Match.stringLikeRegexp('noAlertingDeploymentRole'));
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
    ['a key account that is no account', { archiveKeyAccounts: ['22222222222*'] }, /^Management\/Guardrails: archiveKeyAccounts\[0\] "22222222222\*"/],
    ['a bus name for a bus ARN', { centralBusArns: ['security-detections'] }, /^Management\/Guardrails: centralBusArns "security-detections" must be an event bus ARN/],
    ['a wildcard bus', { centralBusArns: ['arn:aws:events:us-east-1:*:event-bus/security-detections'] }, /^Management\/Guardrails: centralBusArns ".*" must be an event bus ARN/],
    ['a topic name for a topic ARN', { centralBusArns: ['arn:aws:events:us-east-1:333333333333:event-bus/b'], alertTopicArns: ['security-alerts'] },
      /^Management\/Guardrails: alertTopicArns "security-alerts" must be an SNS topic ARN/],
    ['alarm prefixes without a bus', { alertingAlarmNamePrefixes: ['org-alerts-'] }, /^Management\/Guardrails: alertingAlarmNamePrefixes needs centralBusArns/],
    ['a wildcard alarm prefix', { centralBusArns: ['arn:aws:events:us-east-1:333333333333:event-bus/b'], alertingAlarmNamePrefixes: ['org-*'] },
      /^Management\/Guardrails: alertingAlarmNamePrefixes "org-\*" must be 1-200 printable ASCII characters without "\*" or "\?"/],
    ['topics without a bus', { alertTopicArns: ['arn:aws:sns:us-east-1:333333333333:security-alerts'] }, /^Management\/Guardrails: alertTopicArns needs centralBusArns/],
    ['a wildcard alerting deployment role', { centralBusArns: ['arn:aws:events:us-east-1:333333333333:event-bus/b'], alertingDeploymentRoleArns: ['arn:aws:iam::333333333333:role/cdk-*'] },
      /^Management\/Guardrails: alertingDeploymentRoleArns ".*" must be the exact ARN of an IAM role/],
    ['a wildcard account', { breakGlassPrincipalArns: ['arn:aws:iam::*:role/break-glass'] }, /^Management\/Guardrails: breakGlassPrincipalArns ".*" must be the exact ARN of an IAM role .*, without "\*" or "\?"/],
    ['a user', { breakGlassPrincipalArns: ['arn:aws:iam::111111111111:user/admin'] },
      /^Management\/Guardrails: breakGlassPrincipalArns ".*user\/admin" must be the exact ARN of an IAM role .*, not a user: aws:PrincipalArn of an assumed-role session is its role's ARN/],
    ['every role of an account', { breakGlassPrincipalArns: ['arn:aws:iam::111111111111:role/*'] },
      /^Management\/Guardrails: breakGlassPrincipalArns "arn:aws:iam::111111111111:role\/\*" must be the exact ARN of an IAM role .*, without "\*" or "\?": .*ArnNotLike/],
    ['a name prefix', { breakGlassPrincipalArns: [BREAK_GLASS_ARN, 'arn:aws:iam::111111111111:role/break-*'] },
      /^Management\/Guardrails: breakGlassPrincipalArns "arn:aws:iam::111111111111:role\/break-\*" must be the exact ARN of an IAM role/],
    ['a "?" in a name', { breakGlassPrincipalArns: ['arn:aws:iam::111111111111:role/a?c'] }, /breakGlassPrincipalArns "arn:aws:iam::111111111111:role\/a\?c" .* without "\*" or "\?"/],
    ['a role of another partition', { breakGlassPrincipalArns: ['arn:aws-cn:iam::111111111111:role/break-glass'] },
      /^Management\/Guardrails: breakGlassPrincipalArns "arn:aws-cn:iam::111111111111:role\/break-glass" must be a role of partition aws, the stack's/],
    ['a wildcard deployment role', { archiveDeploymentRoleArns: ['arn:aws:iam::999999999999:role/cdk-*'] },
      /^Management\/Guardrails: archiveDeploymentRoleArns "arn:aws:iam::999999999999:role\/cdk-\*" must be the exact ARN of an IAM role .*, without/],
    ['a deployment user', { archiveDeploymentRoleArns: ['arn:aws:iam::999999999999:user/deployer'] }, /archiveDeploymentRoleArns ".*user\/deployer" .*, not a user/],
    ['a deployment role of another partition', { archiveDeploymentRoleArns: ['arn:aws-us-gov:iam::999999999999:role/deployer'] },
      /archiveDeploymentRoleArns ".*" must be a role of partition aws/],
    ['a root principal', { archiveDeploymentRoleArns: ['arn:aws:iam::999999999999:root'] }, /^Management\/Guardrails: archiveDeploymentRoleArns "arn:aws:iam::999999999999:root" must be the exact ARN of an IAM role/],
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
      .toThrow(/^Management\/Guardrails: archiveTargetIds needs archiveBucketNames, archiveKeyArns or archiveKeyAccounts/);
  });

  test('rejects archive deployment roles without anything to protect', () => {
    expect(() => synth({ targetIds: [ROOT_ID], archiveDeploymentRoleArns: [DEPLOYMENT_ROLE_ARN] }))
      .toThrow(/^Management\/Guardrails: archiveDeploymentRoleArns needs archiveBucketNames, archiveKeyArns or archiveKeyAccounts/);
  });

  test('rejects a service control policy past 5,120 characters, measured in the longest partition', () => {
    const many = Array.from({ length: 45 }, (_, i) => `arn:aws:iam::111111111111:role/break-glass-${i}`);
    // (45 roles: the document is far past the limit whatever else it holds.)
    expect(() => synth(guardrailProps({ breakGlassPrincipalArns: many })))
      .toThrow(/^Management\/Guardrails: the service control policy would be \d+ characters, more than the 5120 AWS Organizations allows: give fewer or shorter breakGlassPrincipalArns, archiveDeploymentRoleArns, alertingDeploymentRoleArns and organizationTrailArns$/);
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

  test('a wildcard is refused even next to a token', () => {
    const stack = new Stack(new App(), 'Tokens');
    expect(() => new OrganizationGuardrails(stack, 'Guardrails', {
      targetIds: [ROOT_ID],
      breakGlassPrincipalArns: [`arn:${Stack.of(stack).partition}:iam::111111111111:role/break-*`],
    })).toThrow(/^Tokens\/Guardrails: breakGlassPrincipalArns .* without "\*" or "\?"/);
  });

  test('exact roles of any account pass: both policies only deny, so an exemption needs no Allow', () => {
    expect(() => synth(guardrailProps({
      breakGlassPrincipalArns: ['arn:aws:iam::222222222222:role/break-glass', 'arn:aws:iam::999999999999:role/ops/break-glass'],
    }))).not.toThrow();
  });

  test('the partition is the stack\'s, and unchecked when its region is a token', () => {
    const gov = new Stack(new App(), 'Gov', { env: { account: '111111111111', region: 'us-gov-west-1' } });
    expect(() => new OrganizationGuardrails(gov, 'Guardrails', { targetIds: [ROOT_ID], breakGlassPrincipalArns: [BREAK_GLASS_ARN] }))
      .toThrow(/^Gov\/Guardrails: breakGlassPrincipalArns ".*" must be a role of partition aws-us-gov, the stack's/);
    const gov2 = new Stack(new App(), 'Gov', { env: { account: '111111111111', region: 'us-gov-west-1' } });
    expect(() => new OrganizationGuardrails(gov2, 'Guardrails', {
      targetIds: [ROOT_ID], breakGlassPrincipalArns: ['arn:aws-us-gov:iam::111111111111:role/break-glass'],
    })).not.toThrow();
    const agnostic = new Stack(new App(), 'Agnostic');
    expect(() => new OrganizationGuardrails(agnostic, 'Guardrails', {
      targetIds: [ROOT_ID], breakGlassPrincipalArns: ['arn:aws-cn:iam::111111111111:role/break-glass'],
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
