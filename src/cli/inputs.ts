/**
 * Turns the command line's files, folders and globs into scenario files: a folder means every
 * `*.yaml` / `*.yml` directly in it, a glob its matches, each sorted; duplicates are dropped.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';

export interface ExpandedInputs {
  readonly files: string[];
  /** Arguments that named nothing: `{ input, reason }`. */
  readonly missing: { readonly input: string; readonly reason: string }[];
}

const SCENARIO_EXTENSIONS = /\.ya?ml$/;

export function expandInputs(inputs: readonly string[]): ExpandedInputs {
  const files: string[] = [];
  const seen = new Set<string>();
  const missing: { input: string; reason: string }[] = [];
  const add = (file: string): void => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const input of inputs) {
    if (existsSync(input) && statSync(input).isDirectory()) {
      const found = globSync('*.{yaml,yml}', { cwd: input, onlyFiles: true }).sort();
      if (found.length === 0) missing.push({ input, reason: 'folder holds no *.yaml file' });
      for (const name of found) add(join(input, name));
    } else if (existsSync(input)) {
      add(input);
    } else if (isDynamicPattern(input)) {
      const found = globSync(input, { onlyFiles: true }).filter((f) => SCENARIO_EXTENSIONS.test(f)).sort();
      if (found.length === 0) missing.push({ input, reason: 'pattern matches no *.yaml file' });
      for (const file of found) add(file);
    } else {
      missing.push({ input, reason: 'no such file or folder' });
    }
  }
  return { files, missing };
}
