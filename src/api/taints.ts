/**
 * Taint and toleration matching (k8s.io/api/core/v1/toleration.go: ToleratesTaint,
 * component-helpers/scheduling/corev1: FindMatchingUntoleratedTaint).
 */
import type { DeepReadonly } from './types/meta.js';
import type { Taint } from './types/node.js';
import type { TaintEffect, Toleration } from './types/pod.js';

/**
 * A toleration matches a taint when the effects agree (an empty toleration effect matches all),
 * and either the operator is Exists and the key matches (an empty key matches every key), or the
 * operator is Equal (the default) and both key and value are equal.
 */
export function toleratesTaint(toleration: DeepReadonly<Toleration>, taint: DeepReadonly<Taint>): boolean {
  // An empty effect (absent, or "" in a manifest) matches every effect.
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function isTaintTolerated(taint: DeepReadonly<Taint>, tolerations: readonly DeepReadonly<Toleration>[] | undefined): boolean {
  if (tolerations === undefined) return false;
  for (const toleration of tolerations) if (toleratesTaint(toleration, taint)) return true;
  return false;
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly DeepReadonly<Taint>[] | undefined,
  tolerations: readonly DeepReadonly<Toleration>[] | undefined,
  effects: readonly TaintEffect[],
): DeepReadonly<Taint> | undefined {
  if (taints === undefined) return undefined;
  for (const taint of taints) {
    if (effects.includes(taint.effect) && !isTaintTolerated(taint, tolerations)) return taint;
  }
  return undefined;
}
