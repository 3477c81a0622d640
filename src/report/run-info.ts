/**
 * run.json: what a run cost, which is not deterministic and so kept apart from the other
 * outputs. The caller measures wall time (only the CLI and benchmarks read the clock).
 */
import type { RunResult } from '../sim/run.js';
import { VERSION } from '../version.js';

export interface RunInfo {
  readonly scenario: string;
  readonly seed: number;
  readonly wallSeconds: number;
  readonly virtualSeconds: number;
  /** Simulation events executed. */
  readonly eventsProcessed: number;
  readonly eventsPerSecond: number;
  readonly virtualSecondsPerWallSecond: number;
  readonly peakMemoryMiB: number;
  readonly engineState: string;
  readonly versions: { readonly k8sim: string; readonly node: string };
}

export function runInfo(result: RunResult, wallMs: number, peakRssBytes: number): RunInfo {
  const wallSeconds = wallMs / 1000;
  const virtualSeconds = result.virtualMs / 1000;
  return {
    scenario: result.scenario.name,
    seed: result.seed,
    wallSeconds: round(wallSeconds, 3),
    virtualSeconds,
    eventsProcessed: result.steps,
    eventsPerSecond: wallSeconds > 0 ? Math.round(result.steps / wallSeconds) : 0,
    virtualSecondsPerWallSecond: wallSeconds > 0 ? round(virtualSeconds / wallSeconds, 1) : 0,
    peakMemoryMiB: round(peakRssBytes / (1024 * 1024), 1),
    engineState: result.state,
    versions: { k8sim: VERSION, node: process.version },
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
