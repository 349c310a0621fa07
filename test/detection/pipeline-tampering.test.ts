import { metricFilterMatches } from './metric-filter-evaluator';
import { Detection } from '../../src/detection/detection';
import { DetectionForwardingNames as Names } from '../../src/detection/forwarding-names';
import { forwardingPattern } from '../../src/detection/private/forwarding-pattern';
import { CloudTrailEventEnvelope, EventPatternMatcher } from '../../src/testing';

const MEMBER = '444444444444';
const LOG_ARCHIVE = '222222222222';
const MANAGEMENT = '111111111111';
const BUCKET = 'cloudtrail-222222222222-us-east-1';
const TOPIC = 'arn:aws:sns:us-east-1:333333333333:security-alerts';

/** A CloudTrail management-event record in the documented shape, from an assumed-role admin session. */
function apiCall(eventSource: string, eventName: string, requestParameters: { [key: string]: any },
  options: { account?: string; errorCode?: string; category?: string; readOnly?: boolean } = {}): { [key: string]: any } {
  const account = options.account ?? MEMBER;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:admin',
      arn: `arn:aws:sts::${account}:assumed-role/Admin/admin`,
      accountId: account,
      accessKeyId: 'ASIAEXAMPLEKEY',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: `arn:aws:iam::${account}:role/Admin`, accountId: account, userName: 'Admin' },
        attributes: { creationDate: '2026-05-02T10:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2026-05-02T10:15:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: 'denied' } : {}),
    requestParameters,
    responseElements: null,
    requestID: 'c0ffee00-0000-4000-8000-000000000001',
    eventID: 'c0ffee00-0000-4000-8000-000000000002',
    readOnly: options.readOnly ?? false,
    eventType: 'AwsApiCall',
    managementEvent: options.category !== 'Data',
    recipientAccountId: account,
    eventCategory: options.category ?? 'Management',
  };
}

const ACCESS_LOGS = 'cloudtrail-access-logs-222222222222-us-east-1';
const SECURITY = '333333333333';
const BUS = 'arn:aws:events:us-east-1:333333333333:event-bus/security-detections';
const PIPELINE = Detection.pipelineTampering({
  archiveBucketNames: [BUCKET, ACCESS_LOGS],
  centralBusArns: [BUS],
  archiveKeyAccounts: [LOG_ARCHIVE],
  trailNames: ['organization-trail'],
  logGroupNames: ['/aws/cloudtrail/organization-trail'],
  alarmNamePrefixes: ['organization-trail-'],
  alertTopicArns: [TOPIC],
});
const ALL = [...Detection.pipelineBuiltIns(), ...PIPELINE];
const FORWARDING = forwardingPattern(undefined, ALL);
const ALARM_LIST_READERS = ['PIPELINE-FORWARDING-HEALTH-TAMPERING', 'PIPELINE-ALERTING-TAMPERING'];

const role = `${Names.ROLE_NAME_PREFIX}eu-west-1`;
const forwardingPolicy = `arn:aws:iam::${MEMBER}:policy/${Names.POLICY_NAME_PREFIX}eu-west-1`;
const queueUrl = `https://sqs.eu-west-1.amazonaws.com/${MEMBER}/${Names.DEAD_LETTER_QUEUE_NAME}`;
const stackSetStack = `StackSet-${Names.STACK_SET_NAME}-0a1b2c3d-4e5f-6789-abcd-ef0123456789`;

/** [case, record, the one detection that must fire (or none)]. */
const CASES: Array<[string, { [key: string]: any }, string | undefined]> = [
  ['forwarding rule deleted', apiCall('events.amazonaws.com', 'DeleteRule', { name: Names.RULE_NAME, force: false }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding rule disabled (denied)', apiCall('events.amazonaws.com', 'DisableRule', { name: Names.RULE_NAME }, { errorCode: 'AccessDenied' }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding rule re-patterned', apiCall('events.amazonaws.com', 'PutRule', { name: Names.RULE_NAME, eventPattern: '{"source":["none"]}' }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding targets removed', apiCall('events.amazonaws.com', 'RemoveTargets', { rule: Names.RULE_NAME, ids: ['Target0'] }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding targets replaced', apiCall('events.amazonaws.com', 'PutTargets', { rule: Names.RULE_NAME, targets: [{ id: 'Target0', arn: 'arn:aws:sqs:us-east-1:444444444444:sink' }] }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding role trust changed', apiCall('iam.amazonaws.com', 'UpdateAssumeRolePolicy', { roleName: role, policyDocument: '{}' }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding role policy detached', apiCall('iam.amazonaws.com', 'DetachRolePolicy', { roleName: role, policyArn: 'arn:aws:iam::444444444444:policy/x' }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding dead-letter queue purged', apiCall('sqs.amazonaws.com', 'PurgeQueue', { queueUrl }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  ['forwarding health alarm deleted', apiCall('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: [`${Names.ALARM_NAME_PREFIX}failed-invocations`] }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  ['forwarding health alarm forced OK', apiCall('monitoring.amazonaws.com', 'SetAlarmState', { alarmName: `${Names.ALARM_NAME_PREFIX}dead-letters`, stateValue: 'OK', stateReason: 'x' }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  // The role's managed policy: a deny-all version made default cuts the role off as surely as detaching the policy.
  ['forwarding policy version created (denied)', apiCall('iam.amazonaws.com', 'CreatePolicyVersion', { policyArn: forwardingPolicy, policyDocument: '{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}', setAsDefault: true }, { errorCode: 'AccessDenied' }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding policy default version changed', apiCall('iam.amazonaws.com', 'SetDefaultPolicyVersion', { policyArn: forwardingPolicy, versionId: 'v2' }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding policy deleted', apiCall('iam.amazonaws.com', 'DeletePolicy', { policyArn: forwardingPolicy }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['heartbeat policy version deleted', apiCall('iam.amazonaws.com', 'DeletePolicyVersion', { policyArn: `arn:aws:iam::${MEMBER}:policy/${Names.HEARTBEAT_ROLE_NAME_PREFIX}eu-west-1`, versionId: 'v1' }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['forwarding policy name taken first', apiCall('iam.amazonaws.com', 'CreatePolicy', { policyName: `${Names.POLICY_NAME_PREFIX}ap-south-1`, policyDocument: '{}' }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['heartbeat role trust changed', apiCall('iam.amazonaws.com', 'UpdateAssumeRolePolicy', { roleName: `${Names.HEARTBEAT_ROLE_NAME_PREFIX}eu-west-1`, policyDocument: '{}' }), 'PIPELINE-FORWARDING-TAMPERING'],
  // Draining the dead-letter queue message by message (SQS data events, recorded by the trail's queue selector).
  ['dead-letter messages received (data event)', apiCall('sqs.amazonaws.com', 'ReceiveMessage', { queueUrl, maxNumberOfMessages: 10 }, { category: 'Data', readOnly: true }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  ['dead-letter messages deleted (data event)', apiCall('sqs.amazonaws.com', 'DeleteMessageBatch', { queueUrl, entries: [{ id: '1', receiptHandle: 'HIDDEN_DUE_TO_SECURITY_REASONS' }] }, { category: 'Data' }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  ['dead-letter messages hidden (data event, denied)', apiCall('sqs.amazonaws.com', 'ChangeMessageVisibility', { queueUrl, receiptHandle: 'HIDDEN_DUE_TO_SECURITY_REASONS', visibilityTimeout: 43200 }, { category: 'Data', errorCode: 'AccessDenied' }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  ['dead-letter messages moved out', apiCall('sqs.amazonaws.com', 'StartMessageMoveTask', { sourceArn: `arn:aws:sqs:eu-west-1:${MEMBER}:${Names.DEAD_LETTER_QUEUE_NAME}`, destinationArn: `arn:aws:sqs:eu-west-1:${MEMBER}:sink` }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  // A batch call with a decoy first name still names the protected alarm.
  ['forwarding alarm deleted behind a decoy', apiCall('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['api-latency', `${Names.ALARM_NAME_PREFIX}failed-invocations`] }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  ['CIS alarm muted behind a decoy', apiCall('monitoring.amazonaws.com', 'DisableAlarmActions', { alarmNames: ['api-latency', 'organization-trail-CIS-4.3'] }, { account: MANAGEMENT }), 'PIPELINE-ALERTING-TAMPERING'],
  ['stack instances deleted', apiCall('cloudformation.amazonaws.com', 'DeleteStackInstances', { stackSetName: Names.STACK_SET_NAME, regions: ['eu-west-1'], retainStacks: false }, { account: MANAGEMENT }), 'PIPELINE-STACKSET-TAMPERING'],
  ['stack instance stack deleted in a member', apiCall('cloudformation.amazonaws.com', 'DeleteStack', { stackName: stackSetStack }), 'PIPELINE-STACKSET-TAMPERING'],
  ['forwarding role tagged', apiCall('iam.amazonaws.com', 'TagRole', { roleName: role, tags: [] }), 'PIPELINE-FORWARDING-TAMPERING'],
  ['stacksets trusted access disabled', apiCall('organizations.amazonaws.com', 'DisableAWSServiceAccess', { servicePrincipal: 'member.org.stacksets.cloudformation.amazonaws.com' }, { account: MANAGEMENT }), 'PIPELINE-ORGANIZATION-TAMPERING'],
  ['cloudtrail delegated admin deregistered', apiCall('organizations.amazonaws.com', 'DeregisterDelegatedAdministrator', { accountId: '333333333333', servicePrincipal: 'cloudtrail.amazonaws.com' }, { account: MANAGEMENT }), 'PIPELINE-ORGANIZATION-TAMPERING'],
  ['archive lifecycle rewritten', apiCall('s3.amazonaws.com', 'PutBucketLifecycle', { bucketName: BUCKET, LifecycleConfiguration: {} }, { account: LOG_ARCHIVE }), 'PIPELINE-ARCHIVE-TAMPERING'],
  ['archive policy deleted', apiCall('s3.amazonaws.com', 'DeleteBucketPolicy', { bucketName: BUCKET, Host: `${BUCKET}.s3.amazonaws.com` }, { account: LOG_ARCHIVE }), 'PIPELINE-ARCHIVE-TAMPERING'],
  ['archive log object deleted (data event)', apiCall('s3.amazonaws.com', 'DeleteObject', { bucketName: BUCKET, key: 'AWSLogs/o-exampleorg1/444444444444/CloudTrail/us-east-1/2026/05/02/x.json.gz' }, { account: LOG_ARCHIVE, category: 'Data' }), 'PIPELINE-ARCHIVE-TAMPERING'],
  ['archive tags changed', apiCall('s3.amazonaws.com', 'PutBucketTagging', { bucketName: BUCKET, Tagging: {} }, { account: LOG_ARCHIVE }), 'PIPELINE-ARCHIVE-TAMPERING'],
  ['CloudTrail log delivery into the archive', { ...apiCall('s3.amazonaws.com', 'PutObject', { bucketName: BUCKET, key: 'AWSLogs/x.json.gz' }, { account: LOG_ARCHIVE, category: 'Data' }), userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' } }, undefined],
  ['archive read', { ...apiCall('s3.amazonaws.com', 'GetBucketPolicy', { bucketName: BUCKET }, { account: LOG_ARCHIVE }), readOnly: true }, undefined],
  ['archive retention shortened (data event)', apiCall('s3.amazonaws.com', 'PutObjectRetention', { bucketName: BUCKET, key: 'AWSLogs/x.json.gz', retention: '' }, { account: LOG_ARCHIVE, category: 'Data' }), 'PIPELINE-ARCHIVE-TAMPERING'],
  ['archive key deletion scheduled', apiCall('kms.amazonaws.com', 'ScheduleKeyDeletion', { keyId: 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab', pendingWindowInDays: 7 }, { account: LOG_ARCHIVE }), 'PIPELINE-ARCHIVE-TAMPERING'],
  ['archive key policy replaced', apiCall('kms.amazonaws.com', 'PutKeyPolicy', { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', policyName: 'default' }, { account: LOG_ARCHIVE }), 'PIPELINE-ARCHIVE-TAMPERING'],
  ['trail stopped by name', apiCall('cloudtrail.amazonaws.com', 'StopLogging', { name: 'organization-trail' }, { account: MANAGEMENT }), 'PIPELINE-TRAIL-TAMPERING'],
  // The selector calls name the trail in `trailName` (CloudTrail API reference: PutEventSelectors, PutInsightSelectors).
  ['trail selectors narrowed by ARN', apiCall('cloudtrail.amazonaws.com', 'PutEventSelectors', { trailName: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail', advancedEventSelectors: [] }, { account: MANAGEMENT }), 'PIPELINE-TRAIL-TAMPERING'],
  ['trail selectors narrowed by name', apiCall('cloudtrail.amazonaws.com', 'PutEventSelectors', { trailName: 'organization-trail', eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: true }] }, { account: MANAGEMENT }), 'PIPELINE-TRAIL-TAMPERING'],
  ['trail Insights switched off', apiCall('cloudtrail.amazonaws.com', 'PutInsightSelectors', { trailName: 'organization-trail', insightSelectors: [] }, { account: MANAGEMENT }), 'PIPELINE-TRAIL-TAMPERING'],
  ['access-log bucket policy replaced', apiCall('s3.amazonaws.com', 'PutBucketPolicy', { bucketName: ACCESS_LOGS, bucketPolicy: {} }, { account: LOG_ARCHIVE }), 'PIPELINE-ARCHIVE-TAMPERING'],
  ['access log deleted (data event)', apiCall('s3.amazonaws.com', 'DeleteObject', { bucketName: ACCESS_LOGS, key: '2026-05-02-10-15-00-ABCDEF' }, { account: LOG_ARCHIVE, category: 'Data' }), 'PIPELINE-ARCHIVE-TAMPERING'],
  // The central bus and its rules.
  ['central bus opened to another account', apiCall('events.amazonaws.com', 'PutPermission', { eventBusName: 'security-detections', action: 'events:PutEvents', principal: '999999999999', statementId: 'x' }, { account: SECURITY }), 'PIPELINE-CENTRAL-BUS-TAMPERING'],
  ['central bus policy removed', apiCall('events.amazonaws.com', 'RemovePermission', { eventBusName: 'security-detections', removeAllPermissions: true }, { account: SECURITY }), 'PIPELINE-CENTRAL-BUS-TAMPERING'],
  ['central bus deleted (denied)', apiCall('events.amazonaws.com', 'DeleteEventBus', { name: 'security-detections' }, { account: SECURITY, errorCode: 'AccessDenied' }), 'PIPELINE-CENTRAL-BUS-TAMPERING'],
  ['central detection rule disabled', apiCall('events.amazonaws.com', 'DisableRule', { name: 'CloudTrailSecurityAlertsCIS43A1B2C3', eventBusName: 'security-detections' }, { account: SECURITY }), 'PIPELINE-CENTRAL-BUS-TAMPERING'],
  ['central detection rule re-targeted', apiCall('events.amazonaws.com', 'PutTargets', { rule: 'CloudTrailSecurityAlertsCIS43A1B2C3', eventBusName: BUS, targets: [{ id: 'x', arn: 'arn:aws:sns:us-east-1:333333333333:void' }] }, { account: SECURITY }), 'PIPELINE-CENTRAL-BUS-TAMPERING'],
  ['central detection rule deleted', apiCall('events.amazonaws.com', 'DeleteRule', { name: 'CloudTrailSecurityAlertsCIS43A1B2C3', eventBusName: 'security-detections', force: true }, { account: SECURITY }), 'PIPELINE-CENTRAL-BUS-TAMPERING'],
  ['heartbeat metric filter deleted', apiCall('logs.amazonaws.com', 'DeleteMetricFilter', { logGroupName: Names.HEARTBEAT_LOG_GROUP_NAME, filterName: 'x' }, { account: SECURITY }), 'PIPELINE-CENTRAL-HEALTH-TAMPERING'],
  ['heartbeat alarm forced OK', apiCall('monitoring.amazonaws.com', 'SetAlarmState', { alarmName: `${Names.HEARTBEAT_ALARM_NAME_PREFIX}${MEMBER}`, stateValue: 'OK', stateReason: 'x' }, { account: SECURITY }), 'PIPELINE-FORWARDING-HEALTH-TAMPERING'],
  ['heartbeat delivery policy removed', apiCall('logs.amazonaws.com', 'DeleteResourcePolicy', { policyName: 'cloudtrail-governance-heartbeat-delivery' }, { account: SECURITY }), 'PIPELINE-CENTRAL-HEALTH-TAMPERING'],
  ['unmonitored heartbeats log group deleted', apiCall('logs.amazonaws.com', 'DeleteLogGroup', { logGroupName: `${Names.HEARTBEAT_LOG_GROUP_NAME}-unmonitored` }, { account: SECURITY }), 'PIPELINE-CENTRAL-HEALTH-TAMPERING'],
  ['forwarding health topic re-policed', apiCall('sns.amazonaws.com', 'SetTopicAttributes', { topicArn: `arn:aws:sns:eu-west-1:${SECURITY}:${Names.HEALTH_TOPIC_NAME}`, attributeName: 'Policy', attributeValue: '{}' }, { account: SECURITY }), 'PIPELINE-CENTRAL-HEALTH-TAMPERING'],
  ['forwarding health subscription removed', apiCall('sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: `arn:aws:sns:eu-west-1:${SECURITY}:${Names.HEALTH_TOPIC_NAME}:0a1b2c3d-1111-2222-3333-444455556666` }, { account: SECURITY }), 'PIPELINE-CENTRAL-HEALTH-TAMPERING'],
  ['alerts topic given a stranger subscriber', apiCall('sns.amazonaws.com', 'Subscribe', { topicArn: TOPIC, protocol: 'https', endpoint: 'https://attacker.example' }, { account: SECURITY }), 'PIPELINE-ALERTING-TAMPERING'],
  ['trail log group metric filter deleted', apiCall('logs.amazonaws.com', 'DeleteMetricFilter', { logGroupName: '/aws/cloudtrail/organization-trail', filterName: 'CIS-4.3' }, { account: MANAGEMENT }), 'PIPELINE-TRAIL-TAMPERING'],
  ['CIS alarm actions disabled', apiCall('monitoring.amazonaws.com', 'DisableAlarmActions', { alarmNames: ['organization-trail-CIS-4.3'] }, { account: MANAGEMENT }), 'PIPELINE-ALERTING-TAMPERING'],
  ['alerts subscription removed', apiCall('sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: `${TOPIC}:0a1b2c3d-1111-2222-3333-444455556666` }, { account: '333333333333' }), 'PIPELINE-ALERTING-TAMPERING'],
  ['alerts topic deleted', apiCall('sns.amazonaws.com', 'DeleteTopic', { topicArn: TOPIC }, { account: '333333333333' }), 'PIPELINE-ALERTING-TAMPERING'],
  // Near misses: the same calls on resources that are not the pipeline's.
  ['another rule deleted', apiCall('events.amazonaws.com', 'DeleteRule', { name: 'nightly-report' }), undefined],
  ['another role trust changed', apiCall('iam.amazonaws.com', 'UpdateAssumeRolePolicy', { roleName: 'ci-deployer', policyDocument: '{}' }), undefined],
  ['forwarding role read', { ...apiCall('iam.amazonaws.com', 'GetRole', { roleName: role }), readOnly: true }, undefined],
  ['another queue purged', apiCall('sqs.amazonaws.com', 'PurgeQueue', { queueUrl: `https://sqs.eu-west-1.amazonaws.com/${MEMBER}/orders-dlq` }), undefined],
  ['another queue drained (data event)', apiCall('sqs.amazonaws.com', 'ReceiveMessage', { queueUrl: `https://sqs.eu-west-1.amazonaws.com/${MEMBER}/orders-dlq` }, { category: 'Data', readOnly: true }), undefined],
  ['another policy given a new version', apiCall('iam.amazonaws.com', 'CreatePolicyVersion', { policyArn: `arn:aws:iam::${MEMBER}:policy/app-readonly`, policyDocument: '{}' }), undefined],
  ['a rule on another bus disabled', apiCall('events.amazonaws.com', 'DisableRule', { name: 'nightly', eventBusName: 'app-events' }, { account: SECURITY }), undefined],
  ['a bus of the same name in another account', apiCall('events.amazonaws.com', 'DeleteEventBus', { name: 'security-detections' }), undefined],
  ['another trail\'s selectors', apiCall('cloudtrail.amazonaws.com', 'PutEventSelectors', { trailName: 'dev-trail', advancedEventSelectors: [] }), undefined],
  ['another alarm deleted', apiCall('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['api-latency'] }), undefined],
  ['another stack deleted', apiCall('cloudformation.amazonaws.com', 'DeleteStack', { stackName: 'StackSet-other-set-0a1b' }), undefined],
  ['another bucket lifecycle', apiCall('s3.amazonaws.com', 'PutBucketLifecycle', { bucketName: 'app-data', LifecycleConfiguration: {} }, { account: LOG_ARCHIVE }), undefined],
  ['key deletion in another account', apiCall('kms.amazonaws.com', 'ScheduleKeyDeletion', { keyId: 'k', pendingWindowInDays: 7 }), undefined],
  ['another trail stopped', apiCall('cloudtrail.amazonaws.com', 'StopLogging', { name: 'dev-trail' }), undefined],
  ['another topic deleted', apiCall('sns.amazonaws.com', 'DeleteTopic', { topicArn: 'arn:aws:sns:us-east-1:333333333333:builds' }), undefined],
  ['guardduty trusted access disabled', apiCall('organizations.amazonaws.com', 'DisableAWSServiceAccess', { servicePrincipal: 'guardduty.amazonaws.com' }, { account: MANAGEMENT }), undefined],
];

describe('pipeline tampering detections', () => {
  test.each(CASES)('%s', (_name, record, expected) => {
    const event = CloudTrailEventEnvelope.fromRecord(record);
    const fired = ALL.filter(d => d.matches(event)).map(d => d.id);
    expect(fired).toEqual(expected ? [expected] : []);
    // The management account's metric filters see the same records the same way.
    const alarmed = ALL.filter(d => metricFilterMatches(d.metricFilterPattern!, record)).map(d => d.id);
    if ((record.requestParameters.alarmNames ?? []).length > 1) {
      // A filter reads only the first name of a list, so every filter that watches alarm lists fires on a batch.
      expect(alarmed).toEqual(expect.arrayContaining(fired));
      expect(alarmed.filter(id => !fired.includes(id)).every(id => ALARM_LIST_READERS.includes(id))).toBe(true);
    } else {
      expect(alarmed).toEqual(fired);
    }
    // Member accounts forward every event a pipeline detection matches.
    if (expected) expect(EventPatternMatcher.matches(FORWARDING, event)).toBe(true);
  });

  test('a batch call on unrelated alarms alerts only through the metric filter, which cannot read past the first name', () => {
    const batch = apiCall('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['api-latency', 'api-errors'] });
    expect(ALL.filter(d => d.matches(CloudTrailEventEnvelope.fromRecord(batch))).map(d => d.id)).toEqual([]);
    expect(ALL.filter(d => metricFilterMatches(d.metricFilterPattern!, batch)).map(d => d.id))
      .toEqual(['PIPELINE-FORWARDING-HEALTH-TAMPERING', 'PIPELINE-ALERTING-TAMPERING']);
    const single = apiCall('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['api-latency'] });
    expect(ALL.filter(d => metricFilterMatches(d.metricFilterPattern!, single)).map(d => d.id)).toEqual([]);
  });

  test.each(CASES.filter(c => c[2] !== undefined))('a forged copy of "%s" matches nothing', (_name, record) => {
    const forged = { ...CloudTrailEventEnvelope.fromRecord(record), source: 'com.attacker' };
    expect(ALL.filter(d => d.matches(forged)).map(d => d.id)).toEqual([]);
  });

  const objectDeleted = (reason: string, bucket = BUCKET) => ({
    'version': '0',
    'id': '2ee9cc15-d022-99ea-1fb8-1b1bac4850f9',
    'detail-type': 'Object Deleted',
    'source': 'aws.s3',
    'account': LOG_ARCHIVE,
    'time': '2026-05-02T10:20:00Z',
    'region': 'us-east-1',
    'resources': [`arn:aws:s3:::${bucket}`],
    'detail': {
      'version': '0',
      'bucket': { name: bucket },
      'object': { 'key': 'AWSLogs/o-exampleorg1/x.json.gz', 'version-id': 'ZbYWvrPuk5.LXb7yoG.tA.ALSoPbMwWF', 'sequencer': '617f08299329d189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      'requester': LOG_ARCHIVE,
      'source-ip-address': '198.51.100.7',
      'reason': reason,
      'deletion-type': 'Delete Marker Created',
    },
  });

  test('the log bucket\'s own "Object Deleted" notification of a delete fires the archive detection', () => {
    const archive = PIPELINE.find(d => d.id === 'PIPELINE-ARCHIVE-TAMPERING')!;
    expect(archive.matches(objectDeleted('DeleteObject'))).toBe(true);
    expect(EventPatternMatcher.matches(FORWARDING, objectDeleted('DeleteObject'))).toBe(true);
    expect(archive.matches(objectDeleted('Lifecycle Expiration'))).toBe(false);
    expect(archive.matches(objectDeleted('DeleteObject', 'app-data'))).toBe(false);
    expect(archive.matches({ ...objectDeleted('DeleteObject'), source: 'com.attacker' })).toBe(false);
  });

  test('every pipeline detection is CRITICAL, pins AWS sources and has a metric filter within the CloudWatch limit', () => {
    for (const d of ALL) {
      expect(d.severity).toBe('CRITICAL');
      expect(JSON.stringify(d.eventPattern)).toContain('{"prefix":"aws."}');
      expect(d.metricFilterPattern!.length).toBeLessThanOrEqual(1024);
      expect(d.eventPatternLength).toBeLessThanOrEqual(2048);
    }
  });

  test('only the named parts are watched', () => {
    expect(Detection.pipelineTampering({ trailNames: ['trail-1'] }).map(d => d.id)).toEqual(['PIPELINE-TRAIL-TAMPERING']);
    expect(Detection.pipelineTampering({ alertTopicArns: [TOPIC] }).map(d => d.id)).toEqual(['PIPELINE-ALERTING-TAMPERING']);
    expect(Detection.pipelineTampering({ archiveKeyAccounts: [LOG_ARCHIVE] }).map(d => d.id)).toEqual(['PIPELINE-ARCHIVE-TAMPERING']);
  });

  test.each([
    [{}, 'pipelineTampering needs at least one resource'],
    [{ archiveBucketNames: ['Not_A_Bucket'] }, 'archiveBucketNames[0] "Not_A_Bucket" must be an S3 bucket name'],
    [{ archiveKeyAccounts: ['2222'] }, 'archiveKeyAccounts[0] "2222" must be a 12-digit AWS account id'],
    [{ alertTopicArns: ['security-alerts'] }, 'alertTopicArns[0] "security-alerts" must be an SNS topic ARN'],
    [{ trailNames: ['trail-1', 'trail-1'] }, 'trailNames "trail-1, trail-1" must not name a value twice'],
    [{ logGroupNames: ['/a'.repeat(300)] }, 'logGroupNames[0]'],
  ])('refuses %j', (props, message) => {
    expect(() => Detection.pipelineTampering(props)).toThrow(message);
  });

  test('a metric filter that would pass CloudWatch\'s limit is refused, naming the detection', () => {
    const many = Array.from({ length: 40 }, (_, i) => `cloudtrail-archive-bucket-number-${i}`);
    expect(() => Detection.pipelineTampering({ archiveBucketNames: many }))
      .toThrow(/resources "PIPELINE-ARCHIVE-TAMPERING" name more resources than the 1024-character metric filter/);
  });

  test('the built-in forwarding and organization detections are part of the catalog', () => {
    const ids = Detection.all().map(d => d.id);
    expect(ids).toEqual(expect.arrayContaining(['PIPELINE-FORWARDING-TAMPERING', 'PIPELINE-STACKSET-TAMPERING',
      'PIPELINE-ORGANIZATION-TAMPERING']));
  });
});
