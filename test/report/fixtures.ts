/**
 * A small scenario for the report tests: web (2 replicas) on two nodes rolls to v2 at 20 s,
 * with optional extra events, expectations and manifest fields; run through the real loader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

export interface WebOptions {
  readonly name?: string;
  readonly seed?: number;
  readonly expect?: string;
  readonly events?: string;
  /** Extra lines in the container (indented as list-item keys). */
  readonly container?: string;
  readonly image?: string;
  /** app:v2's pull time (default: uniform between 1 s and 5 s). */
  readonly v2Pull?: string;
}

export function webScenario(o: WebOptions = {}): string {
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: ${o.name ?? 'web-rollout'}}
spec:
  seed: ${o.seed ?? 7}
  duration: 60s
  sampleInterval: 10s
  cluster:
    nodePools:
      - {name: pool, count: 2, capacity: {cpu: "8", memory: 32Gi, pods: 110}}
  images:
    app:v1: {pull: 2s, start: 1s}
    app:v2: {pull: ${o.v2Pull ?? '{uniform: {min: 1s, max: 5s}}'}, start: 1s}
  events:
    - {at: 20s, setImage: {target: deployment/web, image: "app:v2"}}
${o.events ?? ''}  expect:
${o.expect ?? '    []'}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: "${o.image ?? 'app:v1'}"
${o.container ?? ''}`;
}

export function runWeb(o: WebOptions = {}, seed?: number): RunResult {
  return runScenario(loadText(webScenario(o)), { seed });
}

let root: string | undefined;

/** A fresh folder under the OS temp dir; all of them are removed when the process exits. */
export function tempDir(): string {
  if (root === undefined) {
    const dir = (root = mkdtempSync(join(tmpdir(), 'k8sim-report-')));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return mkdtempSync(join(root, 'out-'));
}
