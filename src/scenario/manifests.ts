/**
 * Manifests in scenario files, checked as `kubectl apply` with strict field validation would:
 * a field that is not a Kubernetes field is an error naming the nearest one; a value of the wrong
 * type (`image: 1`, `replicas: "2"`, `containers: {}`) is an error at the value; a real field the
 * simulator does not model is kept and reported once; fields the API server populates (status,
 * uid, resourceVersion, …) are ignored as on create, and said so once; then the object is
 * defaulted and validated as the API server does, with errors pointing at the offending line.
 * Kinds the simulator does not run are kept and reported once per kind.
 */
import { apiAdmission } from '../api/admission.js';
import { formatFieldError } from '../api/field-errors.js';
import { kindInfo } from '../api/kinds.js';
import { type ExpectedType, type LeafTypeName, type TypeMismatch, type UnknownField, checkManifestFields, hasSchema } from '../api/schema/index.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { ScenarioError, SourceLocation } from '../errors.js';
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
    const mistyped = report.mistyped[0];
    // Of the first unknown field and the first mistyped value, the one the user reads first.
    if (unknown !== undefined && (mistyped === undefined || before(at.child(...unknown.path).position('key'), at.child(...mistyped.path).position()))) {
      throw unknownFieldError(unknown, obj, at);
    }
    if (mistyped !== undefined) throw typeError(mistyped, obj, at);
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

function before(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column <= b.column);
}

function unknownFieldError(unknown: UnknownField, obj: KubeObject, at: Locator): ScenarioError {
  const hint = unknown.suggestion !== undefined ? `did you mean "${unknown.suggestion}"?` : `it is not a field of ${obj.kind}; remove it`;
  return at.child(...unknown.path).error(`unknown field "${formatYamlPath(unknown.path)}" in ${describeManifest(obj)}`, hint, 'key');
}

/** What each type reads as in `… must be <this>`. */
const EXPECTED: Readonly<Record<LeafTypeName | 'object' | 'array', string>> = {
  string: 'a string',
  int32: 'an integer',
  int64: 'an integer',
  boolean: 'a boolean (true or false)',
  number: 'a number',
  quantity: 'a quantity (such as 500m, 2 or 1Gi)',
  intOrString: 'an integer or a string',
  object: 'a mapping',
  array: 'a list',
};

/** The plural for `a mapping of …` (a map's values). */
const VALUES: Readonly<Record<LeafTypeName, string>> = {
  string: 'strings',
  int32: 'integers',
  int64: 'integers',
  boolean: 'booleans',
  number: 'numbers',
  quantity: 'quantities',
  intOrString: 'integers or strings',
};

const MAP = 'map[string]';

function describeExpected(expected: ExpectedType, value: unknown): string {
  if (expected.startsWith(MAP)) return `a mapping of ${VALUES[expected.slice(MAP.length) as LeafTypeName]}`;
  if ((expected === 'int32' || expected === 'int64') && Number.isInteger(value)) {
    return expected === 'int32' ? 'an integer from -2147483648 to 2147483647' : 'an integer from -9223372036854775808 to 9223372036854775807';
  }
  return EXPECTED[expected as LeafTypeName | 'object' | 'array'];
}

/** How a found value reads in `…, got <this>`. */
function describeFound(value: unknown): string {
  if (value === null) return 'an empty item (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/** YAML 1.1 words for true and false, which kubectl reads as booleans when unquoted. */
const YAML_TRUE = /^(?:y|yes|true|on)$/i;
const YAML_FALSE = /^(?:n|no|false|off)$/i;

/**
 * A value the field's Go type cannot hold, as kubectl's `json: cannot unmarshal …` refuses it,
 * located at the value, with how to write it instead.
 */
function typeError(mismatch: TypeMismatch, obj: KubeObject, at: Locator): ScenarioError {
  const here = at.child(...mismatch.path);
  const message = `${formatYamlPath(mismatch.path)} in ${describeManifest(obj)} must be ${describeExpected(mismatch.expected, mismatch.value)}, got ${describeFound(mismatch.value)}`;
  return here.error(message, typeHint(mismatch, here));
}

function typeHint({ path, expected, value }: TypeMismatch, here: Locator): string {
  const last = path[path.length - 1];
  const source = here.sourceText() ?? (typeof value === 'string' ? JSON.stringify(value) : String(value));
  /** `image: "1"` for a field or map key, `- "1"` for a list item. */
  const written = (text: string) => (typeof last === 'string' ? `${last}: ${text}` : `- ${text}`);
  // `image: yes` is the boolean true to Kubernetes too; say so before anything else.
  const yaml11 = typeof value === 'boolean' && source.toLowerCase() !== String(value) ? `unquoted ${source} is read as the boolean ${String(value)}, as Kubernetes reads YAML; ` : '';
  switch (expected) {
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') return `${yaml11}quote it: ${written(`"${source}"`)}`;
      return `write a single text value, e.g. ${written('"…"')}`;
    case 'int32':
    case 'int64':
      if (Number.isInteger(value)) return `an ${expected} cannot hold it; write a smaller number`;
      if (typeof value === 'string' && /^[-+]?\d+$/.test(value.trim())) return `remove the quotes: ${written(value.trim())}`;
      return `${yaml11}write a whole number without quotes, e.g. ${written('3')}`;
    case 'boolean':
      if (typeof value === 'string' && (YAML_TRUE.test(value) || YAML_FALSE.test(value))) {
        return `remove the quotes and write ${written(YAML_TRUE.test(value) ? 'true' : 'false')}`;
      }
      return `write ${written('true')} or ${written('false')}, without quotes`;
    case 'number':
      return `${yaml11}write a number without quotes`;
    case 'quantity':
      return `${yaml11}write a quantity such as ${written('500m')} or ${written('1Gi')}`;
    case 'intOrString':
      if (Number.isInteger(value)) return 'an int32 cannot hold it; write a smaller number';
      if (typeof value === 'number') return `write a whole number, or a string in quotes such as ${written(/port/i.test(String(last)) ? '"http"' : '"25%"')}`;
      return `${yaml11}write a whole number, or a string in quotes`;
    case 'object':
      if (value === null) return 'remove the empty item (a "-" with nothing after it), or write its fields';
      return typeof last === 'string' ? `write its fields as key: value pairs below ${last}:` : 'write the item as key: value pairs, e.g. - {name: …}';
    case 'array':
      return 'write a list: one "- " line per item, or [a, b] on one line';
    case 'map[string]quantity':
      return `write resource: quantity pairs, e.g. ${written('{cpu: 500m, memory: 256Mi}')}`;
    default:
      return `write key: value pairs, e.g. ${written('{app: web}')}`;
  }
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

