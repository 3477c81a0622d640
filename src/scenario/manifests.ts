/**
 * Manifests in scenario files, checked as `kubectl apply` with strict field validation would:
 * a field that is not a Kubernetes field is an error naming the nearest one; a real field the
 * simulator does not model is kept and reported once; fields the API server populates (status,
 * uid, resourceVersion, …) are ignored as on create, and said so once; then the object is
 * defaulted and validated as the API server does, with errors pointing at the offending line.
 * Kinds the simulator does not run are kept and reported once per kind.
 */
import { apiAdmission } from '../api/admission.js';
import { formatFieldError } from '../api/field-errors.js';
import { kindInfo } from '../api/kinds.js';
import { checkManifestFields, hasSchema } from '../api/schema/index.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { SourceLocation } from '../errors.js';
import { deepCopy } from '../util/objects.js';
import type { ScenarioWarning } from './types.js';
import { DEFAULT_NAMESPACE } from './targets.js';
import { type Locator, formatYamlPath, parseYamlPath } from './yaml-source.js';

/** Metadata fields the API server sets itself; stripped from input as on create. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'];

/** Collects warnings, each distinct one once. */
export class Warnings {
  private readonly seen = new Set<string>();
  readonly list: ScenarioWarning[] = [];

  add(key: string, message: string, location: SourceLocation): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ message, location });
  }
}

export function locationOf(at: Locator, path: readonly (string | number)[] = []): SourceLocation {
  const target = path.length > 0 ? at.child(...path) : at;
  const position = target.position('key');
  return { file: at.file, line: position.line, column: position.column, path: formatYamlPath(target.path) };
}

/** `Deployment web` for messages. */
export function describeManifest(obj: { kind?: unknown; metadata?: { name?: unknown } }): string {
  return `${String(obj.kind)} "${String(obj.metadata?.name ?? '')}"`;
}

function requireShape(value: unknown, at: Locator): KubeObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw at.expected('a Kubernetes manifest (a mapping)', value);
  const obj = value as Record<string, unknown>;
  for (const key of ['apiVersion', 'kind'] as const) {
    if (typeof obj[key] !== 'string' || obj[key] === '') throw at.error(`a manifest needs "${key}"`, `add ${key}: … as kubectl would require`, 'key');
  }
  const metadata = obj.metadata as Record<string, unknown> | undefined;
  if (metadata === undefined || typeof metadata !== 'object' || (typeof metadata.name !== 'string' && typeof metadata.generateName !== 'string')) {
    throw at.child('metadata').error('a manifest needs metadata.name', 'add metadata: {name: …}', 'key');
  }
  return obj as unknown as KubeObject;
}

export interface CheckedManifest {
  /** As written, minus server fields, with its namespace: what `kubectl apply` sends. */
  readonly manifest: KubeObject;
  /** Defaulted as the API server stores it (the manifest itself for kinds not simulated). */
  readonly object: KubeObject;
}

/**
 * Checks one manifest as the API server would on create (or, with `old`, on update): strict
 * field validation, then defaulting and validation for served kinds.
 */
export function checkManifest(value: unknown, at: Locator, warnings: Warnings, old?: DeepReadonly<KubeObject>): CheckedManifest {
  const obj = requireShape(value, at);
  const { apiVersion, kind } = obj;
  const info = kindInfo(kind);
  if (info !== undefined && info.apiVersion !== apiVersion) {
    throw at.child('apiVersion').error(`${kind} is served as apiVersion ${info.apiVersion}, not ${apiVersion}`, `write apiVersion: ${info.apiVersion}`);
  }
  if (hasSchema(apiVersion, kind)) {
    const report = checkManifestFields(apiVersion, kind, obj);
    const unknown = report.unknown[0];
    if (unknown !== undefined) {
      const hint = unknown.suggestion !== undefined ? `did you mean "${unknown.suggestion}"?` : `it is not a field of ${kind}; remove it`;
      throw at.child(...unknown.path).error(`unknown field "${formatYamlPath(unknown.path)}" in ${describeManifest(obj)}`, hint, 'key');
    }
    for (const path of report.unmodelled) {
      warnings.add(`unmodelled:${kind}:${path}`, `${kind} field ${path} is kept but not simulated`, locationOf(at, parseYamlPath(path.replace(/\[\]/g, '[0]'))));
    }
    const server = report.server.filter((path) => !(kind === 'Node' && (path === 'status' || path.startsWith('status.'))));
    if (server.length > 0) {
      warnings.add(`server:${kind}`, `${describeManifest(obj)} carries fields the API server sets (${server.join(', ')}); they are ignored, as on create`, locationOf(at, parseYamlPath(server[0])));
    }
  }
  const manifest = stripServerFields(obj);
  if (obj.metadata.ownerReferences !== undefined && obj.metadata.ownerReferences.length > 0) {
    warnings.add(`owners:${kind}/${obj.metadata.name}`, `${describeManifest(obj)} has ownerReferences: uids are assigned anew in the simulation, so its owners do not exist and the garbage collector deletes it, as a real cluster would`, locationOf(at, ['metadata', 'ownerReferences']));
  }
  if (info === undefined) {
    const why = hasSchema(apiVersion, kind) ? 'is not simulated by this version of k8sim yet' : 'is not simulated';
    warnings.add(`kind:${kind}`, `${kind} ${why}: ${describeManifest(obj)} and any other ${kind} are kept but nothing acts on them`, locationOf(at, ['kind']));
    return { manifest, object: manifest };
  }
  if (info.namespaced) manifest.metadata.namespace ||= DEFAULT_NAMESPACE;
  else delete manifest.metadata.namespace;
  return { manifest, object: admit(manifest, at, old) };
}

/** Defaults and validates a copy of `manifest` as the API server would; errors point into `at`. */
export function admit(manifest: KubeObject, at: Locator, old?: DeepReadonly<KubeObject>): KubeObject {
  const result = deepCopy(manifest);
  apiAdmission.default(result);
  const errors = apiAdmission.validate(result, old);
  if (errors.length > 0) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1, 3).map(formatFieldError).join('; ')})` : '';
    throw at.child(...parseYamlPath(first.field)).error(`${describeManifest(result)} is invalid: ${formatFieldError(first)}${more}`, 'the API server would reject this manifest; fix the field');
  }
  return result;
}

function stripServerFields(obj: KubeObject): KubeObject {
  const copy = deepCopy(obj) as KubeObject & { status?: unknown };
  const metadata = copy.metadata as unknown as Record<string, unknown>;
  for (const key of SERVER_METADATA) delete metadata[key];
  if (copy.kind !== 'Node') delete copy.status;
  return copy;
}

/** A `kind: List` (what `kubectl get -o yaml` prints for several objects) → its items. */
export function expandList(value: unknown, at: Locator): { value: unknown; at: Locator }[] {
  const obj = value as Record<string, unknown> | null;
  if (obj !== null && typeof obj === 'object' && obj.kind === 'List' && Array.isArray(obj.items)) {
    return obj.items.map((item, i) => ({ value: item, at: at.child('items', i) }));
  }
  return [{ value, at }];
}

