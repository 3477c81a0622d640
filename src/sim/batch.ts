/**
 * Running or validating many scenario files, one after another: one scenario's failure never
 * stops the others. Each file ends as passed, failed (an expectation did not hold), invalid (the
 * user's input: bad YAML, a manifest the API server would reject, a size over a limit) or
 * crashed (a bug in k8sim, reported with the seed to replay it).
 *
 * Wall time and memory are read through injected functions: only the CLI and benchmarks may
 * touch the real clock.
 */
import { InvariantError, LimitError, ScenarioError } from '../errors.js';
import { type LoadOptions, loadScenario } from '../scenario/load.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { type RunInfo, runInfo } from '../report/run-info.js';
import { writeOutputs } from '../report/write-outputs.js';
import { type RunResult, runScenario } from './run.js';

export type BatchStatus = 'passed' | 'failed' | 'invalid' | 'crashed';

export interface BatchItem {
  readonly file: string;
  readonly status: BatchStatus;
  readonly name?: string;
  readonly result?: RunResult;
  readonly runInfo?: RunInfo;
  /** The one-line message for invalid and crashed files. */
  readonly error?: string;
  /** Scenario and run warnings, formatted `file:line:col: message`. */
  readonly warnings: readonly string[];
  readonly outputDir?: string;
}

export interface BatchOptions extends LoadOptions {
  /** Write outputs under this folder (`<out>/<scenario-name>/`); omit to write nothing. */
  readonly outDir?: string;
  /** Wall clock in ms, for run.json (default: no timing). */
  readonly clock?: () => number;
  /** Peak resident memory in bytes, for run.json. */
  readonly peakMemory?: () => number;
  /** Called as each file finishes, for streaming output. */
  readonly onItem?: (item: BatchItem) => void;
}

function formatWarning(w: { message: string; location?: { file: string; line?: number; column?: number }; file?: string; line?: number; column?: number; t?: number }): string {
  const loc = w.location ?? { file: w.file ?? '', line: w.line, column: w.column };
  const where = `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''}${loc.line !== undefined && loc.column !== undefined ? `:${loc.column}` : ''}`;
  return `${where}: warning: ${w.t !== undefined && w.t > 0 ? `t=${w.t}s: ` : ''}${w.message}`;
}

/** A user's input problem, formatted; undefined when `error` is not one. */
function invalidMessage(file: string, error: unknown): string | undefined {
  if (error instanceof ScenarioError) return error.format();
  if (error instanceof LimitError) return `${file}: error: ${error.message}`;
  return undefined;
}

function load(file: string, options: BatchOptions, names: Map<string, string>): ResolvedScenario {
  const scenario = loadScenario(file, options);
  const previous = names.get(scenario.name);
  if (previous !== undefined) {
    throw new ScenarioError(`scenario name "${scenario.name}" is also used by ${previous}; their outputs would overwrite each other`, scenario.nameSource, 'give each scenario its own metadata.name');
  }
  names.set(scenario.name, file);
  return scenario;
}

/** Loads and runs every file; writes outputs when `outDir` is given. */
export function runBatch(files: readonly string[], options: BatchOptions = {}): BatchItem[] {
  const names = new Map<string, string>();
  const items: BatchItem[] = [];
  for (const file of files) {
    let item: BatchItem;
    let scenario: ResolvedScenario | undefined;
    try {
      scenario = load(file, options, names);
      const started = options.clock?.() ?? 0;
      const result = runScenario(scenario, { seed: options.seed });
      const wallMs = (options.clock?.() ?? 0) - started;
      const info = runInfo(result, wallMs, options.peakMemory?.() ?? 0);
      const outputDir = options.outDir !== undefined ? writeOutputs(options.outDir, result, info) : undefined;
      const warnings = [...scenario.warnings.map(formatWarning), ...result.warnings.map(formatWarning)];
      item = { file, status: result.passed ? 'passed' : 'failed', name: scenario.name, result, runInfo: info, warnings, outputDir };
    } catch (error) {
      const invalid = invalidMessage(file, error);
      const warnings = scenario?.warnings.map(formatWarning) ?? [];
      if (invalid !== undefined) item = { file, status: 'invalid', name: scenario?.name, error: invalid, warnings };
      else item = { file, status: 'crashed', name: scenario?.name, error: crashMessage(file, error, options.seed ?? scenario?.seed), warnings };
    }
    items.push(item);
    options.onItem?.(item);
  }
  return items;
}

/** Loads every file (defaulting, validation and the dry run), without running it. */
export function validateBatch(files: readonly string[], options: BatchOptions = {}): BatchItem[] {
  const names = new Map<string, string>();
  return files.map((file) => {
    let item: BatchItem;
    try {
      const scenario = load(file, options, names);
      item = { file, status: 'passed', name: scenario.name, warnings: scenario.warnings.map(formatWarning) };
    } catch (error) {
      const invalid = invalidMessage(file, error);
      item = invalid !== undefined
        ? { file, status: 'invalid', error: invalid, warnings: [] }
        : { file, status: 'crashed', error: crashMessage(file, error, options.seed), warnings: [] };
    }
    options.onItem?.(item);
    return item;
  });
}

function crashMessage(file: string, error: unknown, seed: number | undefined): string {
  const kind = error instanceof InvariantError ? 'invariant broken' : 'internal error';
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  return `${file}: ${kind} — this is a bug in k8sim, not in your scenario. Replay with: k8sim run ${file} --seed ${seed ?? 1}\n${text}`;
}
