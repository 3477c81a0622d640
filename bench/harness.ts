/**
 * Shared by the benchmarks: a result row for the report, and helpers to time tinybench tasks and
 * whole runs. Benchmarks may read the wall clock; nothing under src/ does (except the CLI).
 */
import { Bench } from 'tinybench';

export interface BenchRow {
  readonly group: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  /** The target from the issue, as text (e.g. ">= 8,000,000"), when there is one. */
  readonly target?: string;
  readonly met?: boolean;
}

/** Runs one tinybench task that does `work` operations per call; returns operations per second. */
export async function opsPerSecond(name: string, work: number, fn: () => void, options: { time?: number; setup?: () => void } = {}): Promise<number> {
  const bench = new Bench({ time: options.time ?? 1000, warmup: true });
  bench.add(name, fn, { beforeAll: options.setup });
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`benchmark ${name} ended ${result.state}`);
  return (work * 1000) / result.latency.mean;
}

/** Mean milliseconds of one call of `fn` (tinybench, at least a few iterations). */
export async function meanMs(name: string, fn: () => void, options: { time?: number; iterations?: number } = {}): Promise<number> {
  const bench = new Bench({ time: options.time ?? 500, iterations: options.iterations ?? 10, warmup: true });
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`benchmark ${name} ended ${result.state}`);
  return result.latency.mean;
}

/**
 * Median milliseconds of one call of `fn` (tinybench): for calls of a microsecond or so in a
 * large heap, where the mean moves with whichever garbage collections fall inside the window.
 */
export async function medianMs(name: string, fn: () => void, options: { time?: number } = {}): Promise<number> {
  const bench = new Bench({ time: options.time ?? 500, iterations: 10, warmup: true });
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`benchmark ${name} ended ${result.state}`);
  return result.latency.p50;
}

/** Wall milliseconds of one call. */
export function timeOnce<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/**
 * Runs `fn` `runs` times (after whatever warm-up the caller did; `beforeEach`, untimed, before
 * every run) and returns every time and the
 * median, with the last run's value: one timing on a shared machine is noise, the median of a
 * few is the figure to compare with a target.
 */
export function timeRuns<T>(runs: number, fn: () => T, beforeEach?: () => void): { times: number[]; medianMs: number; value: T } {
  const times: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    value = undefined; // the previous run's result is not this run's heap to carry
    beforeEach?.();
    const timed = timeOnce(fn);
    times.push(timed.ms);
    value = timed.value;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { times, medianMs: sorted[Math.floor(sorted.length / 2)], value: value as T };
}

export function formatValue(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}
