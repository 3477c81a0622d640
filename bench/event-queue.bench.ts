/**
 * Event-queue throughput: the classic hold model (pop the earliest event, push one a random
 * delay later) at 1,000 pending events, on the bare heap and through Simulation.run with real
 * callbacks. Target: at least 8 million events per second at 1,000 pending.
 *
 * A third row is a yardstick, not k8sim code: the textbook lean binary heap in JavaScript (one
 * numeric key per entry, no tie-break, no priority, a plain pop then a plain push), run through
 * the same hold loop. Other jobs share the machine, so compare the rows of one run with each
 * other rather than with figures from another day. EventHeap pays for the deterministic
 * (time, priority, sequence) order and still beats the yardstick, by leaving the root vacant on
 * pop for the next push and choosing children without branches (src/engine/event-heap.ts).
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

/** Yardstick only: a single-key min-heap in plain arrays (the shape of mourner/flatqueue). */
class SingleKeyHeap {
  private readonly ids: number[] = [];
  private readonly values: number[] = [];
  private length = 0;

  peekValue(): number {
    return this.length > 0 ? this.values[0] : Infinity;
  }

  push(value: number, id: number): void {
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentValue = this.values[parent];
      if (value >= parentValue) break;
      this.ids[index] = this.ids[parent];
      this.values[index] = parentValue;
      index = parent;
    }
    this.ids[index] = id;
    this.values[index] = value;
  }

  pop(): number | undefined {
    if (this.length === 0) return undefined;
    const top = this.ids[0];
    const last = --this.length;
    if (last === 0) return top;
    const id = this.ids[last];
    const value = this.values[last];
    let index = 0;
    const half = last >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      let childValue = this.values[child];
      if (child + 1 < last && this.values[child + 1] < childValue) {
        child++;
        childValue = this.values[child];
      }
      if (value <= childValue) break;
      this.ids[index] = this.ids[child];
      this.values[index] = childValue;
      index = child;
    }
    this.ids[index] = id;
    this.values[index] = value;
    return top;
  }
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
  const yardstick = new SingleKeyHeap();
  const yardstickNext = lcg(3);
  const yardstickRate = await opsPerSecond('single-key heap hold', BATCH, () => {
    for (let i = 0; i < BATCH; i++) {
      const time = yardstick.peekValue();
      yardstick.pop();
      yardstick.push(time + yardstickNext(), i);
    }
  }, { setup: () => { for (let i = 0; i < PENDING; i++) yardstick.push(yardstickNext(), i); } });

  return [
    { group: 'event queue', case: 'yardstick: leanest single-key binary heap (no priority, no tie-break), 1,000 pending', value: yardstickRate, unit: 'events/s' },
    { group: 'event queue', case: 'heap pop+push, 1,000 pending', value: heapRate, unit: 'events/s', target: `>= ${TARGET.toLocaleString('en-US')}`, met: heapRate >= TARGET },
    { group: 'event queue', case: 'Simulation.run hold, 1,000 pending (callback + Timer per event)', value: simRate, unit: 'events/s', target: `>= ${TARGET.toLocaleString('en-US')}`, met: simRate >= TARGET },
  ];
}
