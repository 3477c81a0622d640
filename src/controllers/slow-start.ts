/**
 * Slow-start batching (pkg/controller/replicaset/replica_set.go: slowStartBatch): creates go out
 * in batches of 1, 2, 4, … so that a controller hitting a systematic failure (quota, admission)
 * fails once instead of 500 times. Calls inside a batch are concurrent upstream; here they run
 * one after another at the same instant, which is indistinguishable on the virtual clock.
 */

/** SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export interface SlowStartResult {
  readonly successes: number;
  /** The first error of the first batch that had one; later batches were skipped. */
  readonly error?: unknown;
}

export function slowStartBatch(count: number, initialBatchSize: number, fn: () => void): SlowStartResult {
  let remaining = count;
  let successes = 0;
  for (let batchSize = Math.min(remaining, initialBatchSize); batchSize > 0; batchSize = Math.min(2 * batchSize, remaining)) {
    let firstError: unknown;
    let failed = false;
    for (let i = 0; i < batchSize; i++) {
      try {
        fn();
        successes++;
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
      }
    }
    if (failed) return { successes, error: firstError };
    remaining -= batchSize;
  }
  return { successes };
}
