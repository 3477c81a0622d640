/**
 * Whether a node's machine is up, as the data plane sees it: a node that has stopped (failNode,
 * `stopped`) or left the cluster answers no request and no metrics scrape, whatever the API
 * server still says about its pods — until the node lifecycle controller marks them not ready
 * and kube-proxy drops their endpoints, requests sent there fail. A partitioned node keeps
 * serving: only the control plane is cut off from it.
 */
import type { ApiServer } from '../cluster/api-server.js';

export interface NodeHealth {
  /** Whether pods on `nodeName` can answer requests and be scraped. */
  serves(nodeName: string): boolean;
  /** Calls `listener` with a node's name when {@link serves} may have changed for it. */
  onChange(listener: (nodeName: string) => void): void;
}

/** Every node serves (tests without nodes). */
export const ALWAYS_UP: NodeHealth = { serves: () => true, onChange: () => {} };

/** What the kubelets say about node faults (sim/cluster.ts adapts the KubeletManager). */
export interface NodeFaults {
  isStopped(nodeName: string): boolean;
  /** `listener` runs when a node fails or recovers. */
  onChange(listener: (nodeName: string) => void): void;
}

/** Node health from the Node objects (a deleted node is gone at once) and the kubelets' faults. */
export class ClusterNodeHealth implements NodeHealth {
  private readonly removed = new Set<string>();
  private readonly listeners: ((nodeName: string) => void)[] = [];

  constructor(
    private readonly api: ApiServer,
    private readonly faults: NodeFaults,
  ) {}

  /** Starts following the nodes (once the kubelets that `faults` reads exist). */
  start(): void {
    this.api.observe((commit) => {
      if (commit.object.kind !== 'Node' || commit.type === 'MODIFIED') return;
      const name = commit.object.metadata.name;
      if (commit.type === 'DELETED') this.removed.add(name);
      else this.removed.delete(name);
      this.changed(name);
    });
    this.faults.onChange((name) => this.changed(name));
  }

  serves(nodeName: string): boolean {
    return !this.removed.has(nodeName) && !this.faults.isStopped(nodeName);
  }

  onChange(listener: (nodeName: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(name: string): void {
    for (const listener of this.listeners) listener(name);
  }
}
