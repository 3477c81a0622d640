/**
 * apps/v1 StatefulSet validation, following pkg/apis/apps/validation/validation.go as of 1.35
 * (ValidateStatefulSet, ValidateStatefulSetSpec, validateRollingUpdateStatefulSet,
 * ValidatePersistentVolumeClaimRetentionPolicy, ValidatePodTemplateSpecForStatefulSet,
 * ValidateVolumeClaimTemplates, ValidateStatefulSetUpdate).
 *
 * Since 1.33–1.34 upstream also validates, on create, `serviceName` as a DNS-1123 label, the pod
 * template's spec and the claim templates' specs; on update these three rules "ratchet": they
 * apply only when the stored object passed them, so an object stored before the rules existed
 * stays updatable. The name must be a DNS-1123 label (pods are named `<set>-<ordinal>` and use
 * the name as their hostname). On update only replicas, ordinals, template, updateStrategy,
 * persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
 *
 * Deliberate gaps: status validation (the status subresource) is not modelled; a claim
 * template's metadata is not validated (its name only has to make valid claim names, which the
 * claim's own validation checks when the controller creates it).
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import { parsePercent } from '../int-or-percent.js';
import { compileLabelSelector, isEmptySelector } from '../label-selector.js';
import type { IntOrString } from '../types/meta.js';
import type { PodTemplateSpec } from '../types/pod.js';
import type { PersistentVolumeClaimTemplate } from '../types/persistent-volume-claim.js';
import type { StatefulSet, StatefulSetSpec } from '../types/statefulset.js';
import { validatePositiveIntOrPercent } from './deployment.js';
import {
  type NameValidator, invalidEach, isDNS1123Label, semanticEqual, validateAnnotations, validateLabels, validateMetadata, validateNonnegativeField,
} from './meta.js';
import { validatePersistentVolumeClaimSpec } from './persistent-volume-claim.js';
import { validatePodTemplateSpec } from './pod.js';
import { validateLabelSelector } from './selector.js';

const RETENTION_POLICIES = ['Retain', 'Delete'];
const UPDATE_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
  "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** ValidateStatefulSetName: a DNS-1123 label (a generateName prefix may end with `-`). */
const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name);

/** The tightened rules that ratchet on update (StatefulSetValidationOptions). */
interface SpecOptions {
  readonly allowInvalidServiceName: boolean;
  readonly skipPodTemplateSpec: boolean;
  readonly skipVolumeClaimTemplates: boolean;
}

const STRICT: SpecOptions = { allowInvalidServiceName: false, skipPodTemplateSpec: false, skipVolumeClaimTemplates: false };

/** getIntOrPercentValue: the integer, or the number of a percentage (0 when it does not parse). */
function intOrPercentValue(value: IntOrString): number {
  if (typeof value === 'number') return value;
  return parsePercent(value) ?? 0;
}

/** validateRollingUpdateStatefulSet: partition ≥ 0; maxUnavailable a positive int or percentage, ≤ 100%. */
function validateRollingUpdate(rollingUpdate: NonNullable<NonNullable<StatefulSetSpec['updateStrategy']>['rollingUpdate']>, path: FieldPath): FieldError[] {
  const errors = validateNonnegativeField(rollingUpdate.partition, path.child('partition'));
  const maxUnavailable = rollingUpdate.maxUnavailable;
  if (maxUnavailable === undefined || maxUnavailable === null) return errors;
  const maxPath = path.child('maxUnavailable');
  errors.push(...validatePositiveIntOrPercent(maxUnavailable, maxPath));
  if (intOrPercentValue(maxUnavailable) === 0) errors.push(fieldError.invalid(maxPath, maxUnavailable, 'cannot be 0'));
  if (typeof maxUnavailable === 'string' && /^[0-9]+%$/.test(maxUnavailable) && (parsePercent(maxUnavailable) ?? 0) > 100) {
    errors.push(fieldError.invalid(maxPath, maxUnavailable, 'must not be greater than 100%'));
  }
  return errors;
}

function validateUpdateStrategy(strategy: StatefulSetSpec['updateStrategy'], path: FieldPath): FieldError[] {
  const s = strategy ?? {};
  if (!s.type) return [fieldError.required(path)];
  switch (s.type) {
    case 'OnDelete':
      if (s.rollingUpdate === undefined || s.rollingUpdate === null) return [];
      return [fieldError.invalid(path.child('rollingUpdate'), s.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'")];
    case 'RollingUpdate':
      return s.rollingUpdate ? validateRollingUpdate(s.rollingUpdate, path.child('rollingUpdate')) : [];
    default:
      return [fieldError.invalid(path, s, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateRetentionPolicy(policy: StatefulSetSpec['persistentVolumeClaimRetentionPolicy'], path: FieldPath): FieldError[] {
  if (policy === undefined || policy === null) return [];
  const errors: FieldError[] = [];
  for (const key of ['whenDeleted', 'whenScaled'] as const) {
    const value = policy[key];
    if (!RETENTION_POLICIES.includes(value as string)) errors.push(fieldError.notSupported(path.child(key), value ?? '', RETENTION_POLICIES));
  }
  return errors;
}

/** ValidateVolumeClaimTemplates: each template's spec as a claim's. */
function validateVolumeClaimTemplates(templates: readonly PersistentVolumeClaimTemplate[] | undefined, path: FieldPath): FieldError[] {
  return (templates ?? []).flatMap((claim, i) => validatePersistentVolumeClaimSpec(claim?.spec, path.index(i).child('spec')));
}

/**
 * ValidatePodTemplateSpecForStatefulSet plus the restartPolicy / activeDeadlineSeconds rules of
 * ValidateStatefulSetSpec: the selector must match the template's labels; the template's labels,
 * annotations and (unless skipped) pod spec must be valid.
 */
function validateTemplate(spec: Partial<StatefulSetSpec>, path: FieldPath, options: SpecOptions): FieldError[] {
  const template = spec.template as PodTemplateSpec | undefined;
  const errors: FieldError[] = [];
  const labels = template?.metadata?.labels;
  if (!isEmptySelector(spec.selector) && !compileLabelSelector(spec.selector)(labels)) {
    errors.push(fieldError.invalid(path.child('metadata').child('labels'), labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (options.skipPodTemplateSpec) {
    errors.push(...validateLabels(labels, path.child('labels')), ...validateAnnotations(template?.metadata?.annotations, path.child('annotations')));
  } else {
    errors.push(...validatePodTemplateSpec(template, path));
  }
  const podSpec = template?.spec;
  if (podSpec?.restartPolicy !== 'Always') {
    errors.push(fieldError.notSupported(path.child('spec').child('restartPolicy'), podSpec?.restartPolicy ?? '', ['Always']));
  }
  if (podSpec?.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errors.push(fieldError.forbidden(path.child('spec').child('activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errors;
}

/** ValidateStatefulSetSpec. */
function validateSpec(spec: Partial<StatefulSetSpec>, path: FieldPath, options: SpecOptions): FieldError[] {
  const errors: FieldError[] = [];
  const policy = spec.podManagementPolicy;
  if (policy === undefined || policy === null || (policy as string) === '') errors.push(fieldError.required(path.child('podManagementPolicy')));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errors.push(fieldError.invalid(path.child('podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errors.push(...validateUpdateStrategy(spec.updateStrategy, path.child('updateStrategy')));
  errors.push(...validateRetentionPolicy(spec.persistentVolumeClaimRetentionPolicy, path.child('persistentVolumeClaimRetentionPolicy')));
  if (!options.skipVolumeClaimTemplates) errors.push(...validateVolumeClaimTemplates(spec.volumeClaimTemplates, path.child('volumeClaimTemplates')));
  errors.push(...validateNonnegativeField(spec.replicas, path.child('replicas')));
  errors.push(...validateNonnegativeField(spec.minReadySeconds, path.child('minReadySeconds')));
  if (spec.ordinals !== undefined && spec.ordinals !== null) errors.push(...validateNonnegativeField(spec.ordinals.start, path.child('ordinals.start')));
  if (!options.allowInvalidServiceName && spec.serviceName) {
    errors.push(...invalidEach(path.child('serviceName'), spec.serviceName, isDNS1123Label(spec.serviceName)));
  }
  const selectorPath = path.child('selector');
  if (spec.selector === undefined || spec.selector === null) {
    errors.push(fieldError.required(selectorPath));
  } else {
    const syntax = validateLabelSelector(spec.selector, selectorPath);
    errors.push(...syntax);
    if (isEmptySelector(spec.selector)) errors.push(fieldError.invalid(selectorPath, spec.selector, 'empty selector is invalid for statefulset'));
    // Upstream checks the template only when the selector converts, i.e. has no syntax errors.
    if (syntax.length > 0) return [...errors, fieldError.invalid(selectorPath, spec.selector, '')];
  }
  errors.push(...validateTemplate(spec, path.child('template'), options));
  return errors;
}

/** The ratcheting options for an update: a tightened rule applies only if the stored object passes it. */
function ratchet(old: StatefulSet): SpecOptions {
  const spec = old.spec ?? ({} as Partial<StatefulSetSpec>);
  const path = FieldPath.root('spec');
  return {
    allowInvalidServiceName: Boolean(spec.serviceName) && isDNS1123Label(spec.serviceName ?? '').length > 0,
    skipPodTemplateSpec: validatePodTemplateSpec(spec.template, path.child('template')).length > 0,
    skipVolumeClaimTemplates: validateVolumeClaimTemplates(spec.volumeClaimTemplates, path.child('volumeClaimTemplates')).length > 0,
  };
}

/** Spec fields other than the updatable ones must not change (ValidateStatefulSetUpdate). */
function validateSpecUpdate(spec: Partial<StatefulSetSpec>, old: Partial<StatefulSetSpec>): FieldError[] {
  const { replicas: _r, template: _t, updateStrategy: _u, minReadySeconds: _m, ordinals: _o, persistentVolumeClaimRetentionPolicy: _p, ...fixed } = spec;
  const { replicas: _or, template: _ot, updateStrategy: _ou, minReadySeconds: _om, ordinals: _oo, persistentVolumeClaimRetentionPolicy: _op, ...oldFixed } = old;
  return semanticEqual(fixed, oldFixed) ? [] : [fieldError.forbidden(FieldPath.root('spec'), UPDATE_FORBIDDEN)];
}

/** Validates a StatefulSet on create, or on update when `old` is given. */
export function validateStatefulSet(obj: StatefulSet, old?: StatefulSet): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSLabel });
  const spec = obj.spec ?? ({} as Partial<StatefulSetSpec>);
  const path = FieldPath.root('spec');
  if (old === undefined) return [...errors, ...validateSpec(spec, path, STRICT)];
  errors.push(...validateSpec(spec, path, ratchet(old)));
  errors.push(...validateSpecUpdate(spec, old.spec ?? ({} as Partial<StatefulSetSpec>)));
  return errors;
}
