export * from './cloudtrail-schema';
export * from './trail-table';
export * from './trail-table-ref';
export * from './cloudtrail-table';
export * from './insights-table';
export * from './forensic-query-types';
export * from './forensic-query';
export * from './trail-analytics';
