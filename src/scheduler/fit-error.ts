/**
 * Why a pod fits nowhere, in upstream's words (pkg/scheduler/framework/types.go: FitError,
 * schedule_one.go: ErrNoNodesAvailable):
 * `0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.`
 *
 * The reasons are a histogram over the evaluated nodes, each entry "count reason", sorted as
 * strings (so "10 …" sorts before "2 …", as in Go). When PreFilter rejected the pod its message
 * replaces the histogram.
 *
 * Deliberate gap: no PostFilter (preemption) message is appended — preemption is not modelled,
 * where upstream would add e.g. " preemption: 0/3 nodes are available: 3 No preemption victims
 * found for incoming pod.".
 */
import type { Diagnosis } from './framework.js';

/** Formats a FitError's message (FitError.Error). */
export function fitErrorMessage(numAllNodes: number, reasons: ReadonlyMap<string, number>, preFilterMessage = ''): string {
  const prefix = `0/${numAllNodes} nodes are available:`;
  if (preFilterMessage !== '') return `${prefix} ${preFilterMessage}.`;
  const histogram: string[] = [];
  for (const [reason, count] of reasons) histogram.push(`${count} ${reason}`);
  // Go's sort.Strings compares bytes; for these ASCII strings that is UTF-16 code-unit order.
  histogram.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return histogram.length > 0 ? `${prefix} ${histogram.join(', ')}.` : prefix;
}

/** Why a pod fits nowhere: the message and the plugins that rejected it (a bit mask). */
export class FitError {
  constructor(
    readonly message: string,
    /** 0 when no plugin rejected (no nodes at all): any cluster event may help. */
    readonly unschedulablePlugins: number,
  ) {}

  static fromDiagnosis(numAllNodes: number, diagnosis: Diagnosis): FitError {
    return new FitError(fitErrorMessage(numAllNodes, diagnosis.reasons, diagnosis.preFilterMessage), diagnosis.unschedulablePlugins);
  }
}

/** The cluster has no nodes at all (ErrNoNodesAvailable). */
export const NO_NODES_AVAILABLE = new FitError('no nodes available to schedule pods', 0);
