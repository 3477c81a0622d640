/**
 * Size limits: what a run may ask for before it is refused instead of exhausting memory. Each
 * limit has a name the CLI's `--limit name=value` raises; every refusal says which limit and how.
 */
import { DEFAULT_MAX_ALIAS_COUNT, DEFAULT_MAX_FILE_BYTES } from './yaml-source.js';

export interface Limits {
  /** Bytes of one scenario or included file. */
  readonly fileBytes: number;
  /** YAML alias expansions per document. */
  readonly yamlAliases: number;
  /** Nodes over the whole run (initial plus added). */
  readonly nodes: number;
  /** Pods the scenario asks for at any time (sum of replicas, with surge), and pods stored at once. */
  readonly pods: number;
  /** Timeline sampling instants (duration ÷ sampleInterval). */
  readonly samples: number;
  /** Rows of timeline.csv (instants × objects × metrics). */
  readonly timelineRows: number;
  /** Scenario action occurrences, counting repetitions of `every`. */
  readonly actions: number;
  /** Simulation events executed; catches a controller that requeues itself forever. */
  readonly steps: number;
  /** Virtual horizon in days. */
  readonly days: number;
}

export const DEFAULT_LIMITS: Limits = {
  fileBytes: DEFAULT_MAX_FILE_BYTES,
  yamlAliases: DEFAULT_MAX_ALIAS_COUNT,
  nodes: 10_000,
  pods: 250_000,
  samples: 200_000,
  timelineRows: 20_000_000,
  actions: 100_000,
  steps: 500_000_000,
  days: 400,
};

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

/** `how to raise it` text shared by every refusal. */
export function raiseHint(name: keyof Limits, wanted: number, limit: number): string {
  return `raise the limit with --limit ${name}=${Math.max(Math.ceil(wanted), limit * 2)} if you mean it`;
}
