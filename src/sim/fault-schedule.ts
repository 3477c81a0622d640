/**
 * Draws the failures and repairs of `spec.faults` for one run: each unit (a node, or a zone)
 * alternates up and down, up for a draw of time-to-failure and down for a draw of
 * time-to-repair, from its own stream (`<source stream>/<unit>`). Common random numbers follow:
 * a unit's faults depend only on the seed and that unit's entry, so two variants of a scenario
 * that differ in their workloads see the same faults.
 */
import { sample } from '../engine/distribution.js';
import type { RandomStreams } from '../engine/random.js';
import type { FaultSource, FaultUnit } from '../scenario/faults.js';

export interface FaultOccurrence {
  readonly atMs: number;
  readonly type: 'fail' | 'recover';
  readonly unit: FaultUnit;
  readonly source: FaultSource;
}

export function unitName(unit: FaultUnit): string {
  return `${unit.by}/${unit.name}`;
}

/** Every failure and repair up to the horizon, ordered by time (ties: entry order, then unit order). */
export function drawFaults(sources: readonly FaultSource[], random: RandomStreams, horizonMs: number): FaultOccurrence[] {
  const out: FaultOccurrence[] = [];
  for (const source of sources) {
    for (const unit of source.units) {
      const rng = random.stream(`${source.stream}/${unitName(unit)}`);
      let t = 0;
      for (;;) {
        // At least 1 ms each: a zero draw would fail and repair in the same instant.
        t += Math.max(1, sample(source.timeToFailure, rng));
        if (t > horizonMs) break;
        out.push({ atMs: t, type: 'fail', unit, source });
        t += Math.max(1, sample(source.timeToRepair, rng));
        if (t > horizonMs) break;
        out.push({ atMs: t, type: 'recover', unit, source });
      }
    }
  }
  // A stable sort keeps entry and unit order among equal times.
  return out.sort((a, b) => a.atMs - b.atMs);
}
