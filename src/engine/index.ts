/** The domain-free simulation engine: clock, event list, random streams, distributions. */
export { Simulation, Timer, type RunOptions, type RunResult, type RunState } from './simulation.js';
export { EventHeap, MAX_PRIORITY } from './event-heap.js';
export { Priority, type PriorityValue } from './priorities.js';
export { RandomStreams, Rng } from './random.js';
export { type Distribution, constant, sample } from './distribution.js';
