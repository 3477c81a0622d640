/**
 * When `k8sim` starts Node again with a larger young generation: for `run` only, once, and never
 * over the user's own choice of semi-space size; the bench measures with the same setting.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RELAUNCHED_ENV, SEMI_SPACE_FLAG, relaunchArguments } from '../../src/cli/young-generation.js';

const argv = (...args: string[]) => ['/usr/bin/node', '/app/dist/src/cli/main.js', ...args];

describe('relaunchArguments', () => {
  it('relaunches `run` with the flag before the script, keeping node flags and arguments', () => {
    assert.deepEqual(relaunchArguments({ argv: argv('run', 'scenarios/', '--seed', '3'), execArgv: ['--import', 'tsx'], env: {} }), [
      '--import',
      'tsx',
      SEMI_SPACE_FLAG,
      '/app/dist/src/cli/main.js',
      'run',
      'scenarios/',
      '--seed',
      '3',
    ]);
  });

  const none: [string, Parameters<typeof relaunchArguments>[0]][] = [
    ['validate (it simulates nothing)', { argv: argv('validate', 'a.yaml'), execArgv: [], env: {} }],
    ['no command', { argv: argv(), execArgv: [], env: {} }],
    ['the relaunched process itself', { argv: argv('run', 'a.yaml'), execArgv: [SEMI_SPACE_FLAG], env: { [RELAUNCHED_ENV]: '1' } }],
    ['the user turned it off', { argv: argv('run', 'a.yaml'), execArgv: [], env: { [RELAUNCHED_ENV]: '0' } }],
    ['a size given as a node flag', { argv: argv('run', 'a.yaml'), execArgv: ['--max-semi-space-size=8'], env: {} }],
    ['a size given in NODE_OPTIONS', { argv: argv('run', 'a.yaml'), execArgv: [], env: { NODE_OPTIONS: '--enable-source-maps --max_semi_space_size=32' } }],
  ];
  for (const [name, facts] of none) {
    it(`does not relaunch: ${name}`, () => assert.equal(relaunchArguments(facts), undefined));
  }
});

describe('the bench', () => {
  it('runs with the young generation `k8sim run` asks for', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    assert.ok(pkg.scripts.bench.split(' ').includes(SEMI_SPACE_FLAG), pkg.scripts.bench);
  });
});
