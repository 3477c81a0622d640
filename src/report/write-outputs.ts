/**
 * Writes a run's outputs to `<out>/<scenario-name>/`: events.jsonl, timeline.csv (csv-stringify),
 * metrics.json and run.json. The first three are byte-identical for the same scenario, seed and
 * version; run.json holds what is not (wall time, speed, memory, versions).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { TIMELINE_COLUMNS, type TimelineRow } from '../metrics/timeline.js';
import type { RunResult } from '../sim/run.js';
import { metricsDocument } from './metrics-document.js';
import type { RunInfo } from './run-info.js';

export const OUTPUT_FILES = ['events.jsonl', 'timeline.csv', 'metrics.json', 'run.json'] as const;

/** Rows are stringified in chunks so that a long timeline never builds one giant intermediate. */
const CSV_CHUNK_ROWS = 50_000;

export function eventsJsonl(result: RunResult): string {
  return result.eventLines.length === 0 ? '' : `${result.eventLines.join('\n')}\n`;
}

export function timelineCsv(rows: readonly TimelineRow[]): string {
  const parts = [stringify([TIMELINE_COLUMNS as unknown as string[]])];
  for (let i = 0; i < rows.length; i += CSV_CHUNK_ROWS) parts.push(stringify(rows.slice(i, i + CSV_CHUNK_ROWS) as unknown[][]));
  return parts.join('');
}

export function metricsJson(result: RunResult): string {
  return `${JSON.stringify(metricsDocument(result), null, 2)}\n`;
}

/** Writes the four files and returns the folder. */
export function writeOutputs(outDir: string, result: RunResult, runInfo: RunInfo): string {
  const folder = join(outDir, result.scenario.name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'events.jsonl'), eventsJsonl(result));
  writeFileSync(join(folder, 'timeline.csv'), timelineCsv(result.timeline));
  writeFileSync(join(folder, 'metrics.json'), metricsJson(result));
  writeFileSync(join(folder, 'run.json'), `${JSON.stringify(runInfo, null, 2)}\n`);
  return folder;
}
