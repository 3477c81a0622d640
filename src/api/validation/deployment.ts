/**
 * apps/v1 Deployment validation, following pkg/apis/apps/validation/validation.go
 * (ValidateDeployment[Update], ValidateDeploymentSpec, ValidateDeploymentStrategy,
 * ValidateRollingUpdateDeployment, ValidatePositiveIntOrPercent, IsNotMoreThan100Percent) and the
 * apps/v1 selector immutability of pkg/registry/apps/deployment/strategy.go.
 *
 * Runs on defaulted objects: a RollingUpdate strategy without rollingUpdate is reported as upstream
 * does ("this should be defaulted and never be nil").
 * Deliberate gaps: the deprecated rollbackTo field and status validation are not modelled.
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import { parsePercent } from '../int-or-percent.js';
import type { Deployment, DeploymentStrategy, RollingUpdateDeployment } from '../types/deployment.js';
import type { IntOrString } from '../types/meta.js';
import { nameIsDNSSubdomain, regexError, validateMetadata, validateNonnegativeField } from './meta.js';
import { specSelectorAndTemplateErrors, validateSelectorUpdate } from './replicaset.js';

const PERCENT = /^[0-9]+%$/;

/** A non-negative integer, or a percentage `N%` (ValidatePositiveIntOrPercent). */
export function validatePositiveIntOrPercent(value: IntOrString | undefined, path: FieldPath): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    if (PERCENT.test(value)) return [];
    const detail = regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%');
    return [fieldError.invalid(path, value, detail)];
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return [fieldError.invalid(path, value, "must be an integer or percentage (e.g '5%')")];
  }
  return validateNonnegativeField(value, path);
}

/** The number upstream compares with 0: the percentage's number, or the integer itself. */
function intOrPercentValue(value: IntOrString | undefined): number {
  if (typeof value === 'number') return value;
  return value === undefined || value === null ? 0 : (parsePercent(value) ?? 0);
}

function validateRollingUpdate(rollingUpdate: RollingUpdateDeployment, path: FieldPath): FieldError[] {
  const unavailablePath = path.child('maxUnavailable');
  const errors = [
    ...validatePositiveIntOrPercent(rollingUpdate.maxUnavailable, unavailablePath),
    ...validatePositiveIntOrPercent(rollingUpdate.maxSurge, path.child('maxSurge')),
  ];
  if (intOrPercentValue(rollingUpdate.maxUnavailable) === 0 && intOrPercentValue(rollingUpdate.maxSurge) === 0) {
    // Nothing could ever be replaced: no pod may go down and none may be added.
    errors.push(fieldError.invalid(unavailablePath, rollingUpdate.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  const maxUnavailable = rollingUpdate.maxUnavailable;
  const percent = typeof maxUnavailable === 'string' && PERCENT.test(maxUnavailable) ? parsePercent(maxUnavailable) : undefined;
  if (percent !== undefined && percent > 100) {
    errors.push(fieldError.invalid(unavailablePath, rollingUpdate.maxUnavailable, 'must not be greater than 100%'));
  }
  return errors;
}

/** Recreate forbids rollingUpdate; RollingUpdate needs valid parameters (ValidateDeploymentStrategy). */
export function validateDeploymentStrategy(strategy: DeploymentStrategy | undefined, path: FieldPath): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      if (!s.rollingUpdate) return [];
      return [fieldError.forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")];
    case 'RollingUpdate':
      if (!s.rollingUpdate) return [fieldError.required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
      return validateRollingUpdate(s.rollingUpdate, path.child('rollingUpdate'));
    default:
      return [fieldError.notSupported(path, s, ['Recreate', 'RollingUpdate'])];
  }
}

/** Validates a Deployment on create, or on update when `old` is given. */
export function validateDeployment(obj: Deployment, old?: Deployment): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const path = FieldPath.root('spec');
  const spec = obj.spec ?? ({} as Partial<Deployment['spec']>);
  errors.push(...validateNonnegativeField(spec.replicas, path.child('replicas')));
  errors.push(...specSelectorAndTemplateErrors(spec.selector, spec.template));
  errors.push(...validateDeploymentStrategy(spec.strategy, path.child('strategy')));
  errors.push(...validateNonnegativeField(spec.minReadySeconds, path.child('minReadySeconds')));
  errors.push(...validateNonnegativeField(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  const deadline = spec.progressDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    errors.push(...validateNonnegativeField(deadline, path.child('progressDeadlineSeconds')));
    // Progress could never be judged if the deadline expired before a pod could become available.
    if (deadline <= (spec.minReadySeconds ?? 0)) {
      errors.push(fieldError.invalid(path.child('progressDeadlineSeconds'), deadline, 'must be greater than minReadySeconds'));
    }
  }
  if (old !== undefined) errors.push(...validateSelectorUpdate(spec.selector, old.spec?.selector));
  return errors;
}
