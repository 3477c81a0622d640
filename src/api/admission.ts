/**
 * Admission as the API server runs it on every create and update: the kind's defaulter, then its
 * validator. Kinds without an entry (not yet modelled) pass through unchanged.
 */
import type { Admission } from '../cluster/api-server.js';
import { defaulters } from './defaults/index.js';
import type { FieldError } from './field-errors.js';
import type { DeepReadonly, KubeObject } from './types/meta.js';
import { validators } from './validation/index.js';

export const apiAdmission: Admission = {
  default(obj: KubeObject, old?: DeepReadonly<KubeObject>): void {
    defaulters[obj.kind]?.(obj, old);
  },
  validate(obj: KubeObject, old?: DeepReadonly<KubeObject>): FieldError[] {
    return validators[obj.kind]?.(obj, old) ?? [];
  },
};
