/**
 * Walks a manifest against a field schema, the way kubectl's strict decoding walks it against
 * the Go types: every key of an object must be a field of that object, and every value must
 * have the field's JSON type (a string for a string, a whole number for an int32, a list for a
 * slice, …). `null` is accepted for any field, as Kubernetes reads it as absent (see
 * {@link checkFields} for the one exception). Alongside it sorts the real fields by what the
 * simulator does with them (builders.ts explains the category rules). Below a `server` field
 * and in an `opaque` value nothing is checked.
 */
import { nearest } from '../../util/suggest.js';
import type { FieldCategory, FieldEntry, FieldSchema, LeafSchema } from './builders.js';

/** A key that is not a field of the object it appears in. */
export interface UnknownField {
  /** The concrete path ending in the key, with real array indices, to point at the YAML line. */
  readonly path: readonly (string | number)[];
  readonly key: string;
  /** The nearest valid field at that level, when one is close enough to be the intended one. */
  readonly suggestion?: string;
}

/** A leaf type as named in a {@link TypeMismatch}: the Go type, with `integer` split by size. */
export type LeafTypeName = 'string' | 'int32' | 'int64' | 'boolean' | 'number' | 'quantity' | 'intOrString';

/**
 * What a field holds: a leaf type, `object` (a struct), `array` (a slice) or
 * `map[string]<leaf>` (labels are `map[string]string`, resource lists `map[string]quantity`).
 */
export type ExpectedType = LeafTypeName | 'object' | 'array' | `map[string]${LeafTypeName}`;

/** A value that the field's type cannot hold (kubectl: `json: cannot unmarshal …`). */
export interface TypeMismatch {
  /** The concrete path of the value, with real array indices and map keys. */
  readonly path: readonly (string | number)[];
  readonly expected: ExpectedType;
  /** The value found; null only as an item of a list of structs (see {@link checkFields}). */
  readonly value: unknown;
}

/** What a manifest contains beyond the fields the simulator reads. */
export interface FieldReport {
  /** Keys that are not Kubernetes fields, in document order. */
  readonly unknown: readonly UnknownField[];
  /**
   * Values of the wrong type or shape, in document order; the walk does not descend into them.
   * Values under `server` fields and `opaque` ones are not checked.
   */
  readonly mistyped: readonly TypeMismatch[];
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

/** The name of a leaf type in a {@link TypeMismatch}. */
export function leafTypeName(leaf: LeafSchema): LeafTypeName {
  return leaf.type === 'integer' ? leaf.format : leaf.type;
}

/** A whole number in the range of the Go type (`2.0` is one: YAML hands it to JSON as `2`). */
function isInteger(value: unknown, format: 'int32' | 'int64'): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value)) return false;
  // int64: every double below 2^63 fits (2^63 - 1 itself is not a double).
  return format === 'int32' ? value >= -(2 ** 31) && value < 2 ** 31 : value >= -(2 ** 63) && value < 2 ** 63;
}

/** Whether a non-null `value` decodes into the Go type of `leaf`. */
export function acceptsLeaf(leaf: LeafSchema, value: unknown): boolean {
  switch (leaf.type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return isInteger(value, leaf.format);
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'quantity':
      // The text of a quantity is validation's to check, as upstream's parse errors are.
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    case 'intOrString':
      return typeof value === 'string' || isInteger(value, 'int32');
  }
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
  readonly mistyped: TypeMismatch[] = [];
  readonly unmodelled = new Set<string>();
  readonly server = new Set<string>();

  visit(schema: FieldSchema, value: unknown, path: readonly (string | number)[], generic: string, scope: Scope): void {
    // Any field may be null: Kubernetes decodes it as absent (a map value as the zero value).
    if (value === null || value === undefined || schema.type === 'opaque') return;
    switch (schema.type) {
      case 'array':
        if (!Array.isArray(value)) return this.mismatch(path, 'array', value);
        value.forEach((item, i) => {
          // Not an absent field but an empty struct, which nothing downstream expects.
          if (item === null && schema.items.type === 'object') this.mismatch([...path, i], 'object', item);
          else this.visit(schema.items, item, [...path, i], `${generic}[]`, scope);
        });
        return;
      case 'map': {
        if (!isPlainObject(value)) return this.mismatch(path, `map[string]${leafTypeName(schema.values)}`, value);
        for (const [key, item] of Object.entries(value)) this.visit(schema.values, item, [...path, key], generic, scope);
        return;
      }
      case 'object':
        if (!isPlainObject(value)) return this.mismatch(path, 'object', value);
        return this.fields(schema.fields, value, path, generic, scope);
      default:
        if (!acceptsLeaf(schema, value)) this.mismatch(path, leafTypeName(schema), value);
    }
  }

  private mismatch(path: readonly (string | number)[], expected: ExpectedType, value: unknown): void {
    this.mistyped.push({ path, expected, value });
  }

  private fields(fields: Readonly<Record<string, FieldEntry>>, value: Record<string, unknown>, path: readonly (string | number)[], generic: string, scope: Scope): void {
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      if (!Object.hasOwn(fields, key)) {
        const suggestion = nearest(key, Object.keys(fields));
        this.unknown.push(suggestion === undefined ? { path: childPath, key } : { path: childPath, key, suggestion });
        continue;
      }
      const childGeneric = generic === '' ? key : `${generic}.${key}`;
      const childScope = enter(scope, fields[key]);
      if (childScope.category !== scope.category && !isEmpty(child)) {
        (childScope.category === 'server' ? this.server : this.unmodelled).add(childGeneric);
      }
      // The server's own fields are dropped on create, so what they hold is not checked;
      // ignored fields are, since a typo or a wrong type there is still rejected by the API server.
      if (childScope.category !== 'server') this.visit(fields[key].schema, child, childPath, childGeneric, childScope);
    }
  }
}

/**
 * Checks `manifest` against the schema of its kind. `null` is accepted as the value of any field
 * and of any map entry, as Kubernetes decodes it (absent, or the zero value). One exception: a
 * null item in a list of structs (`containers: [null]`), which Kubernetes would decode as an
 * empty struct that its validation then rejects, is reported as a mismatch here, so that it is
 * refused at the item instead of reaching the defaulters.
 */
export function checkFields(schema: FieldSchema, manifest: unknown): FieldReport {
  const walk = new Walk();
  walk.visit(schema, manifest, [], '', ROOT);
  return { unknown: walk.unknown, mistyped: walk.mistyped, unmodelled: [...walk.unmodelled], server: [...walk.server] };
}
