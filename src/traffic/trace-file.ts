/**
 * A recorded load trace: a CSV file of `t,rps` rows (an optional `t,rps` header, blank lines and
 * `#` comments allowed). `t` is a duration from when the trace starts (`90`, `1.5`, `5m`, `1h30m`:
 * a bare number is seconds, as everywhere in a scenario), `rps` a rate ≥ 0; rows in strictly
 * increasing `t`. Each row's rate holds until the next row, the last one until the end; before the
 * first row the rate is 0.
 *
 * Parsed by hand (two columns need no CSV library) and checked line by line: every mistake is a
 * ScenarioError at the trace file's line and column.
 */
import { ScenarioError } from '../errors.js';
import { parseDuration } from '../scenario/duration.js';
import type { Locator, PathSegment, SourcePosition } from '../scenario/yaml-source.js';
import type { StepPoint } from './rate-pattern.js';

const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const HEADER = /^t\s*,\s*rps$/i;

/** A Locator for one cell of a CSV file, so the scenario's value parsers report CSV positions. */
class CellLocator implements Locator {
  readonly path: readonly PathSegment[] = [];

  constructor(
    readonly file: string,
    private readonly line: number,
    private readonly column: number,
    private readonly text: string,
  ) {}

  child(): Locator {
    return this;
  }

  position(): SourcePosition {
    return { line: this.line, column: this.column };
  }

  sourceText(): string {
    return this.text;
  }

  error(message: string, hint?: string): ScenarioError {
    return new ScenarioError(message, { file: this.file, line: this.line, column: this.column }, hint);
  }

  expected(what: string, found: unknown, hint?: string): ScenarioError {
    return this.error(`expected ${what}, got ${JSON.stringify(found)}`, hint);
  }

  unknownKey(key: string): ScenarioError {
    return this.error(`unexpected "${key}"`);
  }
}

/** The rows of a `t,rps` trace as step points (ms, rps); `file` names the trace in errors. */
export function parseTrace(text: string, file: string): StepPoint[] {
  const points: StepPoint[] = [];
  let first = true;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const header = first && HEADER.test(trimmed);
    first = false;
    if (header) return;
    const comma = raw.indexOf(',');
    if (comma < 0 || raw.indexOf(',', comma + 1) >= 0) {
      throw new ScenarioError(`expected two columns "t,rps", got ${JSON.stringify(trimmed)}`, { file, line, column: 1 }, 'write one row per line: a time (e.g. 90 or 5m) and a rate, e.g. "5m,120"');
    }
    const tText = raw.slice(0, comma);
    const rpsText = raw.slice(comma + 1);
    const tColumn = tText.length - tText.trimStart().length + 1;
    const rpsColumn = comma + 2 + (rpsText.length - rpsText.trimStart().length);
    const t = tText.trim();
    const rate = rpsText.trim();
    const atMs = parseDuration(t, new CellLocator(file, line, tColumn, t));
    if (!NUMBER.test(rate) || !Number.isFinite(Number(rate))) {
      throw new ScenarioError(`expected a request rate (a number >= 0), got ${JSON.stringify(rate)}`, { file, line, column: rpsColumn }, 'rates are requests per second, e.g. 120 or 0.5');
    }
    const previous = points[points.length - 1];
    if (previous !== undefined && atMs <= previous.atMs) {
      throw new ScenarioError(`t ${t} is not after the previous row's ${previous.atMs / 1000}s`, { file, line, column: tColumn }, 'rows must be in strictly increasing time');
    }
    points.push({ atMs, rps: Number(rate) });
  });
  if (points.length === 0) throw new ScenarioError('the trace holds no rows', { file, line: 1, column: 1 }, 'write "t,rps" rows such as "0,100" and "5m,250"');
  return points;
}
