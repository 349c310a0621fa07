export * from './event-pattern';
export * from './cloudtrail-event';
export * from './stable-template';
