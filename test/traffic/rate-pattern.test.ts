/**
 * Rate patterns read piece by piece: each piece's rate is the exact mean of the pattern over
 * the piece, pieces end at breakpoints and, where the rate varies, on the 5 s grid — so the
 * requests a run offers are the integral of the pattern.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RatePattern, TRAFFIC_RESOLUTION_MS, constantRate, ratePiece, rateAt } from '../../src/traffic/rate-pattern.js';

/** Requests offered over [0, untilMs), walking the pieces. */
function integrate(pattern: RatePattern, untilMs: number, grid = false): { requests: number; pieces: number } {
  let t = 0;
  let requests = 0;
  let pieces = 0;
  while (t < untilMs) {
    const piece = ratePiece(pattern, t, grid);
    const end = Math.min(piece.endMs, untilMs);
    assert.ok(end > t, `piece at ${t} must end after it starts`);
    requests += (piece.rps * (end - t)) / 1000;
    t = end;
    pieces++;
  }
  return { requests, pieces };
}

const step: RatePattern = { base: { kind: 'step', points: [{ atMs: 10_000, rps: 100 }, { atMs: 60_000, rps: 800 }] }, spikes: [] };
const ramp: RatePattern = { base: { kind: 'ramp', fromRps: 100, toRps: 1100, atMs: 60_000, overMs: 600_000 }, spikes: [] };
const sine: RatePattern = { base: { kind: 'sine', meanRps: 500, amplitudeRps: 300, periodMs: 86_400_000, phaseMs: 0 }, spikes: [] };

describe('rateAt', () => {
  const cases: { name: string; pattern: RatePattern; t: number; rps: number }[] = [
    { name: 'a constant', pattern: constantRate(250), t: 123_456, rps: 250 },
    { name: 'a step list before its first step is 0', pattern: step, t: 9_999, rps: 0 },
    { name: 'a step holds from its time', pattern: step, t: 10_000, rps: 100 },
    { name: 'the last step holds to the end', pattern: step, t: 9e9, rps: 800 },
    { name: 'a ramp before it starts is at "from"', pattern: ramp, t: 0, rps: 100 },
    { name: 'a ramp half-way', pattern: ramp, t: 360_000, rps: 600 },
    { name: 'a ramp after "over" is at "to"', pattern: ramp, t: 700_000, rps: 1100 },
    { name: 'a sine at a quarter period is at its peak', pattern: sine, t: 21_600_000, rps: 800 },
    { name: 'a sine with a quarter-period phase starts at its peak', pattern: { base: { ...(sine.base as Extract<RatePattern['base'], { kind: 'sine' }>), phaseMs: 21_600_000 }, spikes: [] }, t: 0, rps: 800 },
    { name: 'a factor spike multiplies', pattern: { base: { kind: 'constant', rps: 100 }, spikes: [{ atMs: 5000, durationMs: 1000, rps: 0, factor: 3 }] }, t: 5500, rps: 300 },
    { name: 'an rps spike adds', pattern: { base: { kind: 'constant', rps: 100 }, spikes: [{ atMs: 5000, durationMs: 1000, rps: 50, factor: 1 }] }, t: 5999, rps: 150 },
    { name: 'a spike is over at at + duration', pattern: { base: { kind: 'constant', rps: 100 }, spikes: [{ atMs: 5000, durationMs: 1000, rps: 50, factor: 1 }] }, t: 6000, rps: 100 },
    {
      name: 'overlapping spikes: factors multiply, then extras add',
      pattern: { base: { kind: 'constant', rps: 100 }, spikes: [{ atMs: 0, durationMs: 10_000, rps: 0, factor: 2 }, { atMs: 0, durationMs: 10_000, rps: 7, factor: 1.5 }] },
      t: 1,
      rps: 307,
    },
  ];
  for (const c of cases) it(c.name, () => assert.ok(Math.abs(rateAt(c.pattern, c.t) - c.rps) < 1e-9, `${rateAt(c.pattern, c.t)} ≠ ${c.rps}`));
});

describe('ratePiece', () => {
  it('a constant is one piece forever, or 5 s pieces on the noise grid', () => {
    assert.deepEqual(ratePiece(constantRate(40), 1234), { rps: 40, endMs: Infinity });
    assert.deepEqual(ratePiece(constantRate(40), 1234, true), { rps: 40, endMs: TRAFFIC_RESOLUTION_MS });
    assert.deepEqual(ratePiece(constantRate(40), 5000, true), { rps: 40, endMs: 10_000 });
  });

  it('a step list ends its pieces at its steps and nowhere else', () => {
    assert.deepEqual(ratePiece(step, 0), { rps: 0, endMs: 10_000 });
    assert.deepEqual(ratePiece(step, 10_000), { rps: 100, endMs: 60_000 });
    assert.deepEqual(ratePiece(step, 60_000), { rps: 800, endMs: Infinity });
  });

  it('a ramp is one piece before and after, 5 s pieces at their mean during', () => {
    assert.deepEqual(ratePiece(ramp, 0), { rps: 100, endMs: 60_000 });
    // 60–65 s: from 100 towards 1100 at 1000 rps per 600 s: the mean of the first 5 s is at 62.5 s.
    const first = ratePiece(ramp, 60_000);
    assert.equal(first.endMs, 65_000);
    assert.ok(Math.abs(first.rps - (100 + (1000 * 2.5) / 600)) < 1e-9);
    assert.deepEqual(ratePiece(ramp, 660_000), { rps: 1100, endMs: Infinity });
  });

  it('a spike cuts pieces at its start and end', () => {
    const spiky: RatePattern = { base: { kind: 'constant', rps: 100 }, spikes: [{ atMs: 30_000, durationMs: 10_000, rps: 0, factor: 4 }] };
    assert.deepEqual(ratePiece(spiky, 0), { rps: 100, endMs: 30_000 });
    assert.deepEqual(ratePiece(spiky, 30_000), { rps: 400, endMs: 40_000 });
    assert.deepEqual(ratePiece(spiky, 40_000), { rps: 100, endMs: Infinity });
  });

  it('the pieces of a day of sine offer exactly mean × a day, in 17,280 pieces', () => {
    const { requests, pieces } = integrate(sine, 86_400_000);
    assert.equal(pieces, 86_400_000 / TRAFFIC_RESOLUTION_MS);
    assert.ok(Math.abs(requests - 500 * 86_400) < 1e-3, `${requests}`);
  });

  it('the pieces of a ramp offer exactly its integral', () => {
    // 60 s at 100, then the ramp's mean 600 over 600 s, then 1100 for the last 40 s of 700 s.
    const { requests } = integrate(ramp, 700_000);
    assert.ok(Math.abs(requests - (60 * 100 + 600 * 600 + 40 * 1100)) < 1e-6, `${requests}`);
  });

  it('half a sine period offers the closed-form integral', () => {
    // ∫₀^{P/2} (m + a·sin(2πt/P)) dt = m·P/2 + a·P/π
    const { requests } = integrate(sine, 43_200_000, true);
    assert.ok(Math.abs(requests - (500 * 43_200 + (300 * 86_400) / Math.PI)) < 1e-3, `${requests}`);
  });
});
