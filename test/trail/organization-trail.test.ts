import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TrailArchive } from '../../src/archive/trail-archive';
import { TrailIdentity } from '../../src/identity/trail-identity';
import { AccountTrail } from '../../src/trail/account-trail';
import { DataEventPresets } from '../../src/trail/event-selection/presets';
import { OrganizationTrail } from '../../src/trail/organization-trail';

const ORG = TrailIdentity.organization({
  trailName: 'org-trail', organizationId: 'o-a1b2c3d4e5', managementAccount: '111111111111', homeRegion: 'us-east-1',
});

function managementStack() {
  const stack = new Stack(new App(), 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
  const archive = TrailArchive.fromAttributes(stack, 'Archive', {
    bucketName: 'org-logs', keyArn: 'arn:aws:kms:us-east-1:222222222222:alias/org-trail-archive',
  });
  return { stack, archive };
}

test('organization trail in the management account writes to the imported archive', () => {
  const { stack, archive } = managementStack();
  new OrganizationTrail(stack, 'Trail', { identity: ORG, archive });
  Template.fromStack(stack).hasResourceProperties('AWS::CloudTrail::Trail', {
    TrailName: 'org-trail',
    IsOrganizationTrail: true,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    EnableLogFileValidation: true,
    IsLogging: true,
    S3BucketName: 'org-logs',
    KMSKeyId: 'arn:aws:kms:us-east-1:222222222222:alias/org-trail-archive',
  });
});

test('an account identity is rejected', () => {
  const { stack, archive } = managementStack();
  const identity = TrailIdentity.account({ trailName: 'local', account: '111111111111', homeRegion: 'us-east-1' });
  expect(() => new OrganizationTrail(stack, 'Trail', { identity, archive }))
    .toThrow('identity of trail "local" must be an organization identity');
  expect(() => new AccountTrail(stack, 'Trail2', { identity: ORG, archive }))
    .toThrow('identity of trail "org-trail" must be an account identity');
});

test('key prefix comes from the identity', () => {
  const { stack, archive } = managementStack();
  const identity = TrailIdentity.organization({
    trailName: 'org-trail',
    organizationId: 'o-a1b2c3d4e5',
    managementAccount: '111111111111',
    homeRegion: 'us-east-1',
    s3KeyPrefix: 'ct/org',
  });
  new OrganizationTrail(stack, 'Trail', { identity, archive });
  Template.fromStack(stack).hasResourceProperties('AWS::CloudTrail::Trail', { S3KeyPrefix: 'ct/org' });
});

test('S3 data events exclude the imported archive by its literal ARN', () => {
  const stack = new Stack(new App(), 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
  const archive = TrailArchive.fromAttributes(stack, 'Archive', {
    bucketName: 'org-logs',
    accessLogsBucketName: 'org-logs-access',
    keyArn: 'arn:aws:kms:us-east-1:222222222222:alias/org-trail-archive',
  });
  new OrganizationTrail(stack, 'Trail', { identity: ORG, archive, dataEvents: DataEventPresets.cisS3ObjectWriteEvents() });
  const trail: any = Object.values(Template.fromStack(stack).findResources('AWS::CloudTrail::Trail'))[0];
  const s3 = trail.Properties.AdvancedEventSelectors[1];
  expect(s3.FieldSelectors).toContainEqual({
    Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::org-logs/', 'arn:aws:s3:::org-logs-access/'],
  });
});
