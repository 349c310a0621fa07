// The matcher is private because detections use it at synth; the testing namespace is where users reach it.
export { EventPatternMatcher } from '../private/event-pattern-matcher';
export * from './cloudtrail-event';
export * from './stable-template';
