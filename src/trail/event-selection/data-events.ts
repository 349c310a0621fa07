import { IConstruct } from 'constructs';
import { FieldSelector, SelectorField, SelectorOperator } from './field-selector';
import { Condition, DATA, S3_OBJECT, SelectorDraft, userConditions } from './model';
import { EventReadWrite } from './read-write';
import { fail, isUnresolved, validateNonEmpty, validatePattern, validateUnique } from '../../private/validation';

/**
 * Options for every kind of data events.
 */
export interface DataEventsOptions {
  /**
   * Record read events, write events or both. Write events are usually a small share of the volume
   * (and of the cost): most data-plane traffic is reads.
   *
   * @default EventReadWrite.ALL
   */
  readonly readWrite?: EventReadWrite;

  /**
   * Further conditions, such as `eventName` or `userIdentity.arn` filters. Conditions on the same
   * field are combined into one field selector; `eventCategory` and `resources.type` are set by the
   * factory.
   *
   * @default - no further conditions
   */
  readonly fieldSelectors?: FieldSelector[];

  /**
   * The selector's name, shown by `get-event-selectors` and in the console (1-1000 characters).
   *
   * @default - derived from the resource type and the options, such as "S3 object data events: all buckets (write-only)"
   */
  readonly name?: string;
}

/**
 * Options for data events on resources that are selected by their ARN.
 */
export interface ResourceDataEventsOptions extends DataEventsOptions {
  /**
   * Record only events on these resources (exact ARNs, compared with `Equals`).
   *
   * @default - every resource of the type
   */
  readonly resourceArns?: string[];
}

/**
 * A key prefix in an S3 bucket.
 */
export interface S3ObjectPrefix {
  /** The bucket's name (not its ARN). */
  readonly bucketName: string;

  /** The object key prefix, such as `invoices/`. Without a leading `/`. */
  readonly keyPrefix: string;
}

type Target =
  | { readonly kind: 'all' }
  | { readonly kind: 'buckets'; readonly bucketNames: string[] }
  | { readonly kind: 'prefixes'; readonly prefixes: S3ObjectPrefix[] }
  | { readonly kind: 'arns'; readonly resourceArns?: string[]; readonly service: string };

const RESOURCE_TYPE = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BUCKET_NAME_RULE =
  'must be an S3 bucket name (3-63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit), not an ARN';
// Each bucket name becomes its own ARN value, so the list itself must be known at synth time.
const LIST_TOKEN_RULE = 'must be a list written out at synth time (its elements may be tokens, the list may not)';
const READ_WRITE_WORDS: { readonly [rw: string]: string } = {
  [EventReadWrite.ALL]: '',
  [EventReadWrite.READ_ONLY]: ' (read-only)',
  [EventReadWrite.WRITE_ONLY]: ' (write-only)',
};

/**
 * Data events (data-plane operations such as S3 `GetObject` or Lambda `Invoke`) for one resource type,
 * recorded through an advanced event selector.
 *
 * Data events are billed for every event delivered, including the first copy. S3 data events never
 * include the trail's own archive buckets unless the trail is told otherwise (see the trail's
 * `excludeArchiveFromDataEvents`).
 */
export class DataEvents {
  /** Object-level events in every S3 general purpose bucket (`AWS::S3::Object`). */
  public static s3AllBuckets(options: DataEventsOptions = {}): DataEvents {
    return new DataEvents(S3_OBJECT, { kind: 'all' }, options, 'S3 object data events: all buckets');
  }

  /** Object-level events in the named S3 general purpose buckets. */
  public static s3Buckets(bucketNames: string[], options: DataEventsOptions = {}): DataEvents {
    return new DataEvents(S3_OBJECT, { kind: 'buckets', bucketNames }, options,
      `S3 object data events: ${count(bucketNames, 'bucket')}`);
  }

  /** Object-level events under the given key prefixes of S3 general purpose buckets. */
  public static s3Prefixes(prefixes: S3ObjectPrefix[], options: DataEventsOptions = {}): DataEvents {
    return new DataEvents(S3_OBJECT, { kind: 'prefixes', prefixes }, options,
      `S3 object data events: ${count(prefixes, 'prefix', 'prefixes')}`);
  }

  /** Object-level events in S3 directory buckets (S3 Express One Zone, `AWS::S3Express::Object`). */
  public static s3ExpressObjects(options: DataEventsOptions = {}): DataEvents {
    return new DataEvents('AWS::S3Express::Object', { kind: 'all' }, options, 'S3 Express One Zone object data events');
  }

  /** Lambda function invocations (`AWS::Lambda::Function`, the `Invoke` API; these are write events). */
  public static lambdaFunctions(options: ResourceDataEventsOptions = {}): DataEvents {
    return DataEvents.byArn('AWS::Lambda::Function', 'lambda', 'Lambda function data events', options);
  }

  /** DynamoDB item-level operations on tables (`AWS::DynamoDB::Table`). */
  public static dynamoDbTables(options: ResourceDataEventsOptions = {}): DataEvents {
    return DataEvents.byArn('AWS::DynamoDB::Table', 'dynamodb', 'DynamoDB table data events', options);
  }

  /** SNS `Publish` and `PublishBatch` on topics (`AWS::SNS::Topic`). */
  public static snsTopics(options: ResourceDataEventsOptions = {}): DataEvents {
    return DataEvents.byArn('AWS::SNS::Topic', 'sns', 'SNS topic data events', options);
  }

  /** SQS message operations on queues (`AWS::SQS::Queue`). */
  public static sqsQueues(options: ResourceDataEventsOptions = {}): DataEvents {
    return DataEvents.byArn('AWS::SQS::Queue', 'sqs', 'SQS queue data events', options);
  }

  /**
   * Data events of any resource type CloudTrail supports (the "Data events" table of the CloudTrail
   * user guide lists them), narrowed by `options.fieldSelectors`. A type that table does not list gets
   * a warning (`cdk-cloudtrail-governance:trail:unknownDataResourceType`) rather than an error, since
   * AWS adds types often; acknowledge it for a type newer than this library.
   *
   * @param resourceType the `resources.type` value, such as `AWS::Bedrock::AgentAlias`
   */
  public static custom(resourceType: string, options: DataEventsOptions = {}): DataEvents {
    return new DataEvents(resourceType, { kind: 'all' }, options, `${resourceType} data events`);
  }

  private static byArn(resourceType: string, service: string, name: string, options: ResourceDataEventsOptions): DataEvents {
    const arns = options.resourceArns;
    const label = arns ? `${name}: ${count(arns, 'resource')}` : name;
    return new DataEvents(resourceType, { kind: 'arns', resourceArns: arns, service }, options, label);
  }

  /** The `resources.type` the events are recorded for. */
  public readonly resourceType: string;

  /** Which events are recorded. */
  public readonly readWrite: EventReadWrite;

  private readonly target: Target;
  private readonly options: DataEventsOptions;
  private readonly defaultName: string;

  private constructor(resourceType: string, target: Target, options: DataEventsOptions, defaultName: string) {
    this.resourceType = resourceType;
    this.readWrite = options.readWrite ?? EventReadWrite.ALL;
    this.target = target;
    this.options = options;
    this.defaultName = defaultName;
  }

  /**
   * Validates the inputs and returns the selector; `path` names this entry in the props of the trail
   * `scope`, whose path the errors carry.
   *
   * @internal
   */
  public _draft(scope: IConstruct, path: string, partition: string): SelectorDraft {
    validatePattern(scope, `${path}.resourceType`, this.resourceType, RESOURCE_TYPE,
      'must be a CloudTrail data resource type such as "AWS::S3::Object" (see the Data events table of the CloudTrail user guide)');
    if (!Object.values(EventReadWrite).includes(this.readWrite)) {
      fail(scope, `${path}.readWrite`, this.readWrite, `must be one of ${Object.values(EventReadWrite).join(', ')}`);
    }
    const name = this.options.name ?? `${this.defaultName}${READ_WRITE_WORDS[this.readWrite]}`;
    if (!isUnresolved(name) && (typeof name !== 'string' || name.length < 1 || name.length > 1000)) {
      fail(scope, `${path}.name`, name, 'must be 1 to 1000 characters');
    }

    const conditions: Condition[] = [
      { field: SelectorField.EVENT_CATEGORY, operator: SelectorOperator.EQUALS, values: [DATA], path, fixed: true },
      {
        field: SelectorField.RESOURCES_TYPE,
        operator: SelectorOperator.EQUALS,
        values: [this.resourceType],
        path,
        valuesPath: `${path}.resourceType`,
        fixed: true,
      },
    ];
    if (this.readWrite !== EventReadWrite.ALL) {
      conditions.push({
        field: SelectorField.READ_ONLY,
        operator: SelectorOperator.EQUALS,
        values: [this.readWrite === EventReadWrite.READ_ONLY ? 'true' : 'false'],
        path: `${path}.readWrite`,
        fixed: true,
      });
    }
    const arnCondition = this.targetCondition(scope, path, partition);
    if (arnCondition) conditions.push(arnCondition);

    conditions.push(...userConditions(scope, path, this.options.fieldSelectors));
    return { path, category: DATA, name, conditions };
  }

  private targetCondition(scope: IConstruct, path: string, partition: string): Condition | undefined {
    const target = this.target;
    switch (target.kind) {
      case 'all':
        return undefined;
      case 'buckets': {
        const at = `${path}.bucketNames`;
        if (isUnresolved(target.bucketNames)) fail(scope, at, target.bucketNames, LIST_TOKEN_RULE);
        validateNonEmpty(scope, at, target.bucketNames);
        target.bucketNames.forEach((b, i) => validatePattern(scope, `${at}[${i}]`, b, BUCKET_NAME, BUCKET_NAME_RULE));
        validateUnique(scope, at, target.bucketNames, b => b);
        // The trailing "/" keeps "logs" from also matching "logs-archive".
        const values = target.bucketNames.map(b => `arn:${partition}:s3:::${b}/`);
        return { field: SelectorField.RESOURCES_ARN, operator: SelectorOperator.STARTS_WITH, values, path: at, valuesPath: at, fixed: true };
      }
      case 'prefixes': {
        const at = `${path}.prefixes`;
        if (isUnresolved(target.prefixes)) fail(scope, at, target.prefixes, LIST_TOKEN_RULE);
        validateNonEmpty(scope, at, target.prefixes);
        target.prefixes.forEach((p, i) => {
          validatePattern(scope, `${at}[${i}].bucketName`, p.bucketName, BUCKET_NAME, BUCKET_NAME_RULE);
          validatePattern(scope, `${at}[${i}].keyPrefix`, p.keyPrefix, /^[^/]/,
            'must be a non-empty key prefix without a leading "/" (use s3Buckets() for whole buckets)');
        });
        const values = target.prefixes.map(p => `arn:${partition}:s3:::${p.bucketName}/${p.keyPrefix}`);
        validateUnique(scope, at, values, v => v);
        return { field: SelectorField.RESOURCES_ARN, operator: SelectorOperator.STARTS_WITH, values, path: at, valuesPath: at, fixed: true };
      }
      case 'arns': {
        if (target.resourceArns === undefined) return undefined;
        const at = `${path}.resourceArns`;
        const arns = target.resourceArns;
        validateNonEmpty(scope, at, arns);
        if (!isUnresolved(arns)) {
          const arn = new RegExp(`^arn:[a-z0-9-]+:${target.service}:`);
          arns.forEach((a, i) => validatePattern(scope, `${at}[${i}]`, a, arn,
            `must be the ARN of an ${this.resourceType} resource (arn:<partition>:${target.service}:...)`));
          validateUnique(scope, at, arns, a => a);
        }
        return { field: SelectorField.RESOURCES_ARN, operator: SelectorOperator.EQUALS, values: arns, path: at, valuesPath: at, fixed: true };
      }
    }
  }
}

function count(list: readonly unknown[] | undefined, one: string, many: string = `${one}s`): string {
  const n = Array.isArray(list) ? list.length : 0;
  return `${n} ${n === 1 ? one : many}`;
}
