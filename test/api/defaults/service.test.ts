import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultService } from '../../../src/api/defaults/service.js';
import type { Service } from '../../../src/api/types/index.js';

describe('defaultService', () => {
  it('defaults type, sessionAffinity, port protocol and targetPort', () => {
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80 },
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
          { name: 'x', port: 9, targetPort: 0 },
        ],
      },
    };
    defaultService(svc);
    assert.deepEqual(svc.spec, {
      selector: { app: 'web' },
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 80 },
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
        { name: 'x', port: 9, protocol: 'TCP', targetPort: 9 },
      ],
    });
  });

  it('keeps an explicit type', () => {
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 1 }] } };
    defaultService(svc);
    assert.equal(svc.spec.type, 'NodePort');
  });
});
