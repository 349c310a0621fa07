import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { TrailIdentity } from '../../../src/identity/trail-identity';

/**
 * Writes an archive bucket the way CloudTrail fills it when log file validation is on, for the digest
 * queries' tests: log files (`{"Records":[...]}`) and hourly digest files (one JSON document on one line),
 * gzipped, at the keys CloudTrail uses
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html):
 *
 * - `[prefix/]AWSLogs/[<org>/]<account>/CloudTrail/<region>/<delivery day>/<account>_CloudTrail_<region>_<yyyyMMddTHHmmZ>_<16 chars>.json.gz`
 * - `[prefix/]AWSLogs/[<org>/]<account>/CloudTrail-Digest/<region>/<end day>/<account>_CloudTrail-Digest_<region>_<trail>_<home region>_<yyyyMMddTHHmmssZ>.json.gz`
 *
 * A digest names the log files delivered in its hour and links to the previous digest of its chain (none for a
 * starting digest); hashes are SHA-256 of the log file's JSON text, signatures random hex.
 */
export class ArchiveWriter {
  public readonly dir: string;
  /** Every log file written, in order. */
  public readonly logKeys: string[] = [];
  private readonly chains = new Map<string, { key: string; signature: string; end: Date }>();
  private readonly pending = new Map<string, string[]>();

  constructor(private readonly identity: TrailIdentity, public readonly bucketName: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-archive-'));
  }

  /** A log file of `account` and `region` delivered at `deliveredAt`; it waits for the next digest of the chain. */
  public logFile(account: string, region: string, deliveredAt: Date, records: object[], options: { vouched?: boolean } = {}): string {
    const key = `${this.accountFolder(account)}CloudTrail/${region}/${day(deliveredAt)}/` +
      `${account}_CloudTrail_${region}_${compact(deliveredAt).slice(0, 13)}Z_${randomBytes(8).toString('hex').slice(0, 16)}.json.gz`;
    this.write(key, JSON.stringify({ Records: records }));
    this.logKeys.push(key);
    if (options.vouched !== false) {
      const chain = `${account}/${region}`;
      this.pending.set(chain, [...(this.pending.get(chain) ?? []), key]);
    }
    return key;
  }

  /**
   * The digest of `account` and `region` for [start, end): names the log files written since the chain's last
   * digest and links to that digest, unless `restart` (a starting digest) or it is the chain's first.
   */
  public digest(account: string, region: string, start: Date, end: Date, options: { restart?: boolean } = {}): string {
    const chain = `${account}/${region}`;
    const previous = options.restart ? undefined : this.chains.get(chain);
    const key = `${this.accountFolder(account)}CloudTrail-Digest/${region}/${day(end)}/` +
      `${account}_CloudTrail-Digest_${region}_${this.identity.trailName}_${this.identity.homeRegion}_${compact(end)}Z.json.gz`;
    const logFiles = (this.pending.get(chain) ?? []).map(logKey => ({
      s3Bucket: this.bucketName,
      s3Object: logKey,
      hashValue: createHash('sha256').update(zlib.gunzipSync(fs.readFileSync(this.file(logKey)))).digest('hex'),
      hashAlgorithm: 'SHA-256',
      newestEventTime: iso(start),
      oldestEventTime: iso(start),
    }));
    this.pending.set(chain, []);
    const signature = randomBytes(64).toString('hex');
    const digest = {
      awsAccountId: account,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: this.bucketName,
      digestS3Object: key,
      digestPublicKeyFingerprint: randomBytes(16).toString('hex'),
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: logFiles.length ? iso(start) : null,
      oldestEventTime: logFiles.length ? iso(start) : null,
      previousDigestS3Bucket: previous ? this.bucketName : null,
      previousDigestS3Object: previous ? previous.key : null,
      previousDigestHashValue: previous ? randomBytes(32).toString('hex') : null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous ? previous.signature : null,
      logFiles,
    };
    this.write(key, JSON.stringify(digest));
    this.chains.set(chain, { key, signature, end });
    return key;
  }

  /**
   * An hour of ordinary activity per chain from `from` for `hours` hours: a log file five minutes into each hour,
   * then the hour's digest. Returns the digest keys in order.
   */
  public hours(account: string, region: string, from: Date, hours: number): string[] {
    const keys: string[] = [];
    for (let h = 0; h < hours; h++) {
      const start = addMinutes(from, 60 * h);
      this.logFile(account, region, addMinutes(start, 5), [event(account, region, addMinutes(start, 2), 'DescribeInstances')]);
      keys.push(this.digest(account, region, start, addMinutes(start, 60)));
    }
    return keys;
  }

  /** Puts `{"Records": records}` at `key`, over what is there: a planted or overwritten file no digest learns of. */
  public put(key: string, records: object[]): void {
    this.write(key, JSON.stringify({ Records: records }));
  }

  /** Removes an object, as a delete on the bucket would. */
  public remove(key: string): void {
    fs.rmSync(this.file(key));
  }

  public cleanUp(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** `s3://<bucket>/<key>`, as Athena's `"$path"` names the object. */
  public uri(key: string): string {
    return `s3://${this.bucketName}/${key}`;
  }

  private accountFolder(account: string): string {
    return `${this.identity.accountsPrefix}${account}/`;
  }

  private file(key: string): string {
    return path.join(this.dir, ...key.split('/'));
  }

  private write(key: string, json: string): void {
    fs.mkdirSync(path.dirname(this.file(key)), { recursive: true });
    fs.writeFileSync(this.file(key), zlib.gzipSync(json));
  }
}

/** A CloudTrail record of `eventName` (a management event of EC2 unless it is a CloudTrail call). */
export function event(account: string, region: string, time: Date, eventName: string,
  options: { requestParameters?: object; errorCode?: string; eventSource?: string } = {}): object {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${account}:assumed-role/Admin/mallory`, accountId: account },
    eventTime: iso(time),
    eventSource: options.eventSource ?? 'ec2.amazonaws.com',
    eventName,
    awsRegion: region,
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: 'denied' } : {}),
    requestParameters: options.requestParameters ?? null,
    responseElements: null,
    requestID: randomBytes(8).toString('hex'),
    eventID: randomBytes(16).toString('hex'),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

export function at(isoTime: string): Date {
  return new Date(isoTime);
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

/** 2024-05-01T10:31:07Z */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function compact(date: Date): string {
  return iso(date).replace(/[-:]/g, '').replace(/Z$/, '');
}

function day(date: Date): string {
  return iso(date).slice(0, 10).replace(/-/g, '/');
}
