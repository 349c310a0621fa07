import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { IConstruct } from 'constructs';
import { InsightEventCategory, InsightType } from './insights';
import { fail, show, ValidationError } from '../../private/validation';

const CATEGORY_ORDER: readonly string[] = [InsightEventCategory.MANAGEMENT, InsightEventCategory.DATA];

/**
 * What the trail records, as far as Insights care.
 */
export interface InsightPrerequisites {
  readonly managementEvents: boolean;
  readonly writeManagementEvents: boolean;
  readonly dataEvents: boolean;
}

/**
 * Validates the Insights list against what the trail records and renders it; undefined for none.
 */
export function renderInsights(scope: IConstruct, insights: InsightType[] | undefined, trail: InsightPrerequisites):
CfnTrail.InsightSelectorProperty[] | undefined {
  if (insights === undefined || insights.length === 0) return undefined;
  if (!Array.isArray(insights)) fail(scope, 'insights', insights, 'must be a list of InsightType');
  const seen = new Set<string>();
  return insights.map((insight, i) => {
    const at = `insights[${i}]`;
    if (!(insight instanceof InsightType)) fail(scope, at, insight, 'must be an InsightType');
    if (seen.has(insight.typeName)) {
      throw new ValidationError(scope, `insights contains ${insight.typeName} more than once: give each type once, ` +
        'with all the eventCategories it should analyze');
    }
    seen.add(insight.typeName);

    const categories = insight.eventCategories;
    if (!Array.isArray(categories) || categories.length === 0) {
      throw new ValidationError(scope, `${at}.eventCategories must not be empty: give InsightEventCategory.MANAGEMENT, DATA or both`);
    }
    const unique = new Set<string>();
    for (const category of categories) {
      if (!CATEGORY_ORDER.includes(category)) {
        fail(scope, `${at}.eventCategories`, category, `must be one of ${CATEGORY_ORDER.join(', ')}`);
      }
      if (unique.has(category)) fail(scope, `${at}.eventCategories`, category, 'is given more than once');
      unique.add(category);
    }
    checkPrerequisites(scope, at, insight, trail);
    return {
      insightType: insight.typeName,
      eventCategories: CATEGORY_ORDER.filter(c => unique.has(c)),
    };
  });
}

function checkPrerequisites(scope: IConstruct, at: string, insight: InsightType, trail: InsightPrerequisites) {
  const type = show(insight.typeName);
  if (insight.analyzes(InsightEventCategory.MANAGEMENT)) {
    const recorded = trail.managementEvents ? 'records only read-only management events' : 'is ManagementEvents.none()';
    if (insight.typeName === 'ApiCallRateInsight' && !trail.writeManagementEvents) {
      throw new ValidationError(scope, `${at} ${type} on management events needs write management events, but managementEvents ` +
        `${recorded}: use ManagementEvents.all() or ManagementEvents.writeOnly(), or drop the Insights type`);
    }
    if (!trail.managementEvents) {
      throw new ValidationError(scope, `${at} ${type} on management events needs read or write management events, but ` +
        `managementEvents ${recorded}: record management events or drop the Insights type`);
    }
  }
  if (insight.analyzes(InsightEventCategory.DATA) && !trail.dataEvents) {
    throw new ValidationError(scope, `${at} ${type} on data events needs data events, but dataEvents is empty: ` +
      'add dataEvents or analyze only InsightEventCategory.MANAGEMENT');
  }
}
