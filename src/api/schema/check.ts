/**
 * Walks a manifest against a field schema, the way kubectl's strict field validation walks it
 * against the OpenAPI schema: every key of an object must be a field of that object. Alongside
 * it sorts the real fields by what the simulator does with them (builders.ts explains the
 * category rules).
 */
import { nearest } from '../../util/suggest.js';
import type { FieldCategory, FieldEntry, FieldSchema } from './builders.js';

/** A key that is not a field of the object it appears in. */
export interface UnknownField {
  /** The concrete path ending in the key, with real array indices, to point at the YAML line. */
  readonly path: readonly (string | number)[];
  readonly key: string;
  /** The nearest valid field at that level, when one is close enough to be the intended one. */
  readonly suggestion?: string;
}

/** What a manifest contains beyond the fields the simulator reads. */
export interface FieldReport {
  /** Keys that are not Kubernetes fields, in document order. */
  readonly unknown: readonly UnknownField[];
  /**
   * Real fields the simulator ignores, as generic paths with arrays written `[]`
   * (`spec.template.spec.containers[].env`), deduplicated, in document order. Only the top of
   * an ignored subtree is listed, and only when it holds a value (not null, `{}` or `[]`).
   */
  readonly unmodelled: readonly string[];
  /** Server-populated fields present (`status`, `metadata.uid`), listed like `unmodelled`. */
  readonly server: readonly string[];
}

/** The category in force at a point of the walk, and whether it covers everything below. */
interface Scope {
  readonly category: FieldCategory;
  readonly whole: boolean;
}

const ROOT: Scope = { category: 'modelled', whole: false };

function enter(parent: Scope, entry: FieldEntry): Scope {
  // Nothing below an ignored field is read, whatever the shared types below it say.
  if (parent.category !== 'modelled') return parent;
  if (parent.whole) return entry.category === 'server' ? { category: 'server', whole: true } : parent;
  return { category: entry.category ?? parent.category, whole: entry.whole ?? false };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A value that says nothing: warning that the simulator ignores it would be noise. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

class Walk {
  readonly unknown: UnknownField[] = [];
  readonly unmodelled = new Set<string>();
  readonly server = new Set<string>();

  visit(schema: FieldSchema, value: unknown, path: readonly (string | number)[], generic: string, scope: Scope): void {
    // A value of the wrong shape is the validator's to report; here it only stops the descent.
    if (schema.type === 'array') {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => this.visit(schema.items, item, [...path, i], `${generic}[]`, scope));
      return;
    }
    if (schema.type !== 'object' || !isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      if (!Object.hasOwn(schema.fields, key)) {
        const suggestion = nearest(key, Object.keys(schema.fields));
        this.unknown.push(suggestion === undefined ? { path: childPath, key } : { path: childPath, key, suggestion });
        continue;
      }
      const childGeneric = generic === '' ? key : `${generic}.${key}`;
      const childScope = enter(scope, schema.fields[key]);
      if (childScope.category !== scope.category && !isEmpty(child)) {
        (childScope.category === 'server' ? this.server : this.unmodelled).add(childGeneric);
      }
      // The server's own fields are dropped on create, so what they hold is not checked;
      // ignored fields are, since a typo there is still rejected by the API server.
      if (childScope.category !== 'server') this.visit(schema.fields[key].schema, child, childPath, childGeneric, childScope);
    }
  }
}

/** Checks `manifest` against the schema of its kind. */
export function checkFields(schema: FieldSchema, manifest: unknown): FieldReport {
  const walk = new Walk();
  walk.visit(schema, manifest, [], '', ROOT);
  return { unknown: walk.unknown, unmodelled: [...walk.unmodelled], server: [...walk.server] };
}
