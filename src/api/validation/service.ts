/**
 * Service validation, following pkg/apis/core/validation/validation.go (ValidateService,
 * validateServicePort, ValidateServiceUpdate). Service names are DNS-1035 labels (they become DNS
 * names and environment variables, so they must start with a letter).
 *
 * Cluster IP errors are reported at `spec.clusterIPs[0]`, as upstream does after mirroring
 * clusterIP into clusterIPs.
 * Deliberate gaps: dual-stack fields, externalIPs, loadBalancerSourceRanges, traffic policies,
 * sessionAffinityConfig and the cluster-IP upgrade/downgrade rules on update are not modelled;
 * an update gets the metadata rules plus the create rules.
 */
import { isIP } from 'node:net';
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import type { Service, ServiceSpec } from '../types/service.js';
import {
  invalidEach,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPortNum,
  nameIsDNS1035Label,
  validateEnum,
  validateLabels,
  validateMetadata,
  validatePortNumOrName,
} from './meta.js';
import { PORT_PROTOCOLS } from './pod.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];

/** ExternalName is not part of the modelled ServiceSpec but a manifest may carry it. */
type ServiceSpecWithExternalName = ServiceSpec & { externalName?: string };

function validatePorts(spec: ServiceSpec, path: FieldPath): FieldError[] {
  const ports = spec.ports ?? [];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const p = path.index(i);
    // Endpoints name each port, so several ports must be told apart by name.
    if (ports.length > 1 && !port.name) errors.push(fieldError.required(p.child('name')));
    else if (port.name) {
      errors.push(...invalidEach(p.child('name'), port.name, isDNS1123Label(port.name)));
      if (names.has(port.name)) errors.push(fieldError.duplicate(p.child('name'), port.name));
      names.add(port.name);
    }
    errors.push(...invalidEach(p.child('port'), port.port, isValidPortNum(port.port)));
    errors.push(...validateEnum(port.protocol, PORT_PROTOCOLS, p.child('protocol')));
    errors.push(...validatePortNumOrName(port.targetPort, p.child('targetPort')));
    if (port.nodePort && spec.type === 'ClusterIP') {
      errors.push(fieldError.forbidden(p.child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    }
    if (port.nodePort) {
      const key = `${port.protocol}/${port.nodePort}`;
      if (nodePorts.has(key)) errors.push(fieldError.duplicate(p.child('nodePort'), port.nodePort));
      nodePorts.add(key);
    }
    const key = `${port.protocol}/${port.port}`;
    if (seen.has(key)) errors.push(fieldError.duplicate(p, { protocol: port.protocol, port: port.port }));
    seen.add(key);
  });
  return errors;
}

function validateClusterIP(spec: ServiceSpecWithExternalName, path: FieldPath): FieldError[] {
  const clusterIP = spec.clusterIP ?? '';
  const ipPath = path.child('clusterIPs').index(0);
  if (spec.type === 'ExternalName') {
    const errors = clusterIP ? [fieldError.forbidden(path.child('clusterIPs'), 'may not be set for ExternalName services')] : [];
    // The CNAME may end with a dot to mark it fully qualified.
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (!cname) return [...errors, fieldError.required(path.child('externalName'))];
    return [...errors, ...invalidEach(path.child('externalName'), cname, isDNS1123Subdomain(cname))];
  }
  if (clusterIP === 'None') {
    const type = spec.type === 'LoadBalancer' || spec.type === 'NodePort' ? spec.type : undefined;
    return type ? [fieldError.invalid(ipPath, clusterIP, `may not be set to 'None' for ${type} services`)] : [];
  }
  if (clusterIP && isIP(clusterIP) === 0) {
    return [fieldError.invalid(ipPath, clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
  }
  return [];
}

/** Validates a Service on create, or on update when `old` is given. */
export function validateService(obj: Service, old?: Service): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNS1035Label });
  const path = FieldPath.root('spec');
  const spec: ServiceSpecWithExternalName = obj.spec ?? {};
  const headless = spec.clusterIP === 'None';
  if ((spec.ports ?? []).length === 0 && !headless && spec.type !== 'ExternalName') errors.push(fieldError.required(path.child('ports')));
  errors.push(...validateClusterIP(spec, path));
  errors.push(...validatePorts(spec, path.child('ports')));
  if (spec.selector) errors.push(...validateLabels(spec.selector, path.child('selector')));
  errors.push(...validateEnum(spec.sessionAffinity, SESSION_AFFINITIES, path.child('sessionAffinity')));
  errors.push(...validateEnum(spec.type, SERVICE_TYPES, path.child('type')));
  return errors;
}
