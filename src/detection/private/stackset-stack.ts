import * as fs from 'fs';
import * as path from 'path';
import {
  DockerImageAssetLocation, DockerImageAssetSource, FileAssetLocation, FileAssetSource, ISynthesisSession, Lazy,
  Names, Stack, StackSynthesizer,
} from 'aws-cdk-lib';
import { ArtifactMetadataEntryType } from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct } from 'constructs';
import { ValidationError } from '../../private/validation';

/**
 * CloudFormation's limit for a StackSet template read from S3 (`TemplateURL`), in bytes (1 MB). A template
 * passed inline (`TemplateBody`) may only have 51,200.
 */
export const STACK_SET_TEMPLATE_URL_LIMIT = 1024 * 1024;

const ANNOTATION_TYPES: string[] = [
  ArtifactMetadataEntryType.ERROR, ArtifactMetadataEntryType.WARN, ArtifactMetadataEntryType.INFO,
];

/**
 * Properties of StackSetMemberStack.
 */
export interface StackSetMemberStackProps {
  /** The description of the member template. */
  readonly description: string;
}

/**
 * The template a StackSet deploys, built as a stack of the user's own app so that its context, Aspects and
 * annotations apply, and synthesized with the rest of it (the `StackSetStack` idea of cdk-stacksets).
 *
 * Its template is published as a file asset of the enclosing stack, whose StackSet reads it through
 * `templateUrl`; unlike a nested stack it adds no `AWS::CloudFormation::Stack` resource and takes no references
 * to the enclosing stack: it runs in other accounts. The stack artifact is written to a nested cloud assembly
 * of its own, as a `Stage`'s stacks are: the app's policy validation plugins (cfn-guard, the CloudFormation
 * schema check) validate it with every other template, while `cdk deploy --all` deploys only the app's
 * top-level stacks and so never deploys it on its own. (A `Stage` itself would not do: Aspects applied above
 * a stage do not reach into it.)
 */
export class StackSetMemberStack extends Stack {
  /** The file name of the member template in its cloud assembly. */
  public readonly templateFile: string;

  /** The id, and directory name, of the nested cloud assembly that holds the member stack. */
  public readonly assemblyArtifactId: string;

  private readonly enclosing: Stack;
  private url?: string;
  private synthesized?: { path: string; template: { [key: string]: any } };

  constructor(scope: Construct, id: string, props: StackSetMemberStackProps) {
    const parentStack = enclosingStack(scope);
    super(scope, id, {
      synthesizer: new StackSetMemberSynthesizer(),
      // The template runs in every account and region; the analytics resource would only add to its size.
      analyticsReporting: false,
      description: props.description,
    });
    this.enclosing = parentStack;
    this.templateFile = `${Names.uniqueId(this)}.stackset.template.json`;
    this.assemblyArtifactId = `assembly-${Names.uniqueId(this)}`;
  }

  /** The HTTPS URL of the published template, known once the app is synthesized. */
  public get templateUrl(): string {
    return Lazy.uncachedString({ produce: () => this.url });
  }

  /** The member template, as written to the cloud assembly. */
  public get template(): { [key: string]: any } {
    if (!this.synthesized) {
      throw new ValidationError(this, 'the member template exists once the app is synthesized ' +
        '(app.synth() or Template.fromStack on the enclosing stack)');
    }
    return this.synthesized.template;
  }

  /**
   * Checks the written member template, before its artifact is emitted (an artifact that depends on another
   * stack cannot be part of an assembly of its own).
   *
   * @internal
   */
  public _check(memberOutdir: string): void {
    const file = path.join(memberOutdir, this.templateFile);
    const bytes = fs.statSync(file).size;
    if (bytes > STACK_SET_TEMPLATE_URL_LIMIT) {
      throw new ValidationError(this, `the member template has ${bytes} bytes, more than the ` +
        `${STACK_SET_TEMPLATE_URL_LIMIT} bytes CloudFormation accepts for a StackSet template`);
    }
    const text = fs.readFileSync(file, 'utf8');
    const template = JSON.parse(text);
    // A reference across stacks becomes an export and an import, which only resolve within one account and
    // region: the stack instances run in every other account, and the enclosing stack could never read them.
    if (text.includes('"Fn::ImportValue"') || Object.values(template.Outputs ?? {}).some((o: any) => o.Export)) {
      throw new ValidationError(this, 'a StackSet member template cannot reference other stacks\' resources ' +
        'or be referenced by them; pass values as CloudFormation parameters of the StackSet instead');
    }
    this.synthesized = { path: file, template };
  }

  /**
   * Registers the member template as a file asset of the enclosing stack.
   *
   * @internal
   */
  public _publish(rootOutdir: string, source: FileAssetSource): void {
    // Asset paths are relative to the enclosing stack's cloud assembly.
    const fileName = path.relative(rootOutdir, this.synthesized!.path);
    this.url = this.enclosing.synthesizer.addFileAsset({ ...source, fileName }).httpUrl;
    this.forwardAnnotations();
  }

  /**
   * The CLI reports the annotations of the stacks it selects, and `cdk synth` / `cdk deploy --all` select the
   * top-level ones, so the errors and warnings raised inside this stack (by the library or the user's Aspects,
   * such as cdk-nag) would go unseen; they are repeated on the enclosing construct, naming their origin, so
   * that `cdk synth` still reports them and fails on errors.
   */
  private forwardAnnotations(): void {
    const target = this.node.scope!;
    for (const construct of this.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (ANNOTATION_TYPES.includes(entry.type)) {
          target.node.addMetadata(entry.type, `[${construct.node.path}] ${entry.data}`);
        }
      }
    }
  }
}

/**
 * Writes the member stack into a nested cloud assembly of its own, then hands its template to the enclosing
 * stack's synthesizer as a file asset. Synthesis visits children before their parents, so the asset is
 * registered before the enclosing stack writes its asset manifest, and the nested assembly is listed in the
 * app's assembly before the app validates its templates.
 */
class StackSetMemberSynthesizer extends StackSynthesizer {
  public addFileAsset(_asset: FileAssetSource): FileAssetLocation {
    // StackSet instances run in other accounts, which cannot read the enclosing account's asset bucket.
    throw new ValidationError(this.boundStack, 'a StackSet member template cannot use file assets');
  }

  public addDockerImageAsset(_asset: DockerImageAssetSource): DockerImageAssetLocation {
    throw new ValidationError(this.boundStack, 'a StackSet member template cannot use container image assets');
  }

  public synthesize(session: ISynthesisSession): void {
    const member = this.boundStack as StackSetMemberStack;
    const assembly = session.assembly.createNestedAssembly(member.assemblyArtifactId,
      `${member.node.path} (StackSet member template)`);
    const memberSession: ISynthesisSession = { ...session, assembly, outdir: assembly.outdir };
    const source = this.synthesizeTemplate(memberSession);
    member._check(assembly.outdir);
    this.emitArtifact(memberSession);
    assembly.buildAssembly();
    member._publish(session.outdir, source);
  }
}

function enclosingStack(scope: Construct): Stack {
  const stack = Stack.of(scope);
  if (stack instanceof StackSetMemberStack) {
    throw new ValidationError(scope, 'a StackSet member template cannot contain another StackSet');
  }
  return stack;
}
