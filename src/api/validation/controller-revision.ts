/**
 * apps/v1 ControllerRevision validation, following pkg/apis/apps/validation/validation.go
 * (ValidateControllerRevision, ValidateControllerRevisionUpdate): a DNS-subdomain name, data
 * present and immutable, a non-negative revision number.
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import type { ControllerRevision } from '../types/controller-revision.js';
import { nameIsDNSSubdomain, validateImmutableField, validateMetadata, validateNonnegativeField } from './meta.js';

export function validateControllerRevision(revision: ControllerRevision, old?: ControllerRevision): FieldError[] {
  const errors = validateMetadata(revision.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  if (revision.data === undefined || revision.data === null) errors.push(fieldError.required(FieldPath.root('data')));
  errors.push(...validateNonnegativeField(revision.revision, FieldPath.root('revision')));
  if (old !== undefined) errors.push(...validateImmutableField(revision.data, old.data, FieldPath.root('data')));
  return errors;
}
