/**
 * `npm run bench`: every benchmark, a table on stdout, and the same figures in
 * reports/bench/results.md and results.json (with the machine they were measured on).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { autoscalingBench } from './autoscaling.bench.js';
import { cronJobBench } from './cronjob.bench.js';
import { endpointSliceBench } from './endpointslice.bench.js';
import { daemonSetBench } from './daemonset.bench.js';
import { eventQueueBench } from './event-queue.bench.js';
import { faultsBench } from './faults.bench.js';
import { jobBench } from './job.bench.js';
import { type BenchRow, formatValue } from './harness.js';
import { reconcileBench } from './reconcile.bench.js';
import { scenariosBench } from './scenarios.bench.js';
import { schedulerBench } from './scheduler.bench.js';
import { statefulSetBench } from './statefulset.bench.js';
import { VERSION } from '../src/version.js';

const suites: [string, () => Promise<BenchRow[]>][] = [
  ['event queue', eventQueueBench],
  ['reconcile', reconcileBench],
  ['scheduler', schedulerBench],
  ['scenarios', scenariosBench],
  ['cronjob', cronJobBench],
  ['endpointslice', endpointSliceBench],
  ['daemonset', daemonSetBench],
  ['job', jobBench],
  ['statefulset', statefulSetBench],
  ['autoscaling', autoscalingBench],
  ['faults', faultsBench],
];

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, suite] of suites) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  process.stderr.write(`running ${name} benchmarks…\n`);
  // Start each suite from a collected heap (npm run bench passes --expose-gc): what an earlier
  // suite left for the collector is not this one's cost.
  (globalThis as { gc?: () => void }).gc?.();
  rows.push(...(await suite()));
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}`;
const header = ['benchmark', 'result', 'target'];
const lines = rows.map((r) => [`${r.group}: ${r.case}`, `${formatValue(r.value)} ${r.unit}`, r.target === undefined ? '' : `${r.target} ${r.unit} — ${r.met ? 'met' : 'not met'}`]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const table = [header, widths.map((w) => '-'.repeat(w)), ...lines].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
process.stdout.write(`${table}\n\n${machine}\n`);

if (only.length > 0) {
  // A partial run must not replace the full report with a few rows.
  process.stderr.write('filtered run: reports/bench/ left as it was (run `npm run bench` with no arguments to update it)\n');
  process.exit(0);
}
const measured = new Date().toISOString(); // wall-clock: when the benchmark ran
mkdirSync('reports/bench', { recursive: true });
writeFileSync('reports/bench/results.json', `${JSON.stringify({ k8sim: VERSION, measured, machine, rows }, null, 2)}\n`);
const markdown = [
  `# Benchmarks`,
  ``,
  `k8sim ${VERSION}, measured ${measured} on ${machine}. Produced by \`npm run bench\`.`,
  ``,
  `| benchmark | result | target |`,
  `|---|---|---|`,
  ...lines.map((l) => `| ${l[0]} | ${l[1]} | ${l[2]} |`),
  ``,
].join('\n');
writeFileSync('reports/bench/results.md', markdown);
