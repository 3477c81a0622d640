/** Process exit codes (scenario-format.md §6), as tsc's ExitStatus is an enum. */
export const ExitCode = {
  /** Every scenario ran and every expectation held. */
  Success: 0,
  /** Some expectation failed. */
  ExpectationFailed: 1,
  /** Invalid input: bad YAML, bad manifest, unknown field, bad duration, missing file, a limit. */
  InvalidInput: 2,
  /** A bug in k8sim (printed with the seed to replay it). */
  InternalError: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
