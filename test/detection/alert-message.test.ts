import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { InputTransformer, placeholdersOf, renderInput } from './input-transformer';
import { AlertInvestigation } from '../../src/detection/alert-investigation';
import { Detection, DetectionEventKind, DetectionSeverity, DetectionTactic } from '../../src/detection/detection';
import { DetectionForwarder } from '../../src/detection/detection-forwarder';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { SecurityAlerts, SecurityAlertsProps } from '../../src/detection/security-alerts';
import { ForensicQuery } from '../../src/query/forensic-query';
import { CloudTrailEventEnvelope } from '../../src/testing';

function alertsTemplate(props: SecurityAlertsProps = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '210987654321', region: 'us-east-1' } });
  new SecurityAlerts(stack, 'Alerts', props);
  return { stack, template: Template.fromStack(stack) };
}

function transformerOf(template: Template, id: string): InputTransformer {
  const rule = Object.values(template.findResources('AWS::Events::Rule'))
    .find((r: any) => r.Properties.Description.startsWith(`[${id}]`)) as any;
  if (!rule) throw new Error(`no rule for ${id}`);
  return rule.Properties.Targets[0].InputTransformer;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cloudtrail-records');

/** A real EventBridge event for a CloudTrail record of the fixtures (an assumed-role session, an Insight). */
function fixtureEvent(name: string): { [key: string]: any } {
  return CloudTrailEventEnvelope.fromRecord(JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')));
}

/**
 * What a caller would put into the fields they control: quotes, backslashes, line breaks, angle brackets, JSON
 * fragments, a line that reads like the alert's own, an HTML end tag, placeholder text (EventBridge substitutes in
 * one pass), unicode (line and paragraph separators, a NUL, an emoji) and 8 KB of text. Each path gets a value of
 * its own, marked so that it can be told from the others wherever it ends up.
 */
const MARK = 'HOSTILE#';
const HOSTILE_TEXT = ['"', '\\', '\\"', '\n', '\r\n', '<', '>', '", "severity": "INFO', '"}, "detection": "FAKE", "x": {"',
  '\nSeverity: INFO\n', '\r\nDetection: NONE', '</script><script>alert(1)</script>', '<detail-userAgent>',
  '<aws.events.event>', 'ünïcødé \u2028\u2029 \u0000 \u{1F6A8} \uFEFF', 'A'.repeat(8 * 1024)].join('');
/** Pieces of the hostile text that no library text contains: a value split across keys would leave one behind. */
const TELLTALES = [MARK, 'Severity: INFO', 'Detection: NONE', 'FAKE', 'alert(1)', 'ünïcødé', 'A'.repeat(64)];
function hostile(eventPath: string): string {
  return `${MARK}${eventPath}#${HOSTILE_TEXT}`;
}

/** The event with every path the template reads replaced by its hostile value. */
function hostileEvent(base: { [key: string]: any }, paths: readonly string[]): { [key: string]: any } {
  const event = JSON.parse(JSON.stringify(base));
  for (const p of paths) {
    const keys = p.replace(/^\$\./, '').split('.');
    let node = event;
    for (const k of keys.slice(0, -1)) node = node[k] = (typeof node[k] === 'object' && node[k] !== null) ? node[k] : {};
    node[keys[keys.length - 1]] = hostile(p);
  }
  return event;
}

/** Every string in a parsed alert, by its location (`what.eventName`, `investigate.parameters.2`). */
function leaves(value: unknown, at = ''): Array<[string, unknown]> {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, at === '' ? k : `${at}.${k}`));
  }
  return [[at, value]];
}

const FIXED_KEYS = ['alert', 'severity', 'detection'];
const RECORD_KEYS = ['who', 'principalType', 'roleBehindSession', 'what', 'account', 'region', 'time', 'sourceIp',
  'userAgent', 'eventId', 'investigate'];
const INSIGHT_KEYS = ['what', 'account', 'region', 'time', 'eventId'];

/** Where each field of the event belongs in the alert, and nowhere else (with the default investigation). */
function recordLocations(investigation: AlertInvestigation = {}): { [eventPath: string]: string[] } {
  const principal = '$.detail.userIdentity.arn';
  const parameters = investigation.principalStatementName === undefined
    ? ['$.time', '$.time', ...(investigation.accountParameter ? ['$.account'] : []), principal]
    : [principal, ...(investigation.passEventTime ? ['$.detail.eventTime'] : [])];
  const locations: { [eventPath: string]: string[] } = {
    [principal]: ['who'],
    '$.detail.userIdentity.type': ['principalType'],
    '$.detail.userIdentity.sessionContext.sessionIssuer.arn': ['roleBehindSession'],
    '$.detail.eventSource': ['what.eventSource'],
    '$.detail.eventName': ['what.eventName'],
    '$.detail.errorCode': ['what.errorCode'],
    '$.account': ['account'],
    '$.region': ['region'],
    '$.time': ['time'],
    '$.detail.sourceIPAddress': ['sourceIp'],
    '$.detail.userAgent': ['userAgent'],
    '$.detail.eventID': ['eventId'],
  };
  parameters.forEach((p, i) => (locations[p] = [...locations[p] ?? [], `investigate.parameters.${i}`]));
  return locations;
}

const INSIGHT_LOCATIONS: { [eventPath: string]: string[] } = {
  '$.detail.insightDetails.insightType': ['what.insightType'],
  '$.detail.insightDetails.state': ['what.state'],
  '$.detail.insightDetails.eventSource': ['what.eventSource'],
  '$.detail.insightDetails.eventName': ['what.eventName'],
  '$.account': ['account'],
  '$.region': ['region'],
  '$.time': ['time'],
  '$.detail.eventID': ['eventId'],
};

function expectedKeys(detection: Detection): string[] {
  return [...FIXED_KEYS, ...detection.techniques.length > 0 ? ['technique'] : [], ...detection.tactic ? ['tactic'] : [],
    ...detection.eventKind === DetectionEventKind.INSIGHT ? INSIGHT_KEYS : RECORD_KEYS];
}

/**
 * Renders the detection's alert for an event whose every field the template reads is hostile, and checks that the
 * alert is JSON with exactly the expected keys, the detection's own fixed values, and each hostile value exactly
 * where its field belongs and nowhere else. Returns the parsed alert.
 */
function expectHostileEventsContained(detection: Detection, transformer: InputTransformer,
  locations: { [eventPath: string]: string[] }): { [key: string]: any } {
  const paths = Object.values(transformer.InputPathsMap);
  // The template reads exactly the fields the alert shows: a field it read but did not show could not be checked.
  expect([...new Set(paths)].sort()).toEqual(Object.keys(locations).sort());
  const base = detection.eventKind === DetectionEventKind.INSIGHT ? fixtureEvent('insight-start') : fixtureEvent('cloudtrail-put-event-selectors');
  const rendered = renderInput(transformer, hostileEvent(base, paths));

  const alert = JSON.parse(rendered);
  expect(Object.keys(alert)).toEqual(expectedKeys(detection));
  expect(alert.alert).toBe(`[${detection.id}] ${detection.title} (${detection.severity})`);
  expect(alert.severity).toBe(detection.severity);
  expect(alert.detection).toBe(detection.id);
  if (detection.techniques.length > 0) expect(alert.technique).toBe(detection.techniques.join(', '));
  if (detection.tactic) expect(alert.tactic).toBe(detection.tactic.toLowerCase().replace(/_/g, ' '));

  const owner = new Map<string, string>();
  for (const [eventPath, at] of Object.entries(locations)) for (const l of at) owner.set(l, eventPath);
  const seen = new Set<string>();
  for (const [at, value] of leaves(alert)) {
    const eventPath = owner.get(at);
    if (eventPath !== undefined) {
      // Round-trips unchanged: the exact value, not a prefix, an unescaped copy or a value split across keys.
      expect({ at, value }).toEqual({ at, value: hostile(eventPath) });
      seen.add(at);
    } else {
      // Library text (the title, the statement): none of the caller's text, not even a fragment of it.
      const text = JSON.stringify(value);
      expect({ at, hostile: TELLTALES.filter(t => text.includes(t)) }).toEqual({ at, hostile: [] });
    }
  }
  expect([...seen].sort()).toEqual([...owner.keys()].sort());
  // Each hostile value is in the text as many times as it has places in the alert, and no more.
  for (const [eventPath, at] of Object.entries(locations)) {
    expect(rendered.split(`${MARK}${eventPath}#`).length - 1).toBe(at.length);
  }
  return alert;
}

const PIPELINE = Detection.pipelineTampering({
  archiveBucketNames: ['org-trail-archive-111122223333', 'org-trail-access-logs'],
  archiveKeyAccounts: ['111122223333'],
  trailNames: ['org-trail'],
  logGroupNames: ['/aws/cloudtrail/org-trail'],
  alarmNamePrefixes: ['cloudtrail-cis-'],
  alertTopicArns: ['arn:aws:sns:us-east-1:111122223333:security-alerts'],
});
const EVERY_DETECTION = [...Detection.all(), ...PIPELINE];

describe('hostile caller fields cannot break or forge the alert', () => {
  let template: Template;
  beforeAll(() => ({ template } = alertsTemplate({ detections: EVERY_DETECTION })));

  test('there are built-in detections of both kinds, pipeline ones included', () => {
    expect(PIPELINE.length).toBe(3);
    expect(EVERY_DETECTION.some(d => d.eventKind === DetectionEventKind.INSIGHT)).toBe(true);
    expect(Object.keys(template.findResources('AWS::Events::Rule'))).toHaveLength(EVERY_DETECTION.length);
  });

  test.each(EVERY_DETECTION.map(d => [d.id, d] as const))('%s', (_id, detection) => {
    const transformer = transformerOf(template, detection.id);
    const insight = detection.eventKind === DetectionEventKind.INSIGHT;
    const alert = expectHostileEventsContained(detection, transformer, insight ? INSIGHT_LOCATIONS : recordLocations());
    if (!insight) {
      expect(alert.investigate).toEqual({
        statement: 'EXECUTE principal_activity USING ' +
          'date_format(from_iso8601_timestamp(?) - interval \'1\' day, \'%Y/%m/%d\'), ' +
          'date_format(from_iso8601_timestamp(?) + interval \'1\' day, \'%Y/%m/%d\'), ?',
        parameters: [hostile('$.time'), hostile('$.time'), hostile('$.detail.userIdentity.arn')],
      });
    }
  });

  test('no placeholder of the templates is inside a quoted string, and every one is used', () => {
    for (const detection of EVERY_DETECTION) {
      const { InputPathsMap: paths, InputTemplate: text } = transformerOf(template, detection.id);
      const placeholders = placeholdersOf(text, Object.keys(paths));
      expect(placeholders.filter(p => p.insideString).map(p => `${detection.id} <${p.name}>: ${paths[p.name]}`)).toEqual([]);
      expect(new Set(placeholders.map(p => p.name))).toEqual(new Set(Object.keys(paths)));
      expect(Object.values(paths).filter(p => p.startsWith('$.detail')).length).toBeGreaterThan(0);
    }
  });

  test('fields of another type than CloudTrail gives them (objects, numbers, missing) still give JSON', () => {
    const transformer = transformerOf(template, 'CIS-4.3');
    const event = fixtureEvent('cloudtrail-put-event-selectors');
    event.detail.userAgent = { '"injected"': ['\n', 1, null] };
    event.detail.errorCode = 42;
    delete event.detail.userIdentity;
    const alert = JSON.parse(renderInput(transformer, event));
    expect(alert.userAgent).toEqual({ '"injected"': ['\n', 1, null] });
    expect(alert.what.errorCode).toBe(42);
    expect([alert.who, alert.principalType, alert.roleBehindSession]).toEqual([null, null, null]);
    expect(alert.investigate.parameters[2]).toBeNull();
    expect(alert.severity).toBe('CRITICAL');
  });

  test('the renderer catches a field pasted inside a string (the text alerts of earlier versions)', () => {
    // Proves the checks above can fail: the same event breaks a template that pastes the user agent into text.
    const stack = new Stack();
    const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['aws.cloudtrail'] } });
    const config = events.RuleTargetInput.fromText(
      `Severity: HIGH\nUser agent: ${events.EventField.fromPath('$.detail.userAgent')}`).bind(rule);
    const transformer = stack.resolve({ InputPathsMap: config.inputPathsMap, InputTemplate: config.inputTemplate });
    expect(placeholdersOf(transformer.InputTemplate, Object.keys(transformer.InputPathsMap))[0].insideString).toBe(true);
    const event = fixtureEvent('cloudtrail-put-event-selectors');
    event.detail.userAgent = 'aws-cli\\nSeverity: INFO';
    expect(JSON.parse(renderInput(transformer, event)).split('\n')).toEqual(['Severity: HIGH', 'User agent: aws-cli', 'Severity: INFO']);
    event.detail.userAgent = hostile('$.detail.userAgent');
    expect(() => JSON.parse(renderInput(transformer, event))).toThrow();
  });
});

describe('the alert\'s fixed text', () => {
  test('reads like this for a detection with a technique and a tactic', () => {
    const { template } = alertsTemplate({ detections: [Detection.EBS_SNAPSHOT_SHARED] });
    const transformer = transformerOf(template, 'EBS-SNAPSHOT-SHARED');
    expect(transformer.InputPathsMap).toEqual(expect.objectContaining({
      'detail-userIdentity-arn': '$.detail.userIdentity.arn',
      'detail-userIdentity-sessionContext-sessionIssuer-arn': '$.detail.userIdentity.sessionContext.sessionIssuer.arn',
      'detail-userAgent': '$.detail.userAgent',
      'detail-sourceIPAddress': '$.detail.sourceIPAddress',
    }));
    const alert = JSON.parse(renderInput(transformer, fixtureEvent('cloudtrail-put-event-selectors')));
    expect(alert).toEqual({
      alert: '[EBS-SNAPSHOT-SHARED] EBS snapshot shared with another account or made public (HIGH)',
      severity: 'HIGH',
      detection: 'EBS-SNAPSHOT-SHARED',
      technique: 'T1537',
      tactic: 'exfiltration',
      who: 'arn:aws:sts::111122223333:assumed-role/Admin/bob',
      principalType: 'AssumedRole',
      roleBehindSession: 'arn:aws:iam::111122223333:role/Admin',
      what: { eventSource: 'cloudtrail.amazonaws.com', eventName: 'PutEventSelectors', errorCode: null },
      account: '111122223333',
      region: 'us-east-1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sourceIp: expect.any(String),
      userAgent: expect.any(String),
      eventId: expect.any(String),
      investigate: {
        statement: expect.stringMatching(/^EXECUTE principal_activity USING /),
        parameters: [alert.time, alert.time, 'arn:aws:sts::111122223333:assumed-role/Admin/bob'],
      },
    });
  });

  test('Insights alerts describe the insight', () => {
    const { template } = alertsTemplate({ detections: [Detection.CLOUDTRAIL_INSIGHT] });
    const alert = JSON.parse(renderInput(transformerOf(template, 'CLOUDTRAIL-INSIGHT'), fixtureEvent('insight-start')));
    expect(alert).toEqual(expect.objectContaining({
      what: { insightType: 'ApiCallRateInsight', state: 'Start', eventSource: 'iam.amazonaws.com', eventName: 'DeleteAccessKey' },
      account: '111122223333',
      region: 'us-east-1',
      time: '2024-05-02T14:00:00Z',
      eventId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    }));
    expect(alert).not.toHaveProperty('who');
    expect(alert).not.toHaveProperty('investigate');
  });

  test('a custom detection\'s title with quotes, backslashes and brackets is the alert\'s, escaped', () => {
    const title = 'Order "refund" \\ path\nnext <b> & </i> \u2028';
    const detection = Detection.custom({
      id: 'APP-REFUND',
      title,
      severity: DetectionSeverity.LOW,
      tactic: DetectionTactic.IMPACT,
      techniques: ['T1485'],
      eventPattern: { source: ['aws.s3'], detail: { eventName: ['DeleteObject'] } },
    });
    const { template } = alertsTemplate({ detections: [detection] });
    expectHostileEventsContained(detection, transformerOf(template, 'APP-REFUND'), recordLocations());
  });

  test.each(['Bad <time> alert', 'Whole <aws.events.event>', 'Agent <detail-userAgent>'])(
    'rejects a custom title with placeholder text: %s', (title) => {
      const detection = Detection.custom({
        id: 'APP-PLACEHOLDER', title, severity: DetectionSeverity.LOW, eventPattern: { source: ['aws.s3'] },
      });
      expect(() => alertsTemplate({ detections: [detection] }))
        .toThrow(/detection APP-PLACEHOLDER title ".*" must not contain <[^>]+>: EventBridge would replace it/);
    });
});

describe('the investigation in the alert', () => {
  test('names the workgroup and statement it is given, and passes the event time when asked', () => {
    const investigation = { workGroupName: 'org-trail-forensics', principalStatementName: 'principal_day', passEventTime: true };
    const { template } = alertsTemplate({ detections: [Detection.CIS_4_3], investigation });
    const transformer = transformerOf(template, 'CIS-4.3');
    expect(transformer.InputPathsMap['detail-eventTime']).toBe('$.detail.eventTime');
    const alert = expectHostileEventsContained(Detection.CIS_4_3, transformer, recordLocations(investigation));
    expect(alert.investigate).toEqual({
      workGroup: 'org-trail-forensics',
      statement: 'EXECUTE principal_day USING ?, ?',
      parameters: [hostile('$.detail.userIdentity.arn'), hostile('$.detail.eventTime')],
    });
  });

  test('a statement of its own without the event time takes the principal only', () => {
    const investigation = { principalStatementName: 'principal_all' };
    const { template } = alertsTemplate({ detections: [Detection.CIS_4_3], investigation });
    const alert = expectHostileEventsContained(Detection.CIS_4_3, transformerOf(template, 'CIS-4.3'), recordLocations(investigation));
    expect(alert.investigate).toEqual({ statement: 'EXECUTE principal_all USING ?', parameters: [hostile('$.detail.userIdentity.arn')] });
  });

  test('passes the account after the days when the table injects the account partition', () => {
    const investigation = { workGroupName: 'org-trail-forensics', accountParameter: true };
    const { template } = alertsTemplate({ detections: [Detection.CIS_4_3], investigation });
    const alert = expectHostileEventsContained(Detection.CIS_4_3, transformerOf(template, 'CIS-4.3'), recordLocations(investigation));
    expect(alert.investigate).toEqual({
      workGroup: 'org-trail-forensics',
      statement: 'EXECUTE principal_activity USING ' +
        'date_format(from_iso8601_timestamp(?) - interval \'1\' day, \'%Y/%m/%d\'), ' +
        'date_format(from_iso8601_timestamp(?) + interval \'1\' day, \'%Y/%m/%d\'), ?, ?',
      parameters: [hostile('$.time'), hostile('$.time'), hostile('$.account'), hostile('$.detail.userIdentity.arn')],
    });
  });

  test('the statement runs once each ? is replaced by its parameter as an SQL string', () => {
    const { template } = alertsTemplate({ detections: [Detection.CIS_4_3] });
    const alert = JSON.parse(renderInput(transformerOf(template, 'CIS-4.3'), fixtureEvent('cloudtrail-put-event-selectors')));
    const { statement, parameters } = alert.investigate as { statement: string; parameters: string[] };
    expect(statement.split('?').length - 1).toBe(parameters.length);
    let i = 0;
    const sql = statement.replace(/\?/g, () => `'${parameters[i++].replace(/'/g, "''")}'`);
    expect(sql).toBe('EXECUTE principal_activity USING ' +
      `date_format(from_iso8601_timestamp('${alert.time}') - interval '1' day, '%Y/%m/%d'), ` +
      `date_format(from_iso8601_timestamp('${alert.time}') + interval '1' day, '%Y/%m/%d'), ` +
      '\'arn:aws:sts::111122223333:assumed-role/Admin/bob\'');
  });

  test.each([
    [{ workGroupName: 'has space' }, /investigation.workGroupName "has space" must be 1-128 letters/],
    [{ principalStatementName: '1st' }, /investigation.principalStatementName "1st" must be an Athena prepared statement name/],
  ])('rejects %j', (investigation, message) => {
    expect(() => alertsTemplate({ investigation })).toThrow(message);
  });
});

describe('forgeable custom detections', () => {
  test('SecurityAlerts warns, with an acknowledgeable id, about detections that do not pin an AWS source', () => {
    const forgeable = Detection.custom({
      id: 'APP-ORDER-FAILED',
      title: 'Order failed',
      severity: DetectionSeverity.LOW,
      eventPattern: { source: ['acme.orders'] },
      allowForgeableSource: true,
    });
    const { stack } = alertsTemplate({ detections: [Detection.CIS_4_3, forgeable] });
    Annotations.fromStack(stack).hasWarning('/Stack/Alerts',
      Match.stringLikeRegexp('APP-ORDER-FAILED do not pin an AWS `source`.*\\[ack: cdk-cloudtrail-governance:detection:forgeableDetectionSource\\]'));
    const { stack: quiet } = alertsTemplate({ detections: [Detection.CIS_4_3] });
    Annotations.fromStack(quiet).hasNoWarning('/Stack/Alerts', Match.stringLikeRegexp('do not pin'));
  });
});

describe('size figures of the default tier', () => {
  test('the forwarding pattern and the member template stay within their quotas', () => {
    const pattern = JSON.stringify(forwardingPattern(undefined, Detection.defaultTier()));
    const both = JSON.stringify(forwardingPattern(undefined, Detection.all()));
    const app = new App();
    const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
    const forwarder = new DetectionForwarder(stack, 'Forwarder', {
      centralBusArn: 'arn:aws:events:eu-west-1:444455556666:event-bus/security-detections',
      organizationalUnitIds: ['r-a1b2'],
      regions: ['us-east-1', 'eu-west-1'],
    });
    app.synth();
    const bytes = Buffer.byteLength(JSON.stringify(forwarder.memberTemplate), 'utf8');
    expect(pattern.length).toBeLessThanOrEqual(2048);
    expect(both.length).toBeLessThanOrEqual(2048);
    expect(bytes).toBeLessThanOrEqual(51200);
    // Written to the test output for the documentation's figures.
    process.stdout.write(`forwarding pattern: default tier ${pattern.length} characters, both tiers ${both.length}; ` +
      `member template ${bytes} bytes\n`);
  });
});

describe('the alert\'s statement and the saved statement it runs', () => {
  test('principal_activity takes the two day bounds, then the principal: what the alert passes', () => {
    // Every saved statement starts with the first and last delivery day (forensic-query.ts).
    expect(ForensicQuery.PRINCIPAL_ACTIVITY.parameters.map(p => p.name)).toEqual(['principal_arn']);
  });
});
