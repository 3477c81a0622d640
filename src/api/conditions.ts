/**
 * Type-keyed status conditions. Setting a condition keeps its lastTransitionTime when the status
 * did not change, as every upstream SetXCondition helper does.
 */
import type { Condition, DeepReadonly, Time } from './types/meta.js';
import { copyToExtend } from '../util/objects.js';

type Conditions = readonly DeepReadonly<Condition>[] | undefined;

export function getCondition<C extends DeepReadonly<Condition>>(conditions: readonly C[] | undefined, type: string): C | undefined {
  if (conditions === undefined) return undefined;
  for (const condition of conditions) if (condition.type === type) return condition;
  return undefined;
}

export function isConditionTrue(conditions: Conditions, type: string): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

/**
 * A copy of `condition` with its lastTransitionTime set: a spread when the key is there already
 * (the cheapest copy), else a copy made to gain it (see copyToExtend) — most conditions arrive
 * without one.
 */
function withTransitionTime(condition: Condition, lastTransitionTime: Time): Condition {
  const next = condition.lastTransitionTime !== undefined ? { ...condition } : copyToExtend(condition);
  next.lastTransitionTime = lastTransitionTime;
  return next;
}

/**
 * Returns a new list with `condition` in place of any condition of its type. When the status is
 * unchanged the old lastTransitionTime is kept; `now` fills a missing lastTransitionTime.
 */
export function setCondition(conditions: Conditions, condition: Condition, now: Time): Condition[] {
  const existing = getCondition(conditions, condition.type);
  const lastTransitionTime =
    existing !== undefined && existing.status === condition.status && existing.lastTransitionTime !== undefined
      ? existing.lastTransitionTime
      : (condition.lastTransitionTime ?? now);
  const next = withTransitionTime(condition, lastTransitionTime);
  const result: Condition[] = [];
  let replaced = false;
  for (const c of conditions ?? []) {
    if (c.type === condition.type) {
      result.push(next);
      replaced = true;
    } else {
      result.push(c as Condition);
    }
  }
  if (!replaced) result.push(next);
  return result;
}

/**
 * Sets several conditions at once, with {@link setCondition}'s rules. Returns `conditions`
 * itself when none changed (status and reason), so an unchanged status stays identical.
 */
export function setConditions(conditions: Conditions, updates: readonly Condition[], now: Time): Condition[] {
  // The same as calling setCondition for each changed update in turn, but the list is copied
  // once and then changed in place: the kubelet sets four conditions on every pod status it
  // generates.
  let result: Condition[] | undefined;
  for (const update of updates) {
    const current = getCondition(result ?? conditions, update.type);
    if (current !== undefined && current.status === update.status && current.reason === update.reason && current.message === update.message) continue;
    const lastTransitionTime =
      current !== undefined && current.status === update.status && current.lastTransitionTime !== undefined
        ? current.lastTransitionTime
        : (update.lastTransitionTime ?? now);
    const next = withTransitionTime(update, lastTransitionTime);
    result ??= [...((conditions ?? []) as Condition[])];
    let replaced = false;
    for (let i = 0; i < result.length; i++) {
      if (result[i].type !== update.type) continue;
      result[i] = next;
      replaced = true;
    }
    if (!replaced) result.push(next);
  }
  return result ?? ((conditions ?? []) as Condition[]);
}

export function removeCondition(conditions: Conditions, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type) as Condition[];
}
