/**
 * CSV traces: `t,rps` rows, optional header, comments and blank lines; every mistake is located
 * at its line and column in the trace file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScenarioError } from '../../src/errors.js';
import { parseTrace } from '../../src/traffic/trace-file.js';

function fails(text: string, expected: { line: number; column: number; message: RegExp }): void {
  assert.throws(() => parseTrace(text, 'traces/load.csv'), (error: unknown) => {
    assert.ok(error instanceof ScenarioError, String(error));
    assert.equal(error.location.file, 'traces/load.csv');
    assert.equal(error.location.line, expected.line, error.format());
    assert.equal(error.location.column, expected.column, error.format());
    assert.match(error.message, expected.message);
    return true;
  });
}

describe('parseTrace', () => {
  it('reads rows with a header, comments, blank lines, seconds and durations', () => {
    const text = 't,rps\n# morning\n0,100\n\n90, 150.5\n5m,0\r\n1h30m , 42\n';
    assert.deepEqual(parseTrace(text, 'x.csv'), [
      { atMs: 0, rps: 100 },
      { atMs: 90_000, rps: 150.5 },
      { atMs: 300_000, rps: 0 },
      { atMs: 5_400_000, rps: 42 },
    ]);
  });

  it('reads a file without a header', () => {
    assert.deepEqual(parseTrace('0,1\n1,2', 'x.csv'), [{ atMs: 0, rps: 1 }, { atMs: 1000, rps: 2 }]);
  });

  const errors: { name: string; text: string; line: number; column: number; message: RegExp }[] = [
    { name: 'an empty trace', text: 't,rps\n# nothing\n', line: 1, column: 1, message: /holds no rows/ },
    { name: 'one column', text: 't,rps\n0,100\n60\n', line: 3, column: 1, message: /expected two columns "t,rps", got "60"/ },
    { name: 'three columns', text: '0,100,7\n', line: 1, column: 1, message: /two columns/ },
    { name: 'a bad time', text: '0,100\n5 minutes,200\n', line: 2, column: 1, message: /expected a duration, got "5 minutes"/ },
    { name: 'a negative time', text: '0,100\n  -5,200\n', line: 2, column: 3, message: /cannot be negative/ },
    { name: 'a bad rate', text: '0,100\n60, lots\n', line: 2, column: 5, message: /expected a request rate \(a number >= 0\), got "lots"/ },
    { name: 'a negative rate', text: '0,-3\n', line: 1, column: 3, message: /got "-3"/ },
    { name: 'time going backwards', text: '0,1\n60,2\n30,3\n', line: 3, column: 1, message: /t 30 is not after the previous row's 60s/ },
    { name: 'a repeated time', text: '0,1\n0,2\n', line: 2, column: 1, message: /not after/ },
    { name: 'a header after the first row', text: '0,1\nt,rps\n', line: 2, column: 1, message: /expected a duration, got "t"/ },
  ];
  for (const e of errors) it(`locates ${e.name}`, () => fails(e.text, e));
});
