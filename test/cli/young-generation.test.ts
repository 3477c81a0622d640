/**
 * When `k8sim` starts Node again with a larger young generation: for `run` only, once, and never
 * over the user's own choice of semi-space size; the bench measures with the same setting.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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
    ['a debugger on this process', { argv: argv('run', 'a.yaml'), execArgv: ['--inspect-brk=9229'], env: {} }],
    ['a profiler on this process', { argv: argv('run', 'a.yaml'), execArgv: ['--cpu-prof', '--cpu-prof-dir=/tmp'], env: {} }],
    ['a profiler in NODE_OPTIONS', { argv: argv('run', 'a.yaml'), execArgv: [], env: { NODE_OPTIONS: '--heap-prof' } }],
  ];
  for (const [name, facts] of none) {
    it(`does not relaunch: ${name}`, () => assert.equal(relaunchArguments(facts), undefined));
  }
});

const parent = fileURLToPath(new URL('./fixtures/relaunch-parent.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const parentArgs = (...args: string[]) => ['--import', tsx, parent, ...args];
const quietEnv = () => {
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '' };
  delete env[RELAUNCHED_ENV];
  return env;
};

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves once `file` exists (written by the waiting child), checking every 20 ms. */
async function written(file: string): Promise<{ pid: number; execArgv: string[]; relaunched?: string }> {
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 20));
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('relaunchWithLargerYoungGeneration', () => {
  it("ends with the relaunched process's exit code", () => {
    const result = spawnSync(process.execPath, parentArgs('exit', '3'), { env: quietEnv() });
    assert.equal(result.status, 3, String(result.stderr));
  });

  it('relaunches with the flag, and passes on a signal sent to it alone, then ends by that signal', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'k8sim-relaunch-')), 'child.json');
    const started = spawn(process.execPath, parentArgs('wait', file), { env: quietEnv(), stdio: 'ignore' });
    const ending = exited(started);
    const child = await written(file);
    assert.ok(child.execArgv.includes(SEMI_SPACE_FLAG), child.execArgv.join(' '));
    assert.equal(child.relaunched, '1');
    started.kill('SIGTERM');
    assert.deepEqual(await ending, { code: null, signal: 'SIGTERM' });
    // The parent waits for the relaunched process to end before ending itself.
    assert.throws(() => process.kill(child.pid, 0), { code: 'ESRCH' }, 'the relaunched process is gone');
  });
});

describe('the bench', () => {
  it('runs with the young generation `k8sim run` asks for', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    assert.ok(pkg.scripts.bench.split(' ').includes(SEMI_SPACE_FLAG), pkg.scripts.bench);
  });
});
