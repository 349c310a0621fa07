import { IConstruct } from 'constructs';
import { FieldSelector, SelectorField, SelectorOperator } from './field-selector';
import { Condition, NETWORK_ACTIVITY, SelectorDraft, userConditions } from './model';
import { VPCE_ACCESS_DENIED } from './rules';
import { fail, isUnresolved, validatePattern } from '../../private/validation';

/**
 * Event sources that record network activity events, as named in CloudTrail's `eventSource` field.
 *
 * A selection of the services CloudTrail supports; the "Logging network activity events" page of the
 * CloudTrail user guide lists all of them. {@link NetworkActivityEvents.forSource} takes any
 * `<service>.amazonaws.com` string; one the user guide does not list gets a warning
 * (`cdk-cloudtrail-governance:trail:unknownNetworkActivitySource`), since AWS adds sources often.
 */
export class NetworkActivitySource {
  /** AWS CloudTrail. */
  public static readonly CLOUDTRAIL = 'cloudtrail.amazonaws.com';
  /** Amazon DynamoDB. */
  public static readonly DYNAMODB = 'dynamodb.amazonaws.com';
  /** Amazon EC2. */
  public static readonly EC2 = 'ec2.amazonaws.com';
  /** AWS KMS. */
  public static readonly KMS = 'kms.amazonaws.com';
  /** AWS Lambda. */
  public static readonly LAMBDA = 'lambda.amazonaws.com';
  /** Amazon S3 (Multi-Region Access Points are not covered). */
  public static readonly S3 = 's3.amazonaws.com';
  /** AWS Secrets Manager. */
  public static readonly SECRETS_MANAGER = 'secretsmanager.amazonaws.com';
  /** Amazon SNS. */
  public static readonly SNS = 'sns.amazonaws.com';
  /** Amazon SQS. */
  public static readonly SQS = 'sqs.amazonaws.com';

  private constructor() {}
}

/**
 * Options for network activity events.
 */
export interface NetworkActivityEventsOptions {
  /**
   * Record only calls that a VPC endpoint policy denied (`errorCode` = `VpceAccessDenied`): the
   * calls that show credentials from outside your perimeter trying your endpoints, at a fraction of
   * the volume of all calls.
   *
   * @default false
   */
  readonly accessDeniedOnly?: boolean;

  /**
   * Further conditions on `eventName`, `vpcEndpointId` or `userIdentity.arn`.
   *
   * @default - no further conditions
   */
  readonly fieldSelectors?: FieldSelector[];

  /**
   * The selector's name (1-1000 characters).
   *
   * @default - derived from the event source, such as "Network activity events: kms.amazonaws.com"
   */
  readonly name?: string;
}

const EVENT_SOURCE = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.amazonaws\.com$/;

/**
 * Network activity events: AWS API calls that pass through VPC endpoints of the trail's accounts,
 * recorded for the endpoint owner (CloudTrail's `NetworkActivity` event category), for one event source.
 */
export class NetworkActivityEvents {
  /**
   * Network activity events of one service.
   *
   * @param eventSource the service's event source, such as `kms.amazonaws.com` (see {@link NetworkActivitySource})
   */
  public static forSource(eventSource: string, options: NetworkActivityEventsOptions = {}): NetworkActivityEvents {
    return new NetworkActivityEvents(eventSource, options);
  }

  /** The event source whose calls are recorded. */
  public readonly eventSource: string;

  /** Whether only calls denied by a VPC endpoint policy are recorded. */
  public readonly accessDeniedOnly: boolean;

  private readonly options: NetworkActivityEventsOptions;

  private constructor(eventSource: string, options: NetworkActivityEventsOptions) {
    this.eventSource = eventSource;
    this.accessDeniedOnly = options.accessDeniedOnly ?? false;
    this.options = options;
  }

  /**
   * Validates the inputs and returns the selector; `path` names this entry in the props of the trail
   * `scope`, whose path the errors carry.
   *
   * @internal
   */
  public _draft(scope: IConstruct, path: string): SelectorDraft {
    validatePattern(scope, `${path}.eventSource`, this.eventSource, EVENT_SOURCE,
      'must be an event source such as "kms.amazonaws.com" (see "Logging network activity events" in the CloudTrail user guide)');
    const name = this.options.name ?? `Network activity events: ${this.eventSource}${this.accessDeniedOnly ? ' (VPC endpoint access denied)' : ''}`;
    if (!isUnresolved(name) && (typeof name !== 'string' || name.length < 1 || name.length > 1000)) {
      fail(scope, `${path}.name`, name, 'must be 1 to 1000 characters');
    }
    const conditions: Condition[] = [
      { field: SelectorField.EVENT_CATEGORY, operator: SelectorOperator.EQUALS, values: [NETWORK_ACTIVITY], path, fixed: true },
      {
        field: SelectorField.EVENT_SOURCE,
        operator: SelectorOperator.EQUALS,
        values: [this.eventSource],
        path,
        valuesPath: `${path}.eventSource`,
        fixed: true,
      },
    ];
    if (this.accessDeniedOnly) {
      conditions.push({
        field: SelectorField.ERROR_CODE,
        operator: SelectorOperator.EQUALS,
        values: [VPCE_ACCESS_DENIED],
        path: `${path}.accessDeniedOnly`,
        fixed: true,
      });
    }
    conditions.push(...userConditions(scope, path, this.options.fieldSelectors));
    return { path, category: NETWORK_ACTIVITY, name, conditions };
  }
}
