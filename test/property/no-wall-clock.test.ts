/**
 * The determinism rule, checked on the source: nothing below src/cli/ reads the wall clock, the
 * unseeded random generator or real timers. A line in the CLI that must (run.json's wall time) is
 * marked `// wall-clock`.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const FORBIDDEN = /\bDate\.now\s*\(|new Date\(\s*\)|\bperformance\.now\s*\(|\bMath\.random\s*\(|\bset(?:Timeout|Interval|Immediate)\s*\(|\bprocess\.hrtime\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('the pattern catches what it is meant to catch', () => {
  for (const line of ['const t = Date.now();', 'new Date()', 'performance.now()', 'Math.random() < p', 'setTimeout(fn, 5)', 'process.hrtime.bigint()']) {
    assert.match(line, FORBIDDEN, line);
  }
  for (const line of ['new Date(ms).toISOString()', 'Date.parse(text)', 'rng.random()', 'sim.schedule(5, fn)']) {
    assert.doesNotMatch(line, FORBIDDEN, line);
  }
});

test('no wall clock, Math.random or timers below the CLI', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const path = relative(ROOT, file);
    const inCli = path.startsWith(join('src', 'cli'));
    readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
      if (!FORBIDDEN.test(line)) return;
      if (inCli && line.includes('// wall-clock')) return;
      offenders.push(`${path}:${index + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
