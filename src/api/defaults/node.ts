/**
 * Node defaults, following pkg/apis/core/v1/defaults.go (SetDefaults_NodeStatus): when a Node
 * reports capacity but no allocatable, allocatable equals capacity. Node spec has no defaults
 * upstream (unschedulable false and no taints are the zero values), so nothing else is written.
 *
 * Deliberate difference: upstream ends up sharing one map between capacity and allocatable; we
 * copy it, so a later change to one (e.g. the kubelet reserving resources) cannot alias the other.
 */
import type { Node } from '../types/node.js';

/** Defaults a Node in place; only absent fields are assigned. */
export function defaultNode(obj: Node): void {
  const status = obj.status;
  if (status?.capacity && status.allocatable === undefined) status.allocatable = { ...status.capacity };
}
