import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDistribution, parseDuration, parsePercentage, parseQuantityValue } from '../../src/scenario/duration.js';
import { assertScenarioError, locatorIn } from './assert-scenario-error.js';

/** Parses `key: <yaml>` on line 2 of a small document and runs `parse` on that value. */
function at<T>(yaml: string, parse: (value: unknown, where: ReturnType<typeof locatorIn>['at']) => T): () => T {
  const { value, at: where } = locatorIn(`spec:\n  key: ${yaml}\n`, ['spec', 'key']);
  return () => parse(value, where);
}

describe('parseDuration', () => {
  const cases: [string, number][] = [
    ['250ms', 250], ['90s', 90_000], ['5m', 300_000], ['1h30m', 5_400_000], ['1.5s', 1500], ['2h', 7_200_000],
    ['1d', 86_400_000], ['1m30s', 90_000], ['.5s', 500], ['1.5ms', 2], ['0s', 0], ['"90s"', 90_000],
    ['90', 90_000], ['1.5', 1500], ['0.0004', 0], ['0', 0], ['"90"', 90_000], ['" 5m "', 300_000],
  ];
  for (const [yaml, ms] of cases) {
    it(`reads ${yaml} as ${ms} ms`, () => assert.equal(at(yaml, parseDuration)(), ms));
  }

  it('suggests the unit people meant', () => {
    assertScenarioError(at('5 minutes', parseDuration), {
      line: 2, column: 8, path: 'spec.key', message: /^expected a duration, got "5 minutes"$/, hint: /^did you mean "5m"\?$/,
    });
    assertScenarioError(at('5mins', parseDuration), { line: 2, column: 8, message: /got "5mins"/, hint: /did you mean "5m"/ });
    assertScenarioError(at('10 sec', parseDuration), { message: /got "10 sec"/, hint: /did you mean "10s"/ });
    assertScenarioError(at('1h 30m', parseDuration), { hint: /did you mean "1h30m"\? \(no spaces/, message: /expected a duration/ });
    assertScenarioError(at('500us', parseDuration), { message: /expected a duration/, hint: /smallest unit is ms/ });
  });

  it('shows the accepted forms for garbage', () => {
    assertScenarioError(at('soon', parseDuration), { line: 2, column: 8, message: /got "soon"/, hint: /"250ms", "90s", "5m", "1h30m".*bare number of seconds/ });
    assertScenarioError(at('1m30', parseDuration), { message: /got "1m30"/, hint: /"1h30m"/ });
  });

  it('rejects negative, empty and non-scalar values', () => {
    assertScenarioError(at('-3s', parseDuration), { line: 2, column: 8, message: /^a duration cannot be negative, got "-3s"$/ });
    assertScenarioError(at('-3', parseDuration), { line: 2, column: 8, message: /^a duration cannot be negative, got -3$/ });
    assertScenarioError(at('""', parseDuration), { line: 2, column: 8, message: /^expected a duration, got ""$/, hint: /bare number/ });
    assertScenarioError(at('', parseDuration), { line: 2, column: 3, message: /^expected a duration, got an empty value$/ });
    assertScenarioError(at('[1s]', parseDuration), { line: 2, column: 8, message: /got a list/ });
    assertScenarioError(at('yes', parseDuration), { line: 2, column: 8, message: /got true/, hint: /unquoted yes is read as the boolean true/ });
    assertScenarioError(at('1e400', parseDuration), { message: /too large/ });
  });
});

describe('parseDistribution', () => {
  it('reads a constant and each distribution in milliseconds', () => {
    assert.deepEqual(at('3s', parseDistribution)(), { kind: 'constant', ms: 3000 });
    assert.deepEqual(at('2', parseDistribution)(), { kind: 'constant', ms: 2000 });
    assert.deepEqual(at('{uniform: {min: 1s, max: 5s}}', parseDistribution)(), { kind: 'uniform', minMs: 1000, maxMs: 5000 });
    assert.deepEqual(at('{exponential: {mean: 2m}}', parseDistribution)(), { kind: 'exponential', meanMs: 120_000 });
    assert.deepEqual(at('{normal: {mean: 10s, stddev: 2s}}', parseDistribution)(), { kind: 'normal', meanMs: 10_000, stddevMs: 2000 });
    assert.deepEqual(at('{lognormal: {median: 4s, p99: 20s}}', parseDistribution)(), { kind: 'lognormal', medianMs: 4000, p99Ms: 20_000 });
    assert.deepEqual(at('{uniform: {min: 1s, max: 1s}}', parseDistribution)(), { kind: 'uniform', minMs: 1000, maxMs: 1000 });
  });

  it('names the nearest distribution for a misspelling, at its key', () => {
    assertScenarioError(at('{unifrom: {min: 1s, max: 5s}}', parseDistribution), {
      line: 2, column: 9, path: 'spec.key.unifrom', message: /^unknown distribution "unifrom" in spec\.key$/, hint: /^did you mean "uniform"\?$/,
    });
    assertScenarioError(at('{gamma: {k: 1}}', parseDistribution), { message: /unknown distribution "gamma"/, hint: /valid distributions: "exponential", "lognormal", "normal", "uniform"/ });
  });

  it('rejects two kinds at once and an empty mapping', () => {
    assertScenarioError(at('{uniform: {min: 1s, max: 2s}, normal: {mean: 1s, stddev: 1s}}', parseDistribution), {
      line: 2, column: 8, message: /exactly one kind, got "uniform" and "normal"/,
    });
    assertScenarioError(at('{}', parseDistribution), { message: /exactly one kind, got an empty mapping/ });
  });

  it('checks each distribution\'s parameters, at the parameter', () => {
    assertScenarioError(at('{uniform: {min: 5s, max: 1s}}', parseDistribution), {
      line: 2, column: 33, path: 'spec.key.uniform.max', message: /^uniform max 1s is less than min 5s$/, hint: /swap/,
    });
    assertScenarioError(at('{exponential: {mean: 0s}}', parseDistribution), { line: 2, column: 29, message: /mean must be positive/ });
    assertScenarioError(at('{normal: {mean: 5s, stddev: 0s}}', parseDistribution), { line: 2, column: 36, message: /stddev must be positive/, hint: /5s/ });
    assertScenarioError(at('{lognormal: {median: 0s, p99: 1s}}', parseDistribution), { line: 2, column: 29, message: /median must be positive/ });
    assertScenarioError(at('{lognormal: {median: 4s, p99: 2s}}', parseDistribution), {
      line: 2, column: 38, message: /^lognormal p99 2s is less than the median 4s$/,
    });
  });

  it('reports missing, unknown and malformed parameters', () => {
    assertScenarioError(at('{uniform: {min: 1s}}', parseDistribution), { line: 2, column: 9, message: /^uniform needs "max"$/, hint: /\{uniform: \{min: …, max: …\}\}/ });
    assertScenarioError(at('{uniform: {min: 1s, mx: 2s}}', parseDistribution), {
      line: 2, column: 28, message: /^unknown key "mx" in spec\.key\.uniform$/, hint: /did you mean "max"/,
    });
    assertScenarioError(at('{normal: {mean: 5 minutes, stddev: 1s}}', parseDistribution), {
      line: 2, column: 24, path: 'spec.key.normal.mean', message: /got "5 minutes"/, hint: /"5m"/,
    });
    assertScenarioError(at('{exponential: 2m}', parseDistribution), { line: 2, column: 22, message: /expected a mapping with "mean", got "2m"/, hint: /\{exponential: \{mean: …\}\}/ });
    assertScenarioError(at('[1s, 2s]', parseDistribution), { line: 2, column: 8, message: /expected a duration, \{uniform.*got a list/ });
  });

  it('locates errors in block style too', () => {
    const { value, at: where } = locatorIn('images:\n  web:v2:\n    pull:\n      lognormal:\n        median: 4s\n        p99: 2s\n', ['images', 'web:v2', 'pull']);
    assertScenarioError(() => parseDistribution(value, where), { line: 6, column: 14, path: 'images.web:v2.pull.lognormal.p99', message: /p99 2s is less/ });
  });
});

describe('parseQuantityValue', () => {
  it('reads quantities in whole units or thousandths', () => {
    assert.equal(at('"500m"', (v, w) => parseQuantityValue(v, w, 'milli'))(), 500);
    assert.equal(at('2', (v, w) => parseQuantityValue(v, w, 'milli'))(), 2000);
    assert.equal(at('16Gi', parseQuantityValue)(), 16 * 2 ** 30);
    assert.equal(at('110', parseQuantityValue)(), 110);
    assert.equal(at('0.5', parseQuantityValue)(), 1);
  });

  it('suggests Kubernetes suffixes for common mistakes', () => {
    assertScenarioError(at('16GB', parseQuantityValue), { line: 2, column: 8, message: /^expected a quantity such as "500m", "2" or "16Gi", got "16GB"$/, hint: /did you mean "16Gi"\?/ });
    assertScenarioError(at('512mb', parseQuantityValue), { hint: /did you mean "512Mi"\?/, message: /got "512mb"/ });
    assertScenarioError(at('lots', parseQuantityValue), { hint: /Ki, Mi, Gi/, message: /got "lots"/ });
  });

  it('rejects negative and non-scalar quantities', () => {
    assertScenarioError(at('-1', parseQuantityValue), { line: 2, column: 8, message: /cannot be negative/ });
    assertScenarioError(at('{cpu: 1}', parseQuantityValue), { line: 2, column: 8, message: /got a mapping/ });
  });
});

describe('parsePercentage', () => {
  it('reads percentages and fractions as fractions', () => {
    assert.equal(at('"25%"', parsePercentage)(), 0.25);
    assert.equal(at('99.9%', parsePercentage)(), 0.999);
    assert.equal(at('0.1', parsePercentage)(), 0.1);
    assert.equal(at('1', parsePercentage)(), 1);
    assert.equal(at('0%', parsePercentage)(), 0);
  });

  it('refuses to guess what a bare number above 1 means', () => {
    assertScenarioError(at('25', parsePercentage), { line: 2, column: 8, message: /^expected a fraction from 0 to 1 or a percentage such as "25%", got 25$/, hint: /"25%".*0\.25/ });
  });

  it('rejects percentages over 100 and garbage', () => {
    assertScenarioError(at('150%', parsePercentage), { line: 2, column: 8, message: /cannot exceed 100%/ });
    assertScenarioError(at('most', parsePercentage), { line: 2, column: 8, message: /got "most"/ });
    assertScenarioError(at('-5%', parsePercentage), { message: /got "-5%"/ });
  });
});
