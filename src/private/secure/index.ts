export * from './key';
export * from './bucket';
export * from './dead-letter-queue';
export * from './rule';
export * from './validators';
export * from './log-group';
