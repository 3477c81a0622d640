/**
 * The taints the node lifecycle controller owns (node_lifecycle_controller.go:
 * UnreachableTaintTemplate, NotReadyTaintTemplate, nodeConditionToTaintKeyStatusMap,
 * doNoScheduleTaintingPass; pkg/controller/util/node: SwapNodeControllerTaint;
 * pkg/controller/controller_utils.go: AddOrUpdateTaintOnNode, RemoveTaintOffNode;
 * pkg/util/taints: TaintSetDiff).
 *
 * NoSchedule taints mirror the node's conditions at once, so the scheduler stops placing pods on
 * a node as soon as it is not Ready; NoExecute taints, which evict, go through the rate-limited
 * zone queues. Deliberate gap: `node.kubernetes.io/unschedulable:NoSchedule` is not mirrored from
 * `spec.unschedulable` (the scheduler's NodeUnschedulable filter keeps cordoned nodes free of new
 * pods all the same, and daemon pods tolerate the taint).
 */
import type { ApiServer } from '../../cluster/api-server.js';
import { isApiError } from '../../errors.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Node, Taint } from '../../api/types/node.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** NotReadyTaintTemplate: the node's Ready condition is False. */
export const NOT_READY_NO_EXECUTE: DeepReadonly<Taint> = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };
/** UnreachableTaintTemplate: the node's Ready condition is Unknown (no heartbeat). */
export const UNREACHABLE_NO_EXECUTE: DeepReadonly<Taint> = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };

/**
 * The NoSchedule taint keys that stand for node conditions (taintKeyToNodeConditionMap). Only the
 * Ready condition is posted by the kubelet model, so a pressure or network-unavailable taint on a
 * node is always removed, as upstream removes it from a node whose condition is not True.
 */
const CONDITION_TAINT_KEYS: ReadonlySet<string> = new Set([
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  'node.kubernetes.io/network-unavailable',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/pid-pressure',
]);

/** MatchTaint: the same key and effect. */
function matchTaint(a: DeepReadonly<Taint>, b: DeepReadonly<Taint>): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly DeepReadonly<Taint>[] | undefined, taint: DeepReadonly<Taint>): boolean {
  return (taints ?? []).some((t) => matchTaint(t, taint));
}

/** The NoSchedule taint a Ready condition of `status` calls for (nodeConditionToTaintKeyStatusMap). */
export function readyConditionTaintKey(status: string | undefined): string | undefined {
  if (status === 'False') return TAINT_NODE_NOT_READY;
  if (status === 'Unknown') return TAINT_NODE_UNREACHABLE;
  return undefined;
}

/**
 * doNoScheduleTaintingPass's decision: the condition NoSchedule taints to add and to remove so
 * that the node's taints match its Ready condition.
 */
export function noScheduleTaintDiff(node: DeepReadonly<Node>): { add: Taint[]; remove: Taint[] } {
  const wanted: Taint[] = [];
  const key = readyConditionTaintKey(node.status?.conditions?.find((c) => c.type === 'Ready')?.status);
  if (key !== undefined) wanted.push({ key, effect: 'NoSchedule' });
  const present = (node.spec.taints ?? []).filter((t) => t.effect === 'NoSchedule' && CONDITION_TAINT_KEYS.has(t.key));
  return {
    add: wanted.filter((w) => !present.some((p) => matchTaint(p, w))),
    remove: present.filter((p) => !wanted.some((w) => matchTaint(p, w))).map((t) => ({ key: t.key, effect: t.effect })),
  };
}

/**
 * The node's taints after AddOrUpdateTaintOnNode(add, stamped `now`) and RemoveTaintOffNode(remove),
 * or undefined when nothing changes. A taint already there with the same key and effect is
 * replaced (its timeAdded moves to now), as upstream's update does.
 */
export function swapTaints(taints: readonly DeepReadonly<Taint>[] | undefined, add: readonly DeepReadonly<Taint>[], remove: readonly DeepReadonly<Taint>[], now: Time): Taint[] | undefined {
  let changed = false;
  let next: Taint[] = (taints ?? []).map((t) => t as Taint);
  for (const taint of add) {
    const stamped: Taint = { ...(taint as Taint), timeAdded: now };
    const i = next.findIndex((t) => matchTaint(t, taint));
    if (i < 0) next.push(stamped);
    else if (next[i].value === stamped.value && next[i].timeAdded === now) continue;
    else next[i] = stamped;
    changed = true;
  }
  const kept = next.filter((t) => !remove.some((r) => matchTaint(t, r)));
  if (kept.length !== next.length) {
    next = kept;
    changed = true;
  }
  return changed ? next : undefined;
}

/**
 * SwapNodeControllerTaint against the live Node: writes only when the taints change. Returns
 * false when the node is gone (upstream: an error, and a retry later).
 */
export function swapNodeControllerTaint(api: ApiServer, nodeName: string, add: readonly DeepReadonly<Taint>[], remove: readonly DeepReadonly<Taint>[], now: Time): boolean {
  const live = api.get<Node>('Node', undefined, nodeName);
  if (live === undefined) return false;
  const taints = swapTaints(live.spec.taints, add, remove, now);
  if (taints === undefined) return true;
  try {
    const spec: Node['spec'] = { ...(live.spec as Node['spec']), taints };
    if (taints.length === 0) delete spec.taints;
    api.update<Node>({ ...(live as Node), spec });
  } catch (error) {
    if (isApiError(error, 'NotFound')) return false;
    throw error;
  }
  return true;
}
