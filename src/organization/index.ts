export * from './organization-guardrails';
