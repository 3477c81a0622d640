/**
 * Same scenario, same seed ⇒ byte-identical events.jsonl, timeline.csv and metrics.json; and a
 * different seed changes the run (the seed is really used).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { eventsJsonl, metricsJson, timelineCsv } from '../../src/report/write-outputs.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/run.js';
import { loadText, rollingScenario } from '../helpers/scenarios.js';

const runs = Number(process.env.FC_RUNS ?? 12);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

function outputs(text: string, runSeed?: number): string[] {
  const result = runScenario(loadText(text), { seed: runSeed });
  return [eventsJsonl(result), timelineCsv(result.timeline), metricsJson(result)];
}

test('the same scenario and seed give byte-identical outputs', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 0, max: 20_000 }),
      (scenarioSeed, replicas, readyMs) => {
        const text = rollingScenario({ seed: scenarioSeed, replicas, maxSurge: '25%', maxUnavailable: '25%', minReadySeconds: 0, readyMs, readyJitterMs: 5000, nodes: 3 });
        const [first, second] = [outputs(text), outputs(text)];
        assert.equal(first[0], second[0], 'events.jsonl differs');
        assert.equal(first[1], second[1], 'timeline.csv differs');
        assert.equal(first[2], second[2], 'metrics.json differs');
      },
    ),
    { numRuns: runs, seed },
  );
});

test('a different seed gives a different run', () => {
  const text = rollingScenario({ seed: 1, replicas: 8, maxSurge: '25%', maxUnavailable: '25%', minReadySeconds: 0, readyMs: 1000, readyJitterMs: 9000, nodes: 3 });
  assert.notEqual(outputs(text, 1)[0], outputs(text, 2)[0]);
});

test('every example — traffic with Poisson noise, autoscalers, random faults — gives byte-identical outputs for a seed', () => {
  const folder = new URL('../../scenarios/', import.meta.url).pathname;
  const examples = readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort();
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000 }), (runSeed) => {
      for (const file of examples) {
        const scenario = loadScenario(join(folder, file));
        const once = (): string[] => {
          const result = runScenario(scenario, { seed: runSeed });
          return [eventsJsonl(result), timelineCsv(result.timeline), metricsJson(result)];
        };
        const [first, second] = [once(), once()];
        assert.ok(first[0] === second[0] && first[1] === second[1] && first[2] === second[2], `${file} with seed ${runSeed}: outputs differ`);
      }
    }),
    { numRuns: 1, seed },
  );
});
