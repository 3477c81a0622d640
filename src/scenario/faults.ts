/**
 * Stochastic faults (`spec.faults`, scenario-format.md §6): each entry names what fails — one
 * node, every node of a pool independently, or a zone as a whole — and how often and for how
 * long, as a time between failures (`mtbf`) and a time to repair (`mttr`). The run draws the
 * failure and repair times from the seed (sim/fault-schedule.ts); here they are only checked.
 *
 * A plain duration is a mean: failures and repairs are then exponentially distributed, the
 * memoryless model of reliability engineering (a constant period is what `events` with `every`
 * is for). A distribution (`{uniform: …}`, `{lognormal: …}`) is drawn as written.
 */
import { ZONE_LABEL } from '../api/types/node.js';
import { type Distribution, meanOf } from '../engine/distribution.js';
import { raiseHint } from './limits.js';
import type { Limits } from './limits.js';
import { type Infer, s } from './schema.js';
import type { NodeSelection } from './types.js';
import type { Locator } from './yaml-source.js';


export type FaultMode = 'stopped' | 'partitioned';

/** What a fault entry takes down, one unit failing and recovering independently of the others: a node or a zone. */
export type FaultUnit = NodeSelection;

export interface FaultSource {
  /** How outputs name the entry: `faults[0] pool/pool-a`. */
  readonly label: string;
  /**
   * Names the entry's random streams by what it targets, not by its place in the list, so
   * reordering or adding entries never moves another's failures (`fault/pool=pool-a`, with
   * `#2`, `#3` for a repeated target).
   */
  readonly stream: string;
  readonly mode: FaultMode;
  /** The units that fail independently: each node of a pool, or the one node or zone. */
  readonly units: readonly FaultUnit[];
  /** Time from a unit's start or repair to its next failure. */
  readonly timeToFailure: Distribution;
  readonly timeToRepair: Distribution;
}

const faultSchema = s.object({
  expected: 'a fault such as {failNode: {pool: pool-a}, mtbf: 2h, mttr: 10m}',
  fields: {
    failNode: s.object({
      fields: {
        node: s.string({ describe: 'a node name' }),
        zone: s.string({ describe: 'a zone (the topology.kubernetes.io/zone label)' }),
        pool: s.string({ describe: 'a node pool name' }),
        mode: s.string({ enum: ['stopped', 'partitioned'] as const }),
      },
    }),
    mtbf: s.distribution(),
    mttr: s.distribution(),
  },
  required: ['failNode', 'mtbf', 'mttr'],
});

type FaultInput = Infer<typeof faultSchema>;

export { faultSchema };

/** The nodes a scenario starts with, by name, with their pool and zone. */
export interface StartingNode {
  readonly name: string;
  readonly pool?: string;
  readonly zone?: string;
}

function asMean(d: Distribution): Distribution {
  return d.kind === 'constant' ? { kind: 'exponential', meanMs: d.ms } : d;
}

/** Checks one `spec.faults` entry against the nodes the scenario starts with. */
export function buildFaultSource(input: FaultInput, at: Locator, index: number, nodes: readonly StartingNode[], earlier: readonly FaultSource[] = []): FaultSource {
  const target = input.failNode;
  const targetAt = at.child('failNode');
  const given = (['node', 'zone', 'pool'] as const).filter((key) => target[key] !== undefined);
  if (given.length !== 1) {
    throw targetAt.error(given.length === 0 ? 'failNode needs one of "node", "zone" or "pool"' : `failNode takes one of "node", "zone" or "pool", got ${given.map((g) => `"${g}"`).join(' and ')}`, 'e.g. failNode: {pool: pool-a}', 'key');
  }
  const key = given[0];
  const value = target[key] as string;
  const valueAt = targetAt.child(key);
  let units: FaultUnit[];
  if (key === 'node') {
    if (!nodes.some((n) => n.name === value)) throw valueAt.error(`node "${value}" is not in the cluster at the start`, nodeHint(nodes));
    units = [{ by: 'node', name: value }];
  } else if (key === 'pool') {
    units = nodes.filter((n) => n.pool === value).map((n) => ({ by: 'node' as const, name: n.name }));
    if (units.length === 0) {
      const pools = [...new Set(nodes.flatMap((n) => (n.pool === undefined ? [] : [n.pool])))];
      throw valueAt.error(`node pool "${value}" has no nodes at the start`, pools.length > 0 ? `the pools are ${pools.join(', ')}` : 'define it under spec.cluster.nodePools');
    }
  } else {
    if (!nodes.some((n) => n.zone === value)) {
      const zones = [...new Set(nodes.flatMap((n) => (n.zone === undefined ? [] : [n.zone])))].sort();
      throw valueAt.error(`no node is in zone "${value}" at the start`, zones.length > 0 ? `the zones are ${zones.join(', ')}` : `give node pools a zone (the ${ZONE_LABEL} label)`);
    }
    units = [{ by: 'zone', name: value }];
  }
  for (const field of ['mtbf', 'mttr'] as const) {
    if (!(meanOf(input[field]) > 0)) throw at.child(field).error(`${field} must be longer than 0`, field === 'mtbf' ? 'e.g. mtbf: 30d' : 'e.g. mttr: 10m');
  }
  const base = `fault/${key}=${value}`;
  const repeats = earlier.filter((e) => e.stream === base || e.stream.startsWith(`${base}#`)).length;
  return {
    label: `faults[${index}] ${key}/${value}`,
    stream: repeats === 0 ? base : `${base}#${repeats + 1}`,
    mode: (target.mode ?? 'stopped') as FaultMode,
    units,
    timeToFailure: asMean(input.mtbf),
    timeToRepair: asMean(input.mttr),
  };
}

function nodeHint(nodes: readonly StartingNode[]): string {
  const names = nodes.slice(0, 5).map((n) => n.name);
  return names.length > 0 ? `nodes include ${names.join(', ')}${nodes.length > 5 ? ', …' : ''}` : 'the cluster has no nodes at the start';
}

/**
 * Refuses an entry expected to fail and repair more often than the actions limit allows over
 * the run (each failure and each repair is an action).
 */
export function checkFaultCount(source: FaultSource, durationMs: number, limits: Limits, at: Locator, actionsSoFar: number): number {
  const cycle = meanOf(source.timeToFailure) + meanOf(source.timeToRepair);
  const expected = Math.ceil((durationMs / cycle) * 2 * source.units.length);
  const total = actionsSoFar + expected;
  if (total > limits.actions) {
    throw at.child('mtbf').error(
      `these faults would fail and repair about ${expected} times over the run, over the limit of ${limits.actions} actions (actions=${limits.actions})`,
      `make mtbf longer, or ${raiseHint('actions', total, limits.actions)}`,
    );
  }
  return total;
}
