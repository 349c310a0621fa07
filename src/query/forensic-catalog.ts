import { ForensicQueryProps, ForensicQueryTable } from './forensic-query-types';

// The SQL is Athena engine version 3 (Trino). It reads only the columns of AWS's CloudTrail table
// and keeps every parameter in WHERE, where Athena accepts them. requestparameters and
// responseelements are JSON text; json_extract_scalar reads one field of them.

const WHO = [
  'useridentity.type AS identity_type', 'useridentity.arn AS principal_arn',
  'useridentity.sessioncontext.sessionissuer.arn AS session_issuer_arn', 'useridentity.accesskeyid AS access_key_id',
];
const WHERE_FROM = ['sourceipaddress', 'useragent'];
const OUTCOME = ['errorcode', 'errormessage'];

function columns(...parts: Array<string | string[]>): string {
  return parts.flat().join(',\n  ');
}

function inList(values: string[]): string {
  return `(${values.map(v => `'${v}'`).join(', ')})`;
}

/** Write API calls on IAM policies and role trust policies (CIS 4.4 plus trust policy updates). */
const IAM_POLICY_EVENTS = [
  'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion',
  'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy',
  'AttachGroupPolicy', 'AttachRolePolicy', 'AttachUserPolicy', 'DetachGroupPolicy', 'DetachRolePolicy',
  'DetachUserPolicy', 'UpdateAssumeRolePolicy', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary',
  'PutUserPermissionsBoundary', 'DeleteUserPermissionsBoundary',
];

/** Calls that stop, narrow or remove CloudTrail recording. */
const CLOUDTRAIL_TAMPERING_EVENTS = [
  'StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors',
  'DeleteEventDataStore', 'UpdateEventDataStore', 'StopEventDataStoreIngestion',
];

/** Security group changes (CIS 4.10 plus rule modification). */
const SECURITY_GROUP_EVENTS = [
  'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules',
];

/** Calls that make a KMS key unusable (CIS 4.7 plus removal of imported key material). */
const KMS_KEY_EVENTS = ['DisableKey', 'ScheduleKeyDeletion', 'DeleteImportedKeyMaterial'];

/** Bucket policy, ACL, ownership and Block Public Access changes, per bucket and per account. */
const S3_ACCESS_EVENTS = [
  'PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock',
  'DeleteBucketPublicAccessBlock', 'PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock',
  'PutBucketOwnershipControls', 'DeleteBucketOwnershipControls',
];

const SIGN_IN_RESULT = 'json_extract_scalar(responseelements, \'$.ConsoleLogin\')';

/** The catalog, in the order the saved queries are listed. */
export const CATALOG: ForensicQueryProps[] = [
  {
    id: 'who_deleted_resource',
    title: 'Who deleted a resource',
    description: 'Delete, Terminate, Remove and Deregister calls (and KMS ScheduleKeyDeletion) whose ' +
      'request parameters or resource ARNs contain the given name, id or ARN, with who made them and ' +
      'whether they succeeded.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventsource', 'eventname', WHO,
      WHERE_FROM, OUTCOME, 'requestparameters', 'eventid'),
    where: "(eventname LIKE 'Delete%' OR eventname LIKE 'Terminate%' OR eventname LIKE 'Remove%' " +
      "OR eventname LIKE 'Deregister%' OR eventname = 'ScheduleKeyDeletion')\n" +
      "  AND strpos(coalesce(requestparameters, '') || ' ' || " +
      "coalesce(array_join(transform(resources, r -> r.arn), ' '), ''), ?) > 0",
    parameters: [{
      name: 'resource',
      description: 'name, id or ARN of the resource, matched as a substring of requestParameters and resource ARNs',
      example: "'evidence-bucket'",
    }],
    orderBy: 'eventtime',
  },
  {
    id: 'principal_activity',
    title: 'Everything a principal did',
    description: 'Every call made by an IAM user or role, or by one assumed-role session, in time order.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventsource', 'eventname', 'readonly',
      WHO, WHERE_FROM, OUTCOME, 'requestparameters', 'eventid'),
    where: '? IN (useridentity.arn, useridentity.sessioncontext.sessionissuer.arn)',
    parameters: [{
      name: 'principal_arn',
      description: 'ARN of an IAM user or role (matches all its sessions), or of one assumed-role session',
      example: "'arn:aws:iam::111122223333:role/Admin'",
    }],
    orderBy: 'eventtime',
  },
  {
    id: 'access_key_activity',
    title: 'Everything an access key did',
    description: 'Every call signed with one access key id (long-term AKIA or temporary ASIA key), in time order.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventsource', 'eventname', WHO,
      WHERE_FROM, OUTCOME, 'eventid'),
    where: 'useridentity.accesskeyid = ?',
    parameters: [{
      name: 'access_key_id',
      description: 'the access key id',
      example: "'AKIAIOSFODNN7EXAMPLE'",
    }],
    orderBy: 'eventtime',
  },
  {
    id: 'source_ip_activity',
    title: 'Activity from a source IP address',
    description: 'Every call whose sourceIPAddress is the given address, in time order.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventsource', 'eventname', WHO,
      WHERE_FROM, OUTCOME, 'eventid'),
    where: 'sourceipaddress = ?',
    parameters: [{
      name: 'source_ip',
      description: 'the source IP address (or AWS service name) exactly as CloudTrail records it',
      example: "'203.0.113.10'",
    }],
    orderBy: 'eventtime',
  },
  {
    id: 'root_activity',
    title: 'Root user activity',
    description: 'Calls made with root user credentials, excluding calls AWS services made on the root ' +
      "user's behalf (the CIS root usage filter).",
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventsource', 'eventname', 'eventtype',
      WHERE_FROM, OUTCOME, 'eventid'),
    where: "useridentity.type = 'Root' AND useridentity.invokedby IS NULL AND eventtype <> 'AwsServiceEvent'",
    orderBy: 'eventtime',
  },
  {
    id: 'console_sign_in_without_mfa',
    title: 'Console sign-ins without MFA',
    description: 'Successful console sign-ins of IAM users and the root user that did not use MFA. ' +
      'Federated (SSO/SAML) sign-ins are excluded: their MFA happens at the identity provider.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'useridentity.type AS identity_type',
      'useridentity.arn AS principal_arn', 'useridentity.username AS user_name',
      "json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used", WHERE_FROM, 'eventid'),
    where: `eventname = 'ConsoleLogin' AND useridentity.type IN ('IAMUser', 'Root')\n  AND ${SIGN_IN_RESULT} = 'Success'\n` +
      "  AND coalesce(json_extract_scalar(additionaleventdata, '$.MFAUsed'), 'No') <> 'Yes'",
    orderBy: 'eventtime',
  },
  {
    id: 'failed_console_sign_ins',
    title: 'Failed console sign-ins',
    description: 'Console sign-in attempts that failed, with the user name tried and where they came from.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'useridentity.type AS identity_type',
      'useridentity.arn AS principal_arn', 'useridentity.username AS user_name', 'errormessage',
      WHERE_FROM, 'eventid'),
    where: `eventname = 'ConsoleLogin' AND ${SIGN_IN_RESULT} = 'Failure'`,
    orderBy: 'eventtime',
  },
  {
    id: 'access_denied_by_principal',
    title: 'Access denied, by principal',
    description: 'Calls refused for missing permissions (AccessDenied*, *UnauthorizedOperation), counted ' +
      'per principal (the role for assumed-role sessions), most refused first.',
    select: columns(
      'coalesce(useridentity.sessioncontext.sessionissuer.arn, useridentity.arn, useridentity.invokedby) AS principal',
      'count(*) AS denied_calls', 'count(DISTINCT eventsource || \':\' || eventname) AS distinct_actions',
      'count(DISTINCT recipientaccountid) AS accounts', 'min(eventtime) AS first_seen', 'max(eventtime) AS last_seen'),
    where: "errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%UnauthorizedOperation%'",
    groupBy: '1',
    orderBy: 'denied_calls DESC, principal',
  },
  {
    id: 'iam_policy_changes',
    title: 'IAM policy changes',
    description: 'Changes to IAM managed and inline policies, policy attachments, permissions boundaries ' +
      'and role trust policies.',
    select: columns('eventtime', 'recipientaccountid', 'eventname', WHO, WHERE_FROM, OUTCOME,
      'requestparameters', 'eventid'),
    where: `eventsource = 'iam.amazonaws.com' AND eventname IN ${inList(IAM_POLICY_EVENTS)}`,
    orderBy: 'eventtime',
  },
  {
    id: 'cloudtrail_tampering',
    title: 'CloudTrail tampering',
    description: 'Calls that stop, narrow or delete CloudTrail recording: trails, event selectors, ' +
      'Insights selectors and Lake event data stores.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventname',
      "coalesce(json_extract_scalar(requestparameters, '$.name'), json_extract_scalar(requestparameters, '$.trailName'), " +
      "json_extract_scalar(requestparameters, '$.eventDataStore')) AS target", WHO, WHERE_FROM, OUTCOME, 'eventid'),
    where: `eventsource = 'cloudtrail.amazonaws.com' AND eventname IN ${inList(CLOUDTRAIL_TAMPERING_EVENTS)}`,
    orderBy: 'eventtime',
  },
  {
    id: 'security_group_changes',
    title: 'Security group changes',
    description: 'Security groups created, deleted or with rules added, removed or modified.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventname',
      "json_extract_scalar(requestparameters, '$.groupId') AS group_id", WHO, WHERE_FROM, OUTCOME,
      'requestparameters', 'eventid'),
    where: `eventsource = 'ec2.amazonaws.com' AND eventname IN ${inList(SECURITY_GROUP_EVENTS)}`,
    orderBy: 'eventtime',
  },
  {
    id: 'kms_key_disable_or_deletion',
    title: 'KMS key disabled or scheduled for deletion',
    description: 'KMS keys disabled, scheduled for deletion or stripped of imported key material. Data ' +
      'encrypted under them becomes unreadable.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventname',
      "json_extract_scalar(requestparameters, '$.keyId') AS key_id",
      "json_extract_scalar(requestparameters, '$.pendingWindowInDays') AS pending_window_days",
      WHO, WHERE_FROM, OUTCOME, 'eventid'),
    where: `eventsource = 'kms.amazonaws.com' AND eventname IN ${inList(KMS_KEY_EVENTS)}`,
    orderBy: 'eventtime',
  },
  {
    id: 's3_bucket_policy_and_public_access_changes',
    title: 'S3 bucket policy and public access changes',
    description: 'Bucket policies, bucket ACLs, object ownership and Block Public Access settings changed ' +
      'or removed, per bucket and per account.',
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'eventname',
      "json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name", WHO, WHERE_FROM, OUTCOME,
      'requestparameters', 'eventid'),
    where: `eventsource = 's3.amazonaws.com' AND eventname IN ${inList(S3_ACCESS_EVENTS)}`,
    orderBy: 'eventtime',
  },
  {
    id: 'insights_timeline',
    title: 'Insights timeline',
    description: 'CloudTrail Insights events in time order: when unusual API call or error rates started ' +
      'and ended, on which API, against which baseline.',
    table: ForensicQueryTable.INSIGHTS,
    select: columns('eventtime', 'recipientaccountid', 'awsregion', 'sharedeventid',
      'insightdetails.state AS state', 'insightdetails.insighttype AS insight_type',
      'insightdetails.eventsource AS api_source', 'insightdetails.eventname AS api_name',
      'insightdetails.errorcode AS api_error_code',
      'insightdetails.insightcontext.statistics.baseline.average AS baseline_per_minute',
      'insightdetails.insightcontext.statistics.insight.average AS insight_per_minute',
      'insightdetails.insightcontext.statistics.insightduration AS duration_minutes', 'eventid'),
    orderBy: 'eventtime, sharedeventid',
  },
];
