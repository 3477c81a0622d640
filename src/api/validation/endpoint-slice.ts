/**
 * discovery.k8s.io/v1 EndpointSlice validation, following pkg/apis/discovery/validation
 * (ValidateEndpointSlice, ValidateEndpointSliceUpdate): a DNS-subdomain name; a supported,
 * immutable address type; at most 1000 endpoints, each with 1–100 addresses valid for the address
 * type (no unspecified, loopback or link-local IPs), a valid node name and hostname, at most 16
 * deprecated topology labels and 8 zone / node hints; at most 20000 ports with distinct names
 * (DNS labels when not empty), a supported protocol and a qualified-name appProtocol.
 *
 * Deliberate gaps: the internal-error check for a zone key left in deprecatedTopology (a
 * conversion artefact of the real API server) is not modelled.
 */
import { isIP } from 'node:net';
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import type { Endpoint, EndpointHints, EndpointPort, EndpointSlice } from '../types/endpoint-slice.js';
import {
  invalidEach,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSSubdomain,
  validateImmutableField,
  validateLabels,
  validateMetadata,
} from './meta.js';
import { PORT_PROTOCOLS } from './pod.js';
import { changedRange } from '../../util/changed-range.js';

export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ADDRESSES = 100;
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 20000;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_HINTS = 8;

/** field.TooMany: `must have at most N items`. */
function tooMany(path: FieldPath, actual: number, max: number): FieldError {
  return { type: 'TooMany', field: String(path), value: actual, detail: `must have at most ${max} ${max === 1 ? 'item' : 'items'}` };
}

/** netutils.ParseIPSloppy accepts what Go's parser accepts; node:net's isIP is the same for IPv4 and IPv6 text. */
function ipVersion(address: string): 0 | 4 | 6 {
  return isIP(address) as 0 | 4 | 6;
}

/** ValidateEndpointIP: a parseable IP that is not unspecified, loopback or link-local. */
export function validateEndpointIP(address: string, path: FieldPath): FieldError[] {
  const version = ipVersion(address);
  if (version === 0) return [fieldError.invalid(path, address, 'must be a valid IP address')];
  const errors: FieldError[] = [];
  const v4 = version === 4 ? address.split('.').map(Number) : undefined;
  const v6 = version === 6 ? address.toLowerCase() : undefined;
  const unspecified = v4 ? v4.every((b) => b === 0) : /^[0:]+$/.test(v6 ?? '');
  const loopback = v4 ? v4[0] === 127 : /^(0*:)*:?0*1$/.test(v6 ?? '') && v6 !== '::';
  const linkLocal = v4 ? v4[0] === 169 && v4[1] === 254 : /^fe[89ab]/.test(v6 ?? '');
  const linkLocalMulticast = v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : /^ff02:/.test(v6 ?? '');
  if (unspecified) errors.push(fieldError.invalid(path, address, `may not be unspecified (${address})`));
  if (loopback) errors.push(fieldError.invalid(path, address, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errors.push(fieldError.invalid(path, address, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errors.push(fieldError.invalid(path, address, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errors;
}

/** IsFullyQualifiedDomainName: a DNS subdomain of at least two labels (a trailing dot allowed). */
function validateFQDN(address: string, path: FieldPath): FieldError[] {
  if (address.length === 0) return [fieldError.required(path)];
  const name = address.endsWith('.') ? address.slice(0, -1) : address;
  const subdomain = isDNS1123Subdomain(name);
  if (subdomain.length > 0) return [fieldError.invalid(path, name, subdomain.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [fieldError.invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errors = isDNS1123Label(label);
    if (errors.length > 0) return [fieldError.invalid(path, label, errors.join(','))];
  }
  return [];
}

/** One octet of a canonical dotted quad: 0-255 without leading zeros. */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/**
 * A canonical dotted quad outside the special ranges: unspecified (first octet 0), loopback
 * (127/8), link-local (169.254/16) and link-local multicast (224.0.0/24). Octets have no leading
 * zeros, so those ranges are text prefixes, excluded by the lookahead: one `test` decides, with
 * no match array to allocate and no octet to convert (a third of the time of exec and Number).
 */
const PLAIN_IPV4 = new RegExp(`^(?!0\\.|127\\.|169\\.254\\.|224\\.0\\.0\\.)${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** The common case of an IPv4 endpoint address, checked without allocating. */
function isPlainIPv4(address: string): boolean {
  return PLAIN_IPV4.test(address);
}

function validateAddress(address: string, addressType: string, path: FieldPath): FieldError[] {
  switch (addressType) {
    case 'IPv4':
      if (isPlainIPv4(address)) return [];
      return [...(ipVersion(address) === 4 ? [] : [fieldError.invalid(path, address, 'must be a valid IPv4 address')]), ...validateEndpointIP(address, path)];
    case 'IPv6':
      return [...(ipVersion(address) === 6 ? [] : [fieldError.invalid(path, address, 'must be a valid IPv6 address')]), ...validateEndpointIP(address, path)];
    case 'FQDN':
      return validateFQDN(address, path);
    default:
      // Unknown address types are reported once, at addressType.
      return [];
  }
}

/** Node names' errors, remembered: a slice lists the same few nodes over and over. */
const nodeNameCache = new Map<string, string[]>();
function nodeNameErrors(name: string): string[] {
  let errors = nodeNameCache.get(name);
  if (errors === undefined) {
    errors = nameIsDNSSubdomain(name, false);
    if (errors.length === 0 && nodeNameCache.size < 10_000) nodeNameCache.set(name, errors);
  }
  return errors;
}

function validateHints(hints: EndpointHints, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const zones = hints.forZones ?? [];
  const zonesPath = path.child('forZones');
  if (zones.length > MAX_HINTS) return [tooMany(zonesPath, zones.length, MAX_HINTS)];
  const seenZones = new Set<string>();
  zones.forEach((zone, i) => {
    const p = zonesPath.index(i).child('name');
    if (seenZones.has(zone.name)) errors.push(fieldError.duplicate(p, zone.name));
    seenZones.add(zone.name);
    errors.push(...invalidEach(p, zone.name, isValidLabelValue(zone.name ?? '')));
  });
  const nodes = hints.forNodes ?? [];
  const nodesPath = path.child('forNodes');
  if (nodes.length > MAX_HINTS) return [...errors, tooMany(nodesPath, nodes.length, MAX_HINTS)];
  const seenNodes = new Set<string>();
  nodes.forEach((node, i) => {
    const p = nodesPath.index(i).child('name');
    if (seenNodes.has(node.name)) errors.push(fieldError.duplicate(p, node.name));
    seenNodes.add(node.name);
    errors.push(...invalidEach(p, node.name, nameIsDNSSubdomain(node.name ?? '', false)));
  });
  return errors;
}

/**
 * Validates `endpoints`; `previous` is the stored version's list, of the same address type. The
 * endpoints the new list shares with it at its start and end are the very objects found valid
 * when that version was written (stored objects never change, and an endpoint's validity depends
 * on nothing but itself and the address type), so only the differing middle is looked at: a
 * controller's write of a few endpoints of a full slice costs what it changed.
 */
function validateEndpoints(endpoints: readonly Endpoint[], addressType: string, path: FieldPath, previous?: readonly Endpoint[]): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany(path, endpoints.length, MAX_ENDPOINTS)];
  const range = previous !== undefined ? changedRange(previous, endpoints) : undefined;
  const start = range?.start ?? 0;
  const end = range?.afterEnd ?? endpoints.length;
  const errors: FieldError[] = [];
  for (let i = start; i < end; i++) {
    const endpoint = endpoints[i];
    if (plainlyValid(endpoint, addressType)) continue;
    const p = path.index(i);
    const addresses = endpoint.addresses ?? [];
    const addressPath = p.child('addresses');
    if (addresses.length === 0) errors.push(fieldError.required(addressPath, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errors.push(tooMany(addressPath, addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) => errors.push(...validateAddress(String(address), addressType, addressPath.index(j))));
    if (endpoint.nodeName !== undefined) errors.push(...invalidEach(p.child('nodeName'), endpoint.nodeName, nodeNameErrors(endpoint.nodeName)));
    const topology = endpoint.deprecatedTopology;
    if (topology !== undefined) {
      const topologyPath = p.child('deprecatedTopology');
      if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS) errors.push(tooMany(topologyPath, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
      errors.push(...validateLabels(topology, topologyPath));
    }
    if (endpoint.hostname !== undefined) errors.push(...invalidEach(p.child('hostname'), endpoint.hostname, isDNS1123Label(endpoint.hostname)));
    if (endpoint.hints !== undefined) errors.push(...validateHints(endpoint.hints, p.child('hints')));
  }
  return errors;
}

/**
 * The endpoints controllers write — IPv4 addresses outside the special ranges, a valid node name,
 * perhaps a hostname, nothing else to check — recognised without building the field paths and
 * error lists of the full check, which would find nothing wrong with them.
 */
function plainlyValid(endpoint: Endpoint, addressType: string): boolean {
  const addresses = endpoint.addresses;
  if (addressType !== 'IPv4' || !Array.isArray(addresses) || addresses.length === 0 || addresses.length > MAX_ADDRESSES) return false;
  for (const address of addresses) if (typeof address !== 'string' || !isPlainIPv4(address)) return false;
  const { nodeName, hostname } = endpoint;
  if (nodeName !== undefined && (typeof nodeName !== 'string' || nodeNameErrors(nodeName).length > 0)) return false;
  if (hostname !== undefined && (typeof hostname !== 'string' || isDNS1123Label(hostname).length > 0)) return false;
  return endpoint.deprecatedTopology === undefined && endpoint.hints === undefined;
}

function validatePorts(ports: readonly EndpointPort[], path: FieldPath): FieldError[] {
  if (ports.length > MAX_PORTS) return [tooMany(path, ports.length, MAX_PORTS)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = path.index(i);
    const name = port.name ?? '';
    if (name.length > 0) errors.push(...invalidEach(p.child('name'), name, isDNS1123Label(name)));
    if (names.has(name)) errors.push(fieldError.duplicate(p.child('name'), name));
    names.add(name);
    if (port.protocol === undefined || port.protocol === null) errors.push(fieldError.required(p.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errors.push(fieldError.notSupported(p.child('protocol'), port.protocol, PORT_PROTOCOLS));
    if (port.appProtocol !== undefined) errors.push(...invalidEach(p.child('appProtocol'), port.appProtocol, isQualifiedName(port.appProtocol)));
  });
  return errors;
}

/**
 * Validates an EndpointSlice on create, or on update when `old` is given: the stored version,
 * which passed this validation when it was written (see validateEndpoints; the same holds for
 * its ports list).
 */
export function validateEndpointSlice(obj: EndpointSlice, old?: EndpointSlice): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const addressType: string = obj.addressType ?? '';
  const typePath = FieldPath.root('addressType');
  if (addressType === '') errors.push(fieldError.required(typePath));
  else if (!ADDRESS_TYPES.includes(addressType)) errors.push(fieldError.notSupported(typePath, addressType, ADDRESS_TYPES));
  const previous = old?.endpoints !== undefined && old.addressType === addressType ? old.endpoints : undefined;
  errors.push(...validateEndpoints(obj.endpoints ?? [], addressType, FieldPath.root('endpoints'), previous));
  // Writers carry a slice's ports list over as it is: the stored version's very list passed this
  // check when it was written, and a port's validity depends on nothing but the list.
  if (old === undefined || obj.ports !== old.ports) errors.push(...validatePorts(obj.ports ?? [], FieldPath.root('ports')));
  if (old !== undefined) errors.push(...validateImmutableField(obj.addressType, old.addressType, typePath));
  return errors;
}
