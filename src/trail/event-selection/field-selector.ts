/**
 * A field of a CloudTrail event record that an advanced event selector can filter on.
 *
 * Which fields a trail accepts depends on the event category: see the CloudFormation reference for
 * `AWS::CloudTrail::Trail AdvancedFieldSelector`. The trail checks each field against the category
 * of the selector it is used in. Field selectors are rendered in the order of this list, so that templates
 * (and their snapshots) are stable.
 */
export enum SelectorField {
  /** `eventCategory`: `Management`, `Data` or `NetworkActivity`. Set by the library. */
  EVENT_CATEGORY = 'eventCategory',
  /** `resources.type`, the data resource type, such as `AWS::S3::Object`. Set by the library. */
  RESOURCES_TYPE = 'resources.type',
  /** `eventSource`, such as `s3.amazonaws.com`. */
  EVENT_SOURCE = 'eventSource',
  /** `eventName`, the API action, such as `PutObject`. */
  EVENT_NAME = 'eventName',
  /** `eventType`, such as `AwsApiCall` or `AwsServiceEvent` (data events). */
  EVENT_TYPE = 'eventType',
  /** `readOnly`: `true` for read events, `false` for write events. */
  READ_ONLY = 'readOnly',
  /** `errorCode`; only `VpceAccessDenied`, only for network activity events. */
  ERROR_CODE = 'errorCode',
  /** `vpcEndpointId`, the VPC endpoint the call passed through (network activity events). */
  VPC_ENDPOINT_ID = 'vpcEndpointId',
  /** `resources.ARN`, the ARN of the resource the event acted on (data events). */
  RESOURCES_ARN = 'resources.ARN',
  /** `userIdentity.arn`, the identity that made the call (data and network activity events). */
  USER_IDENTITY_ARN = 'userIdentity.arn',
  /** `sessionCredentialFromConsole`: whether the call came from a console session (data events). */
  SESSION_CREDENTIAL_FROM_CONSOLE = 'sessionCredentialFromConsole',
}

/**
 * How a field selector compares a field with its values.
 *
 * `Equals`, `StartsWith` and `EndsWith` select events (an event matching any of them is logged);
 * `NotEquals`, `NotStartsWith` and `NotEndsWith` deselect them (an event matching any of them is not
 * logged, whatever the selecting conditions say). Wildcards such as `*` are not supported.
 */
export enum SelectorOperator {
  /** The field is exactly one of the values. */
  EQUALS = 'Equals',
  /** The field is none of the values. */
  NOT_EQUALS = 'NotEquals',
  /** The field starts with one of the values. */
  STARTS_WITH = 'StartsWith',
  /** The field starts with none of the values. */
  NOT_STARTS_WITH = 'NotStartsWith',
  /** The field ends with one of the values. */
  ENDS_WITH = 'EndsWith',
  /** The field ends with none of the values. */
  NOT_ENDS_WITH = 'NotEndsWith',
}

/**
 * One condition of an advanced event selector: a field, an operator and the values to compare with.
 *
 * Conditions on the same field of one selector are combined into one CloudTrail field selector.
 * Every value counts toward CloudTrail's quota of 500 values per trail.
 *
 * @example
 * FieldSelector.equalTo(SelectorField.EVENT_NAME, ['DeleteObject', 'DeleteObjects']);
 * FieldSelector.notStartsWith(SelectorField.USER_IDENTITY_ARN, ['arn:aws:sts::111122223333:assumed-role/scanner/']);
 */
export class FieldSelector {
  /** The field is exactly one of `values`. */
  public static equalTo(field: SelectorField, values: string[]): FieldSelector {
    return new FieldSelector(field, SelectorOperator.EQUALS, values);
  }

  /** The field is none of `values`. */
  public static notEquals(field: SelectorField, values: string[]): FieldSelector {
    return new FieldSelector(field, SelectorOperator.NOT_EQUALS, values);
  }

  /** The field starts with one of `values`. */
  public static startsWith(field: SelectorField, values: string[]): FieldSelector {
    return new FieldSelector(field, SelectorOperator.STARTS_WITH, values);
  }

  /** The field starts with none of `values`. */
  public static notStartsWith(field: SelectorField, values: string[]): FieldSelector {
    return new FieldSelector(field, SelectorOperator.NOT_STARTS_WITH, values);
  }

  /** The field ends with one of `values`. */
  public static endsWith(field: SelectorField, values: string[]): FieldSelector {
    return new FieldSelector(field, SelectorOperator.ENDS_WITH, values);
  }

  /** The field ends with none of `values`. */
  public static notEndsWith(field: SelectorField, values: string[]): FieldSelector {
    return new FieldSelector(field, SelectorOperator.NOT_ENDS_WITH, values);
  }

  /** A condition with any operator. */
  public static of(field: SelectorField, operator: SelectorOperator, values: string[]): FieldSelector {
    return new FieldSelector(field, operator, values);
  }

  /** The event record field. */
  public readonly field: SelectorField;

  /** How the field is compared with the values. */
  public readonly operator: SelectorOperator;

  /** The values to compare with. */
  public readonly values: string[];

  private constructor(field: SelectorField, operator: SelectorOperator, values: string[]) {
    // Validated where the selector is used: only there is the prop path (dataEvents[2]...) and the
    // event category known, and an error must name both.
    this.field = field;
    this.operator = operator;
    this.values = values;
  }
}
