/**
 * EndpointSlice validation (pkg/apis/discovery/validation, validation_test.go's rules): address
 * types, addresses per type, limits, node names, hostnames, hints, deprecated topology, ports and
 * the immutable address type, with upstream's paths and messages; the kind's registration and
 * admission through the API server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiAdmission } from '../../../src/api/admission.js';
import { defaultEndpointSlice } from '../../../src/api/defaults/index.js';
import { formatFieldError } from '../../../src/api/field-errors.js';
import { resolveKindName } from '../../../src/api/kinds.js';
import type { EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import { validateEndpointSlice } from '../../../src/api/validation/index.js';
import { isApiError } from '../../../src/errors.js';
import { newApi } from '../../helpers/engine-fixtures.js';

function slice(patch: (s: EndpointSlice) => void = () => {}): EndpointSlice {
  const obj: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abcde', namespace: 'default' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true }, nodeName: 'node-1', hostname: 'web-0' }],
    ports: [{ name: 'http', port: 80 }],
  };
  patch(obj);
  defaultEndpointSlice(obj);
  return obj;
}

const show = (s: EndpointSlice, old?: EndpointSlice): string[] => validateEndpointSlice(s, old).map(formatFieldError);

describe('validateEndpointSlice', () => {
  it('accepts valid IPv4, IPv6 and FQDN slices', () => {
    assert.deepEqual(show(slice()), []);
    assert.deepEqual(show(slice((s) => ((s.addressType = 'IPv6'), (s.endpoints[0].addresses = ['fd00::1'])))), []);
    assert.deepEqual(show(slice((s) => ((s.addressType = 'FQDN'), (s.endpoints[0].addresses = ['db.example.com.'])))), []);
    assert.deepEqual(show(slice((s) => (s.endpoints = []))), []);
    assert.deepEqual(show(slice((s) => (s.ports = [{ port: 80 }, { name: 'a', port: 81 }]))), [], 'one unnamed port is fine');
  });

  it('accepts IPv4 addresses next to the ranges it rejects', () => {
    for (const address of ['1.0.0.0', '126.255.255.255', '128.0.0.1', '169.253.0.1', '169.255.0.1', '224.0.1.0', '224.1.0.0', '223.0.0.1', '255.255.255.255', '10.0.0.0']) {
      assert.deepEqual(show(slice((s) => (s.endpoints[0].addresses = [address]))), [], address);
    }
  });

  it('checks a new ports list on update', () => {
    const old = slice();
    assert.deepEqual(show(slice((s) => (s.ports = old.ports)), old), []);
    assert.deepEqual(show(slice((s) => (s.ports = [{ name: 'http', port: 80 }, { name: 'http', port: 81 }])), old), ['ports[1].name: Duplicate value: "http"']);
  });

  const cases: [string, (s: EndpointSlice) => void, string[]][] = [
    ['a missing address type', (s) => ((s as { addressType?: string }).addressType = ''), ['addressType: Required value']],
    ['an unsupported address type', (s) => ((s as { addressType: string }).addressType = 'IP'), ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']],
    ['an endpoint without addresses', (s) => (s.endpoints[0].addresses = []), ['endpoints[0].addresses: Required value: must contain at least 1 address']],
    ['too many addresses', (s) => (s.endpoints[0].addresses = Array.from({ length: 101 }, (_, i) => `10.0.${i}.1`)), ['endpoints[0].addresses: Too many: 101: must have at most 100 items']],
    ['too many endpoints', (s) => (s.endpoints = Array.from({ length: 1001 }, () => ({ addresses: ['10.0.0.1'] }))), ['endpoints: Too many: 1001: must have at most 1000 items']],
    [
      'an address that is not IPv4',
      (s) => (s.endpoints[0].addresses = ['fd00::1']),
      ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'],
    ],
    [
      'a malformed address',
      (s) => (s.endpoints[0].addresses = ['10.0.0']),
      ['endpoints[0].addresses[0]: Invalid value: "10.0.0": must be a valid IPv4 address', 'endpoints[0].addresses[0]: Invalid value: "10.0.0": must be a valid IP address'],
    ],
    ['a loopback address', (s) => (s.endpoints[0].addresses = ['127.0.0.1']), ['endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['an unspecified address', (s) => (s.endpoints[0].addresses = ['0.0.0.0']), ['endpoints[0].addresses[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']],
    ['a link-local address', (s) => (s.endpoints[0].addresses = ['169.254.169.254']), ['endpoints[0].addresses[0]: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)']],
    ['a link-local multicast address', (s) => (s.endpoints[0].addresses = ['224.0.0.1']), ['endpoints[0].addresses[0]: Invalid value: "224.0.0.1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']],
    ['an IPv6 loopback address', (s) => ((s.addressType = 'IPv6'), (s.endpoints[0].addresses = ['::1'])), ['endpoints[0].addresses[0]: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['a single-label FQDN', (s) => ((s.addressType = 'FQDN'), (s.endpoints[0].addresses = ['localhost'])), ['endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots']],
    ['a bad node name', (s) => (s.endpoints[0].nodeName = 'Node_1'), [
      'endpoints[0].nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]],
    ['a hostname with dots', (s) => (s.endpoints[0].hostname = 'web.0'), ['endpoints[0].hostname: Invalid value: "web.0": must not contain dots']],
    ['too many zone hints', (s) => (s.endpoints[0].hints = { forZones: Array.from({ length: 9 }, (_, i) => ({ name: `z${i}` })) }), ['endpoints[0].hints.forZones: Too many: 9: must have at most 8 items']],
    ['a duplicate zone hint', (s) => (s.endpoints[0].hints = { forZones: [{ name: 'a' }, { name: 'a' }] }), ['endpoints[0].hints.forZones[1].name: Duplicate value: "a"']],
    ['too many topology labels', (s) => (s.endpoints[0].deprecatedTopology = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']))), ['endpoints[0].deprecatedTopology: Too many: 17: must have at most 16 items']],
    ['a bad port name', (s) => (s.ports = [{ name: 'HTTP', port: 80 }]), [
      'ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
    ]],
    ['duplicate port names', (s) => (s.ports = [{ name: 'http', port: 80 }, { name: 'http', port: 81 }]), ['ports[1].name: Duplicate value: "http"']],
    ['two unnamed ports', (s) => (s.ports = [{ port: 80 }, { port: 81 }]), ['ports[1].name: Duplicate value: ""']],
    ['an unsupported protocol', (s) => (s.ports = [{ name: 'http', protocol: 'ICMP', port: 80 }]), ['ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']],
    ['a bad appProtocol', (s) => (s.ports = [{ name: 'http', port: 80, appProtocol: 'a/b/c' }]), [
      'ports[0].appProtocol: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\') with an optional DNS subdomain prefix and \'/\' (e.g. \'example.com/MyName\')',
    ]],
  ];
  for (const [name, patch, expected] of cases) {
    it(`rejects ${name}`, () => assert.deepEqual(show(slice(patch)), expected));
  }

  it('keeps the address type immutable', () => {
    const old = slice();
    assert.deepEqual(show(slice((s) => ((s.addressType = 'IPv6'), (s.endpoints[0].addresses = ['fd00::1']))), old), ['addressType: Invalid value: "IPv6": field is immutable']);
  });

  describe('on update, checks only the endpoints the new version does not share with the stored one', () => {
    const endpoint = (ip: string, name: string) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name } });
    const versions = (bad: string) => {
      const [a, b, c] = [endpoint('10.0.0.1', 'a'), endpoint('10.0.0.2', 'b'), endpoint('10.0.0.3', 'c')];
      const old = slice((s) => (s.endpoints = [a, b, c]));
      assert.deepEqual(show(old), []);
      return { a, b, c, old, wrong: endpoint(bad, 'x') };
    };
    const loopback = (i: number) => [`endpoints[${i}].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)`];
    const cases: [string, (v: ReturnType<typeof versions>) => EndpointSlice['endpoints'], string[]][] = [
      ['an endpoint replaced in place', ({ a, c, wrong }) => [a, wrong, c], loopback(1)],
      ['one removed, one appended', ({ a, c, wrong }) => [a, c, wrong], loopback(2)],
      ['one prepended', ({ a, b, c, wrong }) => [wrong, a, b, c], loopback(0)],
      ['the shared ones moved around', ({ a, b, c }) => [c, b, a], []],
    ];
    for (const [name, next, expected] of cases) {
      it(name, () => {
        const v = versions('127.0.0.1');
        assert.deepEqual(show(slice((s) => (s.endpoints = next(v))), v.old), expected);
      });
    }
  });

  it('is a served kind: discovery.k8s.io/v1, namespaced, generation-tracking, no status subresource', () => {
    const info = resolveKindName('endpointslice');
    assert.equal(info?.kind, 'EndpointSlice');
    assert.equal(resolveKindName('endpointslices')?.kind, 'EndpointSlice');
    assert.equal(info?.apiVersion, 'discovery.k8s.io/v1');
    assert.deepEqual([info?.namespaced, info?.tracksGeneration, info?.statusSubresource], [true, true, false]);
  });

  it('is applied by the API server on create', () => {
    const { api } = newApi({ admission: apiAdmission });
    assert.throws(
      () => api.create(slice((s) => (s.endpoints[0].addresses = ['127.0.0.1']))),
      (e: unknown) => isApiError(e, 'Invalid') && /EndpointSlice "web-abcde" is invalid: endpoints\[0\]\.addresses\[0\]/.test((e as Error).message),
    );
    const created = api.create<EndpointSlice>({ ...slice(), ports: [{ port: 80 }] });
    assert.deepEqual(created.ports, [{ name: '', protocol: 'TCP', port: 80 }]);
    assert.equal(created.metadata.generation, 1);
    assert.equal((created as unknown as { status?: unknown }).status, undefined, 'EndpointSlices have no status');
  });
});
