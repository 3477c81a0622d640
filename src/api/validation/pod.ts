/**
 * Pod, PodSpec and PodTemplateSpec validation, following pkg/apis/core/validation/validation.go
 * (ValidatePodSpec, validateContainers, validateInitContainers, validateContainerCommon,
 * validateContainerPorts, validateResourceRequirements, validate{Liveness,Readiness,Startup}Probe,
 * validateHandler, ValidateTolerations, validatePodHostNetworkDeps, ValidatePodTemplateSpec).
 * Paths and messages are upstream's, including its quirks: template labels are reported at
 * `template.labels` (not `template.metadata.labels`), a toleration's bad value at `.operator`,
 * and requests above limits at `resources.requests` (the map, not the key).
 *
 * Deliberate differences and gaps:
 * - terminationGracePeriodSeconds must be ≥ 0 (upstream accepts a negative value and turns it
 *   into 1 when the pod is created).
 * - Quantities are printed as written rather than in canonical form, and compared in millis.
 *   Container resource names get one error where upstream sometimes reports two.
 * - Not modelled, so not validated: volumes, env, securityContext contents, dnsConfig, pod
 *   (anti-)affinity, topology spread, hugepages rules, pod-level resources, ephemeral containers.
 * - Pod updates get only the metadata rules; upstream's spec immutability is not enforced, as the
 *   simulated scheduler and kubelet write spec.nodeName and status through ordinary updates.
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import { isQuantity, milliValue } from '../quantity.js';
import type {
  Affinity, Container, ContainerPort, Lifecycle, Pod, PodSpec, PodTemplateSpec, Probe, ResourceList, ResourceRequirements, Toleration,
} from '../types/pod.js';
import {
  IS_NEGATIVE_ERROR, inclusiveRangeError, invalidEach, isDNS1123Label, isQualifiedName, isValidLabelValue, isValidPortName,
  isValidPortNum, nameIsDNSSubdomain, regexError, validateAnnotations, validateEnum, validateLabelName, validateLabels,
  validateMetadata, validateNonnegativeField, validatePortNumOrName,
} from './meta.js';
import { deepEqual } from '../../util/objects.js';
import { validateNodeAffinity } from './selector.js';

const QUANTITY_SYNTAX = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** Port protocols, in upstream's (sorted) order for NotSupported messages; Services share them. */
export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
/** Resources that only come in whole units (IsIntegerResourceName; extended resources too). */
const INTEGER_RESOURCES = new Set(['pods']);
const NOT_IN_INIT = 'may not be set for init containers without restartPolicy=Always';

/** What differs between validating a Pod and a pod template embedded in a workload. */
export interface PodSpecOptions {
  /** A Pod (not a template): host ports must already equal container ports under hostNetwork. */
  readonly resourceIsPod: boolean;
}

function validateContainerPorts(ports: readonly ContainerPort[] | undefined, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const p = path.index(i);
    if (port.name) {
      const nameErrors = invalidEach(p.child('name'), port.name, isValidPortName(port.name));
      if (nameErrors.length > 0) errors.push(...nameErrors);
      else if (names.has(port.name)) errors.push(fieldError.duplicate(p.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errors.push(fieldError.required(p.child('containerPort')));
    else errors.push(...invalidEach(p.child('containerPort'), port.containerPort, isValidPortNum(port.containerPort)));
    if (port.hostPort) errors.push(...invalidEach(p.child('hostPort'), port.hostPort, isValidPortNum(port.hostPort)));
    errors.push(...validateEnum(port.protocol, PORT_PROTOCOLS, p.child('protocol')));
  });
  return errors;
}

/** Two ports of these containers may not claim the same protocol and host port. */
function checkHostPortConflicts(containers: readonly Container[], path: FieldPath, offset = 0): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((container, i) => {
    (container.ports ?? []).forEach((port, j) => {
      if (!port.hostPort) return;
      // Upstream's key is protocol/hostIP/port; hostIP is not modelled, so it prints empty.
      const key = `${port.protocol ?? ''}//${port.hostPort}`;
      if (seen.has(key)) errors.push(fieldError.duplicate(path.index(offset + i).child('ports').index(j).child('hostPort'), key));
      seen.add(key);
    });
  });
  return errors;
}

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
/** Unprefixed or `kubernetes.io/` names are native; other prefixed names are extended resources. */
const isNativeResource = (name: string): boolean => !name.includes('/') || name.startsWith('kubernetes.io/');
const isExtendedResource = (name: string): boolean =>
  !isNativeResource(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
/** Extended resources and hugepages cannot be overcommitted: requests must equal limits. */
const isOvercommitAllowed = (name: string): boolean => isNativeResource(name) && !isHugePages(name);

function isNegativeQuantity(quantity: string | number): boolean {
  if (typeof quantity === 'number') return quantity < 0;
  const mantissa = /^-([\d.]*)/.exec(quantity);
  return mantissa !== null && /[1-9]/.test(mantissa[1]);
}

/** A quantity's syntax, sign and (for countable resources) integrality (ValidateResourceQuantityValue). */
export function validateResourceQuantityValue(name: string, quantity: unknown, path: FieldPath): FieldError[] {
  if (!isQuantity(quantity)) return [fieldError.invalid(path, quantity, QUANTITY_SYNTAX)];
  const q = quantity as string | number;
  const errors: FieldError[] = [];
  if (isNegativeQuantity(q)) errors.push(fieldError.invalid(path, q, IS_NEGATIVE_ERROR));
  if ((INTEGER_RESOURCES.has(name) || isExtendedResource(name)) && milliValue(q) % 1000 !== 0) {
    errors.push(fieldError.invalid(path, q, 'must be an integer'));
  }
  return errors;
}

function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const syntax = invalidEach(path, name, isQualifiedName(name));
  if (syntax.length > 0) return syntax;
  if (!name.includes('/')) {
    const standard = STANDARD_CONTAINER_RESOURCES.has(name) || isHugePages(name);
    return standard ? [] : [fieldError.invalid(path, name, 'must be a standard resource for containers')];
  }
  if (!isNativeResource(name) && !isExtendedResource(name)) {
    return [fieldError.invalid(path, name, "doesn't follow extended resource name standard")];
  }
  return [];
}

function validateResourceList(list: ResourceList, path: FieldPath): FieldError[] {
  return Object.entries(list).flatMap(([name, q]) => [
    ...validateContainerResourceName(name, path.key(name)),
    ...validateResourceQuantityValue(name, q, path.key(name)),
  ]);
}

/** Names, quantities, and requests ≤ limits (= limits for resources that cannot overcommit). */
function validateResources(resources: ResourceRequirements | undefined, path: FieldPath): FieldError[] {
  const limits = resources?.limits ?? {};
  const requests = resources?.requests ?? {};
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const errors = [...validateResourceList(limits, limPath), ...validateResourceList(requests, reqPath)];
  for (const [name, request] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined) {
      if (!isOvercommitAllowed(name)) errors.push(fieldError.required(limPath, 'Limit must be set for non overcommitable resources'));
      continue;
    }
    if (!isQuantity(request) || !isQuantity(limit)) continue;
    const [req, lim] = [milliValue(request), milliValue(limit)];
    if (!isOvercommitAllowed(name) && req !== lim) {
      errors.push(fieldError.invalid(reqPath, String(request), `must be equal to ${name} limit of ${limit}`));
    } else if (req > lim) {
      errors.push(fieldError.invalid(reqPath, String(request), `must be less than or equal to ${name} limit of ${limit}`));
    }
  }
  return errors;
}

type Handler = Readonly<Record<string, unknown>>;
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;

function validateAction(kind: string, action: Handler, grace: number | undefined, path: FieldPath): FieldError[] {
  switch (kind) {
    case 'exec':
      return Array.isArray(action.command) && action.command.length > 0 ? [] : [fieldError.required(path.child('command'))];
    case 'httpGet': {
      const errors = action.path ? [] : [fieldError.required(path.child('path'))];
      errors.push(...validatePortNumOrName(action.port, path.child('port')));
      if (action.scheme !== 'HTTP' && action.scheme !== 'HTTPS') {
        errors.push(fieldError.notSupported(path.child('scheme'), action.scheme ?? '', ['HTTP', 'HTTPS']));
      }
      for (const header of Array.isArray(action.httpHeaders) ? (action.httpHeaders as { name?: string }[]) : []) {
        const name = String(header?.name ?? '');
        if (!HTTP_HEADER_NAME.test(name)) {
          const detail = regexError("a valid HTTP header must consist of alphanumeric characters or '-'", '[-A-Za-z0-9]+', 'X-Header-Name');
          errors.push(fieldError.invalid(path.child('httpHeaders'), name, detail));
        }
      }
      return errors;
    }
    case 'tcpSocket':
    case 'grpc':
      return validatePortNumOrName(action.port, path.child('port'));
    default: {
      // sleep: bounded by the pod's grace period (zero allowed, PodLifecycleSleepActionAllowZero).
      const seconds = Number(action.seconds ?? 0);
      if (grace === undefined || (seconds >= 0 && seconds <= grace)) return [];
      return [fieldError.invalid(path, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${grace})`)];
    }
  }
}

/** Exactly one of exec / httpGet / tcpSocket / grpc (probes) / sleep (lifecycle) (validateHandler). */
function validateHandler(handler: Handler, kinds: readonly string[], grace: number | undefined, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    const action = handler[kind];
    if (action === undefined || action === null) continue;
    if (count++ > 0) errors.push(fieldError.forbidden(path.child(kind), 'may not specify more than 1 handler type'));
    else errors.push(...validateAction(kind, action as Handler, grace, path.child(kind)));
  }
  if (count === 0) errors.push(fieldError.required(path, 'must specify a handler type'));
  return errors;
}

function validateProbe(probe: Probe, kind: 'liveness' | 'readiness' | 'startup', grace: number | undefined, path: FieldPath): FieldError[] {
  const errors = validateHandler(probe as Handler, ['exec', 'httpGet', 'tcpSocket', 'grpc'], grace, path);
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errors.push(...validateNonnegativeField(probe[field], path.child(field)));
  }
  const probeGrace = probe.terminationGracePeriodSeconds;
  if (kind === 'readiness' && probeGrace !== undefined) {
    errors.push(fieldError.invalid(path.child('terminationGracePeriodSeconds'), probeGrace, 'must not be set for readinessProbes'));
  } else if (probeGrace !== undefined && probeGrace <= 0) {
    errors.push(fieldError.invalid(path.child('terminationGracePeriodSeconds'), probeGrace, 'must be greater than 0'));
  }
  if (kind !== 'readiness' && (probe.successThreshold ?? 0) !== 1) {
    errors.push(fieldError.invalid(path.child('successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  }
  return errors;
}

function validateLifecycle(lifecycle: Lifecycle, grace: number | undefined, path: FieldPath): FieldError[] {
  const kinds = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
  return (['postStart', 'preStop'] as const).flatMap((hook) => {
    const handler = lifecycle[hook];
    return handler ? validateHandler(handler as Handler, kinds, grace, path.child(hook)) : [];
  });
}

/** Probes and lifecycle hooks, allowed on regular containers and sidecars. */
function validateProbesAndLifecycle(container: Container, grace: number | undefined, path: FieldPath): FieldError[] {
  const errors = container.lifecycle ? validateLifecycle(container.lifecycle, grace, path.child('lifecycle')) : [];
  if (container.livenessProbe) errors.push(...validateProbe(container.livenessProbe, 'liveness', grace, path.child('livenessProbe')));
  if (container.readinessProbe) errors.push(...validateProbe(container.readinessProbe, 'readiness', grace, path.child('readinessProbe')));
  if (container.startupProbe) errors.push(...validateProbe(container.startupProbe, 'startup', grace, path.child('startupProbe')));
  return errors;
}

function validateContainerCommon(container: Container, path: FieldPath, opts: PodSpecOptions): FieldError[] {
  const errors: FieldError[] = [];
  if (!container.name) errors.push(fieldError.required(path.child('name')));
  else errors.push(...invalidEach(path.child('name'), container.name, isDNS1123Label(container.name)));
  const image = container.image ?? '';
  if (image === '') errors.push(fieldError.required(path.child('image')));
  else if (opts.resourceIsPod && image !== image.trim()) {
    errors.push(fieldError.invalid(path.child('image'), image, 'must not have leading or trailing whitespace'));
  }
  const messagePolicy = path.child('terminationMessagePolicy');
  errors.push(...validateEnum(container.terminationMessagePolicy, ['File', 'FallbackToLogsOnError'], messagePolicy));
  errors.push(...validateContainerPorts(container.ports, path.child('ports')));
  errors.push(...validateEnum(container.imagePullPolicy, ['Always', 'IfNotPresent', 'Never'], path.child('imagePullPolicy')));
  return [...errors, ...validateResources(container.resources, path.child('resources'))];
}

function validateContainers(
  containers: readonly Container[] | undefined,
  grace: number | undefined,
  path: FieldPath,
  opts: PodSpecOptions,
): FieldError[] {
  if (!containers || containers.length === 0) return [fieldError.required(path)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((container, i) => {
    const p = path.index(i);
    errors.push(...validateContainerCommon(container, p, opts));
    if (names.has(container.name)) errors.push(fieldError.duplicate(p.child('name'), container.name));
    names.add(container.name);
    errors.push(...validateProbesAndLifecycle(container, grace, p));
    if (container.restartPolicy !== undefined) {
      errors.push(fieldError.forbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  return [...errors, ...checkHostPortConflicts(containers, path)];
}

/** Init containers run one by one; `restartPolicy: Always` makes one a sidecar with probes. */
function validateInitContainers(
  inits: readonly Container[],
  containers: readonly Container[],
  grace: number | undefined,
  path: FieldPath,
  opts: PodSpecOptions,
): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set(containers.map((c) => c.name));
  inits.forEach((container, i) => {
    const p = path.index(i);
    errors.push(...validateContainerCommon(container, p, opts));
    const sidecar = container.restartPolicy === 'Always';
    if (container.restartPolicy !== undefined && !sidecar) {
      errors.push(fieldError.notSupported(p.child('restartPolicy'), container.restartPolicy, ['Always']));
    }
    if (names.has(container.name)) errors.push(fieldError.duplicate(p.child('name'), container.name));
    else if (container.name) names.add(container.name);
    errors.push(...checkHostPortConflicts([container], path, i));
    if (sidecar) errors.push(...validateProbesAndLifecycle(container, grace, p));
    else {
      for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (container[field] !== undefined) errors.push(fieldError.forbidden(p.child(field), NOT_IN_INIT));
      }
    }
  });
  return errors;
}

/** A taint effect; an empty toleration effect means "all effects" (`allowEmpty`). */
export function validateTaintEffect(effect: string | undefined, allowEmpty: boolean, path: FieldPath): FieldError[] {
  if (!effect) return allowEmpty ? [] : [fieldError.required(path)];
  return TAINT_EFFECTS.includes(effect) ? [] : [fieldError.notSupported(path, effect, TAINT_EFFECTS)];
}

/** ValidateTolerations: key syntax, Exists/Equal rules, tolerationSeconds only with NoExecute. */
export function validateTolerations(tolerations: readonly Toleration[], path: FieldPath): FieldError[] {
  return tolerations.flatMap((toleration, i) => {
    const p = path.index(i);
    const key = toleration.key ?? '';
    const operator = toleration.operator ?? '';
    const value = toleration.value ?? '';
    const errors = key ? validateLabelName(key, p.child('key')) : [];
    if (!key && operator !== 'Exists') {
      const detail = 'operator must be Exists when `key` is empty, which means "match all values and all keys"';
      errors.push(fieldError.invalid(p.child('operator'), operator, detail));
    }
    if (toleration.tolerationSeconds !== undefined && toleration.effect !== 'NoExecute') {
      const detail = "effect must be 'NoExecute' when `tolerationSeconds` is set";
      errors.push(fieldError.invalid(p.child('effect'), toleration.effect ?? '', detail));
    }
    if (operator === 'Equal' || operator === '') {
      const messages = isValidLabelValue(value);
      if (messages.length > 0) errors.push(fieldError.invalid(p.child('operator'), value, messages.join(';')));
    } else if (operator === 'Exists') {
      if (value) errors.push(fieldError.invalid(p.child('operator'), value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errors.push(fieldError.notSupported(p.child('operator'), operator, ['Equal', 'Exists']));
    }
    return [...errors, ...validateTaintEffect(toleration.effect, true, p.child('effect'))];
  });
}

function validateAffinity(affinity: Affinity, path: FieldPath): FieldError[] {
  return affinity.nodeAffinity ? validateNodeAffinity(affinity.nodeAffinity, path.child('nodeAffinity')) : [];
}

/** Under hostNetwork a host port must equal its container port (a template may leave it 0). */
function validateHostNetworkPorts(spec: PodSpec, path: FieldPath, opts: PodSpecOptions): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  return (spec.containers ?? []).flatMap((container, i) =>
    (container.ports ?? []).flatMap((port, j) => {
      const hostPort = port.hostPort ?? 0;
      if ((!opts.resourceIsPod && hostPort === 0) || hostPort === port.containerPort) return [];
      const p = path.child('containers').index(i).child('ports').index(j).child('hostPort');
      return [fieldError.invalid(p, hostPort, 'must match `containerPort` when `hostNetwork` is true')];
    }),
  );
}

function invalidName(value: string | undefined, path: FieldPath, check: (v: string) => string[]): FieldError[] {
  return value ? invalidEach(path, value, check(value)) : [];
}

/** ValidatePodSpec over the modelled fields. */
export function validatePodSpec(spec: PodSpec, path: FieldPath, opts: PodSpecOptions): FieldError[] {
  const errors: FieldError[] = [];
  const grace = spec.terminationGracePeriodSeconds ?? undefined;
  if (grace === undefined) errors.push(fieldError.required(path.child('terminationGracePeriodSeconds')));
  else errors.push(...validateNonnegativeField(grace, path.child('terminationGracePeriodSeconds')));
  const containers = spec.containers ?? [];
  errors.push(...validateContainers(containers, grace, path.child('containers'), opts));
  errors.push(...validateInitContainers(spec.initContainers ?? [], containers, grace, path.child('initContainers'), opts));
  errors.push(...validateHostNetworkPorts(spec, path, opts));
  errors.push(...validateEnum(spec.restartPolicy, ['Always', 'OnFailure', 'Never'], path.child('restartPolicy')));
  errors.push(...validateEnum(spec.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], path.child('dnsPolicy')));
  errors.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  if (spec.affinity) errors.push(...validateAffinity(spec.affinity, path.child('affinity')));
  errors.push(...invalidName(spec.nodeName, path.child('nodeName'), (v) => nameIsDNSSubdomain(v, false)));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && !(deadline >= 1 && deadline <= 2 ** 31 - 1)) {
    errors.push(fieldError.invalid(path.child('activeDeadlineSeconds'), deadline, inclusiveRangeError(1, 2 ** 31 - 1)));
  }
  errors.push(...invalidName(spec.hostname, path.child('hostname'), isDNS1123Label));
  errors.push(...invalidName(spec.subdomain, path.child('subdomain'), isDNS1123Label));
  errors.push(...validateTolerations(spec.tolerations ?? [], path.child('tolerations')));
  errors.push(...invalidName(spec.priorityClassName, path.child('priorityClassName'), (v) => nameIsDNSSubdomain(v, false)));
  return errors;
}

/** ValidatePodTemplateSpec: template labels/annotations and the pod spec (template rules). */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: FieldPath): FieldError[] {
  const meta = template?.metadata ?? {};
  const errors = [
    ...validateLabels(meta.labels, path.child('labels')),
    ...validateAnnotations(meta.annotations, path.child('annotations')),
  ];
  const specPath = path.child('spec');
  // Upstream's template spec always exists (a struct); once defaulted only its containers are missing.
  if (!template?.spec) return [...errors, fieldError.required(specPath.child('containers'))];
  return [...errors, ...templateSpecErrors(template.spec, specPath)];
}

/**
 * A template's spec errors, memoised like a pod's (see specErrorsCache below) but also by path,
 * since a template's errors name where it sits (`spec.template.spec…` in a Job,
 * `spec.jobTemplate.spec.template.spec…` in a CronJob). The Jobs a CronJob creates share its
 * stored template spec object (controllers/cronjob/utils.ts: jobSpecFromTemplate), so a week of
 * five-minute runs validates that spec once per path instead of two thousand times.
 */
function templateSpecErrors(spec: PodSpec, specPath: FieldPath): FieldError[] {
  const path = String(specPath);
  let byPath = templateSpecErrorsCache.get(spec);
  if (byPath === undefined) templateSpecErrorsCache.set(spec, (byPath = new Map()));
  let errors = byPath.get(path);
  if (errors === undefined) {
    errors = validatePodSpec(spec, specPath, { resourceIsPod: false });
    byPath.set(path, errors);
  }
  return errors;
}

/** Validates a Pod on create, or on update when `old` is given. */
export function validatePod(obj: Pod, old?: Pod): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const specPath = FieldPath.root('spec');
  if (!obj.spec) return [...errors, fieldError.required(specPath.child('containers'))];
  return [...errors, ...podSpecErrors(obj.spec, specPath)];
}

/**
 * The spec's errors, by spec object: the pods of one template share their spec object (stored
 * objects never change), so thousands of identical specs are validated once.
 */
const specErrorsCache = new WeakMap<object, FieldError[]>();

/**
 * The last spec validated with each containers array, with its errors. A pod's spec stops being
 * its template's once the pod is bound (the binding sets nodeName in a copy), and an Indexed
 * Job's pods each get their own hostname; all else stays the template's, objects included — but
 * for the tolerations admission appends to each pod's own spec (DefaultTolerationSeconds), equal
 * from pod to pod. So a spec that differs from one already validated only in nodeName and
 * hostname, each absent or valid in both (such a name adds no error, and no other rule reads it),
 * and in tolerations of equal content, has the same errors.
 */
const specsByContainers = new WeakMap<object, { readonly spec: PodSpec; readonly errors: FieldError[] }>();
/** The fields a sibling spec may differ in (see specsByContainers). */
const PER_POD_NAMES = new Set(['nodeName', 'hostname']);

function podSpecErrors(spec: PodSpec, specPath: FieldPath): FieldError[] {
  let errors = specErrorsCache.get(spec);
  if (errors !== undefined) return errors;
  const containers = spec.containers as object | undefined;
  const namesValid = perPodNamesValid(spec);
  const sibling = containers !== undefined && namesValid ? specsByContainers.get(containers) : undefined;
  if (sibling !== undefined && differsOnlyInPerPodNames(sibling.spec, spec)) {
    errors = sibling.errors;
  } else {
    errors = validatePodSpec(spec, specPath, { resourceIsPod: true });
    if (containers !== undefined && namesValid) specsByContainers.set(containers, { spec, errors });
  }
  specErrorsCache.set(spec, errors);
  return errors;
}

/** nodeName and hostname are absent or valid: validatePodSpec finds nothing wrong with them. */
function perPodNamesValid(spec: PodSpec): boolean {
  return (!spec.nodeName || nameIsDNSSubdomain(spec.nodeName, false).length === 0) && (!spec.hostname || isDNS1123Label(spec.hostname).length === 0);
}

/** The same own fields with the same values (by identity; tolerations by content), nodeName and hostname aside. */
function differsOnlyInPerPodNames(a: PodSpec, b: PodSpec): boolean {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    if (PER_POD_NAMES.has(key)) continue;
    if (!Object.hasOwn(rb, key)) return false;
    if (ra[key] !== rb[key] && !(key === 'tolerations' && deepEqual(ra[key], rb[key]))) return false;
    count++;
  }
  for (const key in rb) if (!PER_POD_NAMES.has(key)) count--;
  return count === 0;
}

/** Template spec errors by spec object, then by the template's path (see templateSpecErrors). */
const templateSpecErrorsCache = new WeakMap<object, Map<string, FieldError[]>>();
