/**
 * Fixtures for the HPA tests: the upstream vectors (vectors.json, the `hpa-*` areas of
 * shared/reference/k8s-vectors.json), pods shaped like upstream's replica calculator tests
 * (pkg/controller/podautoscaler/replica_calculator_test.go: prepareTestClientSet) and a
 * MetricsClient returning fixed values (upstream's fake metrics clients).
 *
 * Time convention, as upstream's tests: Go's zero time is virtual 0 — pods "started long ago"
 * start at 0, readiness last changed at 0, samples are stamped 0 with a one-minute window — and
 * the calculator runs at NOW, an hour later; a "hot" pod started at NOW, a "cool" one 3 minutes
 * before it.
 */
import { type Vector as SharedVector, loadVectors as loadVectorsFrom } from '../deployment/builders.js';
import type { LabelSelector } from '../../../src/api/types/meta.js';
import type { Container, Pod, PodPhase } from '../../../src/api/types/pod.js';
import type { MetricsClient, MetricsError, PodMetric, PodMetricsResult } from '../../../src/controllers/hpa/metrics-client.js';

/** An upstream test vector; inputs and expectations read loosely, as JSON. */
export type Vector<I = Record<string, any>, E = Record<string, any>> = SharedVector<I, E>;

/** The vectors of one area of this folder's vectors.json. */
export function loadVectors(area: string): Vector<any, any>[] {
  return loadVectorsFrom(new URL('./vectors.json', import.meta.url), area);
}

export const NOW = 3_600_000;
/** Upstream's test timings: cpuInitializationPeriod 2m, delayOfInitialReadinessStatus 10s. */
export const TEST_TIMINGS = { cpuInitializationPeriodMs: 120_000, delayOfInitialReadinessStatusMs: 10_000 };
export const TEST_TOLERANCES = { scaleUp: 0.1, scaleDown: 0.1 };

export interface PodOptions {
  readonly phase?: PodPhase;
  readonly ready?: boolean;
  readonly start?: 'hot' | 'cool' | number;
  readonly deleting?: boolean;
  /** Per container: its name and its cpu request in millicores (undefined: none). */
  readonly containers?: readonly { readonly name: string; readonly cpu?: number }[];
  readonly labels?: Record<string, string>;
  readonly namespace?: string;
  /** When the Ready condition last changed (default 0). */
  readonly readySince?: number;
}

/** A pod as upstream's prepareTestClientSet builds it: Running, Ready, two containers. */
export function testPod(name: string, options: PodOptions = {}): Pod {
  const start = options.start === 'hot' ? NOW : options.start === 'cool' ? NOW - 180_000 : (options.start ?? 0);
  const containers: Container[] = (options.containers ?? [{ name: 'container1', cpu: 1000 }, { name: 'container2', cpu: 1000 }]).map((c) => ({
    name: c.name,
    image: 'app:1',
    ...(c.cpu !== undefined ? { resources: { requests: { cpu: `${c.cpu}m` } } } : {}),
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      labels: options.labels ?? { name: 'test-pod' },
      ...(options.deleting ? { deletionTimestamp: NOW } : {}),
    },
    spec: { containers },
    status: {
      phase: options.phase ?? 'Running',
      startTime: start,
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: options.readySince ?? 0 }],
    },
  };
}

/** A sample as upstream's fake metrics-server returns it: stamped 0 over a one-minute window. */
export function sample(value: number, timestamp = 0, window = 60_000): PodMetric {
  return { timestamp, window, value };
}

/** Fixed metric values, or an error, per API; what upstream's fake clients return. */
export class FakeMetrics implements MetricsClient {
  resource = new Map<string, PodMetric>();
  /** Per container name, when the HPA asks for one container. */
  containers = new Map<string, Map<string, PodMetric>>();
  raw = new Map<string, PodMetric>();
  object?: number;
  external?: number[];
  error?: string;
  readonly calls: string[] = [];

  private result(metrics: ReadonlyMap<string, PodMetric>): PodMetricsResult | MetricsError {
    if (this.error !== undefined) return { error: this.error };
    let timestamp = Number.POSITIVE_INFINITY;
    for (const m of metrics.values()) timestamp = Math.min(timestamp, m.timestamp);
    return { metrics, timestamp: Number.isFinite(timestamp) ? timestamp : 0 };
  }

  getResourceMetric(resource: string, namespace: string, _selector: LabelSelector, container?: string): PodMetricsResult | MetricsError {
    this.calls.push(`resource ${resource} ${namespace}${container !== undefined ? ` ${container}` : ''}`);
    return this.result(container === undefined ? this.resource : (this.containers.get(container) ?? new Map()));
  }

  getRawMetric(metricName: string, namespace: string): PodMetricsResult | MetricsError {
    this.calls.push(`pods ${metricName} ${namespace}`);
    return this.result(this.raw);
  }

  getObjectMetric(metricName: string, namespace: string, objectRef: { readonly kind: string; readonly name: string }) {
    this.calls.push(`object ${metricName} ${namespace} ${objectRef.kind}/${objectRef.name}`);
    if (this.error !== undefined || this.object === undefined) return { error: this.error ?? 'no object metric' };
    return { value: this.object, timestamp: 0 };
  }

  getExternalMetric(metricName: string, namespace: string) {
    this.calls.push(`external ${metricName} ${namespace}`);
    if (this.error !== undefined || this.external === undefined) return { error: this.error ?? 'no external metric' };
    return { values: this.external, timestamp: 0 };
  }
}
