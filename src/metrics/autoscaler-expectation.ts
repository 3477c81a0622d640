/**
 * The `autoscaler` expectation (scenario-format.md §5), judged on what AutoscalerTracker kept of
 * one HPA: its scale target's replica counts from the HPA's creation on and its rescales. Every
 * bound counts from `after` (default t = 0) to the end of the run (or the HPA's deletion).
 *
 * `reaches N` means the count got to N from where it was at `after`: up to N or more when it was
 * below, down to N or fewer when it was above (a jump from 4 to 10 reaches 8).
 */
import { formatTarget } from '../scenario/targets.js';
import type { CountComparison, Expectation } from '../scenario/types.js';
import type { AutoscalerHistory, Step } from './autoscalers.js';

export interface AutoscalerReading {
  readonly history: AutoscalerHistory;
  /** Virtual ms the run ended. */
  readonly endMs: number;
}

interface Result {
  readonly expect: string;
  readonly passed: boolean;
  readonly detail: string;
}

const seconds = (ms: number): string => `${ms / 1000}s`;

/** The count in effect at `from` (the first one after it for an HPA made later), then every later one. */
function windowSteps(steps: readonly Step<number>[], from: number, end: number): Step<number>[] {
  const out: Step<number>[] = [];
  for (const step of steps) {
    if (step.t > end) break;
    if (step.t <= from) out[0] = { t: from, value: step.value };
    else out.push(step);
  }
  return out;
}

export function compare(value: number, bound: CountComparison): boolean {
  switch (bound.op) {
    case '<=':
      return value <= bound.value;
    case '>=':
      return value >= bound.value;
    case '<':
      return value < bound.value;
    case '>':
      return value > bound.value;
    case '==':
      return value === bound.value;
  }
}

const comparisonText = (bound: CountComparison): string => `${bound.op} ${bound.value}`;

export function judgeAutoscaler(e: Extract<Expectation, { type: 'autoscaler' }>, label: string, reading: AutoscalerReading | undefined): Result {
  const name = formatTarget(e.target);
  if (reading === undefined) return { expect: label, passed: false, detail: `${name} never existed` };
  const { history } = reading;
  const end = history.deletedAt ?? reading.endMs;
  const from = e.afterMs;
  const steps = windowSteps(history.replicas, from, end);
  const failures: string[] = [];
  const facts: string[] = [];
  const since = from > 0 ? ` after t=${seconds(from)}` : '';
  if (steps.length === 0) {
    return { expect: label, passed: false, detail: `${name} never read its target's scale${since}` };
  }

  if (e.reaches !== undefined) {
    const goal = e.reaches;
    const start = steps[0].value;
    const up = goal >= start;
    const hit = steps.find((s) => (up ? s.value >= goal : s.value <= goal));
    if (hit === undefined) {
      const extreme = steps.reduce((best, s) => (up ? Math.max(best, s.value) : Math.min(best, s.value)), start);
      failures.push(`never reached ${goal} replicas${since}: from ${start} it got to ${up ? 'at most' : 'at least'} ${extreme}`);
    } else {
      const took = hit.t - from;
      const limit = e.withinMs !== undefined ? ` (limit ${seconds(e.withinMs)})` : '';
      const text = `reached ${goal} replicas at t=${seconds(hit.t)}, ${seconds(took)}${since || ' after t=0s'}${limit}`;
      if (e.withinMs !== undefined && took > e.withinMs) failures.push(text);
      else facts.push(text);
    }
  }

  let min = steps[0];
  let max = steps[0];
  for (const s of steps) {
    if (s.value < min.value) min = s;
    if (s.value > max.value) max = s;
  }
  if (e.maxReplicas !== undefined) {
    const text = `at most ${max.value} replicas${since}`;
    if (max.value > e.maxReplicas) failures.push(`had ${max.value} replicas at t=${seconds(max.t)}, above ${e.maxReplicas}`);
    else facts.push(text);
  }
  if (e.minReplicas !== undefined) {
    const text = `at least ${min.value} replicas${since}`;
    if (min.value < e.minReplicas) failures.push(`had ${min.value} replicas at t=${seconds(min.t)}, below ${e.minReplicas}`);
    else facts.push(text);
  }

  const rescales = history.rescales.filter((r) => r.t >= from && r.t <= end);
  if (e.rescales !== undefined) {
    const text = `${rescales.length} rescale(s)${since} (expected ${comparisonText(e.rescales)})`;
    (compare(rescales.length, e.rescales) ? facts : failures).push(text);
  }
  if (e.directionChanges !== undefined) {
    let changes = 0;
    for (let i = 1; i < rescales.length; i++) if (rescales[i].value !== rescales[i - 1].value) changes++;
    const text = `${changes} direction change(s)${since} (expected ${comparisonText(e.directionChanges)})`;
    (compare(changes, e.directionChanges) ? facts : failures).push(text);
  }
  const passed = failures.length === 0;
  return { expect: label, passed, detail: `${name}: ${(passed ? facts : failures).join('; ')}` };
}
