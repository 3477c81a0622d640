/**
 * Builders for scenario files in tests: write YAML to a temporary folder and load it through the
 * real loader, so tests exercise exactly what users run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';

let folder: string | undefined;

/** Writes `text` to a fresh file in a per-process temporary folder and returns its path. */
export function writeScenario(text: string, name = 'scenario.yaml'): string {
  folder ??= mkdtempSync(join(tmpdir(), 'k8sim-test-'));
  const dir = mkdtempSync(join(folder, 's-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function loadText(text: string): ResolvedScenario {
  return loadScenario(writeScenario(text));
}

export interface RollingParams {
  readonly seed: number;
  readonly replicas: number;
  readonly maxSurge: number | string;
  readonly maxUnavailable: number | string;
  readonly minReadySeconds: number;
  /** Application readiness of the new image, ms. */
  readonly readyMs: number;
  readonly readyJitterMs: number;
  readonly nodes: number;
  readonly strategy?: 'RollingUpdate' | 'Recreate';
}

const yamlValue = (v: number | string): string => (typeof v === 'string' ? `"${v}"` : String(v));

/** A Deployment that is created, settles, then rolls to a new image at 5 minutes. */
export function rollingScenario(p: RollingParams): string {
  const strategy = p.strategy === 'Recreate'
    ? '  strategy: {type: Recreate}'
    : `  strategy:\n    rollingUpdate: {maxSurge: ${yamlValue(p.maxSurge)}, maxUnavailable: ${yamlValue(p.maxUnavailable)}}`;
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: rolling-property}
spec:
  seed: ${p.seed}
  duration: 30m
  sampleInterval: 30s
  cluster:
    nodePools:
      - {name: pool, count: ${p.nodes}, capacity: {cpu: "64", memory: 256Gi, pods: 110}}
  images:
    app:v1: {pull: 2s, start: 1s, ready: 3s}
    app:v2: {pull: {uniform: {min: 1s, max: 8s}}, start: 1s, ready: {uniform: {min: ${p.readyMs}ms, max: ${p.readyMs + p.readyJitterMs}ms}}}
  events:
    - at: 5m
      setImage: {target: deployment/app, image: app:v2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: ${p.replicas}
  minReadySeconds: ${p.minReadySeconds}
${strategy}
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: app:v1
          resources: {requests: {cpu: 100m, memory: 64Mi}}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
`;
}
