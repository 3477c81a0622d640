/**
 * Scheduler throughput through the whole stack (API server, watch, informers, scheduler):
 * pods created at once onto equal nodes, timed from the first cycle until the last binding.
 * The issue asks for the cost of scheduling one pod at 100, 1,000 and 5,000 nodes; the bulk
 * case shows the throughput behind the large-cluster scenario.
 * Run alone: `node --import tsx bench/scheduler.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { ApiServer } from '../src/cluster/api-server.js';
import { EventLog } from '../src/cluster/event-log.js';
import { InformerFactory } from '../src/cluster/informer.js';
import { RandomStreams } from '../src/engine/random.js';
import { Simulation } from '../src/engine/simulation.js';
import type { Node } from '../src/api/types/node.js';
import type { Pod } from '../src/api/types/pod.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { type BenchRow, timeOnce } from './harness.js';

/** Wall milliseconds to schedule `pods` pods onto `nodes` empty nodes. */
function scheduleAll(nodes: number, pods: number): number {
  const sim = new Simulation();
  const random = new RandomStreams(1);
  const api = new ApiServer(sim, random);
  const informers = new InformerFactory(api);
  const scheduler = new Scheduler({ sim, api, informers, random, events: new EventLog(sim), startTimeMs: 0 });
  for (let i = 0; i < nodes; i++) {
    api.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i}` }, spec: {}, status: { allocatable: { cpu: '64', memory: '256Gi', pods: 110 } } });
  }
  sim.run();
  for (let i = 0; i < pods; i++) {
    api.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: 'default' },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:1', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    });
  }
  const { ms } = timeOnce(() => sim.run());
  if (scheduler.stats.scheduled !== pods) throw new Error(`scheduler bench: ${scheduler.stats.scheduled} of ${pods} pods scheduled`);
  return ms;
}

export async function schedulerBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const nodes of [100, 1000, 5000]) {
    const pods = 2000;
    const perPod = scheduleAll(nodes, pods) / pods;
    rows.push({ group: 'scheduler', case: `one pod on ${nodes.toLocaleString('en-US')} nodes (mean of ${pods.toLocaleString('en-US')}, end to end)`, value: perPod, unit: 'ms' });
  }
  const bulk = scheduleAll(1000, 30_000);
  rows.push({ group: 'scheduler', case: '30,000 pods onto 1,000 nodes (end to end)', value: bulk, unit: 'ms' });
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await schedulerBench()) console.log(`${row.case}: ${row.value.toFixed(3)} ${row.unit}`);
}
