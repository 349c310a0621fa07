export * from './detection';
export * from './alert-investigation';
export * from './security-alerts';
export * from './central-detection-bus';
export * from './detection-forwarding-rule';
export * from './detection-forwarder';
export * from './cis-alarms';
export * from './forwarding-names';
