/**
 * `k8sim validate <file|dir|glob>...`: checks scenarios (YAML, keys, manifests as the API server
 * would, the actions against what exists when they run) without running them; exit 0 or 2.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { validateBatch } from '../../sim/batch.js';
import { ExitCode } from '../exit-codes.js';
import { exitCodeOf, prepare, reportItem } from '../report-items.js';
import { withInputs, withLimits } from '../options.js';

interface ValidateArgs {
  inputs: string[];
  limit: string[];
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <inputs..>',
  describe: 'check scenarios without running them',
  builder: (yargs: Argv) => withLimits(withInputs(yargs)) as unknown as Argv<ValidateArgs>,
  handler: (args: ArgumentsCamelCase<ValidateArgs>) => {
    const prepared = prepare(args.inputs, undefined, args.limit);
    if (prepared === undefined) {
      process.exitCode = ExitCode.InvalidInput;
      return;
    }
    const items = validateBatch(prepared.files, {
      limits: prepared.limits,
      onItem: (item) => {
        reportItem(item, false);
        if (item.status === 'passed') process.stdout.write(`ok  ${item.file} (${item.name})\n`);
      },
    });
    process.exitCode = Math.max(prepared.exitCode, exitCodeOf(items));
  },
};
