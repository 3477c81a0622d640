/**
 * Every example in scenarios/ runs with its pinned seed and every expectation holds; nothing
 * goes wrong inside the cluster (no reconcile errors, no failed actions).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/run.js';

const folder = new URL('../../scenarios/', import.meta.url).pathname;
const examples = readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort();

test('there are at least six example scenarios', () => {
  assert.ok(examples.length >= 6, `found ${examples.join(', ')}`);
});

for (const file of examples) {
  test(`example ${file} passes its expectations`, () => {
    const scenario = loadScenario(join(folder, file));
    const result = runScenario(scenario, { freezeObjects: true });
    const failed = result.expectations.filter((e) => !e.passed).map((e) => `${e.expect}: ${e.detail}`);
    assert.deepEqual(failed, []);
    assert.ok(result.expectations.length > 0, 'an example states what it shows as expectations');
    assert.deepEqual(result.warnings, []);
    const problems = result.eventLines.filter((line) => /"type":"(ReconcileError|ReconcileDropped|ActionFailed)"/.test(line));
    assert.deepEqual(problems, []);
  });
}
