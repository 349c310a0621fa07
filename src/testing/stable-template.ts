import { Stack } from 'aws-cdk-lib';
import type * as assertions from 'aws-cdk-lib/assertions';

/** What {@link StableTemplate.fromStack} puts where a volatile value stood. */
const ASSET_HASH = '[asset hash]';
const BOOTSTRAP_PARAMETER = 'BootstrapVersion';
const BOOTSTRAP_RULE = 'CheckBootstrapVersion';
/** Metadata keys the CDK CLI adds to every resource; they name construct paths and local asset files. */
const VOLATILE_METADATA = /^aws:(cdk:path|asset:.*)$/;
const HASH = /\b[0-9a-f]{64}\b/g;

/**
 * A stack's synthesized template with the values that change without any change to the stack
 * removed or normalized, so a compliance-baseline snapshot fails only when the infrastructure does:
 *
 * - asset hashes (64 hex digits in asset object keys, image tags, parameter names) become `[asset hash]`;
 * - the `AWS::CDK::Metadata` resource (it encodes the CDK version and construct list) is removed, with
 *   the `CDKMetadataAvailable` condition;
 * - the bootstrap-version parameter and rule of the default synthesizer are removed;
 * - the `aws:cdk:path` and `aws:asset:*` resource metadata the CLI adds are removed.
 *
 * Logical ids, properties, policies, dependencies and outputs are kept exactly.
 */
export class StableTemplate {
  /**
   * The normalized template of `stack`, as a JSON object for `expect(...).toMatchSnapshot()`.
   */
  public static fromStack(stack: Stack): { [key: string]: any } {
    // Loaded on first use: aws-cdk-lib/assertions costs every importer of the library load time otherwise.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Template }: typeof assertions = require('aws-cdk-lib/assertions');
    return StableTemplate.normalize(Template.fromStack(stack).toJSON());
  }

  /**
   * Normalizes an already synthesized template (for example one read from `cdk.out`).
   */
  public static normalize(template: { [key: string]: any }): { [key: string]: any } {
    const copy = JSON.parse(JSON.stringify(template));

    for (const [id, resource] of Object.entries<any>(copy.Resources ?? {})) {
      if (resource.Type === 'AWS::CDK::Metadata') {
        delete copy.Resources[id];
        continue;
      }
      if (resource.Metadata) {
        for (const key of Object.keys(resource.Metadata)) {
          if (VOLATILE_METADATA.test(key)) delete resource.Metadata[key];
        }
        if (Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
      }
    }
    if (copy.Conditions) {
      delete copy.Conditions.CDKMetadataAvailable;
      if (Object.keys(copy.Conditions).length === 0) delete copy.Conditions;
    }
    if (copy.Parameters) {
      delete copy.Parameters[BOOTSTRAP_PARAMETER];
      if (Object.keys(copy.Parameters).length === 0) delete copy.Parameters;
    }
    if (copy.Rules) {
      delete copy.Rules[BOOTSTRAP_RULE];
      if (Object.keys(copy.Rules).length === 0) delete copy.Rules;
    }
    return replaceHashes(copy);
  }

  private constructor() {}
}

function replaceHashes(value: any): any {
  if (typeof value === 'string') return value.replace(HASH, ASSET_HASH);
  if (Array.isArray(value)) return value.map(replaceHashes);
  if (value && typeof value === 'object') {
    const out: { [key: string]: any } = {};
    for (const [k, v] of Object.entries(value)) out[k.replace(HASH, ASSET_HASH)] = replaceHashes(v);
    return out;
  }
  return value;
}
