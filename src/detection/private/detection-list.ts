import { IConstruct } from 'constructs';
import { fail, validateNonEmpty } from '../../private/validation';
import { Detection } from '../detection';

/** Rejects an empty list, non-Detection entries and repeated ids; returns the list. */
export function validateDetections(scope: IConstruct, prop: string, detections: readonly Detection[]): readonly Detection[] {
  validateNonEmpty(scope, prop, detections);
  const seen = new Set<string>();
  for (const d of detections) {
    if (!(d instanceof Detection)) fail(scope, prop, String(d), 'must contain Detection objects');
    if (seen.has(d.id)) fail(scope, prop, d.id, 'must not contain the same detection id twice');
    seen.add(d.id);
  }
  return detections;
}
