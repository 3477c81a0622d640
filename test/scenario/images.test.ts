/**
 * The `images` table → image profiles, beyond what load.test.ts covers: pull errors, failure
 * forms, crash exit codes, sizes, what the "*" entry passes on, and mistakes at their line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constant } from '../../src/engine/distribution.js';
import { DEFAULT_IMAGE_PROFILE } from '../../src/kubelet/image-profile.js';
import { assertScenarioError } from './assert-scenario-error.js';
import { load, loading, scenario } from './scenario-files.js';

/** A scenario whose `images:` holds `lines`; the first entry is on line 7. */
const withImages = (lines: string) => scenario(`  duration: 1m\n  images:\n${lines}`);
const profiles = (lines: string) => load(withImages(lines)).images;

describe('images: profiles', () => {
  it('pullError: true gives a generic not-found message naming the image; a string is kept as written', () => {
    const images = profiles('    a:1: {pullError: true}\n    b:1: {pullError: "401 Unauthorized"}\n');
    assert.equal(images.get('a:1')?.pullError, 'failed to pull image "a:1": not found');
    assert.equal(images.get('b:1')?.pullError, '401 Unauthorized');
  });

  it('fail: a fraction, a percentage, or {probability, exitCode}; exitCode alone means always', () => {
    const images = profiles('    a:1: {run: 1m, fail: "25%"}\n    b:1: {run: 1m, fail: {probability: 0.5}}\n    c:1: {run: 1m, fail: {exitCode: 3}}\n');
    assert.deepEqual(images.get('a:1')?.fail, { probability: 0.25, exitCode: 1 });
    assert.deepEqual(images.get('b:1')?.fail, { probability: 0.5, exitCode: 1 });
    assert.deepEqual(images.get('c:1')?.fail, { probability: 1, exitCode: 3 });
  });

  it('crash keeps its exit code, and an explicit ready survives a crash', () => {
    const a = profiles('    a:1: {crash: {after: 5s, exitCode: 137}, ready: 1s}\n').get('a:1');
    assert.deepEqual(a?.crash, { after: constant(5000), exitCode: 137 });
    assert.deepEqual(a?.ready, constant(1000));
  });

  it('size is a quantity in bytes', () => {
    const images = profiles('    a:1: {size: 500Mi}\n    b:1: {size: 2G}\n');
    assert.equal(images.get('a:1')?.sizeBytes, 500 * 1024 * 1024);
    assert.equal(images.get('b:1')?.sizeBytes, 2e9);
  });

  it('an empty entry is the built-in profile, listed so that it draws no warning', () => {
    const s = load(withImages('    a:1: {}\n'));
    const set = (profile: object | undefined) => Object.fromEntries(Object.entries(profile ?? {}).filter(([, v]) => v !== undefined));
    assert.deepEqual(set(s.images.get('a:1')), set(DEFAULT_IMAGE_PROFILE));
    assert.equal(s.defaultImage, DEFAULT_IMAGE_PROFILE);
  });
});

describe('images: the "*" entry', () => {
  it('passes every field on; an entry overrides field by field, pullError: false clears it', () => {
    const s = load(withImages('    "*": {pull: 9s, stop: 4s, size: 1Gi, pullError: "registry down"}\n    a:1: {pull: 1s}\n    b:1: {pullError: false}\n'));
    const a = s.images.get('a:1');
    assert.deepEqual([a?.pull, a?.stop, a?.sizeBytes, a?.pullError], [constant(1000), constant(4000), 1024 ** 3, 'registry down']);
    assert.equal(s.images.get('b:1')?.pullError, undefined);
    assert.equal(s.defaultImage.pullError, 'registry down', 'unlisted images fail too');
  });

  it('a crashing "*" makes every image crash and never ready unless the entry says ready', () => {
    const s = load(withImages('    "*": {crash: {after: 5s}}\n    web:1: {ready: 2s}\n    other:1: {start: 2s}\n'));
    assert.equal(s.defaultImage.ready, undefined);
    assert.deepEqual(s.images.get('web:1')?.ready, constant(2000));
    assert.equal(s.images.get('other:1')?.ready, undefined);
    assert.deepEqual(s.images.get('other:1')?.crash, { after: constant(5000), exitCode: 1 });
  });

  it('an entry that runs to completion does not also inherit a crash from "*"', () => {
    let batch;
    try {
      batch = profiles('    "*": {crash: {after: 5s}}\n    batch:1: {run: 1m}\n').get('batch:1');
    } catch {
      return; // Refusing the combination is as good as resolving it.
    }
    assert.ok(!(batch?.crash !== undefined && batch?.run !== undefined), 'a profile both crashes and runs to completion');
  });
});

describe('images: mistakes', () => {
  it('crash and run in one entry: error at run, saying which to keep', () => {
    const error = assertScenarioError(loading(withImages('    a:1: {crash: {after: 5s}, run: 1m}\n')), {
      line: 7, column: 31, message: /^an image cannot both crash and run to completion$/, hint: /keep "crash" for a service that fails, "run" for batch work/, path: 'spec.images.a:1.run',
    });
    assert.equal(error.format(), 'test.yaml:7:31: error: an image cannot both crash and run to completion (at spec.images.a:1.run); keep "crash" for a service that fails, "run" for batch work');
  });

  it('an exit code outside 1–255 and a failure probability over 1 are refused at the value', () => {
    assertScenarioError(loading(withImages('    a:1: {crash: {after: 5s, exitCode: 0}}\n')), { line: 7, column: 40, message: /expected an integer from 1 to 255, got 0/ });
    assertScenarioError(loading(withImages('    a:1: {run: 1m, fail: 2}\n')), { line: 7, column: 26, message: /expected a fraction from 0 to 1 or a percentage/, hint: /write "2%" for 2 percent, or 0\.02/ });
  });

  it('crash needs after; a profile must be a mapping', () => {
    assertScenarioError(loading(withImages('    a:1: {crash: {exitCode: 2}}\n')), { line: 7, message: /missing required key "after"/ });
    assertScenarioError(loading(withImages('    a:1: 5s\n')), { line: 7, column: 10, message: /expected an image profile such as \{pull: 3s, start: 1s, ready: 5s\}, got "5s"/ });
  });
});
