/**
 * Scenario files on disk for loader tests: each call writes its files into a fresh temporary
 * folder and loads `test.yaml` from inside it, so error locations read `test.yaml` as the user
 * would see them (and as assert-scenario-error.ts expects).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type LoadOptions, loadScenario } from '../../src/scenario/load.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';

/** The scenario file every helper loads. */
export const SCENARIO_FILE = 'test.yaml';

const folders: string[] = [];
process.on('exit', () => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path → text) into a new temporary folder, removed at exit; returns the folder. */
export function writeFiles(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8sim-load-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

/** Runs `fn` with the working directory set to `dir`. */
export function inDir<T>(dir: string, fn: () => T): T {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(previous);
  }
}

/** Loads `text` as test.yaml, with `extra` files next to it. */
export function load(text: string, options: LoadOptions = {}, extra: Readonly<Record<string, string>> = {}): ResolvedScenario {
  const dir = writeFiles({ [SCENARIO_FILE]: text, ...extra });
  return inDir(dir, () => loadScenario(SCENARIO_FILE, options));
}

/** A thunk for assertScenarioError. */
export function loading(text: string, options: LoadOptions = {}, extra: Readonly<Record<string, string>> = {}): () => ResolvedScenario {
  return () => load(text, options, extra);
}

/** The scenario header with `spec` lines (indented by two spaces) after `spec:`. */
export function scenario(specLines: string, manifests: readonly string[] = []): string {
  const head = `apiVersion: k8sim/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n${specLines}`;
  return [head, ...manifests].join('---\n');
}

/** A Deployment manifest with one container `web` (more with `containers`). */
export function deployment(name = 'web', replicas = 3, extraSpec = '', containers = '    - {name: web, image: "web:v1"}\n'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
${extraSpec}  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
${containers.replace(/^ {4}/gm, '        ')}`;
}
