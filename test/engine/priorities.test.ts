import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PRIORITY } from '../../src/engine/event-heap.js';
import { Priority } from '../../src/engine/priorities.js';
import { Simulation } from '../../src/engine/simulation.js';

describe('Priority', () => {
  it('orders the instant as documented: stop, watch, action, timer, controller, observe, sample', () => {
    const order = [Priority.Urgent, Priority.Watch, Priority.Action, Priority.Timer, Priority.Controller, Priority.Observe, Priority.Sample];
    for (let i = 1; i < order.length; i++) assert.ok(order[i - 1] < order[i], `priority #${i - 1} must run before #${i}`);
  });

  it('uses only integers the heap accepts', () => {
    for (const [name, value] of Object.entries(Priority)) {
      assert.ok(Number.isInteger(value) && value >= 0 && value <= MAX_PRIORITY, `${name}=${value}`);
    }
  });

  it('has distinct values, so no two classes tie on priority', () => {
    const values = Object.values(Priority);
    assert.equal(new Set(values).size, values.length);
  });

  it('drives the simulation: same-instant events run in priority order, not scheduling order', () => {
    const sim = new Simulation();
    const ran: string[] = [];
    sim.schedule(10, () => ran.push('sample'), Priority.Sample);
    sim.schedule(10, () => ran.push('observe'), Priority.Observe);
    sim.schedule(10, () => ran.push('controller'), Priority.Controller);
    sim.schedule(10, () => ran.push('timer'), Priority.Timer);
    sim.schedule(10, () => ran.push('action'), Priority.Action);
    sim.schedule(10, () => ran.push('watch'), Priority.Watch);
    sim.schedule(10, () => ran.push('urgent'), Priority.Urgent);
    sim.run();
    assert.deepEqual(ran, ['urgent', 'watch', 'action', 'timer', 'controller', 'observe', 'sample']);
  });
});
