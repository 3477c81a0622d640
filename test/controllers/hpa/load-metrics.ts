/**
 * A MetricsClient driven by a load model, for closed-loop tests on a whole simulated cluster: a
 * total CPU demand (millicores, a function of time) is shared equally by the target's Ready pods;
 * running pods that are not Ready use nothing. Samples are what a metrics-server scraping every
 * 15 s would hold: stamped at the last scrape, over a 15 s window, and only for pods that had
 * started by then. Pods are listed from the API server (a test may scan).
 */
import { compileLabelSelector } from '../../../src/api/label-selector.js';
import { isPodReady } from '../../../src/api/pod-util.js';
import type { LabelSelector } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { MetricsClient, PodMetric, PodMetricsResult } from '../../../src/controllers/hpa/metrics-client.js';
import type { SimCluster } from '../../../src/sim/cluster.js';

export const SCRAPE_MS = 15_000;

export class LoadMetrics implements MetricsClient {
  constructor(
    private readonly cluster: SimCluster,
    /** Total CPU demand at virtual time t, millicores. */
    private readonly demand: (t: number) => number,
  ) {}

  /** Makes this the cluster's metrics APIs (the HPA reads `ctx.metrics` at each sync). */
  install(): this {
    Object.assign(this.cluster.ctx, { metrics: this });
    return this;
  }

  getResourceMetric(resource: string, namespace: string, selector: LabelSelector): PodMetricsResult {
    const now = this.cluster.sim.now;
    const scrape = now - (now % SCRAPE_MS);
    const matches = compileLabelSelector(selector);
    const pods: Pod[] = [];
    for (const pod of this.cluster.api.list<Pod>('Pod')) {
      const p = pod as Pod;
      if (p.metadata.namespace !== namespace || !matches(p.metadata.labels) || p.metadata.deletionTimestamp !== undefined) continue;
      if (p.status?.phase !== 'Running' || (p.status.startTime ?? Number.POSITIVE_INFINITY) > scrape) continue;
      pods.push(p);
    }
    const ready = pods.filter((p) => isPodReady(p)).length;
    const share = resource === 'cpu' && ready > 0 ? Math.round(this.demand(scrape) / ready) : 0;
    const metrics = new Map<string, PodMetric>();
    for (const p of pods) metrics.set(p.metadata.name, { timestamp: scrape, window: SCRAPE_MS, value: isPodReady(p) ? share : 0 });
    return { metrics, timestamp: scrape };
  }

  getRawMetric() {
    return { error: 'no custom metrics in this test' };
  }

  getObjectMetric() {
    return { error: 'no custom metrics in this test' };
  }

  getExternalMetric() {
    return { error: 'no external metrics in this test' };
  }
}
