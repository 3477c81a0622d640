/**
 * apps/v1 ReplicaSet validation, following pkg/apis/apps/validation/validation.go
 * (ValidateReplicaSet[Update], ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet) and
 * the apps/v1 selector immutability of pkg/registry/apps/replicaset/strategy.go.
 *
 * The selector and template rules here are shared with Deployments. Messages are upstream's,
 * including "empty selector is invalid for deployment", which upstream also prints for ReplicaSets.
 * Deliberate gap: status validation (the status subresource) is not modelled here.
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import { compileLabelSelector, isEmptySelector } from '../label-selector.js';
import type { LabelSelector } from '../types/meta.js';
import type { PodTemplateSpec } from '../types/pod.js';
import type { ReplicaSet } from '../types/replicaset.js';
import { nameIsDNSSubdomain, validateImmutableField, validateMetadata, validateNonnegativeField } from './meta.js';
import { validatePodTemplateSpec } from './pod.js';
import { validateLabelSelector } from './selector.js';

/**
 * The template must carry labels the selector matches, be a valid pod template, restart Always
 * and not set activeDeadlineSeconds (ValidatePodTemplateSpecForReplicaSet).
 */
export function validatePodTemplateSpecForReplicaSet(
  template: PodTemplateSpec | undefined,
  selector: LabelSelector | undefined,
  path: FieldPath,
): FieldError[] {
  const errors: FieldError[] = [];
  const labels = template?.metadata?.labels;
  // A missing selector matches nothing; an empty one selects everything and is reported elsewhere.
  if (!isEmptySelector(selector) && !compileLabelSelector(selector)(labels)) {
    errors.push(fieldError.invalid(path.child('metadata').child('labels'), labels ?? {}, '`selector` does not match template `labels`'));
  }
  errors.push(...validatePodTemplateSpec(template, path));
  const spec = template?.spec;
  if (spec && spec.restartPolicy !== 'Always') {
    errors.push(fieldError.notSupported(path.child('spec').child('restartPolicy'), spec.restartPolicy ?? '', ['Always']));
  }
  if (spec?.activeDeadlineSeconds !== undefined) {
    const detail = 'activeDeadlineSeconds in ReplicaSet is not Supported';
    errors.push(fieldError.forbidden(path.child('spec').child('activeDeadlineSeconds'), detail));
  }
  return errors;
}

/**
 * The selector (required, valid, non-empty) and, when it is usable, the template against it —
 * the part of ValidateReplicaSetSpec and ValidateDeploymentSpec the two kinds share.
 */
export function validateSelectorAndTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  specPath: FieldPath,
): FieldError[] {
  const path = specPath.child('selector');
  if (selector === undefined || selector === null) {
    return [fieldError.required(path), ...validatePodTemplateSpecForReplicaSet(template, selector, specPath.child('template'))];
  }
  const syntax = validateLabelSelector(selector, path);
  const errors = [...syntax];
  if (isEmptySelector(selector)) errors.push(fieldError.invalid(path, selector, 'empty selector is invalid for deployment'));
  // Upstream validates the template only when the selector converts, i.e. has no syntax errors.
  if (syntax.length > 0) return [...errors, fieldError.invalid(path, selector, 'invalid label selector')];
  return [...errors, ...validatePodTemplateSpecForReplicaSet(template, selector, specPath.child('template'))];
}

/**
 * validateSelectorAndTemplate at `spec`, memoised by template object. Deployments and
 * ReplicaSets are written far more often than their selector and template change (each scaling,
 * each annotation, is an update that keeps both objects), and the answer depends on nothing else.
 * As the pod spec memos do (pod.ts), it relies on stored objects never changing; the parts read
 * are checked to be the same objects besides.
 */
export function specSelectorAndTemplateErrors(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined): FieldError[] {
  if (typeof template !== 'object' || template === null) return validateSelectorAndTemplate(selector, template, FieldPath.root('spec'));
  const memo = selectorAndTemplateMemo.get(template);
  if (memo !== undefined && memo.selector === selector && memo.metadata === template.metadata && memo.spec === template.spec) return memo.errors;
  const errors = validateSelectorAndTemplate(selector, template, FieldPath.root('spec'));
  selectorAndTemplateMemo.set(template, { selector, metadata: template.metadata, spec: template.spec, errors });
  return errors;
}

const selectorAndTemplateMemo = new WeakMap<
  object,
  { readonly selector: LabelSelector | undefined; readonly metadata: unknown; readonly spec: unknown; readonly errors: FieldError[] }
>();

/** `spec.selector: field is immutable` for apps/v1 workloads. */
export function validateSelectorUpdate(selector: LabelSelector | undefined, old: LabelSelector | undefined): FieldError[] {
  return validateImmutableField(selector, old, FieldPath.root('spec').child('selector'));
}

/** Validates a ReplicaSet on create, or on update when `old` is given. */
export function validateReplicaSet(obj: ReplicaSet, old?: ReplicaSet): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const specPath = FieldPath.root('spec');
  const spec = obj.spec ?? ({} as Partial<ReplicaSet['spec']>);
  errors.push(...validateNonnegativeField(spec.replicas, specPath.child('replicas')));
  errors.push(...validateNonnegativeField(spec.minReadySeconds, specPath.child('minReadySeconds')));
  errors.push(...specSelectorAndTemplateErrors(spec.selector, spec.template));
  if (old !== undefined) errors.push(...validateSelectorUpdate(spec.selector, old.spec?.selector));
  return errors;
}
