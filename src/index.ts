export { TrailIdentity, OrganizationTrailIdentityProps, AccountTrailIdentityProps } from './identity/trail-identity';
export { ITrailArchive } from './archive/archive-base';
export { TrailArchive, TrailArchiveOptions, TrailArchiveProps, TrailArchiveAttributes } from './archive/trail-archive';
export { ArchiveTransition, ArchiveObjectLock } from './archive/lifecycle';
export { TrailBase, TrailOptions, TrailCloudWatchLogsOptions } from './trail/trail-base';
export { OrganizationTrail, OrganizationTrailProps } from './trail/organization-trail';
export { AccountTrail, AccountTrailProps } from './trail/account-trail';
export * from './trail/event-selection';
export * from './query';
