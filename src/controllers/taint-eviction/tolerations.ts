/**
 * Which NoExecute taints a pod tolerates, and for how long (pkg/controller/tainteviction/
 * taint_eviction.go: getNoExecuteTaints, getMinTolerationTime; pkg/apis/core/v1/helper:
 * GetMatchingTolerations).
 */
import { toleratesTaint } from '../../api/taints.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Taint } from '../../api/types/node.js';
import type { Toleration } from '../../api/types/pod.js';

export function getNoExecuteTaints(taints: readonly DeepReadonly<Taint>[] | undefined): DeepReadonly<Taint>[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/**
 * GetMatchingTolerations: whether every taint is tolerated, and for each taint the first
 * toleration (in the pod's order) that tolerates it — only that one counts, even if a later one
 * would tolerate it longer or shorter.
 */
export function getMatchingTolerations(
  taints: readonly DeepReadonly<Taint>[],
  tolerations: readonly DeepReadonly<Toleration>[] | undefined,
): { allTolerated: boolean; used: DeepReadonly<Toleration>[] } {
  if (taints.length === 0) return { allTolerated: true, used: [] };
  if (tolerations === undefined || tolerations.length === 0) return { allTolerated: false, used: [] };
  const used: DeepReadonly<Toleration>[] = [];
  for (const taint of taints) {
    const match = tolerations.find((t) => toleratesTaint(t, taint));
    if (match === undefined) return { allTolerated: false, used: [] };
    used.push(match);
  }
  return { allTolerated: true, used };
}

/**
 * getMinTolerationTime in ms: the shortest tolerationSeconds among `tolerations` (≤ 0 means at
 * once), -1 when none of them has tolerationSeconds (tolerated forever), 0 for no tolerations.
 */
export function getMinTolerationTime(tolerations: readonly DeepReadonly<Toleration>[]): number {
  if (tolerations.length === 0) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}
