import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '../../src/engine/random.js';
import { Simulation } from '../../src/engine/simulation.js';
import { ImageManager, type PullResult } from '../../src/kubelet/image-manager.js';
import { S, profile } from './harness.js';

interface Log {
  readonly done: { t: number; who: string; result: PullResult }[];
  readonly added: { t: number; image: string; size: number }[];
}

function newManager(serialize = true): { sim: Simulation; images: ImageManager; log: Log } {
  const sim = new Simulation();
  const log: Log = { done: [], added: [] };
  const images = new ImageManager(sim, new RandomStreams(1).stream('test'), serialize, (image, size) => log.added.push({ t: sim.now, image, size }));
  return { sim, images, log };
}

function request(sim: Simulation, images: ImageManager, log: Log, who: string, image: string, p: ReturnType<typeof profile>): void {
  images.ensure(image, p, (result) => log.done.push({ t: sim.now, who, result }));
}

const a = profile({ pull: 4 * S, sizeBytes: 111 });
const b = profile({ pull: 6 * S, sizeBytes: 222 });
const c = profile({ pull: 1 * S, sizeBytes: 333 });

describe('ImageManager', () => {
  it('pulls one image at a time, in request order (serializeImagePulls)', () => {
    const { sim, images, log } = newManager();
    request(sim, images, log, 'p1', 'a', a);
    request(sim, images, log, 'p2', 'b', b);
    // The quickest pull does not jump the queue.
    request(sim, images, log, 'p3', 'c', c);
    sim.run();
    assert.deepEqual(log.done.map((d) => [d.who, d.t]), [['p1', 4 * S], ['p2', 10 * S], ['p3', 11 * S]]);
    assert.deepEqual(log.added.map((x) => [x.image, x.t, x.size]), [['a', 4 * S, 111], ['b', 10 * S, 222], ['c', 11 * S, 333]]);
    assert.deepEqual([...images.images()], [['a', 111], ['b', 222], ['c', 333]]);
  });

  it('pulls in parallel when serializeImagePulls is off', () => {
    const { sim, images, log } = newManager(false);
    request(sim, images, log, 'p1', 'a', a);
    request(sim, images, log, 'p2', 'b', b);
    sim.run();
    assert.deepEqual(log.done.map((d) => [d.who, d.t]), [['p1', 4 * S], ['p2', 6 * S]]);
  });

  it('concurrent requests for one image share one pull, even while it waits in the queue', () => {
    const { sim, images, log } = newManager();
    request(sim, images, log, 'p1', 'a', a);
    request(sim, images, log, 'p2', 'b', b); // queued behind a
    request(sim, images, log, 'p3', 'a', a); // joins the running pull of a
    sim.run({ until: 1 * S });
    request(sim, images, log, 'p4', 'b', b); // joins the queued pull of b
    sim.run();
    assert.deepEqual(log.done.map((d) => [d.who, d.t]), [['p1', 4 * S], ['p3', 4 * S], ['p2', 10 * S], ['p4', 10 * S]]);
    assert.equal(log.added.length, 2, 'each image lands once');
  });

  it('an image already present is ready at once (synchronously), without a pull', () => {
    const { sim, images, log } = newManager();
    request(sim, images, log, 'p1', 'a', a);
    sim.run();
    assert.ok(images.has('a'));
    const before = sim.stepsExecuted;
    let called = false;
    images.ensure('a', a, (result) => {
      called = result.ok;
    });
    assert.equal(called, true);
    assert.equal(sim.pending, 0);
    assert.equal(sim.stepsExecuted, before);
  });

  it('a failing pull reports its message to every waiter, leaves nothing cached, and a later request pulls again', () => {
    const { sim, images, log } = newManager();
    const broken = profile({ pull: 3 * S, pullError: 'manifest unknown' });
    request(sim, images, log, 'p1', 'x', broken);
    request(sim, images, log, 'p2', 'x', broken);
    sim.run();
    assert.deepEqual(log.done.map((d) => [d.who, d.t, d.result]), [
      ['p1', 3 * S, { ok: false, message: 'manifest unknown' }],
      ['p2', 3 * S, { ok: false, message: 'manifest unknown' }],
    ]);
    assert.equal(images.has('x'), false);
    assert.deepEqual(log.added, []);
    request(sim, images, log, 'p3', 'x', broken);
    sim.run();
    assert.deepEqual(log.done.slice(2).map((d) => [d.who, d.t]), [['p3', 6 * S]]);
  });

  it('a failed pull frees the puller for the next image in the queue', () => {
    const { sim, images, log } = newManager();
    request(sim, images, log, 'p1', 'x', profile({ pull: 3 * S, pullError: 'denied' }));
    request(sim, images, log, 'p2', 'a', a);
    sim.run();
    assert.deepEqual(log.done.map((d) => [d.who, d.t, d.result.ok]), [['p1', 3 * S, false], ['p2', 7 * S, true]]);
  });

  it('reset() drops queued and running pulls without calling their waiters; new pulls start at once', () => {
    const { sim, images, log } = newManager();
    request(sim, images, log, 'p1', 'a', a);
    request(sim, images, log, 'p2', 'b', b);
    sim.run({ until: 2 * S });
    images.reset();
    request(sim, images, log, 'p3', 'c', c);
    sim.run();
    assert.deepEqual(log.done.map((d) => [d.who, d.t]), [['p3', 3 * S]]);
    assert.deepEqual([...images.images().keys()], ['c']);
  });
});
