/**
 * run.json: the contract's non-deterministic figures (wall time, events processed and per second,
 * virtual seconds per wall second, peak memory, versions), and only here, never in metrics.json.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInfo } from '../../src/report/run-info.js';
import { eventsJsonl, metricsJson, timelineCsv } from '../../src/report/write-outputs.js';
import { VERSION } from '../../src/version.js';
import { runWeb } from './fixtures.js';

const MiB = 1024 * 1024;
const WALL_FIELDS = ['wallSeconds', 'eventsPerSecond', 'virtualSecondsPerWallSecond', 'peakMemoryMiB', 'versions'];

describe('run.json', () => {
  it('derives every figure from the run and the measured wall time and memory', () => {
    const result = runWeb();
    assert.deepEqual(runInfo(result, 2000, 100 * MiB), {
      scenario: 'web-rollout',
      seed: 7,
      wallSeconds: 2,
      virtualSeconds: 60,
      eventsProcessed: result.steps,
      eventsPerSecond: Math.round(result.steps / 2),
      virtualSecondsPerWallSecond: 30,
      peakMemoryMiB: 100,
      engineState: 'until-reached',
      versions: { k8sim: VERSION, node: process.version },
    });
    assert.ok(result.steps > 100, 'events processed counts simulation events');
  });

  it('rounds wall seconds to the millisecond, rates and memory to one decimal', () => {
    const info = runInfo(runWeb(), 1234.5678, 123.456 * MiB);
    assert.equal(info.wallSeconds, 1.235);
    assert.equal(info.virtualSecondsPerWallSecond, Math.round((60 / 1.2345678) * 10) / 10);
    assert.equal(info.peakMemoryMiB, 123.5);
  });

  it('a zero wall time gives zero rates, never Infinity or NaN (JSON would print null)', () => {
    const info = runInfo(runWeb(), 0, 0);
    assert.deepEqual([info.eventsPerSecond, info.virtualSecondsPerWallSecond], [0, 0]);
    assert.doesNotMatch(JSON.stringify(info), /null/);
  });

  it('has the fields the contract and the living spec name', () => {
    const info = runInfo(runWeb(), 10, MiB) as unknown as Record<string, unknown>;
    for (const key of ['wallSeconds', 'virtualSeconds', 'eventsProcessed', 'eventsPerSecond', 'virtualSecondsPerWallSecond', 'peakMemoryMiB', 'engineState', 'versions']) {
      assert.ok(key in info, key);
    }
    assert.deepEqual(Object.keys(info.versions as object), ['k8sim', 'node']);
  });

  it('none of it appears in metrics.json, events.jsonl or timeline.csv', () => {
    const result = runWeb();
    const metrics = JSON.parse(metricsJson(result)) as Record<string, unknown>;
    for (const key of [...WALL_FIELDS, 'eventsProcessed', 'engineState']) assert.ok(!(key in metrics), key);
    for (const text of [metricsJson(result), eventsJsonl(result), timelineCsv(result.timeline)]) {
      assert.ok(!text.includes(process.version), 'no Node.js version');
      assert.doesNotMatch(text, /wallSeconds|peakMemory|eventsPerSecond/);
    }
  });
});
