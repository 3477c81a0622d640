/**
 * The vocabulary of the field schema: what shape a field has and whether the simulator reads it,
 * plus the small builders the per-group files use to write the real Kubernetes field names down
 * compactly. The shapes follow the JSON encoding of k8s.io/api types (structs are objects, slices
 * arrays, `map[string]…` and resource lists free-form maps with typed values, and typed leaves:
 * strings, integers, booleans, floats, quantities and int-or-strings).
 *
 * How categories work (the checker in check.ts applies these rules):
 * - An entry without a category takes the category of the field that encloses it; the document
 *   root is `modelled`. So a file marks only where the simulator stops reading, e.g.
 *   `unmodelled(...)` on `env`, and everything below `env` is unmodelled without saying so;
 *   the modelled fields are the unmarked ones.
 * - Below an `unmodelled` or `server` field nothing can be modelled again: the simulator never
 *   reads inside a field it ignores, so categories set further down are disregarded there. This
 *   lets shared types (Container) carry their marks and still be reused under an ignored field
 *   (ephemeralContainers).
 * - A `whole(...)` entry is modelled in its entirety: marks below it are disregarded except
 *   `server`, so a server-populated field nested inside (a claim template's status) is still
 *   recognised.
 */

/**
 * `modelled`: the simulator reads the field. `unmodelled`: a real Kubernetes field the simulator
 * keeps but ignores. `server`: populated by the API server, ignored on create.
 */
export type FieldCategory = 'modelled' | 'unmodelled' | 'server';

/**
 * A leaf value, as the JSON decoding of k8s.io/api types accepts it (kubectl's strict decoding
 * refuses anything else): `string`; `integer` (int32 or int64: a number with no fraction, in the
 * Go type's range); `boolean`; `number` (float64); `quantity` (resource.Quantity: a string or a
 * number; whether the text is a valid quantity is checked by validation, not here);
 * `intOrString` (intstr.IntOrString: an int32 or a string).
 */
export type LeafSchema =
  | { readonly type: 'string' }
  | { readonly type: 'integer'; readonly format: 'int32' | 'int64' }
  | { readonly type: 'boolean' }
  | { readonly type: 'number' }
  | { readonly type: 'quantity' }
  | { readonly type: 'intOrString' };

/** The shape of a field's value. `null` is accepted for every field (Kubernetes reads it as absent). */
export type FieldSchema =
  | ObjectSchema
  | { readonly type: 'array'; readonly items: FieldSchema }
  /** Free-form string keys (labels, annotations, nodeSelector, resource lists): keys are data, not fields. */
  | { readonly type: 'map'; readonly values: LeafSchema }
  | LeafSchema
  /** Anything is accepted below; used where the simulator never looks and neither names nor types are checked. */
  | { readonly type: 'opaque' };

/** A struct: the only shape whose keys are field names and can therefore be unknown. */
export interface ObjectSchema {
  readonly type: 'object';
  readonly fields: Readonly<Record<string, FieldEntry>>;
}

/** One named field of an object. */
export interface FieldEntry {
  readonly schema: FieldSchema;
  /** Absent: the category of the enclosing field (see the module comment). */
  readonly category?: FieldCategory;
  /** The whole subtree is modelled; only `server` marks below still count. */
  readonly whole?: true;
}

/** Go `string` (and string-based types: enums, names, `types.UID`, `metav1.Time`). */
export const str: LeafSchema = { type: 'string' };

/** Go `int32`. */
export const int32: LeafSchema = { type: 'integer', format: 'int32' };

/** Go `int64`. */
export const int64: LeafSchema = { type: 'integer', format: 'int64' };

/** Go `bool`. */
export const bool: LeafSchema = { type: 'boolean' };

/** Go `float64`. */
export const float64: LeafSchema = { type: 'number' };

/** `resource.Quantity`: a string or a number. */
export const quantity: LeafSchema = { type: 'quantity' };

/** `intstr.IntOrString`: an int32 or a string. */
export const intOrString: LeafSchema = { type: 'intOrString' };

/** A free-form map whose keys are data and whose values are `values`. */
export function mapOf(values: LeafSchema): FieldSchema {
  return { type: 'map', values };
}

/** `map[string]string`: labels, annotations, nodeSelector, a Service's selector. */
export const stringMap: FieldSchema = mapOf(str);

/** `ResourceList` (`map[ResourceName]resource.Quantity`): requests, limits, overhead. */
export const resourceList: FieldSchema = mapOf(quantity);

/** Anything; neither field names nor types below are checked. */
export const opaque: FieldSchema = { type: 'opaque' };

/** A list of `items`. */
export function arr(items: FieldSchema): FieldSchema {
  return { type: 'array', items };
}

function isEntry(field: FieldSchema | FieldEntry): field is FieldEntry {
  return 'schema' in field;
}

/**
 * A struct with these fields. A bare schema becomes an entry that inherits its category; an
 * entry made by {@link unmodelled}, {@link server} or {@link whole} keeps its own. (No builder
 * marks a field `modelled`: the root is modelled and nothing below an ignored field can be.)
 */
export function obj(fields: Readonly<Record<string, FieldSchema | FieldEntry>>): ObjectSchema {
  const entries: Record<string, FieldEntry> = {};
  for (const [name, field] of Object.entries(fields)) entries[name] = isEntry(field) ? field : { schema: field };
  return { type: 'object', fields: entries };
}

/** A real field the simulator keeps but ignores, with everything below it. */
export function unmodelled(schema: FieldSchema): FieldEntry {
  return { schema, category: 'unmodelled' };
}

/** A field the API server populates; ignored on create, with everything below it. */
export function server(schema: FieldSchema): FieldEntry {
  return { schema, category: 'server' };
}

/** A field modelled in its entirety: unmodelled marks below it are disregarded. */
export function whole(schema: FieldSchema): FieldEntry {
  return { schema, category: 'modelled', whole: true };
}
