import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Priority } from '../../src/engine/priorities.js';
import { Simulation } from '../../src/engine/simulation.js';

describe('Simulation: scheduling', () => {
  it('starts at t=0 with nothing pending', () => {
    const sim = new Simulation();
    assert.equal(sim.now, 0);
    assert.equal(sim.pending, 0);
    assert.equal(sim.stepsExecuted, 0);
  });

  it('runs events in time order and sets the clock to each event time', () => {
    const sim = new Simulation();
    const seen: [string, number][] = [];
    sim.schedule(300, () => seen.push(['c', sim.now]));
    sim.schedule(100, () => seen.push(['a', sim.now]));
    sim.schedule(200, () => seen.push(['b', sim.now]));
    const result = sim.run();
    assert.deepEqual(seen, [['a', 100], ['b', 200], ['c', 300]]);
    assert.deepEqual(result, { state: 'drained', now: 300, steps: 3 });
  });

  it('runs simultaneous events of equal priority in the order they were scheduled', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) sim.schedule(50, () => seen.push(i));
    sim.run();
    assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i));
  });

  it('orders same-time events by priority before sequence', () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.schedule(5, () => seen.push('timer'), Priority.Timer);
    sim.schedule(5, () => seen.push('watch'), Priority.Watch);
    sim.run();
    assert.deepEqual(seen, ['watch', 'timer']);
  });

  it('rounds fractional delays to whole milliseconds and treats negative delays as 0', () => {
    const sim = new Simulation();
    assert.equal(sim.schedule(1.4, () => {}).time, 1);
    assert.equal(sim.schedule(1.6, () => {}).time, 2);
    assert.equal(sim.schedule(-50, () => {}).time, 0);
    assert.equal(sim.schedule(0, () => {}).time, 0);
  });

  it('clamps scheduleAt in the past to now', () => {
    const sim = new Simulation();
    sim.schedule(100, () => {});
    sim.run();
    assert.equal(sim.now, 100);
    let ranAt = -1;
    const timer = sim.scheduleAt(40, () => (ranAt = sim.now));
    assert.equal(timer.time, 100);
    sim.run();
    assert.equal(ranAt, 100);
  });

  it('an event scheduled with delay 0 from inside a callback runs at the same instant in the same run', () => {
    const sim = new Simulation();
    const seen: [string, number][] = [];
    sim.schedule(10, () => {
      seen.push(['outer', sim.now]);
      sim.schedule(0, () => seen.push(['inner', sim.now]));
    });
    sim.schedule(11, () => seen.push(['later', sim.now]));
    sim.run();
    assert.deepEqual(seen, [['outer', 10], ['inner', 10], ['later', 11]]);
  });

  it('rejects priorities outside [0, 255] or non-integer, and non-finite times', () => {
    const sim = new Simulation();
    assert.throws(() => sim.schedule(1, () => {}, -1), RangeError);
    assert.throws(() => sim.schedule(1, () => {}, 256), RangeError);
    assert.throws(() => sim.schedule(1, () => {}, 1.5), RangeError);
    assert.throws(() => sim.scheduleAt(Infinity, () => {}), RangeError);
    assert.throws(() => sim.scheduleAt(Number.NaN, () => {}), RangeError);
    assert.throws(() => sim.scheduleAt(2 ** 45, () => {}), /at most 35184372088831 ms/);
    assert.equal(sim.pending, 0, 'rejected schedules leave nothing behind');
  });
});

describe('Simulation: cancellation', () => {
  it('skips cancelled timers without counting them as steps', () => {
    const sim = new Simulation();
    const seen: string[] = [];
    const a = sim.schedule(10, () => seen.push('a'));
    sim.schedule(20, () => seen.push('b'));
    a.cancel();
    assert.equal(a.cancelled, true);
    assert.equal(sim.pending, 2, 'cancelled entries stay pending until popped');
    const result = sim.run();
    assert.deepEqual(seen, ['b']);
    assert.equal(result.steps, 1);
    assert.equal(sim.stepsExecuted, 1);
    assert.equal(sim.pending, 0);
  });

  it('a callback can cancel a later timer at the same instant', () => {
    const sim = new Simulation();
    const seen: string[] = [];
    const victim = sim.schedule(10, () => seen.push('victim'));
    sim.schedule(10, () => seen.push('never'), Priority.Controller).cancel();
    // Scheduled after the canceller but with a lower priority value: runs first.
    sim.schedule(10, () => {
      seen.push('canceller');
      victim.cancel();
    }, Priority.Watch);
    sim.run();
    assert.deepEqual(seen, ['canceller']);
  });
});

describe('Simulation: run({until})', () => {
  it('is inclusive: an event at exactly `until` runs', () => {
    const sim = new Simulation();
    let ran = false;
    sim.schedule(100, () => (ran = true));
    const result = sim.run({ until: 100 });
    assert.equal(ran, true);
    assert.equal(result.state, 'drained');
    assert.equal(result.now, 100);
  });

  it('stops before events after `until`, reports until-reached and leaves them pending', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.schedule(100, () => seen.push(100));
    sim.schedule(101, () => seen.push(101));
    const result = sim.run({ until: 100 });
    assert.deepEqual(result, { state: 'until-reached', now: 100, steps: 1 });
    assert.deepEqual(seen, [100]);
    assert.equal(sim.pending, 1);
    const rest = sim.run();
    assert.deepEqual(rest, { state: 'drained', now: 101, steps: 1 });
    assert.deepEqual(seen, [100, 101]);
  });

  it('sets the clock to `until` when it stops at the horizon with events pending', () => {
    const sim = new Simulation();
    sim.schedule(500, () => {});
    const result = sim.run({ until: 250 });
    assert.equal(result.state, 'until-reached');
    assert.equal(sim.now, 250);
    assert.equal(result.steps, 0);
  });

  it('advances the clock to `until` when the list drains earlier', () => {
    const sim = new Simulation();
    sim.schedule(10, () => {});
    const result = sim.run({ until: 1000 });
    assert.deepEqual(result, { state: 'drained', now: 1000, steps: 1 });
    assert.equal(sim.now, 1000);
  });

  it('advances an empty simulation to `until` too', () => {
    const sim = new Simulation();
    assert.deepEqual(sim.run({ until: 42 }), { state: 'drained', now: 42, steps: 0 });
  });

  it('without `until`, leaves the clock at the last event when drained', () => {
    const sim = new Simulation();
    sim.schedule(7, () => {});
    assert.deepEqual(sim.run(), { state: 'drained', now: 7, steps: 1 });
  });

  it('consecutive runs tile the timeline: delays count from the end of the previous run', () => {
    const sim = new Simulation();
    sim.run({ until: 100 });
    let ranAt = -1;
    sim.schedule(50, () => (ranAt = sim.now));
    sim.run({ until: 200 });
    assert.equal(ranAt, 150);
    assert.equal(sim.now, 200);
  });

  it('never moves the clock backwards when `until` is earlier than now', () => {
    // Bug: the until-reached branch sets `clock = until` unconditionally, while the drained
    // branch guards with `until > clock`. A virtual clock must be monotonic.
    const sim = new Simulation();
    sim.schedule(100, () => {});
    sim.schedule(200, () => {});
    sim.run({ until: 100 });
    assert.equal(sim.now, 100);
    const result = sim.run({ until: 50 });
    assert.equal(result.state, 'until-reached');
    assert.ok(sim.now >= 100, `clock went back from 100 to ${sim.now}`);
  });
});

describe('Simulation: step limit', () => {
  it('stops a self-rescheduling event after maxSteps with state step-limit', () => {
    const sim = new Simulation();
    let runs = 0;
    const tick = (): void => {
      runs++;
      sim.schedule(1, tick);
    };
    sim.schedule(0, tick);
    const result = sim.run({ maxSteps: 10 });
    assert.deepEqual(result, { state: 'step-limit', now: 9, steps: 10 });
    assert.equal(runs, 10);
    assert.equal(sim.stepsExecuted, 10);
  });

  it('counts steps per call while stepsExecuted accumulates', () => {
    const sim = new Simulation();
    for (let i = 0; i < 5; i++) sim.schedule(i, () => {});
    assert.equal(sim.run({ maxSteps: 3 }).steps, 3);
    const second = sim.run({ maxSteps: 3 });
    assert.equal(second.steps, 2);
    assert.equal(second.state, 'drained');
    assert.equal(sim.stepsExecuted, 5);
  });

  it('reports drained, not step-limit, when exactly maxSteps events were all there was', () => {
    const sim = new Simulation();
    sim.schedule(1, () => {});
    sim.schedule(2, () => {});
    assert.equal(sim.run({ maxSteps: 2 }).state, 'drained');
  });

  it('checks the horizon before the step limit', () => {
    const sim = new Simulation();
    sim.schedule(1, () => {});
    sim.schedule(100, () => {});
    const result = sim.run({ until: 50, maxSteps: 1 });
    assert.equal(result.state, 'until-reached');
    assert.equal(result.now, 50);
  });
});

describe('Simulation: errors', () => {
  it('propagates an exception thrown by an event and can resume afterwards', () => {
    const sim = new Simulation();
    const seen: string[] = [];
    const boom = new Error('boom');
    sim.schedule(10, () => {
      throw boom;
    });
    sim.schedule(20, () => seen.push('after'));
    assert.throws(() => sim.run(), (error) => error === boom);
    assert.equal(sim.now, 10, 'the clock stands at the failing event');
    assert.deepEqual(seen, []);
    assert.equal(sim.run().state, 'drained');
    assert.deepEqual(seen, ['after']);
  });
});
