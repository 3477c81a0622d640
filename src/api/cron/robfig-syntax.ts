/**
 * The cron dialect of robfig/cron/v3's ParseStandard (parser.go: normalizeFields, getField,
 * getRange, parseIntOrName, mustParseInt), which Kubernetes parses `spec.schedule` with, checked
 * before croner sees a field: croner accepts more (`L`, `W`, `#`, `7` for Sunday, six or seven
 * fields) and words its errors differently, while the API server's messages are robfig's text.
 *
 * What robfig accepts that croner would refuse is handed over in a canonical form: every
 * comma-separated part becomes `start-end/step` in numbers (names resolved, `*` and `?` spelled
 * out, robfig's "N/step means N-max/step" applied), and a step wider than its range — robfig
 * keeps just the start — becomes that start.
 *
 * The "star bit" of a field is robfig's: set when one of its parts is `*` or `?` with no step
 * above 1. Day-of-month and day-of-week are OR'ed only when neither has it.
 */

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES: Readonly<Record<string, number>> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES: Readonly<Record<string, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** minute, hour, day of month, month, day of week: the five fields of ParseStandard. */
export const STANDARD_FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DOW_NAMES },
];

export interface CheckedField {
  /** Canonical parts for croner (`a-b/s` or `a`), comma-joined; `''` when the field has no part. */
  readonly canonical: string;
  readonly star: boolean;
}

export type FieldsResult = { readonly fields: readonly CheckedField[]; readonly error?: undefined } | { readonly fields?: undefined; readonly error: string };

type RangeResult = { readonly start: number; readonly end: number; readonly step: number; readonly star: boolean } | { readonly error: string };

const INT64_MAX = 9_223_372_036_854_775_807n;

/** strconv.Atoi, then robfig's refusal of negative numbers (mustParseInt). */
function mustParseInt(expr: string): number | { error: string } {
  if (!/^[+-]?[0-9]+$/.test(expr)) return { error: `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax` };
  const value = BigInt(expr);
  if (value > INT64_MAX || value < -INT64_MAX - 1n) return { error: `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range` };
  if (value < 0n) return { error: `negative number (${value}) not allowed: ${expr}` };
  // Anything past 2^53 is above every field's maximum; the message prints it as Go would.
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER + 1 : Number(value);
}

function parseIntOrName(expr: string, names: Bounds['names']): number | { error: string } {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

/** Go prints the parsed uint; past 2^53 the digits as written (minus sign and leading zeros). */
function shown(value: number, expr: string): string {
  return value > Number.MAX_SAFE_INTEGER ? BigInt(expr.replace(/^\+/, '')).toString() : String(value);
}

/** getRange: one comma-separated part. */
function checkRange(expr: string, r: Bounds): RangeResult {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  let startText = lowAndHigh[0];
  let endText = startText;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // Whatever follows a leading star's hyphen is ignored, as upstream does.
    start = r.min;
    end = r.max;
    star = true;
  } else {
    const low = parseIntOrName(lowAndHigh[0], r.names);
    if (typeof low !== 'number') return low;
    start = end = low;
    if (lowAndHigh.length === 2) {
      const high = parseIntOrName(lowAndHigh[1], r.names);
      if (typeof high !== 'number') return high;
      end = high;
      endText = lowAndHigh[1];
    } else if (lowAndHigh.length > 2) {
      return { error: `too many hyphens: ${expr}` };
    }
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = mustParseInt(rangeAndStep[1]);
    if (typeof parsed !== 'number') return parsed;
    step = parsed;
    // "N/step" means "N-max/step".
    if (singleDigit) {
      end = r.max;
      endText = String(r.max);
    }
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    return { error: `too many slashes: ${expr}` };
  }
  if (start < r.min) return { error: `beginning of range (${shown(start, startText)}) below minimum (${r.min}): ${expr}` };
  if (end > r.max) return { error: `end of range (${shown(end, endText)}) above maximum (${r.max}): ${expr}` };
  if (start > end) return { error: `beginning of range (${start}) beyond end of range (${end}): ${expr}` };
  if (step === 0) return { error: `step of range should be a positive number: ${expr}` };
  return { start, end, step, star };
}

/** getField: the comma-separated parts of one field (empty parts are skipped, as FieldsFunc does). */
function checkField(field: string, r: Bounds): CheckedField | { error: string } {
  const parts: string[] = [];
  let star = false;
  for (const expr of field.split(',')) {
    if (expr === '') continue;
    const range = checkRange(expr, r);
    if ('error' in range) return range;
    star ||= range.star;
    parts.push(range.step > range.end - range.start ? String(range.start) : `${range.start}-${range.end}/${range.step}`);
  }
  return { canonical: parts.join(','), star };
}

/**
 * Checks the five whitespace-separated fields of a standard spec (strings.Fields splits on any
 * Unicode white space). A field with no part at all (`,`) never matches, as upstream.
 */
export function checkStandardFields(spec: string): FieldsResult {
  const fields = spec.split(/\s+/u).filter((f) => f !== '');
  if (fields.length !== STANDARD_FIELDS.length) {
    return { error: `expected exactly ${STANDARD_FIELDS.length} fields, found ${fields.length}: [${fields.join(' ')}]` };
  }
  const checked: CheckedField[] = [];
  for (let i = 0; i < fields.length; i++) {
    const result = checkField(fields[i], STANDARD_FIELDS[i]);
    if ('error' in result) return { error: result.error };
    checked.push(result);
  }
  return { fields: checked };
}
