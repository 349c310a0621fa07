import { allowedContextKeysForRequest, anonymousPrincipal, EvaluationResult, runSimulation } from '@cloud-copilot/iam-simulate';
import { CfnElement, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

/** An IAM policy document with every CloudFormation intrinsic resolved. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: any[];
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: { [key: string]: any };
}

/** Where a template is deployed by hand, and with which parameter values. */
export interface TemplateEnvironment {
  readonly account: string;
  readonly region: string;
  readonly parameters?: { [name: string]: string };
}

/**
 * A synthesized stack seen as it would be once deployed: the policies of its template with their
 * intrinsics (`Ref`, `Fn::GetAtt`, `Fn::Join`, ...) replaced by the literal names and ARNs they take.
 * Resources without an explicit physical name are named after their logical id (lowercased for buckets), so
 * test stacks should name the resources whose ARNs a case spells out. Anything it cannot
 * resolve throws, so a policy is never evaluated half-resolved.
 */
export class DeployedStack {
  /**
   * A template deployed by hand into one account and region (a StackSet's member template, which has no literal
   * environment), with the values of its parameters.
   */
  public static ofTemplate(template: { [key: string]: any }, env: TemplateEnvironment): DeployedStack {
    return new DeployedStack({ template, ...env });
  }

  public readonly account: string;
  public readonly region: string;
  public readonly partition = 'aws';
  private readonly stack?: Stack;
  private readonly stackName: string;
  private readonly parameters: { [name: string]: string };
  private readonly resources: { [logicalId: string]: CfnResource };

  /** Throws when the template's resources depend on each other in a cycle (CloudFormation refuses those). */
  constructor(stack: Stack | (TemplateEnvironment & { template: { [key: string]: any } })) {
    if (stack instanceof Stack) {
      if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
        throw new Error(`stack ${stack.stackName} needs a literal account and region`);
      }
      this.stack = stack;
      this.stackName = stack.stackName;
      this.account = stack.account;
      this.region = stack.region;
      this.parameters = {};
      this.resources = Template.fromStack(stack).toJSON().Resources;
    } else {
      this.stackName = 'template';
      this.account = stack.account;
      this.region = stack.region;
      this.parameters = stack.parameters ?? {};
      this.resources = stack.template.Resources;
    }
  }

  /** The logical id of a construct's CloudFormation resource (the L2's default child). */
  public logicalId(construct: IConstruct): string {
    if (!this.stack) throw new Error('a template deployed by hand has no constructs');
    const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
    if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
    return this.stack.getLogicalId(element);
  }

  /** The deployed ARN of a bucket, key, topic, queue, role, event bus, rule or log group. */
  public arnOf(construct: IConstruct): string {
    const id = this.logicalId(construct);
    return this.resolve(this.resources[id].Type === 'AWS::SNS::Topic' ? { Ref: id } : { 'Fn::GetAtt': [id, 'Arn'] });
  }

  /** The policy of a bucket (`AWS::S3::BucketPolicy`). */
  public bucketPolicy(bucket: IConstruct): PolicyDocument {
    const id = this.logicalId(bucket);
    return this.policyOf('AWS::S3::BucketPolicy', 'PolicyDocument', (p) => p.Bucket?.Ref === id, bucket);
  }

  /** The key policy of a KMS key. */
  public keyPolicy(key: IConstruct): PolicyDocument {
    return this.resolve(this.resources[this.logicalId(key)].Properties!.KeyPolicy);
  }

  /** The access policy of a topic (`AWS::SNS::TopicPolicy`). */
  public topicPolicy(topic: IConstruct): PolicyDocument {
    const id = this.logicalId(topic);
    return this.policyOf('AWS::SNS::TopicPolicy', 'PolicyDocument',
      (p) => (p.Topics ?? []).some((t: any) => t.Ref === id), topic);
  }

  /** The access policy of a queue (`AWS::SQS::QueuePolicy`). */
  public queuePolicy(queue: IConstruct): PolicyDocument {
    const id = this.logicalId(queue);
    return this.policyOf('AWS::SQS::QueuePolicy', 'PolicyDocument',
      (p) => (p.Queues ?? []).some((q: any) => q.Ref === id), queue);
  }

  /** The resource policy of an event bus: the statements of all its `AWS::Events::EventBusPolicy` resources. */
  public eventBusPolicy(bus: IConstruct): PolicyDocument {
    const id = this.logicalId(bus);
    const statements = Object.values(this.resources)
      .filter((r) => r.Type === 'AWS::Events::EventBusPolicy' && r.Properties?.EventBusName?.Ref === id)
      .flatMap((r) => r.Properties!.Statement ? [r.Properties!.Statement] : r.Properties!.Policy.Statement);
    if (statements.length === 0) throw new Error(`no event bus policy for ${bus.node.path}`);
    return { Version: '2012-10-17', Statement: this.resolve(statements) };
  }

  /** The trust policy of a role. */
  public trustPolicy(role: IConstruct): PolicyDocument {
    return this.resolve(this.resources[this.logicalId(role)].Properties!.AssumeRolePolicyDocument);
  }

  /** Every policy attached to a role: inline, `AWS::IAM::Policy` and customer managed policies of this stack. */
  public identityPolicies(role: IConstruct): PolicyDocument[] {
    const id = this.logicalId(role);
    const props = this.resources[id].Properties!;
    const inline = (props.Policies ?? []).map((p: any) => p.PolicyDocument);
    const attached = Object.values(this.resources)
      .filter((r) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type))
      .filter((r) => (r.Properties!.Roles ?? []).some((ref: any) => ref.Ref === id))
      .map((r) => r.Properties!.PolicyDocument);
    if ((props.ManagedPolicyArns ?? []).length > 0) throw new Error(`${role.node.path} has managed policy ARNs`);
    return this.resolve([...inline, ...attached]);
  }

  /** Replaces every intrinsic in `value` by its deployed value. */
  public resolve(value: any): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.intrinsic(keys[0], value[keys[0]]);
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }

  private policyOf(type: string, property: string, owns: (props: any) => boolean, owner: IConstruct): PolicyDocument {
    const found = Object.values(this.resources).filter((r) => r.Type === type && owns(r.Properties));
    if (found.length !== 1) throw new Error(`expected one ${type} for ${owner.node.path}, found ${found.length}`);
    return this.resolve(found[0].Properties![property]);
  }

  private intrinsic(name: string, args: any): any {
    switch (name) {
      case 'Ref': return this.ref(args);
      case 'Fn::GetAtt': return this.getAtt(args[0], args[1]);
      case 'Fn::Join': return (this.resolve(args[1]) as string[]).join(args[0]);
      case 'Fn::Select': return this.resolve(args[1])[Number(this.resolve(args[0]))];
      case 'Fn::Split': return (this.resolve(args[1]) as string).split(args[0]);
      default: throw new Error(`cannot resolve ${name} ${JSON.stringify(args)}`);
    }
  }

  private ref(id: string): string {
    switch (id) {
      case 'AWS::Partition': return this.partition;
      case 'AWS::AccountId': return this.account;
      case 'AWS::Region': return this.region;
      case 'AWS::URLSuffix': return 'amazonaws.com';
    }
    if (id in this.parameters) return this.parameters[id];
    const { Type: type, Properties: props = {} } = this.resource(id);
    switch (type) {
      case 'AWS::S3::Bucket':
        // Bucket names are lowercase; an unnamed bucket gets its lowercased logical id.
        return props.BucketName === undefined ? id.toLowerCase() : this.resolve(props.BucketName);
      case 'AWS::KMS::Key': return this.keyId(id);
      case 'AWS::SNS::Topic': return `arn:${this.partition}:sns:${this.region}:${this.account}:${this.name(id, 'TopicName')}`;
      case 'AWS::IAM::Role': return this.name(id, 'RoleName');
      case 'AWS::IAM::ManagedPolicy': return `arn:${this.partition}:iam::${this.account}:policy/${this.name(id, 'ManagedPolicyName')}`;
      case 'AWS::Events::EventBus': return this.name(id, 'Name');
      case 'AWS::Logs::LogGroup': return this.name(id, 'LogGroupName');
      case 'AWS::Athena::WorkGroup': return this.name(id, 'Name');
      case 'AWS::Glue::Database': return this.resolve(props.DatabaseInput.Name);
      case 'AWS::Glue::Table': return this.resolve(props.TableInput.Name);
      default: throw new Error(`cannot resolve Ref of ${type} ${id}`);
    }
  }

  private getAtt(id: string, attribute: string): string {
    const { Type: type, Properties: props = {} } = this.resource(id);
    const p = this.partition;
    const regional = (service: string) => `arn:${p}:${service}:${this.region}:${this.account}`;
    if (attribute !== 'Arn' && !(type === 'AWS::SNS::Topic' && attribute === 'TopicArn')) {
      throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute}`);
    }
    switch (type) {
      case 'AWS::S3::Bucket': return `arn:${p}:s3:::${this.ref(id)}`;
      case 'AWS::KMS::Key': return `${regional('kms')}:key/${this.keyId(id)}`;
      case 'AWS::SNS::Topic': return this.ref(id);
      case 'AWS::SQS::Queue': return `${regional('sqs')}:${this.name(id, 'QueueName')}`;
      case 'AWS::IAM::Role': return `arn:${p}:iam::${this.account}:role/${this.name(id, 'RoleName')}`;
      case 'AWS::Events::EventBus': return `${regional('events')}:event-bus/${this.name(id, 'Name')}`;
      case 'AWS::Events::Rule': {
        const bus = props.EventBusName === undefined ? 'default' : String(this.resolve(props.EventBusName)).split('event-bus/').pop();
        return `${regional('events')}:rule/${bus === 'default' ? '' : `${bus}/`}${this.name(id, 'Name')}`;
      }
      case 'AWS::Logs::LogGroup': return `${regional('logs')}:log-group:${this.name(id, 'LogGroupName')}:*`;
      default: throw new Error(`cannot resolve Fn::GetAtt of ${type} ${id}`);
    }
  }

  private resource(id: string): CfnResource {
    const resource = this.resources[id];
    if (!resource) throw new Error(`no resource ${id} in ${this.stackName}`);
    return resource;
  }

  /** The physical name: the given name property, or the logical id when CloudFormation would generate one. */
  private name(id: string, property: string): string {
    const value = this.resource(id).Properties?.[property];
    return value === undefined ? id : this.resolve(value);
  }

  private keyId(id: string): string {
    // A stable stand-in for the generated key id, unique per key.
    return `${id.toLowerCase()}-0000-4000-8000-000000000000`;
  }
}

/** One request to evaluate against the policies that govern it. */
export interface AccessRequest {
  /** An IAM principal ARN, a service principal (`cloudtrail.amazonaws.com`), or 'anonymous'. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns `resource`. */
  readonly resourceAccount: string;
  readonly context?: { [key: string]: string | string[] };
  /** Policies attached to the principal. */
  readonly identityPolicies?: PolicyDocument[];
  readonly resourcePolicy?: PolicyDocument;
  /**
   * Service control policies over the principal's account, all at one level of the organization, next to
   * the FullAWSAccess policy AWS attaches by default. Omitted: no organization policies apply.
   */
  readonly serviceControlPolicies?: PolicyDocument[];
  /**
   * Resource control policies over the resource's account, all at one level of the organization (the
   * simulator adds the default RCPFullAWSAccess). Omitted: no organization policies apply.
   */
  readonly resourceControlPolicies?: PolicyDocument[];
}

/** The SCP AWS attaches to every root, OU and account when SCPs are enabled. */
const FULL_AWS_ACCESS: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The evaluator's decision and the statements (by Sid) that made it. */
export interface AccessDecision {
  readonly decision: EvaluationResult;
  /** Sids of the matching Allow statements, identity and resource policy; `(no sid)` for statements without one. */
  readonly allowedBy: string[];
  /** Sids of the matching Deny statements: identity, resource, service control and resource control policies. */
  readonly deniedBy: string[];
}

const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:(.+)$/i;

/**
 * Evaluates a request with IAM's evaluation logic (identity policies, resource policy, same- and
 * cross-account rules, KMS key-policy trust). Throws when the simulator rejects the input or a context
 * key does not apply to the action, so that a case cannot pass because a condition was silently not
 * evaluated.
 */
export async function evaluate(request: AccessRequest): Promise<AccessDecision> {
  const context = await encryptionContextAsTags(request);
  const response = await runSimulation({
    request: {
      principal: request.principal === 'anonymous' ? anonymousPrincipal : request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: context,
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy: renameEncryptionContextKeys(policy) })),
    serviceControlPolicies: request.serviceControlPolicies === undefined ? [] : [{
      orgIdentifier: 'r-test',
      policies: [FULL_AWS_ACCESS, ...request.serviceControlPolicies].map((policy, i) => ({ name: `scp-${i}`, policy })),
    }],
    resourceControlPolicies: request.resourceControlPolicies === undefined ? [] : [{
      orgIdentifier: 'r-test',
      policies: request.resourceControlPolicies.map((policy, i) => ({ name: `rcp-${i}`, policy })),
    }],
    resourcePolicy: request.resourcePolicy && renameEncryptionContextKeys(request.resourcePolicy),
  }, { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    throw new Error(`simulation rejected: ${JSON.stringify(response.errors, null, 2)}`);
  }
  if (response.resultType !== 'single') {
    throw new Error(`resource ${request.resource} is not a single literal resource`);
  }
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new Error(`context keys ${ignored.join(', ')} do not apply to ${request.action} on ${request.resource}`);
  }
  const analysis = response.result.analysis;
  const sids = (statements: { statement: { sid(): string | undefined } }[] | undefined) =>
    (statements ?? []).map((s) => s.statement.sid() ?? '(no sid)');
  return {
    decision: response.overallResult,
    allowedBy: [...sids(analysis.identityAnalysis?.allowStatements), ...sids(analysis.resourceAnalysis?.allowStatements)],
    deniedBy: [
      ...sids(analysis.identityAnalysis?.denyStatements), ...sids(analysis.resourceAnalysis?.denyStatements),
      ...(analysis.scpAnalysis?.ouAnalysis ?? []).flatMap((ou) => sids(ou.denyStatements)),
      ...(analysis.rcpAnalysis?.ouAnalysis ?? []).flatMap((ou) => sids(ou.denyStatements)),
    ],
  };
}

/*
 * The simulator's input validation recognises a variable context key only when its variable part follows a
 * "/" (aws:RequestTag/<tag>), so it drops kms:EncryptionContext:<key> from every request. The key is renamed,
 * in the request and in every policy alike, to aws:RequestTag/kms:EncryptionContext:<key>: also a
 * single-valued string key, so every condition operator evaluates it exactly as it would the original.
 * Whether the action accepts an encryption context at all is checked against the action's own keys first.
 */
async function encryptionContextAsTags(request: AccessRequest): Promise<{ [key: string]: string | string[] }> {
  const context = { ...request.context };
  const keys = Object.keys(context).filter((k) => ENCRYPTION_CONTEXT.test(k));
  if (keys.length === 0) return context;
  const [service, action] = request.action.split(':');
  const accepted = await allowedContextKeysForRequest(service, action, request.resource, false, undefined);
  if (!accepted.includes('kms:encryptioncontext:${encryptioncontextkey}')) {
    throw new Error(`context keys ${keys.join(', ')} do not apply to ${request.action} on ${request.resource}`);
  }
  for (const key of keys) {
    context[`aws:RequestTag/${key}`] = context[key];
    delete context[key];
  }
  return context;
}

function renameEncryptionContextKeys(policy: PolicyDocument): PolicyDocument {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return {
    ...policy,
    Statement: statements.map((statement) => statement.Condition === undefined ? statement : {
      ...statement,
      Condition: Object.fromEntries(Object.entries<{ [key: string]: any }>(statement.Condition).map(([operator, entries]) => [
        operator,
        Object.fromEntries(Object.entries(entries).map(([key, value]) =>
          [ENCRYPTION_CONTEXT.test(key) ? `aws:RequestTag/${key}` : key, value])),
      ])),
    }),
  };
}
