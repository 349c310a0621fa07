import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { VolumeAlarms, VolumeAlarmsProps } from '../../src/detection/volume-alarms';
import { VolumeDetection } from '../../src/detection/volume-detection';

const fixture = (folder: string, name: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', folder, `${name}.json`), 'utf8'));

/**
 * Contributor Insights as documented for JSON logs: filters are ANDed; In/NotIn/StartsWith compare the field's
 * string value with any listed value; IsPresent checks a leaf; contributors are the distinct values of the keys.
 */
function lookup(record: any, selector: string): unknown {
  return selector.replace(/^\$\./, '').split('.').reduce((node, key) => (node == null ? undefined : node[key]), record);
}

function passes(filter: { [key: string]: any }, record: any): boolean {
  const value = lookup(record, filter.Match);
  const text = value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
  if ('In' in filter) return text !== undefined && filter.In.includes(text);
  if ('NotIn' in filter) return text !== undefined && !filter.NotIn.includes(text);
  if ('StartsWith' in filter) return text !== undefined && filter.StartsWith.some((p: string) => text.startsWith(p));
  if ('IsPresent' in filter) return (text !== undefined) === filter.IsPresent;
  throw new Error(`unsupported filter ${JSON.stringify(filter)}`);
}

/** The highest count of matching records per contributor, as MaxContributorValue reports it. */
function maxContributorValue(body: { [key: string]: any }, records: any[]): number {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (!body.Contribution.Filters.every((f: any) => passes(f, r))) continue;
    const key = body.Contribution.Keys.map((k: string) => String(lookup(r, k))).join('|');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

function synth(props: Partial<VolumeAlarmsProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Management', { env: { account: '246813579024', region: 'us-east-1' } });
  const logGroup = logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', 'org-trail-logs');
  const alarms = new VolumeAlarms(stack, 'Volume', { logGroup, ...props });
  return { stack, alarms, template: Template.fromStack(stack) };
}

const times = (n: number, r: any) => Array.from({ length: n }, () => r);

describe('VolumeAlarms', () => {
  test('one Contributor Insights rule on the log group and one alarm on its top contributor per detection', () => {
    const { template, alarms } = synth();
    expect(alarms.detections.map(d => d.id)).toEqual(['SECRETS-RETRIEVAL-BURST', 'SSM-DECRYPTED-READ-BURST', 'DENIED-ENUMERATION-BURST']);
    const rules = Object.values(template.findResources('AWS::CloudWatch::InsightRule')).map((r: any) => r.Properties);
    expect(rules).toHaveLength(3);
    const body = JSON.parse(rules[0].RuleBody);
    expect(body).toEqual(VolumeDetection.SECRETS_RETRIEVAL_BURST.ruleBody('org-trail-logs'));
    expect(body.LogGroupNames).toEqual(['org-trail-logs']);
    expect(rules[0].RuleState).toBe('ENABLED');
    const alarmProps = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties);
    expect(alarmProps).toHaveLength(3);
    expect(alarmProps[0]).toMatchObject({
      Threshold: 30,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Metrics: [{ Expression: `INSIGHT_RULE_METRIC('${rules[0].RuleName}', 'MaxContributorValue')`, Period: 300, ReturnData: true }],
    });
    expect(alarmProps[0].AlarmDescription).toMatch(/^\[SECRETS-RETRIEVAL-BURST\] .* more than 30 matching records by one principal in 5 minutes/);
  });

  test('sends alarms to the given topic', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '246813579024', region: 'us-east-1' } });
    const topic = new sns.Topic(stack, 'Topic');
    new VolumeAlarms(stack, 'Volume', { logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', 'x'), alarmTopic: topic });
    for (const a of Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')) as any[]) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: Object.keys(Template.fromStack(stack).findResources('AWS::SNS::Topic'))[0] }]);
    }
  });

  describe('the rules count what they should', () => {
    const harvest = fixture('threat-records', 'secretsmanager-get-secret-value');
    const intruder = { ...harvest, userIdentity: fixture('threat-records', 'secretsmanager-batch-get-secret-value').userIdentity };
    const app = fixture('benign-records', 'app-get-secret-value');

    test('secret harvesting by one principal passes the threshold; applications reading their secret do not', () => {
      const body = VolumeDetection.SECRETS_RETRIEVAL_BURST.ruleBody('g');
      expect(maxContributorValue(body, [...times(31, intruder), ...times(10, app)])).toBe(31);
      expect(maxContributorValue(body, [...times(15, intruder), ...times(15, app)])).toBeLessThanOrEqual(30);
    });

    test('exclusions of trusted principals leave them out of the count', () => {
      const tuned = VolumeDetection.SECRETS_RETRIEVAL_BURST.withExcludedPrincipals([intruder.userIdentity.arn]);
      expect(maxContributorValue(tuned.ruleBody('g'), times(100, intruder))).toBe(0);
      expect(maxContributorValue(tuned.ruleBody('g'), times(40, app))).toBe(40);
    });

    test('decrypted parameter reads are counted, plain ones are not', () => {
      const body = VolumeDetection.SSM_DECRYPTED_READ_BURST.ruleBody('g');
      const decrypted = fixture('threat-records', 'ssm-get-parameters-by-path-decrypted');
      const plainApp = { ...fixture('benign-records', 'app-get-parameter-decrypted') };
      plainApp.requestParameters = { name: '/payments/api-key' };
      expect(maxContributorValue(body, times(35, decrypted))).toBe(35);
      expect(maxContributorValue(body, times(35, plainApp))).toBe(0);
    });

    test('denied enumeration is counted, denied writes and successful reads are not', () => {
      const body = VolumeDetection.DENIED_ENUMERATION_BURST.ruleBody('g');
      const denied = fixture('cloudtrail-records', 'ec2-describe-instances-unauthorized');
      const deniedWrite = fixture('cloudtrail-records', 'iam-create-user-access-denied');
      const read = fixture('benign-records', 'dev-describe-security-groups');
      expect(maxContributorValue(body, times(25, denied))).toBe(25);
      expect(maxContributorValue(body, [...times(25, deniedWrite), ...times(25, read)])).toBe(0);
    });

    test('mass deletion counts DeleteObjects data events', () => {
      expect(maxContributorValue(VolumeDetection.S3_MASS_DELETE.ruleBody('g'),
        times(101, fixture('threat-records', 's3-delete-objects')))).toBe(101);
      expect(VolumeDetection.S3_MASS_DELETE.dataEventsNeeded).toBe(true);
    });
  });

  test('every rule stays within Contributor Insights limits (4 filters, 10 values each)', () => {
    for (const d of VolumeDetection.all()) {
      const tuned = d.withExcludedPrincipals(['arn:aws:iam::246813579024:role/a']);
      const filters = tuned.ruleBody('g').Contribution.Filters;
      expect(filters.length).toBeLessThanOrEqual(4);
      for (const f of filters) for (const v of Object.values(f)) if (Array.isArray(v)) expect(v.length).toBeLessThanOrEqual(10);
    }
  });

  test.each([
    [() => VolumeDetection.SECRETS_RETRIEVAL_BURST.withThreshold(0), /threshold/],
    [() => VolumeDetection.SECRETS_RETRIEVAL_BURST.withExcludedPrincipals(['arn:aws:iam::246813579024:role/ci-*']), /principalArns .* must be the exact ARN/],
    [() => VolumeDetection.SECRETS_RETRIEVAL_BURST.withExcludedPrincipals(Array.from({ length: 11 }, (_, i) => `arn:aws:iam::246813579024:role/r${i}`)), /at most 10/],
    [() => synth({ period: Duration.seconds(90) }), /period "1 minute 30 seconds" must be a whole number of minutes from 1 to 60/],
    [() => synth({ detections: [] }), /detections/],
    [() => synth({ detections: [VolumeDetection.S3_MASS_DELETE, VolumeDetection.S3_MASS_DELETE] }), /detections/],
  ])('rejects invalid input %#', (make, message) => {
    expect(make).toThrow(message);
  });

  test('withThreshold keeps the rest', () => {
    const d = VolumeDetection.DENIED_ENUMERATION_BURST.withThreshold(50);
    expect(d.threshold).toBe(50);
    expect(d.ruleBody('g')).toEqual(VolumeDetection.DENIED_ENUMERATION_BURST.ruleBody('g'));
  });
});
