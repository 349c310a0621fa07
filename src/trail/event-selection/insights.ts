/**
 * The events an Insights type analyzes (CloudFormation `InsightSelector.EventCategories`).
 */
export enum InsightEventCategory {
  /** Management events. */
  MANAGEMENT = 'Management',
  /** Data events (trails only). */
  DATA = 'Data',
}

/**
 * Options for an Insights type.
 */
export interface InsightTypeOptions {
  /**
   * The events to analyze. Each category is billed per event analyzed.
   *
   * @default [InsightEventCategory.MANAGEMENT]
   */
  readonly eventCategories?: InsightEventCategory[];
}

/**
 * A CloudTrail Insights type: CloudTrail learns the normal rate of API calls or API errors and records
 * an Insights event when the current rate departs from it.
 *
 * On management events, API call rate Insights analyze write management events, so the trail must
 * record them; API error rate Insights need read or write management events. On data events, both
 * types need the trail to record data events.
 */
export class InsightType {
  /** Unusual rates of write management API calls (`ApiCallRateInsight`). */
  public static readonly API_CALL_RATE = new InsightType('ApiCallRateInsight', [InsightEventCategory.MANAGEMENT]);

  /** Unusual rates of management API calls that fail (`ApiErrorRateInsight`). */
  public static readonly API_ERROR_RATE = new InsightType('ApiErrorRateInsight', [InsightEventCategory.MANAGEMENT]);

  /** API call rate Insights on the chosen event categories. */
  public static apiCallRate(options: InsightTypeOptions = {}): InsightType {
    return new InsightType('ApiCallRateInsight', options.eventCategories ?? [InsightEventCategory.MANAGEMENT]);
  }

  /** API error rate Insights on the chosen event categories. */
  public static apiErrorRate(options: InsightTypeOptions = {}): InsightType {
    return new InsightType('ApiErrorRateInsight', options.eventCategories ?? [InsightEventCategory.MANAGEMENT]);
  }

  /** The CloudTrail name of the type: `ApiCallRateInsight` or `ApiErrorRateInsight`. */
  public readonly typeName: string;

  /** The events analyzed. */
  public readonly eventCategories: InsightEventCategory[];

  private constructor(typeName: string, eventCategories: InsightEventCategory[]) {
    this.typeName = typeName;
    this.eventCategories = eventCategories;
  }

  /** Whether this type analyzes `category` events. */
  public analyzes(category: InsightEventCategory): boolean {
    return this.eventCategories.includes(category);
  }
}
