/**
 * PersistentVolumeClaim validation (pkg/apis/core/validation/validation.go): the spec rules
 * with upstream's paths and messages, and the update rules (immutable spec, resizing).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPersistentVolumeClaim } from '../../../src/api/defaults/index.js';
import { type FieldError, formatFieldError } from '../../../src/api/field-errors.js';
import type { PersistentVolumeClaim } from '../../../src/api/types/index.js';
import { validatePersistentVolumeClaim, validators } from '../../../src/api/validation/index.js';

function claim(patch: (c: PersistentVolumeClaim) => void = () => {}): PersistentVolumeClaim {
  const obj: PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-db-0', namespace: 'default', labels: { app: 'db' } },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '10Gi' } } },
  };
  patch(obj);
  defaultPersistentVolumeClaim(obj);
  return obj;
}

const show = (errors: readonly FieldError[]): string[] => errors.map(formatFieldError);

describe('validatePersistentVolumeClaim', () => {
  it('accepts a valid claim', () => {
    assert.deepEqual(show(validatePersistentVolumeClaim(claim())), []);
    assert.deepEqual(show(validators.PersistentVolumeClaim(claim())), []);
  });

  const cases: { name: string; patch: (c: PersistentVolumeClaim) => void; expect: string[] }[] = [
    { name: 'no access modes', patch: (c) => (c.spec.accessModes = []), expect: ['spec.accessModes: Required value: at least 1 access mode is required'] },
    {
      name: 'an unknown access mode',
      patch: (c) => (c.spec.accessModes = ['ReadWriteSometimes']),
      expect: ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'],
    },
    {
      name: 'ReadWriteOncePod with another mode',
      patch: (c) => (c.spec.accessModes = ['ReadWriteOncePod', 'ReadOnlyMany']),
      expect: ['spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes'],
    },
    { name: 'no storage request', patch: (c) => (c.spec.resources = {}), expect: ['spec.resources[storage]: Required value'] },
    { name: 'a zero storage request', patch: (c) => (c.spec.resources = { requests: { storage: '0' } }), expect: ['spec.resources[storage]: Invalid value: "0": must be greater than zero'] },
    {
      name: 'an unparsable storage request',
      patch: (c) => (c.spec.resources = { requests: { storage: 'ten gigs' } }),
      expect: ["spec.resources[storage]: Invalid value: \"ten gigs\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    },
    {
      name: 'a bad storage class name',
      patch: (c) => (c.spec.storageClassName = 'Fast_SSD'),
      expect: [
        'spec.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', ' +
          "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    },
    { name: 'an unknown volume mode', patch: (c) => (c.spec.volumeMode = 'Raw' as 'Block'), expect: ['spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"'] },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => assert.deepEqual(show(validatePersistentVolumeClaim(claim(c.patch))), c.expect));
  }

  it('on update: the spec is immutable except a bound claim growing its request', () => {
    const pending = claim();
    const bound = { ...claim(), status: { phase: 'Bound' as const, capacity: { storage: '10Gi' } } };
    const bigger = claim((c) => (c.spec.resources = { requests: { storage: '20Gi' } }));
    const smaller = claim((c) => (c.spec.resources = { requests: { storage: '5Gi' } }));
    const immutable = 'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    assert.deepEqual(show(validatePersistentVolumeClaim(bigger, bound)), []);
    assert.deepEqual(show(validatePersistentVolumeClaim(bigger, pending)), [immutable]);
    assert.deepEqual(show(validatePersistentVolumeClaim(smaller, bound)), ['spec.resources.requests.storage: Forbidden: field can not be less than status.capacity']);
    assert.deepEqual(show(validatePersistentVolumeClaim(claim((c) => (c.spec.accessModes = ['ReadWriteMany'])), bound)), [immutable]);
    assert.deepEqual(show(validatePersistentVolumeClaim(claim((c) => (c.metadata.labels = { app: 'other' })), bound)), [], 'metadata may change');
  });
});
