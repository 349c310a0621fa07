export * from './data-events';
export * from './field-selector';
export * from './insights';
export * from './management-events';
export * from './network-activity';
export * from './presets';
export * from './read-write';
