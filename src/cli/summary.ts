/**
 * The summary table `k8sim run` prints: one row per scenario with its result, the virtual time
 * simulated, the key metrics and the wall time; and the same as JSON for --json.
 */
import type { BatchItem } from '../sim/batch.js';

const RESULT_TEXT: Record<BatchItem['status'], string> = { passed: 'passed', failed: 'FAILED', invalid: 'invalid', crashed: 'CRASHED' };

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Number(seconds.toFixed(3))}s`;
  if (seconds < 7200) return `${Number((seconds / 60).toFixed(1))}m`;
  return `${Number((seconds / 3600).toFixed(1))}h`;
}

/**
 * "converged ≤26.9s · 1/1 rollout done ≤26.9s, min 8 avail, max 13 pods · 3/3 expectations", with
 * autoscaling ("1 HPA 3–17 replicas, 10 rescales"), requests ("97.884% of requests served (41033
 * failed)") and node faults ("2 node faults, detected ≤52s, 4 pods lost") when the run has them.
 * Convergence shows the slowest of the scenario's changes (the last one is often a no-op such as
 * an uncordon, which converges at once), or the first change the cluster never settled after.
 */
export function keyMetrics(item: BatchItem): string {
  const result = item.result;
  if (result === undefined) return item.error?.split('\n')[0].replace(`${item.file}:`, '').trim() ?? '';
  const parts: string[] = [];
  const unsettled = result.convergence.find((c) => c.seconds === null);
  if (unsettled !== undefined) parts.push(`not converged after ${unsettled.trigger}`);
  else if (result.convergence.length > 0) parts.push(`converged ≤${formatSeconds(Math.max(...result.convergence.map((c) => c.seconds ?? 0)))}`);
  const rollouts = result.rollouts;
  if (rollouts.length > 0) {
    const done = rollouts.filter((r) => r.outcome === 'complete');
    const longest = Math.max(0, ...done.map((r) => r.seconds ?? 0));
    const minAvailable = Math.min(...rollouts.map((r) => r.minAvailable));
    const maxPods = Math.max(...rollouts.map((r) => r.maxPods));
    const others = (['superseded', 'incomplete', 'deleted'] as const)
      .map((outcome) => [outcome, rollouts.filter((r) => r.outcome === outcome).length] as const)
      .filter(([, n]) => n > 0)
      .map(([outcome, n]) => `${n} ${outcome}`);
    const timing = done.length > 0 ? ` ≤${formatSeconds(longest)}` : '';
    const count = `${done.length}/${rollouts.length} rollout${rollouts.length > 1 ? 's' : ''} done${timing}${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
    parts.push(`${count}, min ${minAvailable} avail, max ${maxPods} pods`);
  }
  if (result.autoscalers.length > 0) {
    const lows = result.autoscalers.flatMap((a) => (a.minReplicas === null ? [] : [a.minReplicas]));
    const highs = result.autoscalers.flatMap((a) => (a.maxReplicas === null ? [] : [a.maxReplicas]));
    const rescales = result.autoscalers.reduce((sum, a) => sum + a.rescales, 0);
    const range = lows.length > 0 ? ` ${Math.min(...lows)}–${Math.max(...highs)} replicas,` : '';
    parts.push(`${result.autoscalers.length} HPA${result.autoscalers.length > 1 ? 's' : ''}${range} ${rescales} rescale${rescales === 1 ? '' : 's'}`);
  }
  if (result.requests.length > 0) {
    const offered = result.requests.reduce((sum, r) => sum + r.offered, 0);
    const failed = result.requests.reduce((sum, r) => sum + r.failed, 0);
    // Rounded down, so that a run that failed any request never reads 100%.
    if (offered > 0) parts.push(`${Math.floor(((offered - failed) / offered) * 100_000) / 1000}% of requests served (${failed} failed)`);
  }
  if (result.faults.length > 0) {
    const lost = result.faults.reduce((sum, f) => sum + f.podsLost, 0);
    const detections = result.faults.flatMap((f) => (f.secondsToDetection === null ? [] : [f.secondsToDetection]));
    const detected = detections.length > 0 ? `, detected ≤${formatSeconds(Math.max(...detections))}` : '';
    parts.push(`${result.faults.length} node fault${result.faults.length > 1 ? 's' : ''}${detected}, ${lost} pod${lost === 1 ? '' : 's'} lost`);
  }
  const passed = result.expectations.filter((e) => e.passed).length;
  if (result.expectations.length > 0) parts.push(`${passed}/${result.expectations.length} expectations`);
  return parts.join(' · ');
}

export interface SummaryRow {
  readonly scenario: string;
  readonly file: string;
  readonly result: BatchItem['status'];
  readonly virtualSeconds: number | null;
  readonly wallSeconds: number | null;
  readonly metrics: string;
  readonly outputDir: string | null;
}

export function summaryRow(item: BatchItem): SummaryRow {
  return {
    scenario: item.name ?? item.file,
    file: item.file,
    result: item.status,
    virtualSeconds: item.result ? item.result.virtualMs / 1000 : null,
    wallSeconds: item.runInfo ? item.runInfo.wallSeconds : null,
    metrics: keyMetrics(item),
    outputDir: item.outputDir ?? null,
  };
}

/** A plain aligned text table. */
export function summaryTable(items: readonly BatchItem[]): string {
  const header = ['scenario', 'result', 'virtual', 'key metrics', 'wall'];
  const rows = items.map((item) => {
    const row = summaryRow(item);
    return [
      row.scenario,
      RESULT_TEXT[row.result],
      row.virtualSeconds !== null ? formatSeconds(row.virtualSeconds) : '-',
      row.metrics,
      row.wallSeconds !== null ? `${row.wallSeconds.toFixed(2)}s` : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
