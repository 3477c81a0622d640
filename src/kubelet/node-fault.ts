/**
 * Node faults as the scenario injects them (`failNode` / `recoverNode`, scenario-format.md §6)
 * and what a node's restart does to the containers it was running.
 *
 * - `stopped`: the machine halts (power loss, kernel panic, a kubelet that cannot start). The
 *   kubelet, its containers and its image pulls stop; heartbeats stop; nothing it would write
 *   reaches the API server. When it comes back, the kubelet starts again, renews its lease and
 *   posts status at once, force-deletes the pods deleted meanwhile (no container of theirs runs)
 *   and runs every pod still bound to it from a fresh sandbox: init containers again, and the
 *   containers that were running counted as exited (exit code 255, reason `Unknown`, what a node
 *   reboot reports), restarted per restartPolicy.
 * - `partitioned`: the control plane cannot reach the node. Its containers keep running, but no
 *   status, lease renewal, deletion or watch event crosses either way. When the partition heals
 *   the kubelet posts status and renews its lease at once, then resyncs with the API server as a
 *   relist does: pods deleted meanwhile are terminated (gracefully when they still exist,
 *   killed at once when their object is gone), new pods start, and every running pod's status is
 *   written again (the node lifecycle controller marked them not ready).
 *
 * Deliberate simplifications: a recovering node turns Ready at once (upstream: after its runtime
 * and network plugin report ready, usually seconds); images pulled before a stop stay on disk;
 * init containers keep their restart counts when they run again after a stop.
 */
import type { Time } from '../api/types/meta.js';
import type { Termination } from './container-runtime.js';

export type NodeFaultMode = 'stopped' | 'partitioned';

/** How often the kubelet's status loop runs (nodeStatusUpdateFrequency, 10 s). */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;

/** The exit code the runtime reports for a container lost with its node (no exit was observed). */
export const LOST_CONTAINER_EXIT_CODE = 255;

/** The last state of a container that was running when its node stopped. */
export function lostContainerTermination(startedAt: Time | undefined, stoppedAt: Time): Termination {
  return { exitCode: LOST_CONTAINER_EXIT_CODE, reason: 'Unknown', startedAt, finishedAt: stoppedAt };
}
