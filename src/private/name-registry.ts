import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isUnresolved, show, ValidationError } from './validation';

/**
 * Physical names that must be unique per account and region (Glue databases and tables, Athena
 * workgroups). CloudFormation only finds a clash when the second stack deploys ("already exists"),
 * after the first one succeeded; two stacks of one app can be checked at synth instead.
 *
 * One registry per App (the construct tree's root), so separate apps in one process never see each
 * other. A stack whose account or region is a token may deploy anywhere: its names are only compared
 * within the stack itself, where they certainly share an account and region.
 */
const registries = new WeakMap<IConstruct, Map<string, NameClaim>>();

/** Who holds a name, for the error message. */
export interface NameClaim {
  /** The construct path of the holder. */
  readonly path: string;
  /** What the holder is, such as `the events table of trail org-trail`. */
  readonly description: string;
}

/**
 * Records that `scope` creates a resource of `kind` named `name` in its stack's account and region,
 * and throws naming both holders (the error carries `scope`'s path, the message the other's) if another
 * construct of the app already does. Unresolved names are skipped.
 *
 * @param prop the prop that decides the name, for the error message
 * @param hint how to resolve the clash
 */
export function claimName(scope: IConstruct, kind: string, name: string, prop: string, description: string,
  hint: string): void {
  if (isUnresolved(name)) return;
  const stack = Stack.of(scope);
  const envKnown = !isUnresolved(stack.account) && !isUnresolved(stack.region);
  const env = envKnown ? `${stack.account}/${stack.region}` : `stack ${stack.node.path}`;
  const root = scope.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const key = `${kind}\u0000${env}\u0000${name}`;
  const existing = registry.get(key);
  if (existing && existing.path !== scope.node.path) {
    const where = envKnown ? `account ${stack.account} and region ${stack.region}` : `stack ${stack.node.path}`;
    throw new ValidationError(scope, `${prop} ${show(name)} (${description}) names the same ${kind} as ` +
      `${existing.description} (${existing.path}) in ${where}: ${kind} names are unique per account and region, ` +
      `so the second stack would fail to deploy. ${hint}`);
  }
  registry.set(key, { path: scope.node.path, description });
}
