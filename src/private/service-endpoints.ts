import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/** The DNS suffix of the stack's partition (`amazonaws.com`, `amazonaws.com.cn`, ...), literal where the region is. */
export function domainSuffix(stack: Stack): string {
  if (Token.isUnresolved(stack.region)) return stack.urlSuffix;
  return RegionInfo.get(stack.region).domainSuffix ?? stack.urlSuffix;
}

/**
 * The `kms:ViaService` value of requests S3 makes to KMS on a caller's behalf in the stack's region:
 * `s3.<region>.<domain suffix>`.
 */
export function s3ViaService(stack: Stack): string {
  return `s3.${stack.region}.${domainSuffix(stack)}`;
}
