/**
 * Node validation, following pkg/apis/core/validation/validation.go (ValidateNode,
 * validateNodeTaints, ValidateNodeResources, ValidateNodeUpdate). Nodes are cluster-scoped and
 * named by DNS-1123 subdomains.
 *
 * Paths are upstream's, including its quirk of reporting taints under `metadata.taints[i]`
 * (ValidateNode passes the metadata path), and capacity as `status.capacity.<name>`.
 * Deliberate gaps: podCIDRs, addresses, config sources and the node annotations upstream parses
 * (taints, preferAvoidPods) are not modelled. On update, podCIDR and providerID may only go from
 * unset to set, as upstream allows.
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import type { Node, Taint } from '../types/node.js';
import type { ResourceList } from '../types/pod.js';
import { isValidLabelValue, nameIsDNSSubdomain, validateLabelName, validateMetadata } from './meta.js';
import { validateResourceQuantityValue, validateTaintEffect } from './pod.js';

/** Key and value syntax, a supported effect, and at most one taint per (key, effect). */
export function validateNodeTaints(taints: readonly Taint[], path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((taint, i) => {
    const p = path.index(i);
    errors.push(...validateLabelName(taint.key ?? '', p.child('key')));
    const valueErrors = isValidLabelValue(taint.value ?? '');
    if (valueErrors.length > 0) errors.push(fieldError.invalid(p.child('value'), taint.value ?? '', valueErrors.join(';')));
    errors.push(...validateTaintEffect(taint.effect, false, p.child('effect')));
    const key = `${taint.effect}\u0000${taint.key}`;
    if (seen.has(key)) errors.push({ ...fieldError.duplicate(p, taint), detail: 'taints must be unique by key and effect pair' });
    seen.add(key);
  });
  return errors;
}

function validateResources(list: ResourceList | undefined, path: FieldPath): FieldError[] {
  return Object.entries(list ?? {}).flatMap(([name, quantity]) => validateResourceQuantityValue(name, quantity, path.child(name)));
}

/** Once set, a field may not change (upstream: "node updates may not change X except from \"\" to valid"). */
function validateSetOnce(value: string | undefined, old: string | undefined, field: string, path: FieldPath): FieldError[] {
  if (!old || value === old) return [];
  return [fieldError.forbidden(path, `node updates may not change ${field} except from "" to valid`)];
}

/** Validates a Node on create, or on update when `old` is given. */
export function validateNode(obj: Node, old?: Node): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const spec = obj.spec ?? {};
  errors.push(...validateNodeTaints(spec.taints ?? [], FieldPath.root('metadata').child('taints')));
  errors.push(...validateResources(obj.status?.capacity, FieldPath.root('status').child('capacity')));
  errors.push(...validateResources(obj.status?.allocatable, FieldPath.root('status').child('allocatable')));
  if (old !== undefined) {
    errors.push(...validateSetOnce(spec.podCIDR, old.spec?.podCIDR, 'podCIDR', FieldPath.root('spec').child('podCIDRs')));
    errors.push(...validateSetOnce(spec.providerID, old.spec?.providerID, 'providerID', FieldPath.root('spec').child('providerID')));
  }
  return errors;
}
