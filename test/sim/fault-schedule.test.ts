/**
 * drawFaults: failures and repairs alternate per unit, stay inside the horizon, come from the
 * unit's own stream (common random numbers), and follow the distributions they are drawn from.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '../../src/engine/random.js';
import type { FaultSource } from '../../src/scenario/faults.js';
import { drawFaults } from '../../src/sim/fault-schedule.js';

const HOUR = 3_600_000;
const source = (stream: string, units: FaultSource['units'], mtbfMs = 10 * HOUR, mttrMs = HOUR): FaultSource => ({
  label: stream, stream, mode: 'stopped', units,
  timeToFailure: { kind: 'exponential', meanMs: mtbfMs }, timeToRepair: { kind: 'exponential', meanMs: mttrMs },
});

describe('drawFaults', () => {
  it('each unit alternates fail and recover, in time order, within the horizon', () => {
    const horizon = 30 * 24 * HOUR;
    const out = drawFaults([source('fault/pool=a', [{ by: 'node', name: 'a-0' }, { by: 'node', name: 'a-1' }])], new RandomStreams(1), horizon);
    assert.ok(out.length > 20, `${out.length} occurrences`);
    for (let i = 1; i < out.length; i++) assert.ok(out[i - 1].atMs <= out[i].atMs);
    for (const node of ['a-0', 'a-1']) {
      const own = out.filter((o) => o.unit.name === node);
      own.forEach((o, i) => assert.equal(o.type, i % 2 === 0 ? 'fail' : 'recover', `${node} #${i}`));
      assert.ok(own.every((o) => o.atMs > 0 && o.atMs <= horizon));
    }
  });

  it('the same seed draws the same faults; another seed other ones', () => {
    const draw = (seed: number) => drawFaults([source('fault/node=n', [{ by: 'node', name: 'n' }])], new RandomStreams(seed), 100 * HOUR).map((o) => o.atMs);
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  it('a unit\'s faults do not move when another entry is added before it (its own stream)', () => {
    const b = source('fault/node=b', [{ by: 'node', name: 'b' }]);
    const alone = drawFaults([b], new RandomStreams(3), 100 * HOUR).map((o) => o.atMs);
    const withOther = drawFaults([source('fault/zone=z', [{ by: 'zone', name: 'z' }]), b], new RandomStreams(3), 100 * HOUR).filter((o) => o.source === b).map((o) => o.atMs);
    assert.deepEqual(withOther, alone);
  });

  it('up and down times follow their means (10 h up, 1 h down over ~5,000 cycles)', () => {
    const out = drawFaults([source('fault/node=n', [{ by: 'node', name: 'n' }])], new RandomStreams(11), 5_000 * 11 * HOUR);
    let up = 0;
    let down = 0;
    let last = 0;
    for (const o of out) {
      if (o.type === 'fail') up += o.atMs - last;
      else down += o.atMs - last;
      last = o.atMs;
    }
    const failures = out.filter((o) => o.type === 'fail').length;
    const repairs = out.filter((o) => o.type === 'recover').length;
    assert.ok(Math.abs(up / failures / HOUR - 10) < 0.5, `mean up ${up / failures / HOUR} h`);
    assert.ok(Math.abs(down / repairs / HOUR - 1) < 0.05, `mean down ${down / repairs / HOUR} h`);
  });
});
