/**
 * Whole scenarios, end to end (load, run, every component and metric): clusters of 100 and
 * 1,000 nodes whose Deployments create 3,000 and 30,000 pods, then all roll to a new image.
 * Target: the 1,000-node case in under 10 seconds of wall time (median of three runs).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/sim/run.js';
import { type BenchRow, timeRuns } from './harness.js';
import { type ClusterShape, generatedScenario } from './scenario-gen.js';

const SHAPES: readonly (ClusterShape & { readonly targetMs?: number })[] = [
  { name: 'bench-100-nodes', nodes: 100, deployments: 30, replicas: 100, rollAtMinutes: 5, durationMinutes: 15 },
  { name: 'bench-1000-nodes', nodes: 1000, deployments: 300, replicas: 100, rollAtMinutes: 5, durationMinutes: 15, targetMs: 10_000 },
];

const RUNS = 3;

export async function scenariosBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'k8sim-bench-'));
  const rows: BenchRow[] = [];
  for (const shape of SHAPES) {
    const file = join(dir, `${shape.name}.yaml`);
    writeFileSync(file, generatedScenario(shape));
    const pods = (shape.deployments * shape.replicas).toLocaleString('en-US');
    const label = `${shape.nodes.toLocaleString('en-US')} nodes, ${pods} pods created then rolled`;
    // Three runs, each from a collected heap: one timing on a shared machine moves by ±15 %; the
    // median is the figure compared with the target, the first run is reported beside it.
    const { times, medianMs: ms, value: result } = timeRuns(
      RUNS,
      () => runScenario(loadScenario(file, { limits: { pods: 1_000_000 } })),
      () => (globalThis as { gc?: () => void }).gc?.(),
    );
    if (!result.rollouts.every((r) => r.outcome === 'complete')) throw new Error(`${shape.name}: a rollout did not complete`);
    rows.push(
      { group: 'scenario', case: `${label}: wall time, first run`, value: times[0] / 1000, unit: 's' },
      { group: 'scenario', case: `${label}: wall time, median of ${RUNS} runs`, value: ms / 1000, unit: 's', target: shape.targetMs !== undefined ? `< ${shape.targetMs / 1000}` : undefined, met: shape.targetMs !== undefined ? ms < shape.targetMs : undefined },
      { group: 'scenario', case: `${label}: simulation events per second`, value: (result.steps * 1000) / ms, unit: 'events/s' },
      { group: 'scenario', case: `${label}: virtual seconds per wall second`, value: result.virtualMs / ms, unit: '×' },
    );
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await scenariosBench()) console.log(`${row.case}: ${row.value.toFixed(2)} ${row.unit}`);
}
