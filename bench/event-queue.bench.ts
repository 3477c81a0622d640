/**
 * Event-queue throughput: the classic hold model (pop the earliest event, push one a random
 * delay later) at 1,000 pending events, on the bare heap and through Simulation.run with real
 * callbacks. Target: at least 8 million events per second at 1,000 pending.
 */
import { EventHeap } from '../src/engine/event-heap.js';
import { Simulation } from '../src/engine/simulation.js';
import { type BenchRow, opsPerSecond } from './harness.js';

const PENDING = 1000;
const BATCH = 200_000;
const TARGET = 8_000_000;

/** A tiny LCG: deterministic delays without allocating. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % 1000;
  };
}

export async function eventQueueBench(): Promise<BenchRow[]> {
  const heap = new EventHeap<number>();
  const next = lcg(1);
  let now = 0;
  const heapRate = await opsPerSecond('heap hold', BATCH, () => {
    for (let i = 0; i < BATCH; i++) {
      now = heap.peekTime();
      heap.pop();
      heap.push(now + next(), i & 3, i);
    }
  }, { setup: () => { for (let i = 0; i < PENDING; i++) heap.push(next(), 0, i); } });

  let sim = new Simulation();
  const delay = lcg(2);
  const hold = (): void => {
    sim.schedule(delay() + 1, hold);
  };
  const simRate = await opsPerSecond('simulation hold', BATCH, () => {
    sim.run({ maxSteps: BATCH });
  }, {
    setup: () => {
      sim = new Simulation();
      for (let i = 0; i < PENDING; i++) sim.schedule(delay(), hold);
    },
  });
  return [
    { group: 'event queue', case: 'heap pop+push, 1,000 pending', value: heapRate, unit: 'events/s', target: `>= ${TARGET.toLocaleString('en-US')}`, met: heapRate >= TARGET },
    { group: 'event queue', case: 'Simulation.run hold, 1,000 pending (callback + Timer per event)', value: simRate, unit: 'events/s', target: `>= ${TARGET.toLocaleString('en-US')}`, met: simRate >= TARGET },
  ];
}
