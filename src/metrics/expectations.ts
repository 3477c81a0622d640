/**
 * Expectations (scenario-format.md §5) judged against what the run measured. Each result says
 * what was expected and what happened, in words a user can act on.
 */
import { formatTarget } from '../scenario/targets.js';
import type { LabelledExpectation } from '../scenario/types.js';
import { type AutoscalerReading, judgeAutoscaler } from './autoscaler-expectation.js';
import type { ConvergenceRecord } from './convergence.js';
import type { JobRecord } from './jobs.js';
import { judgeRequests } from './requests.js';
import type { RequestTotals } from '../traffic/service-load.js';
import type { RolloutRecord } from './rollouts.js';

export interface ExpectationResult {
  readonly expect: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface Measurements {
  readonly convergence: readonly ConvergenceRecord[];
  readonly rollouts: readonly RolloutRecord[];
  readonly jobs: readonly JobRecord[];
  /** Values read by `replicas` expectations, by the expectation's index; undefined when the object did not exist. */
  readonly replicaReadings: ReadonlyMap<number, number | undefined>;
  /** Matching events counted for `event` expectations, by the expectation's index. */
  readonly eventCounts: ReadonlyMap<number, number>;
  /** What `available` expectations measured, by the expectation's index (undefined: no such workload). */
  readonly availableReadings?: ReadonlyMap<number, AvailableReading | undefined>;
  /** What `autoscaler` expectations read, by the expectation's index (undefined: no such HPA). */
  readonly autoscalerReadings?: ReadonlyMap<number, AutoscalerReading | undefined>;
  /** The requests of each `requests` expectation's Service over its window, by the expectation's index. */
  readonly requestReadings?: ReadonlyMap<number, RequestTotals>;
}

/** Time below a count of available pods over an expectation's window (AvailabilityTracker.below). */
export interface AvailableReading {
  /** Virtual ms at which the workload first had the count; null if never. */
  readonly reachedAt: number | null;
  readonly belowMs: number;
  /** The fewest available in the window; null when the window was empty. */
  readonly fewest: number | null;
  /** Virtual ms the window started. */
  readonly from: number;
}

const seconds = (ms: number): string => `${ms / 1000}s`;

function judgeConverged(withinMs: number | undefined, m: Measurements): ExpectationResult {
  const last = m.convergence[m.convergence.length - 1];
  if (last === undefined) return { expect: 'converged', passed: false, detail: 'nothing was measured' };
  const limit = withinMs !== undefined ? ` (limit ${seconds(withinMs)})` : '';
  if (last.seconds === null) return { expect: 'converged', passed: false, detail: `never converged after ${last.trigger} at t=${last.at}s: ${last.reason ?? 'no reason recorded'}` };
  const passed = withinMs === undefined || last.seconds * 1000 <= withinMs;
  return { expect: 'converged', passed, detail: `converged ${last.seconds}s after ${last.trigger} at t=${last.at}s${limit}` };
}

function judgeRollout(e: Extract<LabelledExpectation['expectation'], { type: 'rollout' }>, label: string, m: Measurements): ExpectationResult {
  const rollouts = m.rollouts.filter(
    (r) => r.target === `${e.target.kind}/${e.target.name}` && r.namespace === e.target.namespace && (e.revision === undefined || r.revision === e.revision),
  );
  if (rollouts.length === 0) {
    const which = e.revision !== undefined ? ` to revision ${e.revision}` : '';
    return { expect: label, passed: false, detail: `no rollout of ${formatTarget(e.target)}${which} happened during the run` };
  }
  const failures: string[] = [];
  const facts: string[] = [];
  for (const r of rollouts) {
    const name = `revision ${r.revision ?? '?'} (from t=${r.start}s)`;
    if (r.outcome !== 'complete') failures.push(`${name} did not complete (${r.outcome}${r.progressDeadlineExceeded ? ', progress deadline exceeded' : ''})`);
    else if (e.withinMs !== undefined && (r.seconds ?? Infinity) * 1000 > e.withinMs) failures.push(`${name} took ${r.seconds}s, over ${seconds(e.withinMs)}`);
    if (e.minAvailable !== undefined && r.minAvailable < e.minAvailable) failures.push(`${name} had only ${r.minAvailable} available pods, below ${e.minAvailable}`);
    if (e.maxPods !== undefined && r.maxPods > e.maxPods) failures.push(`${name} ran ${r.maxPods} pods, above ${e.maxPods}`);
    facts.push(`${name}: ${r.seconds !== null ? `${r.seconds}s` : r.outcome}, minAvailable ${r.minAvailable}, maxPods ${r.maxPods}`);
  }
  return { expect: label, passed: failures.length === 0, detail: failures.length > 0 ? failures.join('; ') : facts.join('; ') };
}

function judgeReplicas(e: Extract<LabelledExpectation['expectation'], { type: 'replicas' }>, label: string, value: number | undefined): ExpectationResult {
  const field = e.field === 'spec' ? 'spec.replicas' : `status.${e.field}`;
  const wanted = [e.equals !== undefined ? `= ${e.equals}` : '', e.atLeast !== undefined ? `>= ${e.atLeast}` : '', e.atMost !== undefined ? `<= ${e.atMost}` : '']
    .filter((w) => w !== '')
    .join(' and ');
  if (value === undefined) return { expect: label, passed: false, detail: `${formatTarget(e.target)} did not exist at t=${seconds(e.atMs)}` };
  const passed = (e.equals === undefined || value === e.equals) && (e.atLeast === undefined || value >= e.atLeast) && (e.atMost === undefined || value <= e.atMost);
  return { expect: label, passed, detail: `${field} of ${formatTarget(e.target)} at t=${seconds(e.atMs)} was ${value} (expected ${wanted})` };
}

function judgeJob(e: Extract<LabelledExpectation['expectation'], { type: 'job' }>, label: string, m: Measurements): ExpectationResult {
  // The last Job of that name counts (a Job deleted and created again is judged as it ended up).
  const record = m.jobs.filter((j) => j.target === `Job/${e.target.name}` && j.namespace === e.target.namespace).at(-1);
  const name = formatTarget(e.target);
  if (record === undefined) return { expect: label, passed: false, detail: `${name} was never created` };
  const wanted = e.succeeded ? 'Complete' : 'Failed';
  const limit = e.withinMs !== undefined ? ` within ${seconds(e.withinMs)}` : '';
  if (record.succeeded === null) return { expect: label, passed: false, detail: `${name} had not finished by the end of the run (expected ${wanted}${limit})` };
  const outcome = record.succeeded ? 'Complete' : `Failed (${record.reason ?? 'no reason'})`;
  const inTime = e.withinMs === undefined || (record.seconds ?? Infinity) * 1000 <= e.withinMs;
  const passed = record.succeeded === e.succeeded && inTime;
  return { expect: label, passed, detail: `${name} ${outcome} after ${record.seconds}s, ${record.failedPods} failed pod(s) (expected ${wanted}${limit})` };
}

function judgeEvent(e: Extract<LabelledExpectation['expectation'], { type: 'event' }>, label: string, count: number): ExpectationResult {
  const about = e.target !== undefined ? ` for ${formatTarget(e.target)}` : '';
  const window = `between t=${seconds(e.afterMs)} and ${e.beforeMs !== undefined ? `t=${seconds(e.beforeMs)}` : 'the end'}`;
  const wanted = [`at least ${e.atLeast}`, e.atMost !== undefined ? `at most ${e.atMost}` : ''].filter((w) => w !== '').join(' and ');
  const passed = count >= e.atLeast && (e.atMost === undefined || count <= e.atMost);
  return { expect: label, passed, detail: `${count} ${e.eventType} event(s)${about} ${window} (expected ${wanted})` };
}

function judgeAvailable(e: Extract<LabelledExpectation['expectation'], { type: 'available' }>, label: string, reading: AvailableReading | undefined): ExpectationResult {
  const name = formatTarget(e.target);
  if (reading === undefined) return { expect: label, passed: false, detail: `${name} was never created` };
  if (e.afterMs === undefined && reading.reachedAt === null) return { expect: label, passed: false, detail: `${name} never had ${e.atLeast} pods available` };
  const window = `from t=${seconds(reading.from)}${e.afterMs === undefined ? ` (when it first had ${e.atLeast})` : ''} to ${e.beforeMs !== undefined ? `t=${seconds(e.beforeMs)}` : 'the end'}`;
  const allowed = e.maxBelowMs > 0 ? `at most ${seconds(e.maxBelowMs)}` : 'never';
  const passed = reading.belowMs <= e.maxBelowMs;
  const fewest = reading.fewest === null ? '' : `, fewest ${reading.fewest}`;
  return { expect: label, passed, detail: `${name} had fewer than ${e.atLeast} pods available for ${seconds(reading.belowMs)} ${window}${fewest} (expected ${allowed})` };
}

export function evaluateExpectations(expectations: readonly LabelledExpectation[], m: Measurements): ExpectationResult[] {
  return expectations.map(({ expectation: e, label }, index) => {
    switch (e.type) {
      case 'converged':
        return judgeConverged(e.withinMs, m);
      case 'rollout':
        return judgeRollout(e, label, m);
      case 'replicas':
        return judgeReplicas(e, label, m.replicaReadings.get(index));
      case 'event':
        return judgeEvent(e, label, m.eventCounts.get(index) ?? 0);
      case 'job':
        return judgeJob(e, label, m);
      case 'available':
        return judgeAvailable(e, label, m.availableReadings?.get(index));
      case 'autoscaler':
        return judgeAutoscaler(e, label, m.autoscalerReadings?.get(index));
      case 'requests':
        return judgeRequests(e, label, m.requestReadings?.get(index));
    }
  });
}
