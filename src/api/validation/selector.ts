/**
 * Selector validation: LabelSelector (k8s.io/apimachinery/pkg/apis/meta/v1/validation:
 * ValidateLabelSelector, strict mode — values must be valid label values, as apps/v1 requires)
 * and node selectors / node affinity (pkg/apis/core/validation/validation.go:
 * ValidateNodeSelector, ValidateNodeSelectorTerm, ValidateNodeFieldSelectorRequirement,
 * ValidatePreferredSchedulingTerms).
 *
 * Deliberate differences: `Gt`/`Lt` values must parse as integers here (the message is the one
 * apimachinery's labels.NewRequirement gives); upstream validation accepts any label value and the
 * scheduler then never matches. Pod (anti-)affinity is not modelled, so it is not validated.
 */
import { type FieldError, type FieldPath, fieldError } from '../field-errors.js';
import type { LabelSelector, LabelSelectorRequirement } from '../types/meta.js';
import type { NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from '../types/pod.js';
import { invalidEach, isValidLabelValue, nameIsDNSSubdomain, validateLabelName, validateLabels } from './meta.js';

const IN_NOT_IN_VALUES = "must be specified when `operator` is 'In' or 'NotIn'";
const EXISTS_VALUES = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'";
const INVALID_OPERATOR = 'not a valid selector operator';

function validateValues(values: readonly string[] | undefined, path: FieldPath): FieldError[] {
  return (values ?? []).flatMap((value, i) => invalidEach(path.index(i), value, isValidLabelValue(String(value))));
}

function validateLabelSelectorRequirement(req: LabelSelectorRequirement, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const count = req.values?.length ?? 0;
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (count === 0) errors.push(fieldError.required(path.child('values'), IN_NOT_IN_VALUES));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (count > 0) errors.push(fieldError.forbidden(path.child('values'), EXISTS_VALUES));
      break;
    default:
      errors.push(fieldError.invalid(path.child('operator'), req.operator, INVALID_OPERATOR));
  }
  errors.push(...validateLabelName(req.key ?? '', path.child('key')));
  return [...errors, ...validateValues(req.values, path.child('values'))];
}

/**
 * A LabelSelector's syntax. An absent selector is valid here (callers decide whether it is
 * required); an empty result also means upstream's LabelSelectorAsSelector would accept it.
 */
export function validateLabelSelector(selector: LabelSelector | undefined, path: FieldPath): FieldError[] {
  if (selector === undefined || selector === null) return [];
  return [
    ...validateLabels(selector.matchLabels, path.child('matchLabels')),
    ...(selector.matchExpressions ?? []).flatMap((req, i) =>
      validateLabelSelectorRequirement(req, path.child('matchExpressions').index(i)),
    ),
  ];
}

function validateNodeSelectorRequirement(req: NodeSelectorRequirement, allowInvalidValues: boolean, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errors.push(fieldError.required(path.child('values'), IN_NOT_IN_VALUES));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errors.push(fieldError.forbidden(path.child('values'), EXISTS_VALUES));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) {
        errors.push(fieldError.required(path.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      } else if (!/^[+-]?\d+$/.test(String(values[0]))) {
        errors.push(fieldError.invalid(path.child('values').index(0), values[0], "for 'Gt', 'Lt' operators, the value must be an integer"));
      }
      break;
    default:
      errors.push(fieldError.invalid(path.child('operator'), req.operator, INVALID_OPERATOR));
  }
  errors.push(...validateLabelName(req.key ?? '', path.child('key')));
  if (!allowInvalidValues) errors.push(...validateValues(values, path.child('values')));
  return errors;
}

/** matchFields supports only `metadata.name` with In/NotIn and exactly one node name. */
function validateNodeFieldSelectorRequirement(req: NodeSelectorRequirement, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const values = req.values ?? [];
  if (req.operator === 'In' || req.operator === 'NotIn') {
    if (values.length !== 1) {
      const detail = "must be only one value when `operator` is 'In' or 'NotIn' for node field selector";
      errors.push(fieldError.required(path.child('values'), detail));
    }
  } else {
    errors.push(fieldError.invalid(path.child('operator'), req.operator, INVALID_OPERATOR));
  }
  if (req.key !== 'metadata.name') {
    errors.push(fieldError.invalid(path.child('key'), req.key, 'not a valid field selector key'));
  } else {
    values.forEach((value, i) => {
      errors.push(...invalidEach(path.child('values').index(i), value, nameIsDNSSubdomain(String(value), false)));
    });
  }
  return errors;
}

/** One node selector term: its label expressions and field expressions. */
export function validateNodeSelectorTerm(term: NodeSelectorTerm, allowInvalidValues: boolean, path: FieldPath): FieldError[] {
  return [
    ...(term.matchExpressions ?? []).flatMap((req, i) =>
      validateNodeSelectorRequirement(req, allowInvalidValues, path.child('matchExpressions').index(i)),
    ),
    ...(term.matchFields ?? []).flatMap((req, i) => validateNodeFieldSelectorRequirement(req, path.child('matchFields').index(i))),
  ];
}

/** A required node selector: at least one term, each valid (values strictly checked). */
export function validateNodeSelector(selector: NodeSelector, path: FieldPath): FieldError[] {
  const termsPath = path.child('nodeSelectorTerms');
  const terms = selector.nodeSelectorTerms ?? [];
  if (terms.length === 0) return [fieldError.required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((term, i) => validateNodeSelectorTerm(term ?? {}, false, termsPath.index(i)));
}

/** Preferred terms: weight 1–100; invalid label values are tolerated, as upstream does. */
export function validatePreferredSchedulingTerms(terms: readonly PreferredSchedulingTerm[], path: FieldPath): FieldError[] {
  return terms.flatMap((term, i) => {
    const errors: FieldError[] = [];
    if (!(term.weight > 0 && term.weight <= 100)) {
      errors.push(fieldError.invalid(path.index(i).child('weight'), term.weight, 'must be in the range 1-100'));
    }
    return [...errors, ...validateNodeSelectorTerm(term.preference ?? {}, true, path.index(i).child('preference'))];
  });
}

/** Node affinity's required selector and preferred terms. */
export function validateNodeAffinity(affinity: NodeAffinity, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (required !== undefined && required !== null) {
    errors.push(...validateNodeSelector(required, path.child('requiredDuringSchedulingIgnoredDuringExecution')));
  }
  const preferred = affinity.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  errors.push(...validatePreferredSchedulingTerms(preferred, path.child('preferredDuringSchedulingIgnoredDuringExecution')));
  return errors;
}
