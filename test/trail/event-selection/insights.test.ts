import { render, synthesize } from './helpers';
import {
  DataEvents, InsightEventCategory, InsightType, ManagementEvents, NetworkActivityEvents,
} from '../../../src/trail/event-selection';

describe('InsightType', () => {
  test('no Insights renders no InsightSelectors', () => {
    expect(synthesize().InsightSelectors).toBeUndefined();
    expect(synthesize({ insights: [] }).InsightSelectors).toBeUndefined();
  });

  test('the constants analyze management events', () => {
    expect(synthesize({ insights: [InsightType.API_CALL_RATE, InsightType.API_ERROR_RATE] }).InsightSelectors).toEqual([
      { InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] },
      { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] },
    ]);
  });

  test('event categories render in a fixed order', () => {
    expect(synthesize({
      dataEvents: [DataEvents.s3AllBuckets()],
      insights: [
        InsightType.apiErrorRate({ eventCategories: [InsightEventCategory.DATA, InsightEventCategory.MANAGEMENT] }),
        InsightType.apiCallRate({ eventCategories: [InsightEventCategory.DATA] }),
      ],
    }).InsightSelectors).toEqual([
      { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management', 'Data'] },
      { InsightType: 'ApiCallRateInsight', EventCategories: ['Data'] },
    ]);
  });

  test('the factories default to management events', () => {
    expect([InsightType.apiCallRate(), InsightType.apiErrorRate()].map(i => [i.typeName, i.eventCategories])).toEqual([
      ['ApiCallRateInsight', ['Management']],
      ['ApiErrorRateInsight', ['Management']],
    ]);
    expect(InsightType.API_CALL_RATE.analyzes(InsightEventCategory.DATA)).toBe(false);
  });

  test('API call rate Insights on management events need write management events', () => {
    expect(() => render({ managementEvents: ManagementEvents.readOnly(), insights: [InsightType.API_CALL_RATE] }))
      .toThrow('insights[0] "ApiCallRateInsight" on management events needs write management events, but managementEvents ' +
        'records only read-only management events: use ManagementEvents.all() or ManagementEvents.writeOnly(), or drop the Insights type');
    expect(() => render({
      managementEvents: ManagementEvents.none(),
      dataEvents: [DataEvents.lambdaFunctions()],
      insights: [InsightType.API_ERROR_RATE, InsightType.API_CALL_RATE],
    })).toThrow('insights[0] "ApiErrorRateInsight" on management events needs read or write management events, but ' +
      'managementEvents is ManagementEvents.none(): record management events or drop the Insights type');
  });

  test('API error rate Insights accept read-only management events; call rate accepts write-only', () => {
    expect(synthesize({ managementEvents: ManagementEvents.readOnly(), insights: [InsightType.API_ERROR_RATE] }).InsightSelectors)
      .toEqual([{ InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] }]);
    expect(synthesize({ managementEvents: ManagementEvents.writeOnly(), insights: [InsightType.API_CALL_RATE] }).InsightSelectors)
      .toEqual([{ InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] }]);
  });

  test('Insights on data events need data events', () => {
    expect(() => render({
      networkActivityEvents: [NetworkActivityEvents.forSource('kms.amazonaws.com')],
      insights: [InsightType.apiCallRate({ eventCategories: [InsightEventCategory.DATA] })],
    })).toThrow('insights[0] "ApiCallRateInsight" on data events needs data events, but dataEvents is empty: ' +
      'add dataEvents or analyze only InsightEventCategory.MANAGEMENT');
  });

  test('Insights on data events only do not need management events', () => {
    expect(synthesize({
      managementEvents: ManagementEvents.none(),
      dataEvents: [DataEvents.lambdaFunctions()],
      insights: [InsightType.apiCallRate({ eventCategories: [InsightEventCategory.DATA] })],
    }).InsightSelectors).toEqual([{ InsightType: 'ApiCallRateInsight', EventCategories: ['Data'] }]);
  });

  test('a type given twice is rejected', () => {
    expect(() => render({ insights: [InsightType.API_CALL_RATE, InsightType.apiCallRate()] }))
      .toThrow('insights contains ApiCallRateInsight more than once: give each type once, with all the eventCategories it should analyze');
  });

  test('event categories must be non-empty, known and listed once', () => {
    expect(() => render({ insights: [InsightType.apiErrorRate({ eventCategories: [] })] }))
      .toThrow('insights[0].eventCategories must not be empty: give InsightEventCategory.MANAGEMENT, DATA or both');
    expect(() => render({ insights: [InsightType.apiErrorRate({ eventCategories: ['Insight' as InsightEventCategory] })] }))
      .toThrow('insights[0].eventCategories "Insight" must be one of Management, Data');
    expect(() => render({
      insights: [InsightType.apiErrorRate({ eventCategories: [InsightEventCategory.MANAGEMENT, InsightEventCategory.MANAGEMENT] })],
    })).toThrow('insights[0].eventCategories "Management" is given more than once');
  });

  test('an entry that is not an InsightType is rejected', () => {
    expect(() => render({ insights: ['ApiCallRateInsight' as unknown as InsightType] }))
      .toThrow('insights[0] "ApiCallRateInsight" must be an InsightType');
  });
});
