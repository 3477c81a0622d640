/**
 * Options shared by commands, as small composable builders (withSeed, withLimits, …), and the
 * parsing of `--limit name=value`.
 */
import type { Argv } from 'yargs';
import { DEFAULT_LIMITS, LIMIT_NAMES, type Limits } from '../scenario/limits.js';
import { suggestion } from '../util/suggest.js';

export function withInputs<T>(yargs: Argv<T>) {
  return yargs.positional('inputs', {
    describe: 'scenario files, folders (every *.yaml in them) or globs',
    type: 'string',
    array: true,
    demandOption: true,
  });
}

export function withSeed<T>(yargs: Argv<T>) {
  return yargs.option('seed', { describe: "override every scenario's seed", type: 'number' });
}

export function withOut<T>(yargs: Argv<T>) {
  return yargs.option('out', { describe: 'output folder; each scenario writes to <out>/<name>/', type: 'string', default: 'reports' });
}

export function withLimits<T>(yargs: Argv<T>) {
  return yargs.option('limit', {
    describe: `raise or lower a size limit, e.g. --limit pods=500000 (${LIMIT_NAMES.join(', ')})`,
    type: 'string',
    array: true,
    default: [] as string[],
  });
}

/** Parses `name=value` pairs; returns the limits or a message saying what is wrong. */
export function parseLimits(values: readonly string[]): { limits: Partial<Limits> } | { error: string } {
  const limits: Partial<Record<keyof Limits, number>> = {};
  for (const text of values) {
    const match = /^([A-Za-z]+)=(\d+)$/.exec(text);
    if (match === null) return { error: `--limit ${text}: expected name=value with a whole number, e.g. --limit pods=500000` };
    const [, name, value] = match;
    if (!(name in DEFAULT_LIMITS)) return { error: `--limit ${text}: unknown limit "${name}"; ${suggestion(name, LIMIT_NAMES, 'limit')}` };
    const n = Number(value);
    if (n <= 0) return { error: `--limit ${text}: a limit must be at least 1` };
    limits[name as keyof Limits] = n;
  }
  return { limits };
}

/** Checks --seed: a whole number ≥ 0. */
export function checkSeed(seed: number | undefined): string | undefined {
  if (seed === undefined) return undefined;
  return Number.isSafeInteger(seed) && seed >= 0 ? undefined : `--seed ${seed}: expected a whole number >= 0`;
}
