/**
 * The k8sim command line (started by main.ts): registers each command explicitly; handlers call
 * the library and print. Data goes to stdout, diagnostics to stderr.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../version.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { ExitCode } from './exit-codes.js';

await yargs(hideBin(process.argv))
  .scriptName('k8sim')
  .usage('$0 <command> [options]\n\nWhat will Kubernetes do? A deterministic simulator of its workload controllers.')
  .command(runCommand)
  .command(validateCommand)
  .demandCommand(1, 'name a command: run or validate')
  .recommendCommands()
  .strict()
  .version(VERSION)
  .help()
  .fail((message, error) => {
    if (error) throw error;
    process.stderr.write(`error: ${message}\nrun k8sim --help for usage\n`);
    process.exit(ExitCode.InvalidInput);
  })
  .parseAsync();
