/**
 * spec.include: manifests from other files next to the scenario, globs allowed, never from
 * outside the scenario's folder. Errors in the include list point at the entry; errors inside
 * an included file point into that file.
 */
import assert from 'node:assert/strict';
import { realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ScenarioError } from '../../src/errors.js';
import { loadScenario } from '../../src/scenario/load.js';
import { assertScenarioError } from './assert-scenario-error.js';
import { SCENARIO_FILE, deployment, inDir, load, loading, scenario, writeFiles } from './scenario-files.js';

const withInclude = (include: string, manifests: readonly string[] = []) => scenario(`  duration: 10m\n  include: ${include}\n`, manifests);
const names = (s: ReturnType<typeof load>) => s.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);

/** The ScenarioError `fn` throws (its file is an included file, so assertScenarioError does not apply). */
function caught(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected a ScenarioError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ScenarioError');
}

describe('includes', () => {
  it('a glob includes the matching files in sorted order, after the scenario file\'s own manifests', () => {
    const s = load(withInclude('["manifests/*.yaml"]', [deployment('own')]), {}, {
      'manifests/b.yaml': deployment('b'),
      'manifests/a.yaml': deployment('a'),
      'manifests/notes.txt': 'not yaml: [',
    });
    assert.deepEqual(names(s), ['Deployment/own', 'Deployment/a', 'Deployment/b']);
    assert.match(s.manifests[1].source.file, /manifests[/\\]a\.yaml$/);
  });

  it('a single string works like a list of one, and a file may hold several documents', () => {
    const s = load(withInclude('manifests/all.yaml'), {}, { 'manifests/all.yaml': `${deployment('a')}---\n${deployment('b')}` });
    assert.deepEqual(names(s), ['Deployment/a', 'Deployment/b']);
    assert.equal(s.manifests[1].source.line, 13);
  });

  it('a file named twice (or the scenario itself, by a glob) is read once', () => {
    const s = load(withInclude('[a.yaml, "*.yaml"]'), {}, { 'a.yaml': deployment('a') });
    assert.deepEqual(names(s), ['Deployment/a']);
  });

  it('an include leaving the folder is refused: ../x.yaml and absolute paths', () => {
    assertScenarioError(loading(withInclude('[../x.yaml]')), { line: 6, column: 13, message: /include "\.\.\/x\.yaml" leaves the scenario's folder/, hint: /relative to the scenario file, inside its folder/ });
    assertScenarioError(loading(withInclude('[/etc/hostname]')), { line: 6, column: 13, message: /include "\/etc\/hostname" leaves the scenario's folder/ });
    assertScenarioError(loading(withInclude('"sub/../../x.yaml"')), { line: 6, column: 12, message: /leaves the scenario's folder/ });
  });

  it('a symlink pointing outside the folder is refused', () => {
    const outside = writeFiles({ 'secret.yaml': deployment('secret') });
    const dir = writeFiles({ [SCENARIO_FILE]: withInclude('[link.yaml]') });
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'link.yaml'));
    const error = caught(() => inDir(dir, () => loadScenario(SCENARIO_FILE)));
    assert.match(error.message, /include "link\.yaml" resolves outside the scenario's folder/);
    assert.deepEqual([error.location.file, error.location.line, error.location.column], ['test.yaml', 6, 13]);
  });

  it('a glob matching nothing and a missing file are errors at the entry', () => {
    assertScenarioError(loading(withInclude('["manifests/*.yaml"]')), { line: 6, column: 13, message: /include "manifests\/\*\.yaml" matches no file/ });
    assertScenarioError(loading(withInclude('[a.yaml, b.yaml]'), {}, { 'a.yaml': deployment('a') }), { line: 6, column: 21, message: /included file "b\.yaml" does not exist/, path: 'spec.include[1]' });
  });

  it('an included file holding a Scenario is refused, located in that file', () => {
    const dir = writeFiles({ [SCENARIO_FILE]: withInclude('[other.yaml]'), 'other.yaml': scenario('  duration: 1m\n') });
    const error = caught(() => inDir(dir, () => loadScenario(SCENARIO_FILE)));
    assert.match(error.message, /an included file cannot hold a scenario/);
    assert.equal(error.location.file, realpathSync(join(dir, 'other.yaml')));
    assert.deepEqual([error.location.line, error.location.column], [2, 1]);
  });

  it('a mistake inside an included manifest is located in that file', () => {
    const dir = writeFiles({ [SCENARIO_FILE]: withInclude('[web.yaml]'), 'web.yaml': deployment('web').replace('replicas', 'replcas') });
    const error = caught(() => inDir(dir, () => loadScenario(SCENARIO_FILE)));
    assert.match(error.message, /unknown field "spec\.replcas"/);
    assert.equal(error.location.file, realpathSync(join(dir, 'web.yaml')));
    assert.deepEqual([error.location.line, error.location.column], [5, 3]);
  });

  it('the same object in the scenario and in an include is defined twice', () => {
    const dir = writeFiles({ [SCENARIO_FILE]: withInclude('[web.yaml]', [deployment('web')]), 'web.yaml': deployment('web') });
    const error = caught(() => inDir(dir, () => loadScenario(SCENARIO_FILE)));
    assert.match(error.message, /Deployment "web" is defined twice/);
    assert.match(error.hint ?? '', /the first is at test\.yaml:10/);
    assert.equal(error.location.file, realpathSync(join(dir, 'web.yaml')));
  });
});
