import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Probe } from '../../src/api/types/pod.js';
import { probeSuccessTime } from '../../src/kubelet/probes.js';

const S = 1000;
const probe = (fields: Partial<Probe> = {}): Probe => ({ exec: { command: ['true'] }, ...fields });

describe('probeSuccessTime', () => {
  it('without a probe the container is ready when it starts, whatever the application does', () => {
    assert.equal(probeSuccessTime(undefined, 7 * S, 60 * S), 7 * S);
  });

  it('probes at start + initialDelaySeconds and then every periodSeconds (defaults 0 and 10 s)', () => {
    // Started at 5 s, app ready at once: the first probe (5 s) passes.
    assert.equal(probeSuccessTime(probe(), 5 * S, 5 * S), 5 * S);
    // App ready 1 ms after start: the first probe fails, the next tick (15 s) passes.
    assert.equal(probeSuccessTime(probe(), 5 * S, 5 * S + 1), 15 * S);
    // Ready at 25.5 s: ticks at 5, 15, 25, 35 → 35 s.
    assert.equal(probeSuccessTime(probe(), 5 * S, 25_500), 35 * S);
  });

  it('an application ready exactly on a tick passes that tick', () => {
    assert.equal(probeSuccessTime(probe({ periodSeconds: 4 }), 0, 12 * S), 12 * S);
  });

  it('nothing is probed during initialDelaySeconds, even when the application is ready earlier', () => {
    assert.equal(probeSuccessTime(probe({ initialDelaySeconds: 20 }), 3 * S, 3 * S), 23 * S);
    // Ticks at 23, 27, 31 …; ready at 24 s → 27 s.
    assert.equal(probeSuccessTime(probe({ initialDelaySeconds: 20, periodSeconds: 4 }), 3 * S, 24 * S), 27 * S);
  });

  it('successThreshold consecutive passes are needed: the result flips (threshold − 1) periods after the first pass', () => {
    // First pass at 8 + 2 × 4 = 16 s (ready at 15 s); threshold 3 → 16 + 2 × 4 = 24 s.
    assert.equal(probeSuccessTime(probe({ initialDelaySeconds: 5, periodSeconds: 4, successThreshold: 3 }), 3 * S, 15 * S), 24 * S);
  });

  it('an application that never becomes ready never passes (Infinity)', () => {
    assert.equal(probeSuccessTime(probe(), 0, Infinity), Infinity);
  });
});
