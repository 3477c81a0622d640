/**
 * A small declarative checker for the scenario document's keys. Schemas read like the contract
 * (`s.object({ fields: { seed: s.integer({ min: 0 }), duration: s.duration() }, required: [...] })`)
 * and parse as they check: `checkSchema` returns the typed value with durations already in ms,
 * so the loader does not walk the tree twice. The first problem, in document order, becomes one
 * ScenarioError at its line and column saying what was expected, what was found, and — for a
 * misspelled key or enum value — the nearest valid one.
 *
 * Absent and empty (`key:` with no value) optional keys are both left out of the result, as
 * Kubernetes treats JSON null as unset; an empty required key is reported as such.
 */
import { ScenarioError } from '../errors.js';
import type { Distribution } from '../engine/distribution.js';
import { nearest } from '../util/suggest.js';
import { type QuantityScale, parseDistribution, parseDuration, parsePercentage, parseQuantityValue } from './duration.js';
import type { Locator } from './yaml-source.js';

/** The JSON shapes a YAML value can have; `union` routes a value by its kind. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'mapping' | 'list';

export interface Schema<T> {
  /** What an error message says was expected: "an integer", "a duration". */
  readonly expected: string;
  /** Kinds of value this schema may accept. */
  readonly kinds: readonly ValueKind[];
  /** Checks `value` and returns it parsed; throws a ScenarioError located by `at`. */
  parse(value: unknown, at: Locator): T;
}

/** The type a schema parses to. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

type Fields = Readonly<Record<string, Schema<unknown>>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<F extends Fields, R extends keyof F> = Simplify<
  { -readonly [K in R]: Infer<F[K]> } & { -readonly [K in Exclude<keyof F, R>]?: Infer<F[K]> }
>;

/** Checks `value` against `schema`; returns the parsed value or throws the first ScenarioError. */
export function checkSchema<T>(value: unknown, schema: Schema<T>, at: Locator): T {
  return schema.parse(value, at);
}

function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : 'null';
}

const quoted = (words: readonly string[]): string => words.map((w) => `"${w}"`).join(', ');

function leaf<T>(expected: string, kinds: readonly ValueKind[], parse: (value: unknown, at: Locator) => T): Schema<T> {
  return { expected, kinds, parse };
}

/** `"3"` where a number belongs, `"true"` where a boolean does: quoted by habit. */
function unquoteHint(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value.trim()) ? `remove the quotes: in quotes, ${JSON.stringify(value)} is text` : undefined;
}

function bounds(noun: string, min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (min !== undefined) return `${noun} >= ${min}`;
  return max !== undefined ? `${noun} <= ${max}` : noun;
}

interface StringOptions<E extends string> {
  /** The only allowed values; a near miss is suggested. */
  readonly enum?: readonly E[];
  readonly pattern?: RegExp;
  /** How to describe `pattern` to users, e.g. `a name of lowercase letters, digits and "-"`. */
  readonly describe?: string;
}

function string<E extends string = string>(options: StringOptions<E> = {}): Schema<E> {
  const expected = options.enum ? `one of ${quoted(options.enum)}` : (options.describe ?? (options.pattern ? `a string matching ${options.pattern}` : 'a string'));
  return leaf(expected, ['string'], (value, at) => {
    if (typeof value !== 'string') {
      const written = at.sourceText();
      const hint = typeof value === 'number' || typeof value === 'boolean' ? `put it in quotes: "${written ?? String(value)}"` : undefined;
      throw at.expected(expected, value, hint);
    }
    if (options.enum && !options.enum.includes(value as E)) {
      const match = nearest(value, options.enum);
      throw at.expected(expected, value, match !== undefined ? `did you mean "${match}"?` : undefined);
    }
    if (options.pattern && !options.pattern.test(value)) throw at.expected(expected, value);
    return value as E;
  });
}

interface RangeOptions {
  readonly min?: number;
  readonly max?: number;
}

function numeric(noun: string, integral: boolean, { min, max }: RangeOptions): Schema<number> {
  const expected = bounds(noun, min, max);
  return leaf(expected, ['number'], (value, at) => {
    const ok = typeof value === 'number' && (integral ? Number.isInteger(value) : Number.isFinite(value));
    if (!ok) throw at.expected(noun, value, unquoteHint(value, integral ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/));
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) throw at.expected(expected, value);
    return value;
  });
}

interface ArrayOptions {
  readonly minItems?: number;
  readonly maxItems?: number;
}

function array<T>(items: Schema<T>, { minItems, maxItems }: ArrayOptions = {}): Schema<T[]> {
  return leaf('a list', ['list'], (value, at) => {
    if (!Array.isArray(value)) throw at.expected('a list', value, `write the entries as "- …" lines, or [] for none`);
    if (minItems !== undefined && value.length < minItems) throw at.error(`expected at least ${minItems} item(s), got ${value.length}`);
    if (maxItems !== undefined && value.length > maxItems) throw at.child(maxItems).error(`expected at most ${maxItems} item(s), got ${value.length}`);
    return value.map((item, i) => items.parse(item, at.child(i)));
  });
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return kindOf(value) === 'mapping';
}

/** `spec:\n  seed:7` is the string "seed:7", not a mapping: say so. */
function mappingExpected(value: unknown, at: Locator, expected: string): ScenarioError {
  const hint = typeof value === 'string' && /^[^\s:]+:\S/.test(value) ? 'put a space after ":" to make a key: value pair' : undefined;
  return at.expected(expected, value, hint);
}

function record<T>(values: Schema<T>): Schema<Record<string, T>> {
  return leaf('a mapping', ['mapping'], (value, at) => {
    if (!isMapping(value)) throw mappingExpected(value, at, 'a mapping');
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, values.parse(item, at.child(key))]));
  });
}

interface ObjectOptions<F extends Fields, R extends keyof F> {
  readonly fields: F;
  readonly required?: readonly R[];
  /** Exactly one of these keys must be given (an event's action, an expectation's kind). */
  readonly exactlyOne?: readonly (keyof F & string)[];
  /** How errors name this mapping when it is not one, e.g. "a node pool". */
  readonly expected?: string;
}

function object<F extends Fields, R extends keyof F & string = never>(options: ObjectOptions<F, R>): Schema<ObjectOf<F, R>> {
  const { fields, required = [], exactlyOne } = options;
  const expected = options.expected ?? 'a mapping';
  const names = Object.keys(fields);
  return leaf(expected, ['mapping'], (value, at) => {
    if (!isMapping(value)) throw mappingExpected(value, at, expected);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!Object.hasOwn(fields, key)) throw at.unknownKey(key, names);
      const empty = item === null || item === undefined;
      if (!empty || (required as readonly string[]).includes(key)) result[key] = fields[key].parse(item, at.child(key));
    }
    if (exactlyOne) {
      const given = exactlyOne.filter((key) => Object.hasOwn(value, key));
      if (given.length === 0) throw at.error(`expected one of ${quoted(exactlyOne)}, found none`, undefined, 'key');
      if (given.length > 1) throw at.child(given[1]).error(`"${given[1]}" cannot be combined with "${given[0]}"`, `give exactly one of ${quoted(exactlyOne)}`, 'key');
    }
    const missing = required.find((key) => !Object.hasOwn(value, key));
    if (missing !== undefined) throw at.error(`missing required key "${missing}"`, `add "${missing}" (${fields[missing].expected})`, 'key');
    return result as ObjectOf<F, R>;
  });
}

/**
 * The first alternative whose kind fits the value. When several fit, each is tried in order and
 * the first one's error is reported, so put the most likely alternative first.
 */
function union<S extends readonly Schema<unknown>[]>(...alternatives: S): Schema<Infer<S[number]>> {
  const expected = alternatives.map((a) => a.expected).join(' or ');
  const kinds = [...new Set(alternatives.flatMap((a) => a.kinds))];
  return leaf(expected, kinds, (value, at) => {
    const fitting = alternatives.filter((a) => a.kinds.includes(kindOf(value)));
    if (fitting.length === 0) throw at.expected(expected, value);
    let first: ScenarioError | undefined;
    for (const alternative of fitting) {
      try {
        return alternative.parse(value, at) as Infer<S[number]>;
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        first ??= error;
      }
    }
    throw first;
  });
}

/** Every schema constructor; a scenario schema reads `s.object({ fields: { … } })`. */
export const s = {
  object,
  array,
  /** A mapping with free keys (image names, labels); each value checked by `values`. */
  record,
  string,
  integer: (options: RangeOptions = {}): Schema<number> => numeric('an integer', true, options),
  number: (options: RangeOptions = {}): Schema<number> => numeric('a number', false, options),
  boolean: (): Schema<boolean> =>
    leaf('a boolean (true or false)', ['boolean'], (value, at) => {
      if (typeof value !== 'boolean') throw at.expected('true or false', value, unquoteHint(value, /^(true|false)$/i));
      return value;
    }),
  /** Integer milliseconds. */
  duration: (): Schema<number> => leaf('a duration', ['string', 'number'], parseDuration),
  distribution: (): Schema<Distribution> => leaf('a duration or a distribution', ['string', 'number', 'mapping'], parseDistribution),
  /** An integer in `scale` units (see parseQuantityValue). */
  quantity: (scale: QuantityScale = 'whole'): Schema<number> =>
    leaf('a quantity', ['string', 'number'], (value, at) => parseQuantityValue(value, at, scale)),
  /** A fraction in [0, 1] from `"25%"` or `0.25`. */
  percentage: (): Schema<number> => leaf('a percentage', ['string', 'number'], parsePercentage),
  /** Anything, unchecked: embedded manifests and merge patches, validated elsewhere. */
  any: (): Schema<unknown> => leaf('any value', ['string', 'number', 'boolean', 'null', 'mapping', 'list'], (value) => value),
  union,
  /** A leaf with its own parser, which throws through `at` (e.g. `at.expected(…)`). */
  custom: leaf,
};
