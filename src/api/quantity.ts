/**
 * Resource quantities (k8s.io/apimachinery/pkg/api/resource/quantity.go): `500m`, `2`, `16Gi`,
 * `1e3`, `0.5`. Parsed exactly with integer arithmetic, then rounded up as upstream's
 * `MilliValue()` / `Value()` do, so `0.1` CPU is exactly 100 millicores.
 */

/** Sign, digits with at most one dot, then an optional suffix (upstream's canonical grammar). */
const QUANTITY_PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** An exact rational value: `numerator / denominator` base units. */
interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const cache = new Map<string, Rational | null>();

function parseRational(text: string): Rational | null {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const match = QUANTITY_PATTERN.exec(text);
  let result: Rational | null = null;
  if (match) {
    const [, sign, number, suffix = ''] = match;
    const [whole, fraction = ''] = number.split('.');
    let numerator = BigInt((whole || '0') + fraction) * (sign === '-' ? -1n : 1n);
    let denominator = 10n ** BigInt(fraction.length);
    if (suffix in BINARY) {
      numerator *= 1n << BigInt(BINARY[suffix]);
    } else {
      const exponent = suffix in DECIMAL ? DECIMAL[suffix] : suffix ? Number(suffix.slice(1)) : 0;
      if (Math.abs(exponent) > 30) return null;
      if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
      else denominator *= 10n ** BigInt(-exponent);
    }
    result = { numerator, denominator };
  }
  if (cache.size < 10_000) cache.set(text, result);
  return result;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** True when `value` is a syntactically valid quantity (a finite number counts). */
export function isQuantity(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && parseRational(value) !== null;
}

function toRational(value: string | number): Rational {
  const text = typeof value === 'number' ? String(value) : value;
  const rational = parseRational(text);
  if (rational === null) throw new QuantityError(text);
  return rational;
}

/** Value in thousandths of the unit, rounded up (CPU millicores). Throws on bad syntax. */
export function milliValue(value: string | number): number {
  const { numerator, denominator } = toRational(value);
  return Number(ceilDiv(numerator * 1000n, denominator));
}

/** Value in whole units, rounded up (bytes, pods). Throws on bad syntax. */
export function wholeValue(value: string | number): number {
  const { numerator, denominator } = toRational(value);
  return Number(ceilDiv(numerator, denominator));
}

export class QuantityError extends Error {
  constructor(readonly text: string) {
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got "${text}")`);
    this.name = 'QuantityError';
  }
}
