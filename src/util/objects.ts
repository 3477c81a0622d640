/**
 * Helpers for the JSON-shaped data every API object is: deep copy, deep equality, deep freeze.
 * API objects hold only plain objects, arrays, strings, numbers, booleans and null.
 */

/** A structural copy of JSON-shaped data (plain objects and arrays; other values shared). */
export function deepCopy<T>(value: T): T;
export function deepCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = deepCopy(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = deepCopy(v);
  }
  return out;
}

/**
 * A shallow copy of `value` that is about to gain keys `value` lacks. Object.assign, not a spread:
 * V8 (Node 20) gives a spread copy a map that adding a new key turns slow — about 0.9 µs for the
 * copy, against 0.1 µs, and slower property reads on the result ever after (measured on the
 * 30,000-pod scenario: pod conditions, bindings, creations). A spread that only replaces existing
 * keys stays the cheapest copy. Keys keep their order either way.
 */
export function copyToExtend<T extends object>(value: T): T {
  return Object.assign({}, value);
}

/** Structural equality of JSON-shaped data; an absent key equals an `undefined` one. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const key in ra) if (ra[key] !== undefined && !deepEqual(ra[key], rb[key])) return false;
  for (const key in rb) if (rb[key] !== undefined && ra[key] === undefined) return false;
  return true;
}

/** Freezes an object graph so accidental mutation of shared state throws (test mode). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key in value as Record<string, unknown>) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** JSON with object keys sorted: a canonical text for hashing and comparing. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/**
 * RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces.
 * The result shares nothing with its inputs.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return deepCopy(patch);
  const base: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? (deepCopy(target) as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}
