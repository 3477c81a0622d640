import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultService } from '../../../src/api/defaults/index.js';
import { formatFieldError } from '../../../src/api/field-errors.js';
import type { Service } from '../../../src/api/types/index.js';
import { validateService } from '../../../src/api/validation/index.js';

function service(patch: (s: Service) => void = () => {}): Service {
  const obj: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443 }] },
  };
  patch(obj);
  defaultService(obj);
  return obj;
}

const show = (s: Service, old?: Service): string[] => validateService(s, old).map(formatFieldError).sort();

describe('validateService', () => {
  it('accepts ClusterIP, headless, NodePort and ExternalName services', () => {
    assert.deepEqual(show(service()), []);
    assert.deepEqual(show(service((s) => Object.assign(s.spec, { clusterIP: 'None', ports: [] }))), []);
    assert.deepEqual(show(service((s) => Object.assign(s.spec, { type: 'NodePort', clusterIP: '10.96.0.12' }))), []);
    const external = service((s) => Object.assign(s.spec, { type: 'ExternalName', externalName: 'db.example.com.', ports: [] }));
    assert.deepEqual(show(external), []);
  });

  const cases: [name: string, patch: (s: Service) => void, expect: string[]][] = [
    [
      'a name that starts with a digit',
      (s) => (s.metadata.name = '1web'),
      [
        'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', ' +
          'start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', ' +
          "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ['no ports', (s) => (s.spec.ports = []), ['spec.ports: Required value']],
    [
      'unnamed and duplicate ports out of range',
      (s) => (s.spec.ports = [{ port: 80 }, { name: 'a', port: 0 }, { name: 'a', port: 80 }]),
      [
        'spec.ports[0].name: Required value',
        'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[2].name: Duplicate value: "a"',
        'spec.ports[2]: Duplicate value: {"protocol":"TCP","port":80}',
      ],
    ],
    [
      'an unsupported type',
      (s) => (s.spec.type = 'Internal' as 'ClusterIP'),
      ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ],
    [
      'a nodePort on a ClusterIP service',
      (s) => (s.spec.ports![0].nodePort = 30080),
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'a headless NodePort service',
      (s) => Object.assign(s.spec, { type: 'NodePort', clusterIP: 'None' }),
      ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
    ],
    [
      'an ExternalName without a name',
      (s) => Object.assign(s.spec, { type: 'ExternalName', ports: [] }),
      ['spec.externalName: Required value'],
    ],
    [
      'a bad sessionAffinity',
      (s) => (s.spec.sessionAffinity = 'Cookie'),
      ['spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"'],
    ],
  ];
  for (const [name, patch, expect] of cases) {
    it(`rejects ${name}`, () => assert.deepEqual(show(service(patch)), [...expect].sort()));
  }

  it('applies metadata update rules', () => {
    const renamed = service((s) => (s.metadata.name = 'web2'));
    assert.deepEqual(show(renamed, service()), ['metadata.name: Invalid value: "web2": field is immutable']);
  });
});
