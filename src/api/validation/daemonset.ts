/**
 * apps/v1 DaemonSet validation, following pkg/apis/apps/validation/validation.go
 * (ValidateDaemonSet[Update], ValidateDaemonSetSpec, ValidateDaemonSetUpdateStrategy,
 * ValidateRollingUpdateDaemonSet, IsNotMoreThan100Percent) and the apps/v1 selector immutability
 * of pkg/registry/apps/daemonset/strategy.go.
 *
 * Unlike a Deployment, a missing selector is not reported as required: it matches nothing, so the
 * template's labels fail to match it (`spec.template.metadata.labels`), as upstream reports it.
 * RollingUpdate takes exactly one of maxUnavailable and maxSurge non-zero.
 *
 * Deliberate gaps: spec.templateGeneration's update rules (the generation is kept by the
 * defaulter, see ../defaults/daemonset.ts, so clients cannot get it wrong) and status validation.
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import { parsePercent } from '../int-or-percent.js';
import { compileLabelSelector, isEmptySelector } from '../label-selector.js';
import type { DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet } from '../types/daemonset.js';
import type { IntOrString } from '../types/meta.js';
import { validatePositiveIntOrPercent } from './deployment.js';
import { nameIsDNSSubdomain, validateMetadata, validateNonnegativeField } from './meta.js';
import { validatePodTemplateSpec } from './pod.js';
import { validateSelectorUpdate } from './replicaset.js';
import { validateLabelSelector } from './selector.js';

const PERCENT = /^[0-9]+%$/;

/** getIntOrPercentValue: a valid percentage's number, an integer as is, anything else 0. */
function intOrPercentValue(value: IntOrString | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || !PERCENT.test(value)) return 0;
  return parsePercent(value) ?? 0;
}

/** IsNotMoreThan100Percent: only a valid percentage can be too large. */
function isNotMoreThan100Percent(value: IntOrString | undefined, path: FieldPath): FieldError[] {
  if (typeof value !== 'string' || !PERCENT.test(value) || (parsePercent(value) ?? 0) <= 100) return [];
  return [fieldError.invalid(path, value, 'must not be greater than 100%')];
}

/** ValidateRollingUpdateDaemonSet. */
export function validateRollingUpdateDaemonSet(rollingUpdate: RollingUpdateDaemonSet, path: FieldPath): FieldError[] {
  const unavailablePath = path.child('maxUnavailable');
  const surgePath = path.child('maxSurge');
  const errors = [
    ...validatePositiveIntOrPercent(rollingUpdate.maxUnavailable, unavailablePath),
    ...validatePositiveIntOrPercent(rollingUpdate.maxSurge, surgePath),
    ...isNotMoreThan100Percent(rollingUpdate.maxUnavailable, unavailablePath),
    ...isNotMoreThan100Percent(rollingUpdate.maxSurge, surgePath),
  ];
  // Exactly one of the two drives the update: replace in place, or surge then replace.
  const hasUnavailable = intOrPercentValue(rollingUpdate.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rollingUpdate.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errors.push(fieldError.invalid(surgePath, rollingUpdate.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  } else if (!hasUnavailable && !hasSurge) {
    errors.push(fieldError.required(unavailablePath, 'cannot be 0 when maxSurge is 0'));
  }
  return errors;
}

/** ValidateDaemonSetUpdateStrategy. */
export function validateDaemonSetUpdateStrategy(strategy: DaemonSetUpdateStrategy | undefined, path: FieldPath): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate':
      if (!s.rollingUpdate) return [fieldError.required(path.child('rollingUpdate'))];
      return validateRollingUpdateDaemonSet(s.rollingUpdate, path.child('rollingUpdate'));
    default:
      return [fieldError.notSupported(path, s, ['RollingUpdate', 'OnDelete'])];
  }
}

/** ValidateDaemonSetSpec. */
function validateDaemonSetSpec(spec: Partial<DaemonSet['spec']>, path: FieldPath): FieldError[] {
  const selectorPath = path.child('selector');
  const templatePath = path.child('template');
  const syntax = validateLabelSelector(spec.selector, selectorPath);
  const errors = [...syntax];
  // LabelSelectorAsSelector fails only on syntax; a missing selector converts to "nothing".
  if (syntax.length === 0 && !compileLabelSelector(spec.selector)(spec.template?.metadata?.labels)) {
    errors.push(fieldError.invalid(templatePath.child('metadata').child('labels'), spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (spec.selector !== undefined && spec.selector !== null && isEmptySelector(spec.selector)) {
    errors.push(fieldError.invalid(selectorPath, spec.selector, 'empty selector is invalid for daemonset'));
  }
  errors.push(...validatePodTemplateSpec(spec.template, templatePath));
  const podSpec = spec.template?.spec;
  if (podSpec && podSpec.restartPolicy !== 'Always') {
    errors.push(fieldError.notSupported(templatePath.child('spec').child('restartPolicy'), podSpec.restartPolicy ?? '', ['Always']));
  }
  if (podSpec?.activeDeadlineSeconds !== undefined) {
    errors.push(fieldError.forbidden(templatePath.child('spec').child('activeDeadlineSeconds'), 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errors.push(...validateNonnegativeField(spec.minReadySeconds, path.child('minReadySeconds')));
  errors.push(...validateDaemonSetUpdateStrategy(spec.updateStrategy, path.child('updateStrategy')));
  errors.push(...validateNonnegativeField(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  return errors;
}

/** Validates a DaemonSet on create, or on update when `old` is given. */
export function validateDaemonSet(obj: DaemonSet, old?: DaemonSet): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errors.push(...validateDaemonSetSpec(obj.spec ?? {}, FieldPath.root('spec')));
  if (old !== undefined) errors.push(...validateSelectorUpdate(obj.spec?.selector, old.spec?.selector));
  return errors;
}
