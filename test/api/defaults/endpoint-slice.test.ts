/**
 * EndpointSlice defaulting (SetDefaults_EndpointPort): port name "" and protocol TCP when absent,
 * explicit values kept, nothing else touched, idempotent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultEndpointSlice } from '../../../src/api/defaults/index.js';
import type { EndpointSlice } from '../../../src/api/types/endpoint-slice.js';

function slice(ports?: EndpointSlice['ports']): EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', namespace: 'default' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports };
}

describe('defaultEndpointSlice', () => {
  it('defaults each port name to "" and protocol to TCP', () => {
    const obj = slice([{ port: 80 }, { name: 'dns', protocol: 'UDP', port: 53 }, { name: '', protocol: '' }]);
    defaultEndpointSlice(obj);
    assert.deepEqual(obj.ports, [
      { name: '', protocol: 'TCP', port: 80 },
      { name: 'dns', protocol: 'UDP', port: 53 },
      { name: '', protocol: '' },
    ]);
  });

  it('leaves endpoints and absent ports alone, and is idempotent', () => {
    const obj = slice();
    defaultEndpointSlice(obj);
    assert.deepEqual(obj, slice());
    const twice = slice([{ port: 80 }]);
    defaultEndpointSlice(twice);
    const once = structuredClone(twice);
    defaultEndpointSlice(twice);
    assert.deepEqual(twice, once);
  });
});
