/**
 * DaemonSet reconcile cost against cluster size: one DaemonSet settled on 100, 1,000 or 5,000
 * nodes, then one node joins and the DaemonSet syncs (the node's pod is created, status written).
 * Target: that sync touches only the new node's work — flat from 100 to 5,000 nodes (within
 * 1.5×). For contrast, the full pass a DaemonSet spec change forces (every node looked at again,
 * as upstream does on every sync). The controller runs by hand, without a runner, so only the
 * sync itself is timed; pods stay unbound (no scheduler). The sync's work does not depend on the
 * cluster's size; what growth remains comes from larger maps and heap (cache misses, GC marking).
 * Run alone: `node --import tsx bench/daemonset.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { apiAdmission } from '../src/api/admission.js';
import type { DaemonSet } from '../src/api/types/daemonset.js';
import type { Node } from '../src/api/types/node.js';
import { ApiServer } from '../src/cluster/api-server.js';
import { EventLog } from '../src/cluster/event-log.js';
import { InformerFactory } from '../src/cluster/informer.js';
import type { Enqueue } from '../src/controllers/controller.js';
import { DaemonSetController } from '../src/controllers/daemonset/daemonset-controller.js';
import { RandomStreams } from '../src/engine/random.js';
import { Simulation } from '../src/engine/simulation.js';
import type { BenchRow } from './harness.js';

const KEY = 'default/agent';

/** The keys the controller's handlers ask for; delayed requeues are not needed here. */
class ManualQueue implements Enqueue {
  readonly keys = new Set<string>();
  add(key: string): void {
    this.keys.add(key);
  }
  addAfter(): void {}
}

interface Built {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly controller: DaemonSetController;
  /** Delivers every pending watch event and syncs what they queued, until nothing is left. */
  settle(): void;
}

function node(name: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/os': 'linux' } }, spec: {}, status: { allocatable: { cpu: '8', memory: '32Gi', pods: 110 } } };
}

function build(nodes: number): Built {
  const sim = new Simulation();
  const random = new RandomStreams(1);
  const api = new ApiServer(sim, random, { admission: apiAdmission, maxObjects: { Pod: nodes + 100 } });
  const ctx = { sim, api, informers: new InformerFactory(api), random, events: new EventLog(sim), startTimeMs: 0 };
  const queue = new ManualQueue();
  const controller = new DaemonSetController(ctx, queue);
  const settle = (): void => {
    for (let round = 0; round < 10_000; round++) {
      sim.run();
      if (queue.keys.size === 0) return;
      const keys = [...queue.keys];
      queue.keys.clear();
      for (const key of keys) {
        // A sync waiting on expectations is retried by the next event, as with a runner.
        controller.reconcile(key);
      }
    }
    throw new Error('daemonset bench: did not settle');
  };
  for (let i = 0; i < nodes; i++) api.create(node(`node-${i}`));
  api.create<DaemonSet>({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'agent', image: 'agent:1', resources: { requests: { cpu: '50m', memory: '64Mi' } } }] },
      },
    },
  });
  settle();
  if (api.count('Pod') !== nodes) throw new Error(`daemonset bench: expected ${nodes} pods, found ${api.count('Pod')}`);
  return { sim, api, controller, settle };
}

/**
 * Median ms of `fn`, each call prepared by `before` and undone by `after` (untimed). The median,
 * not the mean: the hooks allocate far more than the sync, and the garbage collections they cause
 * land in whichever call runs next.
 */
async function meanMsWithHooks(name: string, fn: () => void, before: () => void, after: () => void): Promise<number> {
  const bench = new Bench({ time: 300, iterations: 20, warmup: true });
  bench.add(name, fn, { beforeEach: before, afterEach: after });
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`benchmark ${name} ended ${result.state}`);
  return result.latency.p50;
}

/** Median ms of the sync after a node joins, and of the full pass after a spec change, in `b`. */
async function measure(b: Built, nodes: number): Promise<{ joinMs: number; fullMs: number }> {
  // A node joins (its watch event delivered), the DaemonSet syncs; afterwards the node leaves
  // again and its unbound pod is cleaned up, so every iteration starts from the same cluster.
  // Each joiner has a new name, as real nodes do: V8 Maps keep a deleted key's slot until they
  // rehash, so adding and deleting one key thousands of times makes its lookups crawl.
  let joiner = '';
  let serial = 0;
  const joinMs = await meanMsWithHooks(
    `join ${nodes}`,
    () => b.controller.reconcile(KEY),
    () => {
      joiner = `joiner-${serial++}`;
      b.api.create(node(joiner));
      b.sim.run();
    },
    () => {
      b.settle();
      b.api.delete('Node', undefined, joiner);
      b.settle();
      b.controller.reconcile(KEY);
      b.settle();
    },
  );
  let minReady = 0;
  const fullMs = await meanMsWithHooks(
    `spec change ${nodes}`,
    () => b.controller.reconcile(KEY),
    () => {
      const ds = b.api.get<DaemonSet>('DaemonSet', 'default', 'agent') as DaemonSet;
      b.api.update<DaemonSet>({ ...ds, spec: { ...ds.spec, minReadySeconds: (minReady = 1 - minReady) } });
      b.sim.run();
    },
    () => b.settle(),
  );
  return { joinMs, fullMs };
}

const SIZES = [100, 1000, 5000];

export async function daemonSetBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const joins = new Map<number, number>();
  // Every cluster is built before any is measured, so all sizes are timed on the same heap (the
  // garbage collector's marking work grows with the heap, whichever cluster allocated it).
  const built = new Map(SIZES.map((nodes) => [nodes, build(nodes)] as const));
  // The first measurement would otherwise also pay for the JIT warming up.
  await measure(built.get(SIZES[0]) as Built, SIZES[0]);
  for (const nodes of SIZES) {
    const { joinMs, fullMs } = await measure(built.get(nodes) as Built, nodes);
    const size = nodes.toLocaleString('en-US');
    joins.set(nodes, joinMs);
    rows.push(
      { group: 'daemonset', case: `DaemonSet sync after one node joins, ${size} nodes`, value: joinMs * 1000, unit: 'µs' },
      { group: 'daemonset', case: `DaemonSet full pass after a spec change, ${size} nodes`, value: fullMs * 1000, unit: 'µs' },
    );
  }
  const ratio = (joins.get(5000) ?? 0) / (joins.get(100) ?? 1);
  rows.push({ group: 'daemonset', case: 'DaemonSet sync after a node joins at 5,000 nodes ÷ at 100 nodes', value: ratio, unit: '×', target: '<= 1.5', met: ratio <= 1.5 });
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await daemonSetBench()) console.log(`${row.case}: ${row.value.toFixed(2)} ${row.unit}${row.target ? ` (target ${row.target}: ${row.met ? 'met' : 'missed'})` : ''}`);
}
