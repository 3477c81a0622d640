/**
 * metrics-server's view of one pod: scrapes every 15 s at multiples of the resolution, CPU as
 * the rate between the last two scrapes (so nothing until the second scrape), memory as the
 * last scrape's value, CPU rounded up to millicores from whole nanocores.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageMeter } from '../../src/metrics-pipeline/usage-meter.js';

const S = 1000;

describe('UsageMeter', () => {
  it('has no reading until a pod started at 7 s has been scraped twice (15 s and 30 s)', () => {
    const m = new UsageMeter(15 * S);
    m.setUsage(7 * S, 200, 64e6);
    m.setActive(7 * S, true);
    for (const t of [7, 14.999, 15, 29.999]) assert.equal(m.reading(t * S), undefined, `t=${t}`);
    assert.deepEqual(m.reading(30 * S), { timestamp: 30 * S, window: 15 * S, cpuMilli: 200, memoryBytes: 64e6 });
    // Between scrapes the reading stays the last one.
    assert.deepEqual(m.reading(44 * S), { timestamp: 30 * S, window: 15 * S, cpuMilli: 200, memoryBytes: 64e6 });
  });

  it('a pod started exactly on a scrape is sampled by it', () => {
    const m = new UsageMeter(15 * S);
    m.setUsage(15 * S, 50, 0);
    m.setActive(15 * S, true);
    assert.equal(m.reading(29 * S), undefined);
    assert.equal(m.reading(30 * S)?.cpuMilli, 50);
  });

  it('CPU is the mean over the window between the last two scrapes', () => {
    const m = new UsageMeter(15 * S);
    m.setActive(0, true);
    m.setUsage(0, 100, 1);
    m.setUsage(20 * S, 400, 2);
    // [15, 30]: 5 s at 100m and 10 s at 400m.
    assert.equal(m.reading(30 * S)?.cpuMilli, 300);
    // [30, 45]: 400m throughout; a reading long after skips to the last two scrapes.
    assert.equal(m.reading(45 * S)?.cpuMilli, 400);
    m.setUsage(50 * S, 0, 3);
    assert.deepEqual(m.reading(120 * S), { timestamp: 120 * S, window: 15 * S, cpuMilli: 0, memoryBytes: 3 });
  });

  it('memory is the working set at the last scrape, not the current one', () => {
    const m = new UsageMeter(15 * S);
    m.setActive(0, true);
    m.setUsage(0, 10, 100);
    m.setUsage(31 * S, 10, 900);
    assert.equal(m.reading(44 * S)?.memoryBytes, 100);
    assert.equal(m.reading(45 * S)?.memoryBytes, 900);
  });

  it('a change exactly on a scrape counts from that scrape on', () => {
    const m = new UsageMeter(15 * S);
    m.setActive(0, true);
    m.setUsage(0, 100, 1);
    m.setUsage(15 * S, 700, 2);
    assert.deepEqual(m.reading(15 * S), { timestamp: 15 * S, window: 15 * S, cpuMilli: 100, memoryBytes: 1 });
    assert.equal(m.reading(30 * S)?.cpuMilli, 700);
  });

  it('rounds CPU up to millicores from whole nanocores, as Quantity.MilliValue() does', () => {
    const cases: [number, number][] = [
      [100, 100],
      [100 + 1e-12, 100], // fluid noise below a nanocore is not a millicore
      [100.4, 101],
      [0.0004, 1],
      [0, 0],
    ];
    for (const [usage, expected] of cases) {
      const m = new UsageMeter(15 * S);
      m.setActive(0, true);
      m.setUsage(0, usage, 0);
      assert.equal(m.reading(30 * S)?.cpuMilli, expected, `usage ${usage}`);
    }
  });

  it('stopping forgets the samples: metering again waits for two new scrapes', () => {
    const m = new UsageMeter(15 * S);
    m.setActive(0, true);
    m.setUsage(0, 100, 1);
    assert.ok(m.reading(30 * S) !== undefined);
    m.setActive(31 * S, false);
    assert.equal(m.reading(60 * S), undefined);
    m.setActive(61 * S, true);
    assert.equal(m.reading(75 * S), undefined);
    assert.equal(m.reading(90 * S)?.cpuMilli, 100);
  });

  it('follows the resolution setting', () => {
    const m = new UsageMeter(60 * S);
    m.setActive(0, true);
    m.setUsage(0, 100, 1);
    assert.equal(m.reading(59 * S), undefined);
    assert.deepEqual(m.reading(60 * S), { timestamp: 60 * S, window: 60 * S, cpuMilli: 100, memoryBytes: 1 });
  });
});
