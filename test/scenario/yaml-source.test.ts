import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatYamlPath, parseYamlDocuments, parseYamlPath } from '../../src/scenario/yaml-source.js';
import { assertScenarioError } from './assert-scenario-error.js';

const parse = (text: string, options?: Parameters<typeof parseYamlDocuments>[2]) => parseYamlDocuments(text, 'test.yaml', options);

const SCENARIO = `apiVersion: k8sim/v1alpha1
kind: Scenario
spec:
  events:
    - at: 1m
      scale: {target: deployment/web, replicas: 3}
    - at: 2m
      cordon: {node: pool-a-1}
    - at: 3m
      setImage:
        target: deployment/web
        image: "web:v2"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:v1
---
`;

describe('parseYamlDocuments', () => {
  it('returns every non-empty document in order, skipping a trailing ---', () => {
    const docs = parse(SCENARIO);
    assert.equal(docs.length, 2);
    assert.deepEqual(docs.map((d) => [d.index, d.file]), [[0, 'test.yaml'], [1, 'test.yaml']]);
    assert.equal((docs[1].value as { kind: string }).kind, 'Deployment');
  });

  it('skips documents that are empty, only comments or null, as kubectl does', () => {
    const docs = parse('---\n# only a comment\n---\nnull\n---\na: 1\n---\n~\n');
    assert.deepEqual(docs.map((d) => d.value), [{ a: 1 }]);
    assert.deepEqual(parse(''), []);
  });

  it('reads scalars as Kubernetes (sigs.k8s.io/yaml, YAML 1.1) does', () => {
    const [doc] = parse(
      'a: yes\nb: on\nc: y\nd: no\ne: Off\nf: "yes"\ng: 0644\nh: 1_000\ni: 2026-01-01\nj: "2026-01-01T00:00:00Z"\nk: 1:30\nl: 0x1F\nm: ~\n',
    );
    assert.deepEqual(doc.value, {
      a: true, b: true, c: true, d: false, e: false, f: 'yes', g: 420, h: 1000,
      i: '2026-01-01', j: '2026-01-01T00:00:00Z', k: '1:30', l: 31, m: null,
    });
  });

  it('supports << merge keys, explicit keys winning', () => {
    const [doc] = parse('base: &base {cpu: 1, memory: 2}\npool:\n  <<: *base\n  cpu: 4\n');
    assert.deepEqual(doc.value, { base: { cpu: 1, memory: 2 }, pool: { cpu: 4, memory: 2 } });
  });
});

describe('SourceDocument.locate', () => {
  const [scenario, deployment] = parse(SCENARIO);

  it('finds a key inside a nested list item', () => {
    assert.deepEqual(scenario.locate(['spec', 'events', 2, 'setImage', 'target']), { line: 11, column: 9 });
    assert.deepEqual(scenario.locate(['spec', 'events', 2, 'setImage', 'target'], 'value'), { line: 11, column: 17 });
    assert.deepEqual(scenario.locate(['spec', 'events', 0, 'scale', 'replicas'], 'value'), { line: 6, column: 49 });
  });

  it('gives a list item its own start and a block mapping its key even for the value', () => {
    assert.deepEqual(scenario.locate(['spec', 'events', 1]), { line: 7, column: 7 });
    assert.deepEqual(scenario.locate(['spec', 'events', 2, 'setImage'], 'value'), { line: 10, column: 7 });
  });

  it('locates manifest fields given as an API field path, in a later document', () => {
    assert.deepEqual(deployment.locate(parseYamlPath('spec.template.spec.containers[0].image')), { line: 22, column: 11 });
  });

  it('falls back to the deepest existing node for a missing path, and the root for []', () => {
    assert.deepEqual(scenario.locate(['spec', 'events', 9, 'at']), { line: 4, column: 3 });
    assert.deepEqual(scenario.locate(['spec', 'nothing', 'here']), { line: 3, column: 1 });
    assert.deepEqual(scenario.locate([]), { line: 1, column: 1 });
    assert.deepEqual(deployment.locate([]), { line: 14, column: 1 });
  });

  it('follows merge keys and aliases to where the value was written', () => {
    const [doc] = parse('base: &base\n  cpu: 1\npool:\n  <<: *base\n  memory: 2\nother: *base\n');
    assert.deepEqual(doc.locate(['pool', 'cpu']), { line: 2, column: 3 });
    assert.deepEqual(doc.locate(['pool', 'memory']), { line: 5, column: 3 });
    assert.deepEqual(doc.locate(['other', 'cpu']), { line: 2, column: 3 });
  });

  it('keeps the source text of scalars', () => {
    const [doc] = parse('a: yes\nb: "yes"\nc: 0644\nd: {e: 1}\n');
    assert.equal(doc.sourceText(['a']), 'yes');
    assert.equal(doc.sourceText(['b']), '"yes"');
    assert.equal(doc.sourceText(['c']), '0644');
    assert.equal(doc.sourceText(['d']), undefined);
    assert.equal(doc.sourceText(['missing']), undefined);
  });
});

describe('field paths', () => {
  it('parse and format API field paths, bracketing keys with dots', () => {
    assert.deepEqual(parseYamlPath('spec.template.spec.containers[0].image'), ['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.deepEqual(parseYamlPath('metadata.labels[app.kubernetes.io/name]'), ['metadata', 'labels', 'app.kubernetes.io/name']);
    assert.deepEqual(parseYamlPath(''), []);
    for (const text of ['spec.events[2].setImage.target', 'metadata.labels[app.kubernetes.io/name]', 'spec.images.web:v1.pull']) {
      assert.equal(formatYamlPath(parseYamlPath(text)), text);
    }
  });
});

describe('Locator', () => {
  it('explains a YAML 1.1 boolean where text was expected', () => {
    const [doc] = parse('metadata:\n  name: on\n');
    assertScenarioError(() => {
      throw doc.at(['metadata', 'name']).expected('a string', true);
    }, { line: 2, column: 9, message: /^expected a string, got true$/, hint: /unquoted on is read as the boolean true.*"on"/, path: 'metadata.name' });
  });

  it('reports an unknown key at the key, with the nearest valid one', () => {
    const [doc] = parse('spec:\n  sampleInteval: 1s\n');
    assertScenarioError(() => {
      throw doc.at(['spec']).unknownKey('sampleInteval', ['seed', 'duration', 'sampleInterval']);
    }, { line: 2, column: 3, message: /^unknown key "sampleInteval" in spec$/, hint: /did you mean "sampleInterval"\?/ });
  });
});

describe('YAML errors', () => {
  it('rejects a tab used for indentation', () => {
    assertScenarioError(() => parse('spec:\n\tseed: 1\n'), { line: 2, column: 1, message: /tab/, hint: /spaces/ });
  });

  it('rejects inconsistent indentation', () => {
    assertScenarioError(() => parse('spec:\n  seed: 1\n   duration: 5m\n'), { line: 3, column: 4, message: /indented further/, hint: /same column/ });
    assertScenarioError(() => parse('spec:\n    seed: 1\n  duration: 5m\n'), { line: 3, column: 3, message: /./, hint: /indentation/ });
  });

  it('points an unclosed quote at its opening quote', () => {
    assertScenarioError(() => parse('metadata:\n  name: "web\nspec:\n  seed: 1\n'), { line: 2, column: 9, message: /quoted string is never closed/ });
  });

  it('rejects a duplicate key, naming it and its first line', () => {
    assertScenarioError(() => parse('spec:\n  seed: 1\n  duration: 5m\n  seed: 2\n'), {
      line: 4, column: 3, message: /^mapping key "seed" already defined at line 2$/, hint: /unique/,
    });
  });

  it('reports errors in a later document at their line in the file', () => {
    assertScenarioError(() => parse('a: 1\n---\nb: 1\nb: 2\n'), { line: 4, column: 1, message: /"b" already defined at line 3/ });
  });

  it('refuses a billion-laughs alias bomb', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefgh'.split('').map((name, i) => {
        const prev = 'abcdefg'[i];
        return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
      }),
    ].join('\n');
    assertScenarioError(() => parse(bomb), {
      line: 2, column: 8, message: /^too many alias expansions \(limit 1000\); this looks like a YAML alias bomb$/, hint: /--limit yamlAliases=/,
    });
  });

  it('applies a custom alias limit', () => {
    const text = `base: &b {x: 1}\nitems: [${Array(20).fill('*b').join(', ')}]\n`;
    assert.equal(parse(text).length, 1);
    assertScenarioError(() => parse(text, { maxAliasCount: 5 }), { line: 2, column: 9, message: /limit 5/ });
  });

  it('rejects an unknown alias and a self-referencing one', () => {
    assertScenarioError(() => parse('a: 1\nb: *nope\n'), { line: 2, column: 4, message: /^unknown alias \*nope$/, hint: /&nope/ });
    assertScenarioError(() => parse('a: &a [1, *a]\n'), { line: 1, column: 11, message: /refers to the node that contains it/ });
  });

  it('explains an unquoted cron schedule that YAML reads as an alias', () => {
    assertScenarioError(() => parse('spec:\n  schedule: */5 * * * *\n'), { line: 2, message: /alias/, hint: /quote it/ });
  });

  it('rejects custom and non-JSON tags', () => {
    assertScenarioError(() => parse('a: !Ref web\n'), { line: 1, column: 4, message: /^unsupported YAML tag !Ref$/ });
    assertScenarioError(() => parse('a: !!binary aGVsbG8=\n'), { line: 1, column: 4, message: /^unsupported YAML tag !!binary$/ });
  });

  it('rejects keys that are not strings, recognising unrendered templates', () => {
    assertScenarioError(() => parse('image: {{ .Values.image }}\n'), { line: 1, column: 9, message: /key must be a string, not a mapping/, hint: /helm template/ });
    assertScenarioError(() => parse('null: 1\n'), { line: 1, column: 1, message: /key must be a string, not null/ });
  });

  it('asks for quotes around a value holding ": " or a reserved character', () => {
    assertScenarioError(() => parse('description: note: this breaks\n'), { line: 1, column: 14, message: /cannot contain ": " unless quoted/, hint: /quotes/ });
    assertScenarioError(() => parse('name: @web\n'), { line: 1, column: 7, message: /reserved character @/, hint: /quotes/ });
  });

  it('refuses a file over the size limit, saying how to raise it', () => {
    const error = assertScenarioError(() => parse('a: 1\n'.repeat(100), { maxFileBytes: 256 }), {
      message: /^file is 500 bytes, over the limit of 256 bytes \(fileBytes=256\)$/, hint: /--limit fileBytes=512/,
    });
    assert.equal(error.location.line, undefined);
  });
});
