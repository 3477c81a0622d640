/**
 * PersistentVolumeClaim validation, following pkg/apis/core/validation/validation.go
 * (ValidatePersistentVolumeClaim, ValidatePersistentVolumeClaimSpec,
 * ValidatePersistentVolumeClaimUpdate). The spec rules are shared with a StatefulSet's claim
 * templates.
 *
 * Checked: access modes (at least one, each supported, ReadWriteOncePod alone), the selector, a
 * positive storage request, the storage class name, the volume mode; on update, a spec that
 * only changes its requests (of a bound claim) or its volumeAttributesClassName, and a storage
 * request not below the bound capacity.
 * Deliberate gaps: dataSource / dataSourceRef and the volume attributes class are not checked;
 * the immutability message omits the spec diff upstream appends to it.
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import { isQuantity, milliValue } from '../quantity.js';
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec } from '../types/persistent-volume-claim.js';
import { invalidEach, isDNS1123Subdomain, nameIsDNSSubdomain, semanticEqual, validateMetadata } from './meta.js';
import { validateResourceQuantityValue } from './pod.js';
import { validateLabelSelector } from './selector.js';

/** supportedAccessModes, sorted as upstream's sets.List prints them. */
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const SPEC_IMMUTABLE = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

/** ValidatePersistentVolumeClaimSpec. */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec | undefined, path: FieldPath): FieldError[] {
  const s: PersistentVolumeClaimSpec = spec ?? {};
  const errors: FieldError[] = [];
  const modes = s.accessModes ?? [];
  if (modes.length === 0) errors.push(fieldError.required(path.child('accessModes'), 'at least 1 access mode is required'));
  if (s.selector !== undefined && s.selector !== null) errors.push(...validateLabelSelector(s.selector, path.child('selector')));
  let foundReadWriteOncePod = false;
  let foundOther = false;
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(mode)) errors.push(fieldError.notSupported(path.child('accessModes'), mode, ACCESS_MODES));
    else if (mode === 'ReadWriteOncePod') foundReadWriteOncePod = true;
    else foundOther = true;
  }
  if (foundReadWriteOncePod && foundOther) {
    errors.push(fieldError.forbidden(path.child('accessModes'), 'may not use ReadWriteOncePod with other access modes'));
  }
  const storagePath = path.child('resources').key('storage');
  const storage = s.resources?.requests?.storage;
  if (storage === undefined || storage === null) {
    errors.push(fieldError.required(storagePath));
  } else {
    errors.push(...validateResourceQuantityValue('storage', storage, storagePath));
    if (isQuantity(storage) && milliValue(storage) <= 0) errors.push(fieldError.invalid(storagePath, storage, 'must be greater than zero'));
  }
  if (s.storageClassName) errors.push(...invalidEach(path.child('storageClassName'), s.storageClassName, isDNS1123Subdomain(s.storageClassName)));
  if (s.volumeMode !== undefined && s.volumeMode !== null && !VOLUME_MODES.includes(s.volumeMode)) {
    errors.push(fieldError.notSupported(path.child('volumeMode'), s.volumeMode, VOLUME_MODES));
  }
  return errors;
}

/** The spec with what an update may change removed, for the immutability comparison. */
function immutablePart(spec: PersistentVolumeClaimSpec | undefined, bound: boolean): PersistentVolumeClaimSpec {
  const { volumeAttributesClassName: _class, ...rest } = (spec ?? {}) as PersistentVolumeClaimSpec & { volumeAttributesClassName?: string };
  if (bound) rest.resources = { ...rest.resources, requests: undefined };
  return rest;
}

/** ValidatePersistentVolumeClaimUpdate: spec immutability and no shrinking below the bound capacity. */
function validateUpdate(claim: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const bound = old.status?.phase === 'Bound';
  const errors: FieldError[] = [];
  if (!semanticEqual(immutablePart(claim.spec, bound), immutablePart(old.spec, bound))) errors.push(fieldError.forbidden(FieldPath.root('spec'), SPEC_IMMUTABLE));
  const storage = claim.spec?.resources?.requests?.storage;
  const capacity = old.status?.capacity?.storage;
  if (bound && isQuantity(storage) && isQuantity(capacity) && milliValue(storage as string) < milliValue(capacity as string)) {
    errors.push(fieldError.forbidden(FieldPath.root('spec').child('resources').child('requests').child('storage'), 'field can not be less than status.capacity'));
  }
  return errors;
}

/** Validates a PersistentVolumeClaim on create, or on update when `old` is given. */
export function validatePersistentVolumeClaim(obj: PersistentVolumeClaim, old?: PersistentVolumeClaim): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errors.push(...validatePersistentVolumeClaimSpec(obj.spec, FieldPath.root('spec')));
  if (old !== undefined) errors.push(...validateUpdate(obj, old));
  return errors;
}
