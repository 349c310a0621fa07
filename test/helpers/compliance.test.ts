import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, IPolicyValidationContextBeta1, PolicyValidationPluginReportBeta1, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { applicableGuardRules, ComplianceFinding, complianceFindings, formatFindings, guardAcknowledgmentId } from './compliance';
import { DetectionForwarder } from '../../src/detection/detection-forwarder';

// The flag every new `cdk init` app sets; without it CDK grants log delivery through an ACL.
const CONTEXT = { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true };
const NAG_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/** `tool rule` per finding on one resource, sorted, so a whole result is compared at once. */
function rulesAt(findings: ComplianceFinding[], resource: string): string[] {
  return findings.filter(f => f.resource === resource).map(f => `${f.tool} ${f.rule}`).sort();
}

function nag(...rules: string[]): string[] {
  return rules.map(r => `cdk-nag ${r}`);
}

function everyPack(rule: string): string[] {
  return NAG_PACKS.map(p => `cdk-nag ${p}-${rule}`);
}

function guard(...ids: string[]): string[] {
  return ids.map(id => `cfn-guard ${id}`);
}

/** Unencrypted-by-choice, policy-public-capable bucket without TLS enforcement or access logs. */
function badBucket(stack: Stack, id: string): s3.Bucket {
  return new s3.Bucket(stack, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
  });
}

const BAD_BUCKET_RULES = [
  ...nag('AwsSolutions-S1', 'AwsSolutions-S10', 'AwsSolutions-S2'),
  ...everyPack('S3BucketLevelPublicAccessProhibited'),
  ...everyPack('S3BucketLoggingEnabled'),
  ...everyPack('S3BucketPublicReadProhibited'),
  ...everyPack('S3BucketPublicWriteProhibited'),
  ...everyPack('S3BucketReplicationEnabled'),
  ...everyPack('S3BucketSSLRequestsOnly'),
  ...everyPack('S3BucketVersioningEnabled'),
  ...everyPack('S3DefaultEncryptionKMS'),
  ...guard('CT.S3.PR.1', 'CT.S3.PR.10', 'CT.S3.PR.11', 'CT.S3.PR.2', 'CT.S3.PR.4', 'CT.S3.PR.6', 'CT.S3.PR.9'),
].sort();

interface WellConfigured {
  readonly key: kms.Key;
  readonly accessLogs: s3.Bucket;
  readonly bucket: s3.Bucket;
}

/** KMS CMK with rotation, versioned TLS-only private bucket logging to an SSE-S3 access-log bucket. */
function wellConfigured(app: App): WellConfigured {
  const stack = new Stack(app, 'Good');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const lifecycleRules = [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }];
  const accessLogs = new s3.Bucket(stack, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: true,
    lifecycleRules,
  });
  const bucket = new s3.Bucket(stack, 'Bucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'bucket/',
    lifecycleRules,
  });
  return { key, accessLogs, bucket };
}

describe('complianceFindings on a deliberately bad stack', () => {
  let findings: ComplianceFinding[];
  beforeAll(() => {
    findings = complianceFindings(app => badBucket(new Stack(app, 'Bad'), 'Bucket'));
  });

  test('reports every cdk-nag pack and every Control Tower rule the bucket breaks, and nothing else', () => {
    expect(rulesAt(findings, 'Bad/Bucket/Resource')).toEqual(BAD_BUCKET_RULES);
    expect(findings.every(f => f.resource === 'Bad/Bucket/Resource')).toBe(true);
  });

  test('names guard findings by control id and keeps the tool\'s fix in the message', () => {
    const tls = findings.find(f => f.rule === 'CT.S3.PR.10');
    expect(tls?.message).toMatch(/^Require an Amazon S3 bucket to have server-side encryption configured using an AWS KMS key Fix: .*aws:kms/);
    expect(tls?.severity).toBe('error');
  });

  test('formats one line per finding, and nothing when there are none', () => {
    const text = formatFindings(findings);
    expect(text.split('\n')).toHaveLength(findings.length + 1);
    expect(text).toContain('[cdk-nag] AwsSolutions-S10 at Bad/Bucket/Resource: ');
    expect(text).toContain('[cfn-guard] CT.S3.PR.1 at Bad/Bucket/Resource: ');
    expect(formatFindings([])).toBe('');
  });
});

describe('acknowledgments', () => {
  let findings: ComplianceFinding[];
  beforeAll(() => {
    findings = complianceFindings(app => {
      const stack = new Stack(app, 'Acks');
      const acknowledged = badBucket(stack, 'Acknowledged');
      badBucket(stack, 'Sibling');
      Validations.of(acknowledged).acknowledge({ id: 'AwsSolutions-S1', reason: 'Test bucket; access is logged by CloudTrail data events.' });
      Validations.of(acknowledged).acknowledge({ id: guardAcknowledgmentId('CT.S3.PR.9'), reason: 'Holds nothing that needs WORM retention.' });
      Validations.of(stack).acknowledge({ id: 'AwsSolutions-S2', reason: 'Every bucket in this stack is behind an access point.' });
    });
  });

  test('a cdk-nag acknowledgment with a reason removes that finding from that bucket only', () => {
    const acknowledged = rulesAt(findings, 'Acks/Acknowledged/Resource');
    expect(acknowledged).not.toContain('cdk-nag AwsSolutions-S1');
    expect(rulesAt(findings, 'Acks/Sibling/Resource')).toContain('cdk-nag AwsSolutions-S1');
  });

  test('a guard acknowledgment covers its construct, not the whole app as CDK itself applies it', () => {
    expect(rulesAt(findings, 'Acks/Acknowledged/Resource')).not.toContain('cfn-guard CT.S3.PR.9');
    expect(rulesAt(findings, 'Acks/Sibling/Resource')).toContain('cfn-guard CT.S3.PR.9');
  });

  test('a stack-level acknowledgment covers every resource in the stack', () => {
    expect(findings.filter(f => f.rule === 'AwsSolutions-S2')).toEqual([]);
    const expected = (drop: string[]) => BAD_BUCKET_RULES.filter(r => !drop.includes(r));
    expect(rulesAt(findings, 'Acks/Sibling/Resource')).toEqual(expected(['cdk-nag AwsSolutions-S2']));
    expect(rulesAt(findings, 'Acks/Acknowledged/Resource'))
      .toEqual(expected(['cdk-nag AwsSolutions-S2', 'cdk-nag AwsSolutions-S1', 'cfn-guard CT.S3.PR.9']));
  });

  test('an unknown control id is rejected instead of acknowledging nothing', () => {
    expect(() => guardAcknowledgmentId('CT.S3.PR.99')).toThrow(/"CT.S3.PR.99" is not a bundled Control Tower control id/);
    expect(() => guardAcknowledgmentId('s3_bucket_logging_enabled_check')).toThrow(/not a bundled Control Tower control id/);
  });
});

describe('a well-configured bucket', () => {
  test('leaves only the findings inherent to the design', () => {
    const findings = complianceFindings(app => { wellConfigured(app); }, { context: CONTEXT });
    expect(rulesAt(findings, 'Good/Bucket/Resource')).toEqual([
      ...everyPack('S3BucketReplicationEnabled'),
      // Event notifications and Object Lock are opt-in features, not part of this configuration.
      ...guard('CT.S3.PR.4', 'CT.S3.PR.9'),
    ].sort());
    expect(rulesAt(findings, 'Good/AccessLogs/Resource')).toEqual([
      ...everyPack('S3BucketReplicationEnabled'),
      ...everyPack('S3DefaultEncryptionKMS'),
      ...guard('CT.S3.PR.10', 'CT.S3.PR.2', 'CT.S3.PR.4', 'CT.S3.PR.9'),
    ].sort());
    // The key policy has no statement limiting kms:CreateGrant to AWS services.
    expect(rulesAt(findings, 'Good/Key/Resource')).toEqual(guard('CT.KMS.PR.3'));
    expect(new Set(findings.map(f => f.resource)))
      .toEqual(new Set(['Good/Bucket/Resource', 'Good/AccessLogs/Resource', 'Good/Key/Resource']));
  });

  test('passes with every remaining finding remediated or acknowledged with a reason', () => {
    const findings = complianceFindings(app => {
      const { key, accessLogs, bucket } = wellConfigured(app);
      key.addToResourcePolicy(new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }));
      for (const b of [accessLogs, bucket]) {
        // The L1 property, not `eventBridgeEnabled`, which deploys a Lambda-backed custom resource.
        (b.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
        for (const pack of NAG_PACKS) {
          Validations.of(b).acknowledge({ id: `${pack}-S3BucketReplicationEnabled`, reason: 'Single-Region test stack.' });
        }
      }
      (bucket.node.defaultChild as s3.CfnBucket).objectLockEnabled = true;
      for (const pack of NAG_PACKS) {
        Validations.of(accessLogs).acknowledge({ id: `${pack}-S3DefaultEncryptionKMS`, reason: 'Server access log targets support SSE-S3 only.' });
      }
      Validations.of(accessLogs).acknowledge({ id: guardAcknowledgmentId('CT.S3.PR.10'), reason: 'Server access log targets support SSE-S3 only.' });
      Validations.of(accessLogs).acknowledge({ id: guardAcknowledgmentId('CT.S3.PR.2'), reason: 'A log target does not log itself.' });
      Validations.of(accessLogs).acknowledge({ id: guardAcknowledgmentId('CT.S3.PR.9'), reason: 'Server access log targets cannot use Object Lock.' });
    }, { context: CONTEXT });
    expect(formatFindings(findings)).toBe('');
  });
});

describe('disabled guard rules', () => {
  test('a disabled rule is not run', () => {
    const findings = complianceFindings(app => badBucket(new Stack(app, 'Bad'), 'Bucket'), {
      disabledGuardRules: { 'CT.S3.PR.9': 'Object Lock is decided per deployment.', 'CT.S3.PR.4': 'No consumer of bucket events.' },
    });
    expect(rulesAt(findings, 'Bad/Bucket/Resource'))
      .toEqual(BAD_BUCKET_RULES.filter(r => r !== 'cfn-guard CT.S3.PR.9' && r !== 'cfn-guard CT.S3.PR.4'));
  });

  test('needs a bundled control id and a reason', () => {
    const build = (app: App) => { new Stack(app, 'Empty'); };
    expect(() => complianceFindings(build, { disabledGuardRules: { 'ct-s3-pr-9': 'file name' } }))
      .toThrow(/disabledGuardRules: "ct-s3-pr-9" is not a bundled Control Tower control id/);
    expect(() => complianceFindings(build, { disabledGuardRules: { 'CT.S3.PR.9': ' ' } }))
      .toThrow(/disabledGuardRules: "CT.S3.PR.9" needs a reason/);
  });
});

describe('a validator that cannot run', () => {
  afterEach(() => jest.restoreAllMocks());

  test('fails the call instead of reading as no findings', () => {
    jest.spyOn(CfnGuardValidator.prototype, 'validate').mockImplementation(() => {
      throw new Error('cfn-guard exited with signal SIGKILL');
    });
    expect(() => complianceFindings(app => badBucket(new Stack(app, 'Bad'), 'Bucket')))
      .toThrow(/cdk-validator-cfnguard did not run: .*SIGKILL/);
  });
});

describe('guard rules chosen by resource type', () => {
  test('a rule runs when a resource type it names is in the app, and not otherwise', () => {
    const names = (types: string[]) => applicableGuardRules(new Set(types)).map(f => path.basename(f));
    expect(names(['AWS::S3::Bucket'])).toEqual(expect.arrayContaining(['ct-s3-pr-1.guard', 'ct-s3-pr-10.guard']));
    expect(names(['AWS::S3::Bucket'])).not.toContain('ct-sqs-pr-1.guard');
    expect(names(['AWS::SQS::Queue'])).toContain('ct-sqs-pr-1.guard');
    expect(names([])).toEqual([]);
  });

  test('loses no finding: the same findings as every bundled rule on the same templates', () => {
    const everyRule = new CfnGuardValidator();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-rules-'));
    try {
      const app = new App({ outdir, context: CONTEXT });
      badBucket(new Stack(app, 'Bad'), 'Bucket');
      new sqs.CfnQueue(new Stack(app, 'Queue'), 'Plain');
      const templatePaths = app.synth().stacks.map(s => s.templateFullPath);
      const types = new Set(templatePaths.flatMap(p =>
        Object.values(JSON.parse(fs.readFileSync(p, 'utf8')).Resources).map((r: any) => r.Type as string)));
      const pruned = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: applicableGuardRules(types) });
      const rules = (report: PolicyValidationPluginReportBeta1) => report.violations.map(v => v.ruleName).sort();
      const context = { templatePaths } as IPolicyValidationContextBeta1;
      const all = rules(everyRule.validate(context));
      expect(all.length).toBeGreaterThan(5);
      expect(rules(pruned.validate(context))).toEqual(all);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('a StackSet member template', () => {
  test('is checked by cfn-guard and cdk-nag like every other template', () => {
    const findings = complianceFindings(app => {
      const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
      const forwarder = new DetectionForwarder(stack, 'Forwarder', {
        centralBusArn: 'arn:aws:events:us-east-1:222222222222:event-bus/detections',
        organizationalUnitIds: ['r-a1b2'],
        regions: ['us-east-1'],
      });
      badBucket(forwarder.memberStack, 'Bucket');
    }, { context: CONTEXT });
    const rules = rulesAt(findings, 'Management/Forwarder/Member/Bucket/Resource');
    expect(rules).toEqual(expect.arrayContaining(guard('CT.S3.PR.1', 'CT.S3.PR.10')));
    expect(rules).toEqual(expect.arrayContaining(nag('AwsSolutions-S1')));
  });
});
