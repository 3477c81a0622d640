/**
 * `k8sim run <file|dir|glob>... [--seed N] [--out DIR] [--json] [--quiet] [--limit name=value]`:
 * runs every scenario, writes its outputs, prints a summary table; exit code 0 / 1 / 2 (§6).
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { runBatch } from '../../sim/batch.js';
import { ExitCode } from '../exit-codes.js';
import { exitCodeOf, prepare, reportItem } from '../report-items.js';
import { withInputs, withLimits, withOut, withSeed } from '../options.js';
import { summaryRow, summaryTable } from '../summary.js';

interface RunArgs {
  inputs: string[];
  seed?: number;
  out: string;
  json: boolean;
  quiet: boolean;
  limit: string[];
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <inputs..>',
  describe: 'run scenarios and write events.jsonl, timeline.csv, metrics.json and run.json',
  builder: (yargs: Argv) =>
    withLimits(withOut(withSeed(withInputs(yargs))))
      .option('json', { describe: 'print the summary as JSON', type: 'boolean', default: false })
      .option('quiet', { describe: 'print only problems', type: 'boolean', default: false }) as unknown as Argv<RunArgs>,
  handler: (args: ArgumentsCamelCase<RunArgs>) => {
    const prepared = prepare(args.inputs, args.seed, args.limit);
    if (prepared === undefined) {
      process.exitCode = ExitCode.InvalidInput;
      return;
    }
    const items = runBatch(prepared.files, {
      seed: args.seed,
      limits: prepared.limits,
      outDir: args.out,
      clock: () => performance.now(), // wall-clock: run.json's wall time
      peakMemory: () => process.resourceUsage().maxRSS * 1024, // wall-clock: run.json's peak memory
      onItem: (item) => reportItem(item, args.quiet),
    });
    if (args.json) process.stdout.write(`${JSON.stringify(items.map(summaryRow), null, 2)}\n`);
    else if (!args.quiet) process.stdout.write(`${summaryTable(items)}\n`);
    process.exitCode = Math.max(prepared.exitCode, exitCodeOf(items));
  },
};
