export { OrganizationGuardrails, OrganizationGuardrailsProps } from './organization-guardrails';
