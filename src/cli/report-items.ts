/**
 * What the commands print as each scenario finishes (warnings and problems to stderr), the
 * checks of the command line itself, and the exit code a batch earns.
 */
import type { Limits } from '../scenario/limits.js';
import type { BatchItem } from '../sim/batch.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { expandInputs } from './inputs.js';
import { checkSeed, parseLimits } from './options.js';

export interface Prepared {
  readonly files: string[];
  readonly limits: Partial<Limits>;
  /** InvalidInput when some argument named nothing (the others still run). */
  readonly exitCode: ExitCodeValue;
}

/** Expands inputs and checks options; prints problems; undefined when nothing can run. */
export function prepare(inputs: readonly string[], seed: number | undefined, limitArgs: readonly string[]): Prepared | undefined {
  const seedError = checkSeed(seed);
  if (seedError !== undefined) {
    process.stderr.write(`error: ${seedError}\n`);
    return undefined;
  }
  const parsed = parseLimits(limitArgs);
  if ('error' in parsed) {
    process.stderr.write(`error: ${parsed.error}\n`);
    return undefined;
  }
  const { files, missing } = expandInputs(inputs);
  for (const m of missing) process.stderr.write(`${m.input}: error: ${m.reason}\n`);
  if (files.length === 0) return undefined;
  return { files, limits: parsed.limits, exitCode: missing.length > 0 ? ExitCode.InvalidInput : ExitCode.Success };
}

export function reportItem(item: BatchItem, quiet: boolean): void {
  if (!quiet) for (const warning of item.warnings) process.stderr.write(`${warning}\n`);
  if (item.status === 'invalid' || item.status === 'crashed') process.stderr.write(`${item.error}\n`);
  if (item.status === 'failed') {
    for (const e of item.result?.expectations ?? []) if (!e.passed) process.stderr.write(`${item.file}: expectation failed: ${e.expect}: ${e.detail}\n`);
  }
}

export function exitCodeOf(items: readonly BatchItem[]): ExitCodeValue {
  if (items.some((i) => i.status === 'crashed')) return ExitCode.InternalError;
  if (items.some((i) => i.status === 'invalid')) return ExitCode.InvalidInput;
  if (items.some((i) => i.status === 'failed')) return ExitCode.ExpectationFailed;
  return ExitCode.Success;
}
