/**
 * One pod as the traffic sees it: whether it can serve a request right now, and, per Service
 * whose slices list it, the requests per second it serves for that Service. Its resource usage
 * follows: for each such Service, the rule's base usage plus its cost per served request/s
 * (a pod behind two Services with traffic adds both). Usage changes are handed to the metrics
 * pipeline, which integrates them (metrics-pipeline/usage-meter.ts).
 *
 * A pod can serve while it exists, is Running and its Ready condition is True — what the kubelet
 * reports, at once, whatever kube-proxy still believes: requests routed to a pod that has stopped
 * or crashed fail until the proxy drops it. (A terminating pod keeps its Ready condition until
 * its containers stop, so it serves through its preStop sleep.) Its node must be up too
 * (traffic/node-health.ts).
 */
import { getCondition } from '../api/conditions.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import type { ResourceUsage, TrafficRule } from './traffic-rule.js';

/** Where pod usage goes: the metrics pipeline (undefined: the traffic no longer covers the pod). */
export interface UsageSink {
  setTrafficUsage(podKey: string, usage: ResourceUsage | undefined): void;
}

/** Whether the pod can answer a request now (see the file header). */
export function podCanServe(pod: DeepReadonly<Pod> | undefined): boolean {
  return pod !== undefined && pod.status?.phase === 'Running' && getCondition(pod.status.conditions, 'Ready')?.status === 'True';
}

interface Share {
  readonly rule: () => TrafficRule;
  served: number;
}

export class PodLoad {
  /** Service key → what this pod serves for it; an entry exists while the Service lists the pod. */
  private readonly shares = new Map<string, Share>();

  constructor(
    readonly key: string,
    /** The node the pod runs on ('' when unbound). */
    readonly node: string,
    public canServe: boolean,
    private readonly sink: UsageSink,
  ) {}

  /** True while some Service with traffic lists this pod. */
  get listed(): boolean {
    return this.shares.size > 0;
  }

  /** The Services (keys) that list this pod. */
  services(): IterableIterator<string> {
    return this.shares.keys();
  }

  /** Requests per second this pod serves for `service` (0 when not listed). */
  servedFor(service: string): number {
    return this.shares.get(service)?.served ?? 0;
  }

  /** This pod is listed by `service`, serving `served` rps for it. */
  setServed(service: string, rule: () => TrafficRule, served: number): void {
    const share = this.shares.get(service);
    if (share === undefined) this.shares.set(service, { rule, served });
    else if (share.served === served) return;
    else share.served = served;
    this.publish();
  }

  /** `service` no longer lists this pod. */
  drop(service: string): void {
    if (this.shares.delete(service)) this.publish();
  }

  /** Usage published again after a rule's cost or base changed. */
  publish(): void {
    if (this.shares.size === 0) {
      this.sink.setTrafficUsage(this.key, undefined);
      return;
    }
    let cpuMilli = 0;
    let memoryBytes = 0;
    for (const share of this.shares.values()) {
      const rule = share.rule();
      cpuMilli += rule.base.cpuMilli + rule.cost.cpuMilli * share.served;
      memoryBytes += rule.base.memoryBytes + rule.cost.memoryBytes * share.served;
    }
    this.sink.setTrafficUsage(this.key, { cpuMilli, memoryBytes });
  }
}
