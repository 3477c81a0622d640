import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Infer, checkSchema, s } from '../../src/scenario/schema.js';
import { assertScenarioError, locatorIn } from './assert-scenario-error.js';

/** A slice of the scenario contract, written the way the loader will write it. */
const target = s.string({ pattern: /^[a-z]+\/[a-z0-9.-]+$/, describe: 'a target such as "deployment/web"' });
const event = s.object({
  fields: {
    at: s.duration(),
    every: s.duration(),
    scale: s.object({ fields: { target, replicas: s.integer({ min: 0 }) }, required: ['target', 'replicas'] }),
    setImage: s.object({ fields: { target, image: s.string(), container: s.string() }, required: ['target', 'image'] }),
    failNode: s.object({ fields: { node: s.string(), mode: s.string({ enum: ['stopped', 'partitioned'] }) } }),
  },
  required: ['at'],
  exactlyOne: ['scale', 'setImage', 'failNode'],
});
const scenario = s.object({
  fields: {
    apiVersion: s.string({ enum: ['k8sim/v1alpha1'] }),
    kind: s.string({ enum: ['Scenario'] }),
    metadata: s.object({ fields: { name: s.string({ pattern: /^[a-z0-9-]+$/ }), description: s.string() }, required: ['name'] }),
    spec: s.object({
      fields: {
        seed: s.integer({ min: 0 }),
        duration: s.duration(),
        sampleInterval: s.duration(),
        images: s.record(s.object({ fields: { pull: s.distribution(), start: s.distribution(), fail: s.percentage() } })),
        capacity: s.object({ fields: { cpu: s.quantity('milli'), memory: s.quantity() } }),
        rate: s.union(s.number({ min: 0 }), s.object({ fields: { rps: s.number() }, required: ['rps'] })),
        events: s.array(event, { maxItems: 3 }),
        debug: s.boolean(),
        extra: s.any(),
      },
      required: ['duration'],
    }),
  },
  required: ['apiVersion', 'kind', 'spec'],
});

const HEADER = 'apiVersion: k8sim/v1alpha1\nkind: Scenario\nmetadata: {name: web}\n';

function check(spec: string) {
  const { value, at } = locatorIn(`${HEADER}spec:\n${spec}`);
  return () => checkSchema(value, scenario, at);
}

describe('checkSchema: the happy path', () => {
  it('returns the typed, parsed document', () => {
    const parsed = check(
      [
        '  seed: 7',
        '  duration: 20m',
        '  images:',
        '    web:v1: {pull: 3s, start: 1s}',
        '    web:v2: {pull: {lognormal: {median: 4s, p99: 20s}}, fail: 10%}',
        '  capacity: {cpu: "500m", memory: 16Gi}',
        '  rate: 100',
        '  events:',
        '    - at: 2m',
        '      setImage: {target: deployment/web, image: "web:v2"}',
        '    - {at: 5m, failNode: {node: pool-a-1, mode: stopped}}',
        '  extra: {anything: [1, 2]}',
        '',
      ].join('\n'),
    )();
    const typed: Infer<typeof scenario> = parsed;
    assert.deepEqual(typed.spec, {
      seed: 7,
      duration: 1_200_000,
      images: {
        'web:v1': { pull: { kind: 'constant', ms: 3000 }, start: { kind: 'constant', ms: 1000 } },
        'web:v2': { pull: { kind: 'lognormal', medianMs: 4000, p99Ms: 20_000 }, fail: 0.1 },
      },
      capacity: { cpu: 500, memory: 16 * 2 ** 30 },
      rate: 100,
      events: [
        { at: 120_000, setImage: { target: 'deployment/web', image: 'web:v2' } },
        { at: 300_000, failNode: { node: 'pool-a-1', mode: 'stopped' } },
      ],
      extra: { anything: [1, 2] },
    });
    // Required keys are typed as present; optional ones as possibly undefined.
    const duration: number = typed.spec.duration;
    const seed: number | undefined = typed.spec.seed;
    assert.equal(duration + (seed ?? 0), 1_200_007);
  });

  it('leaves out optional keys written empty, as Kubernetes treats null as unset', () => {
    const parsed = check('  duration: 1m\n  seed:\n  events:\n')();
    assert.deepEqual(parsed.spec, { duration: 60_000 });
  });
});

describe('checkSchema: errors', () => {
  it('names the nearest valid key for a misspelling, at the key', () => {
    assertScenarioError(check('  duration: 1m\n  sampleInteval: 1s\n'), {
      line: 6, column: 3, path: 'spec.sampleInteval', message: /^unknown key "sampleInteval" in spec$/, hint: /^did you mean "sampleInterval"\?$/,
    });
  });

  it('finds misspellings at depth, inside list items', () => {
    assertScenarioError(check('  duration: 1m\n  events:\n    - at: 1m\n      setImage: {target: deployment/web, imgae: "web:v2"}\n'), {
      line: 8, column: 42, path: 'spec.events[0].setImage.imgae', message: /unknown key "imgae" in spec\.events\[0\]\.setImage/, hint: /did you mean "image"/,
    });
  });

  it('says what was expected and what was found', () => {
    assertScenarioError(check('  seed: seven\n  duration: 1m\n'), {
      line: 5, column: 9, path: 'spec.seed', message: /^expected an integer, got "seven"$/,
    });
    assertScenarioError(check('  seed: -1\n  duration: 1m\n'), { line: 5, column: 9, message: /^expected an integer >= 0, got -1$/ });
    assertScenarioError(check('  seed: 2.5\n  duration: 1m\n'), { line: 5, column: 9, message: /^expected an integer, got 2\.5$/ });
    assertScenarioError(check('  seed: "3"\n  duration: 1m\n'), { line: 5, column: 9, message: /got "3"/, hint: /remove the quotes/ });
    assertScenarioError(check('  duration: 1m\n  debug: "true"\n'), { line: 6, column: 10, message: /^expected true or false, got "true"$/, hint: /remove the quotes/ });
  });

  it('reports a bad duration or distribution through the shared leaf parsers', () => {
    assertScenarioError(check('  duration: 5 minutes\n'), { line: 5, column: 13, path: 'spec.duration', message: /got "5 minutes"/, hint: /"5m"/ });
    assertScenarioError(check('  duration: 1m\n  images:\n    web:v1: {pull: {unifrom: {min: 1s, max: 2s}}}\n'), {
      line: 7, column: 21, path: 'spec.images.web:v1.pull.unifrom', message: /unknown distribution "unifrom"/, hint: /"uniform"/,
    });
  });

  it('lists enum values and suggests the nearest', () => {
    assertScenarioError(check('  duration: 1m\n  events:\n    - {at: 1m, failNode: {node: a, mode: stoped}}\n'), {
      line: 7, column: 42, message: /^expected one of "stopped", "partitioned", got "stoped"$/, hint: /did you mean "stopped"/,
    });
  });

  it('describes a string pattern in words', () => {
    assertScenarioError(check('  duration: 1m\n  events:\n    - {at: 1m, scale: {target: web, replicas: 2}}\n'), {
      line: 7, column: 32, message: /^expected a target such as "deployment\/web", got "web"$/,
    });
  });

  it('asks to quote a number or YAML 1.1 boolean where text is expected', () => {
    const { value, at } = locatorIn('apiVersion: k8sim/v1alpha1\nkind: Scenario\nmetadata: {name: no}\nspec: {duration: 1m}\n');
    assertScenarioError(() => checkSchema(value, scenario, at), {
      line: 3, column: 18, path: 'metadata.name', message: /^expected a string matching .*, got false$/, hint: /unquoted no is read as the boolean false.*"no"/,
    });
  });

  it('reports a missing required key at its parent', () => {
    assertScenarioError(check('  seed: 1\n'), { line: 4, column: 1, path: 'spec', message: /^missing required key "duration"$/, hint: /add "duration" \(a duration\)/ });
    assertScenarioError(check('  duration: 1m\n  events:\n    - {at: 1m, scale: {target: deployment/web}}\n'), {
      line: 7, column: 16, path: 'spec.events[0].scale', message: /missing required key "replicas"/,
    });
  });

  it('reports an empty required key as empty, at the key', () => {
    const error = assertScenarioError(check('  duration:\n'), { line: 5, column: 3, message: /^expected a duration, got an empty value$/ });
    assert.doesNotMatch(error.hint ?? '', /unquoted/);
  });

  it('requires exactly one action key', () => {
    assertScenarioError(check('  duration: 1m\n  events:\n    - at: 1m\n'), { line: 7, column: 7, path: 'spec.events[0]', message: /^expected one of "scale", "setImage", "failNode", found none$/ });
    assertScenarioError(check('  duration: 1m\n  events:\n    - at: 1m\n      scale: {target: deployment/web, replicas: 1}\n      failNode: {node: a}\n'), {
      line: 9, column: 7, message: /^"failNode" cannot be combined with "scale"$/, hint: /exactly one of/,
    });
  });

  it('explains "key:value" written without a space', () => {
    assertScenarioError(check('  seed:7\n'), { line: 5, column: 3, path: 'spec', message: /^expected a mapping, got "seed:7"$/, hint: /space after ":"/ });
  });

  it('routes a union by the kind of value', () => {
    assert.equal(check('  duration: 1m\n  rate: 5\n')().spec.rate, 5);
    assert.deepEqual(check('  duration: 1m\n  rate: {rps: 5}\n')().spec.rate, { rps: 5 });
    assertScenarioError(check('  duration: 1m\n  rate: {rsp: 5}\n'), { line: 6, column: 10, message: /unknown key "rsp"/, hint: /"rps"/ });
    assertScenarioError(check('  duration: 1m\n  rate: fast\n'), { line: 6, column: 9, message: /^expected a number >= 0 or a mapping, got "fast"$/ });
  });

  it('limits list length, pointing at the first item too many', () => {
    const events = Array.from({ length: 4 }, (_, i) => `    - {at: ${i}m, failNode: {node: a}}`).join('\n');
    assertScenarioError(check(`  duration: 1m\n  events:\n${events}\n`), { line: 10, column: 7, message: /^expected at most 3 item\(s\), got 4$/ });
    assertScenarioError(check('  duration: 1m\n  events: {at: 1m}\n'), { line: 6, column: 11, message: /^expected a list, got a mapping$/ });
  });

  it('throws the first error in document order', () => {
    assertScenarioError(check('  seed: x\n  duration: 1m\n  sampleInteval: 1s\n'), { line: 5, message: /expected an integer/ });
    assertScenarioError(check('  sampleInteval: 1s\n  seed: x\n  duration: 1m\n'), { line: 5, message: /unknown key/ });
  });
});
