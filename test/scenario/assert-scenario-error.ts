/**
 * Assertions for user-facing errors: each test pins the exact line and column and the words a
 * user reads, because the position and the hint are the product here, not an implementation detail.
 */
import assert from 'node:assert/strict';
import { ScenarioError } from '../../src/errors.js';
import { type Locator, parseYamlDocuments } from '../../src/scenario/yaml-source.js';

export interface ExpectedError {
  readonly line?: number;
  readonly column?: number;
  readonly message: RegExp;
  readonly hint?: RegExp;
  readonly path?: string;
}

/** Runs `fn`, which must throw one ScenarioError matching `expected`; returns it. */
export function assertScenarioError(fn: () => unknown, expected: ExpectedError): ScenarioError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ScenarioError, `expected a ScenarioError, got ${String(caught)}`);
  const { location, message, hint } = caught;
  assert.match(message, expected.message);
  if (expected.line !== undefined) assert.equal(location.line, expected.line, `line of: ${caught.format()}`);
  if (expected.column !== undefined) assert.equal(location.column, expected.column, `column of: ${caught.format()}`);
  if (expected.hint !== undefined) assert.match(hint ?? '', expected.hint);
  if (expected.path !== undefined) assert.equal(location.path, expected.path);
  assert.equal(location.file, 'test.yaml');
  return caught;
}

/** The first document of `text` (file `test.yaml`) and a Locator at `path` in it. */
export function locatorIn(text: string, path: readonly (string | number)[] = []): { value: unknown; at: Locator } {
  const [doc] = parseYamlDocuments(text, 'test.yaml');
  let value = doc.value;
  for (const segment of path) value = (value as Record<string | number, unknown>)[segment];
  return { value, at: doc.at(path) };
}
