/**
 * When a probe first reports success (pkg/kubelet/prober/worker.go), computed rather than
 * simulated tick by tick: a worker probes at container start + initialDelaySeconds and then
 * every periodSeconds; the result flips to success after successThreshold consecutive passes.
 * So the container becomes ready at the first probe tick at or after the application is ready,
 * plus (successThreshold − 1) periods.
 *
 * Deliberate gap: no probe jitter (upstream adds it only after a kubelet restart) and probe
 * timeouts do not delay results.
 */
import type { DeepReadonly } from '../api/types/meta.js';
import type { Probe } from '../api/types/pod.js';

/** Probe defaults (pkg/apis/core/v1/defaults.go). */
const DEFAULT_PERIOD_SECONDS = 10;
const DEFAULT_SUCCESS_THRESHOLD = 1;

/**
 * Virtual time (ms) at which `probe` first succeeds, for a container started at `startedAt` whose
 * application passes the check from `appReadyAt` on (Infinity: never). Without a probe:
 * `startedAt`.
 */
export function probeSuccessTime(probe: DeepReadonly<Probe> | undefined, startedAt: number, appReadyAt: number): number {
  if (probe === undefined) return startedAt;
  if (appReadyAt === Infinity) return Infinity;
  const first = startedAt + (probe.initialDelaySeconds ?? 0) * 1000;
  const period = Math.max(1, probe.periodSeconds ?? DEFAULT_PERIOD_SECONDS) * 1000;
  const ticks = appReadyAt <= first ? 0 : Math.ceil((appReadyAt - first) / period);
  const threshold = Math.max(1, probe.successThreshold ?? DEFAULT_SUCCESS_THRESHOLD);
  return first + (ticks + threshold - 1) * period;
}
