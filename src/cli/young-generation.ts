/**
 * The heap setting `k8sim run` asks of Node: a larger young generation.
 *
 * A simulation keeps much of what it allocates for a while: each write makes a new version of an
 * object, and that version lives until the object's next write, virtual seconds (thousands of
 * writes) later. V8 collects its young generation (16 MB semi-spaces by default on 64-bit) every
 * few thousand writes and copies each survivor, then copies it again into the old generation.
 * With 64 MB semi-spaces the 30,000-pod bench scenario makes a third as many young collections
 * and runs about 8 % faster (docs/architecture.md, "Why it is fast"). Outputs do not depend on it.
 *
 * Node reads the setting at start-up only (v8.setFlagsFromString is too late for the heap), so
 * the command starts Node once more with it — which costs a small run one more Node start-up —
 * only for `run`, only when the user has not chosen a semi-space size (node flag or
 * NODE_OPTIONS) nor is debugging or profiling this process, and never twice.
 */
import { spawn } from 'node:child_process';

export const SEMI_SPACE_MB = 64;
export const SEMI_SPACE_FLAG = `--max-semi-space-size=${SEMI_SPACE_MB}`;
/** Set in the relaunched process; setting it beforehand turns the relaunch off. */
export const RELAUNCHED_ENV = 'K8SIM_RELAUNCHED';

/** Signals passed on to the relaunched process: whoever stops k8sim stops the simulation. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface ProcessFacts {
  /** process.argv: node, the script, then the command's arguments. */
  readonly argv: readonly string[];
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Node flags of a user who chose the semi-space size, or is debugging or profiling this process. */
function keepsThisProcess(arg: string): boolean {
  return /^--(max[-_]semi[-_]space[-_]size|inspect|debug|cpu[-_]prof|heap[-_]prof|prof)\b/.test(arg);
}

/** The node arguments of the relaunch, or undefined when none is due. */
export function relaunchArguments({ argv, execArgv, env }: ProcessFacts): string[] | undefined {
  if (argv[2] !== 'run' || env[RELAUNCHED_ENV] !== undefined) return undefined;
  if (execArgv.some(keepsThisProcess) || (env.NODE_OPTIONS ?? '').split(/\s+/).some(keepsThisProcess)) return undefined;
  return [...execArgv, SEMI_SPACE_FLAG, ...argv.slice(1)];
}

/**
 * Runs the command again in a Node with the larger young generation, sharing this process's
 * standard streams and passing on the signals that stop it; resolves to its exit code, or to
 * undefined when no relaunch is due or Node could not be started again (the command then runs
 * here, only slower). A relaunched process ended by a signal ends this one by the same signal.
 */
export async function relaunchWithLargerYoungGeneration(facts: ProcessFacts = process): Promise<number | undefined> {
  const args = relaunchArguments(facts);
  if (args === undefined) return undefined;
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...facts.env, [RELAUNCHED_ENV]: '1' } });
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>((resolve) => {
    // An error before the process started means no relaunch; a later one (a failed kill) does
    // not end the wait for its exit.
    child.on('error', () => {
      if (child.pid === undefined) resolve(undefined);
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
  if (ended === undefined) return undefined;
  if (ended.signal !== null) process.kill(process.pid, ended.signal);
  return ended.code ?? 1;
}
