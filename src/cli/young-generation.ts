/**
 * The heap setting `k8sim run` asks of Node: a larger young generation.
 *
 * A simulation keeps much of what it allocates for a while: each write makes a new version of an
 * object, and that version lives until the object's next write, virtual seconds (thousands of
 * writes) later. V8 collects its young generation (16 MB semi-spaces by default on 64-bit) every
 * few thousand writes and copies each survivor, then copies it again into the old generation.
 * With 64 MB semi-spaces the 30,000-pod bench scenario makes a third as many young collections
 * and runs about 8 % faster (docs/architecture.md, "Why it is fast"); small runs never grow the
 * young generation that far and are unaffected. Outputs do not depend on it.
 *
 * Node reads the setting at start-up only (v8.setFlagsFromString is too late for the heap), so
 * the command starts Node once more with it: only for `run`, only when the user has not chosen a
 * semi-space size (node flag or NODE_OPTIONS), and never twice.
 */
import { spawnSync } from 'node:child_process';

export const SEMI_SPACE_MB = 64;
export const SEMI_SPACE_FLAG = `--max-semi-space-size=${SEMI_SPACE_MB}`;
/** Set in the relaunched process; setting it beforehand turns the relaunch off. */
export const RELAUNCHED_ENV = 'K8SIM_RELAUNCHED';

export interface ProcessFacts {
  /** process.argv: node, the script, then the command's arguments. */
  readonly argv: readonly string[];
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The node arguments of the relaunch, or undefined when none is due. */
export function relaunchArguments({ argv, execArgv, env }: ProcessFacts): string[] | undefined {
  if (argv[2] !== 'run' || env[RELAUNCHED_ENV] !== undefined) return undefined;
  const chosen = (arg: string): boolean => arg.startsWith('--max-semi-space-size') || arg.startsWith('--max_semi_space_size');
  if (execArgv.some(chosen) || (env.NODE_OPTIONS ?? '').split(/\s+/).some(chosen)) return undefined;
  return [...execArgv, SEMI_SPACE_FLAG, ...argv.slice(1)];
}

/**
 * Runs the command again in a Node with the larger young generation, sharing this process's
 * standard streams; returns its exit code, or undefined when no relaunch is due or Node could not
 * be started again (the command then runs here, only slower).
 */
export function relaunchWithLargerYoungGeneration(facts: ProcessFacts = process): number | undefined {
  const args = relaunchArguments(facts);
  if (args === undefined) return undefined;
  const child = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...facts.env, [RELAUNCHED_ENV]: '1' } });
  if (child.error !== undefined) return undefined;
  if (child.signal !== null) {
    // Ended by a signal (Ctrl-C reaches both processes): end the same way.
    process.kill(process.pid, child.signal);
  }
  return child.status ?? 1;
}
