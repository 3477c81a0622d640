import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldPath, formatFieldError } from '../../../src/api/field-errors.js';
import type { ObjectMeta } from '../../../src/api/types/index.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSSubdomain,
  semanticEqual,
  validateAnnotations,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../../../src/api/validation/meta.js';

const namespaced = { namespaced: true, nameFn: nameIsDNSSubdomain };
const show = (meta: ObjectMeta, rules = namespaced): string[] => validateObjectMeta(meta, rules).map(formatFieldError).sort();

describe('name syntax', () => {
  const table: [fn: (v: string) => string[], value: string, valid: boolean][] = [
    [isDNS1123Subdomain, 'web.example.com', true],
    [isDNS1123Subdomain, 'Web', false],
    [isDNS1123Subdomain, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, true],
    [isDNS1123Subdomain, 'a'.repeat(254), false],
    [isDNS1123Label, '123-abc', true],
    [isDNS1123Label, 'a.b', false],
    [isDNS1123Label, 'a'.repeat(64), false],
    [isDNS1035Label, 'web-1', true],
    [isDNS1035Label, '1web', false],
    [isQualifiedName, 'example.com/MyName', true],
    [isQualifiedName, 'app.kubernetes.io/name', true],
    [isQualifiedName, '/name', false],
    [isQualifiedName, 'a/b/c', false],
    [isQualifiedName, 'Example.com/name', false],
    [isValidLabelValue, '', true],
    [isValidLabelValue, 'v1.2_3-x', true],
    [isValidLabelValue, '-x', false],
    [isValidLabelValue, 'x'.repeat(64), false],
  ];
  for (const [fn, value, valid] of table) {
    it(`${fn.name}(${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}) is ${valid ? 'valid' : 'invalid'}`, () => {
      assert.equal(fn(value).length === 0, valid, fn(value).join('; '));
    });
  }

  it('DNS-1123 labels and subdomains, and label values, are accepted exactly where upstream\'s regular expressions accept them', () => {
    // The checks accept through a loop over char codes; upstream's expressions are the oracle.
    const label = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
    const labelRe = new RegExp(`^${label}$`);
    const subdomainRe = new RegExp(`^${label}(\\.${label})*$`);
    const labelValueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
    const alphabet = ['a', 'z', '0', '9', '-', '.', 'A', 'Z', '_', ' ', '\n', 'é'];
    // Every string of up to four characters from the alphabet, plus the length limits.
    const values = [''];
    for (let length = 1; length <= 4; length++) {
      for (const prefix of values.filter((v) => v.length === length - 1)) for (const c of alphabet) values.push(prefix + c);
    }
    values.push('a'.repeat(63), 'a'.repeat(64), `${'a'.repeat(126)}.${'b'.repeat(126)}`, `${'a'.repeat(126)}.${'b'.repeat(127)}`, 'a.-b', 'a-.b');
    for (const value of values) {
      assert.equal(isDNS1123Label(value).length === 0, labelRe.test(value) && value.length <= 63, `label ${JSON.stringify(value)}`);
      assert.equal(isDNS1123Subdomain(value).length === 0, subdomainRe.test(value) && value.length <= 253, `subdomain ${JSON.stringify(value)}`);
      assert.equal(isValidLabelValue(value).length === 0, labelValueRe.test(value) && value.length <= 63, `label value ${JSON.stringify(value)}`);
    }
  });

  it('answers again the same way, with a fresh list each time', () => {
    for (const value of ['v1.2_3-x', '-x']) {
      const first = isValidLabelValue(value);
      const second = isValidLabelValue(value);
      assert.deepEqual(second, first);
      assert.notEqual(second, first, 'callers may push onto what they get');
    }
  });

  it('gives upstream messages', () => {
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.deepEqual(isQualifiedName('/name'), ['prefix part must be non-empty']);
    assert.deepEqual(isValidLabelValue('x'.repeat(64))[0], 'must be no more than 63 characters');
    assert.equal(
      isDNS1035Label('1web')[0],
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with " +
        "an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  });
});

describe('validateObjectMeta', () => {
  it('accepts a complete namespaced object', () => {
    const meta: ObjectMeta = {
      name: 'web',
      namespace: 'prod',
      labels: { app: 'web', 'app.kubernetes.io/version': '1.2.3' },
      annotations: { 'Example.com/Note': 'free text, any characters!' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true }],
      finalizers: ['example.com/cleanup', 'foregroundDeletion'],
    };
    assert.deepEqual(show(meta), []);
  });

  const cases: [name: string, meta: ObjectMeta, expect: string[], rules?: typeof namespaced][] = [
    ['no name', { name: '', namespace: 'd' }, ['metadata.name: Required value: name or generateName is required']],
    ['generateName only', { name: '', generateName: 'web-', namespace: 'd' }, []],
    ['no namespace', { name: 'a' }, ['metadata.namespace: Required value']],
    [
      'a namespace on a cluster-scoped kind',
      { name: 'a', namespace: 'd' },
      ['metadata.namespace: Forbidden: not allowed on this type'],
      { namespaced: false, nameFn: nameIsDNSSubdomain },
    ],
    [
      'a bad label key',
      { name: 'a', namespace: 'd', labels: { 'my key': 'v' } },
      [
        "metadata.labels: Invalid value: \"my key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    [
      'two controller references and an empty uid',
      {
        name: 'a',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: '', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'y', uid: 'u', controller: true },
        ],
      },
      [
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
        'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"x","uid":"","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"y","uid":"u","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/x and ReplicaSet/y',
      ],
    ],
    [
      'owner references whose apiVersion has no version',
      {
        name: 'a',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u1' },
          { apiVersion: 'apps/', kind: 'ReplicaSet', name: 'x', uid: 'u2' },
          { apiVersion: 'a/b/c', kind: 'ReplicaSet', name: 'y', uid: 'u3' },
          { apiVersion: '', kind: 'ReplicaSet', name: 'z', uid: 'u4' },
        ],
      },
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty',
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      ],
    ],
    [
      'an unqualified finalizer',
      { name: 'a', namespace: 'd', finalizers: ['cleanup'] },
      ['metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
    ],
    [
      'a negative generation',
      { name: 'a', namespace: 'd', generation: -1 },
      ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    ],
  ];
  for (const [name, meta, expect, rules] of cases) {
    it(`handles ${name}`, () => assert.deepEqual(show(meta, rules), [...expect].sort()));
  }

  it('limits annotations to 256 KiB of keys and values', () => {
    const path = FieldPath.root('metadata').child('annotations');
    assert.deepEqual(validateAnnotations({ k: 'x'.repeat(256 * 1024 - 1) }, path), []);
    assert.deepEqual(validateAnnotations({ k: 'x'.repeat(256 * 1024) }, path).map(formatFieldError), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
    // Bytes, not characters: `é` is two bytes in UTF-8.
    assert.deepEqual(validateAnnotations({ k: 'é'.repeat(128 * 1024 - 1) }, path), []);
    assert.deepEqual(validateAnnotations({ k: 'é'.repeat(128 * 1024) }, path).map(formatFieldError), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = { name: 'a', namespace: 'd', uid: 'u1', finalizers: ['example.com/f'], deletionTimestamp: 5000 };

  it('rejects changed identity and new finalizers on a deleting object', () => {
    const errors = validateObjectMetaUpdate({ name: 'b', namespace: 'e', uid: 'u2', finalizers: ['example.com/f', 'example.com/g'] }, old);
    assert.deepEqual(errors.map(formatFieldError).sort(), [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/g"}',
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.namespace: Invalid value: "e": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });

  it('accepts a label change and a missing uid (the server keeps the stored one)', () => {
    assert.deepEqual(validateObjectMetaUpdate({ name: 'a', namespace: 'd', labels: { x: 'y' }, finalizers: [] }, old), []);
  });
});

describe('semanticEqual', () => {
  it('treats absent, empty arrays and empty maps alike', () => {
    assert.ok(semanticEqual({ matchLabels: { a: 'b' } }, { matchLabels: { a: 'b' }, matchExpressions: [] }));
    assert.ok(!semanticEqual({ matchLabels: { a: 'b' } }, { matchLabels: { a: 'c' } }));
    assert.ok(!semanticEqual([1, 2], [1]));
  });
});
