/**
 * `spec.include`: more manifest files, paths relative to the scenario file, globs allowed
 * (tinyglobby). Includes must stay inside the scenario's folder, so a scenario cannot read
 * arbitrary files of the machine it runs on.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { Locator } from './yaml-source.js';

function inside(folder: string, file: string): boolean {
  const rel = relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The files `patterns` name, in the order given (each glob's matches sorted), without
 * duplicates and without the scenario file itself.
 */
export function resolveIncludes(scenarioFile: string, patterns: readonly string[], locate: (index: number) => Locator): string[] {
  const folder = realpathSync(dirname(resolve(scenarioFile)));
  const self = realpathSync(resolve(scenarioFile));
  const files: string[] = [];
  patterns.forEach((pattern, i) => {
    const where = locate(i);
    if (isAbsolute(pattern) || pattern.split(/[\\/]/).includes('..')) {
      throw where.error(`include "${pattern}" leaves the scenario's folder`, 'includes are paths relative to the scenario file, inside its folder');
    }
    const matches = isDynamicPattern(pattern)
      ? globSync(pattern, { cwd: folder, absolute: true, onlyFiles: true }).sort()
      : [resolve(folder, pattern)];
    if (matches.length === 0) throw where.error(`include "${pattern}" matches no file`, `check the pattern against the files next to ${scenarioFile}`);
    for (const match of matches) {
      if (!existsSync(match)) throw where.error(`included file "${pattern}" does not exist`, `paths are relative to the folder of ${scenarioFile}`);
      const real = realpathSync(match);
      if (!inside(folder, real)) throw where.error(`include "${pattern}" resolves outside the scenario's folder (${real})`, 'keep included manifests inside the scenario folder');
      if (real !== self && !files.includes(real)) files.push(real);
    }
  });
  return files;
}
