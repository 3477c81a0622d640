/**
 * Scenario actions carried out against the running cluster, as the kubectl command each stands
 * for would do them: apply (three-way), delete (with cascade), scale, set image, patch, rollout
 * undo / pause / resume, cordon / uncordon / drain, plus the node pool and fault actions
 * (failNode / recoverNode by node, zone or pool: kubelet/node-fault.ts).
 *
 * Each records an `Action` event; one the cluster refuses (a revision that does not exist, an
 * object deleted meanwhile) records `ActionFailed` with the reason and becomes a run warning.
 * Deliberate gaps: drain evicts as `kubectl drain --force --ignore-daemonsets
 * --delete-emptydir-data` would, and PodDisruptionBudgets are not modelled.
 */
import { kindInfo } from '../api/kinds.js';
import type { Distribution } from '../engine/distribution.js';
import { compileLabelSelector, formatLabelSelector } from '../api/label-selector.js';
import { objectKey } from '../api/object-key.js';
import { controllerText, getControllerOf } from '../api/pod-util.js';
import { podSpecOf } from '../api/pod-templates.js';
import type { ControllerRevision } from '../api/types/controller-revision.js';
import type { Deployment } from '../api/types/deployment.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { Node } from '../api/types/node.js';
import type { Pod, PodTemplateSpec } from '../api/types/pod.js';
import type { ReplicaSet } from '../api/types/replicaset.js';
import { ApiError } from '../errors.js';
import type { NodeFaultMode } from '../kubelet/node-fault.js';
import { formatNodeSelection } from '../scenario/actions.js';
import { formatTarget } from '../scenario/targets.js';
import { ZONE_LABEL } from '../api/types/node.js';
import type { Action, NodePoolSpec, ScenarioEvent, Target } from '../scenario/types.js';
import { deepCopy, mergePatch } from '../util/objects.js';
import { POOL_LABEL, type SimCluster } from './cluster.js';
import { planRevisionRollback, planRollback, threeWayMergePatch } from './kubectl.js';

/** Something an action could not do, found at run time. */
export interface RunWarning {
  /** Virtual seconds. */
  readonly t: number;
  readonly message: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** Raised inside an action to fail it with a message, as kubectl would print. */
class ActionFailure extends Error {}

/** Who hears of node faults as they are injected (scripted here, drawn in fault-injector.ts). */
export interface NodeFaultListener {
  failed(fault: string, mode: NodeFaultMode, nodes: readonly string[]): void;
  recovered(nodes: readonly string[]): void;
}

export class ActionExecutor {
  /** The manifest last applied to each object (kubectl's last-applied-configuration). */
  private readonly lastApplied = new Map<string, KubeObject>();
  private readonly nextNodeIndex = new Map<string, number>();
  readonly warnings: RunWarning[] = [];

  constructor(
    private readonly cluster: SimCluster,
    private readonly pools: readonly NodePoolSpec[],
    /** Told which nodes each failNode / recoverNode changed (metrics: faults, ground-truth availability). */
    private readonly nodeFaults?: NodeFaultListener,
  ) {
    for (const pool of pools) this.nextNodeIndex.set(pool.name, 0);
  }

  private get api() {
    return this.cluster.api;
  }

  /** Starts the nodes of a pool (at t = 0, or when addNodes runs). */
  addPoolNodes(pool: NodePoolSpec, count: number, readyDelay?: Distribution): string[] {
    const names: string[] = [];
    const first = this.nextNodeIndex.get(pool.name) ?? 0;
    for (let i = 0; i < count; i++) {
      const name = `${pool.name}-${first + i}`;
      this.cluster.addNode({
        name,
        labels: { ...pool.labels, [POOL_LABEL]: pool.name },
        taints: pool.taints,
        capacity: pool.capacity,
        unschedulable: pool.unschedulable,
        readyDelay,
      });
      names.push(name);
    }
    this.nextNodeIndex.set(pool.name, first + count);
    return names;
  }

  /**
   * Creates or updates an object as `kubectl apply` does. A kind the simulator does not serve
   * (a ConfigMap) is accepted and kept out of the cluster, as at t = 0; returns that note.
   */
  apply(manifest: KubeObject): string | undefined {
    if (kindInfo(manifest.kind) === undefined) return `kept: nothing in the simulator acts on ${manifest.kind}`;
    const key = `${manifest.kind}/${objectKey(manifest.metadata.namespace, manifest.metadata.name)}`;
    const live = this.api.get(manifest.kind, manifest.metadata.namespace, manifest.metadata.name);
    if (live === undefined) {
      this.api.create(deepCopy(manifest));
    } else {
      const patch = threeWayMergePatch(this.lastApplied.get(key), manifest, live);
      if (Object.keys(patch).length > 0) this.api.update(mergePatch(withoutStatus(live), patch) as KubeObject);
    }
    this.lastApplied.set(key, deepCopy(manifest));
    return undefined;
  }

  /** Runs one scenario event, recording `Action` or `ActionFailed`. */
  execute(event: ScenarioEvent): void {
    const action = event.action;
    const subject = subjectOf(action);
    const fields = { action: action.type, target: targetText(action), ...detailsOf(action) };
    try {
      const result = this.run(action);
      this.cluster.events.emit('Action', subject, result !== undefined ? { ...fields, result } : fields);
    } catch (error) {
      if (!(error instanceof ApiError) && !(error instanceof ActionFailure)) throw error;
      this.cluster.events.emit('ActionFailed', subject, { ...fields, message: error.message });
      this.warnings.push({ t: this.cluster.sim.now / 1000, message: `${event.label} failed: ${error.message}`, file: event.source.file, line: event.source.line, column: event.source.column });
    }
  }

  private live<T extends KubeObject>(target: Target): DeepReadonly<T> {
    const obj = this.api.get<T>(target.kind, target.namespace, target.name);
    if (obj === undefined) throw new ActionFailure(`${formatTarget(target)} not found`);
    return obj;
  }

  private updateLive<T extends KubeObject>(target: Target, change: (obj: T) => void): void {
    const copy = withoutStatus(this.live<T>(target)) as T;
    change(copy);
    this.api.update(copy);
  }

  /** Carries out the action; returns a result note (e.g. "skipped") when there is one. */
  private run(action: Action): string | undefined {
    switch (action.type) {
      case 'apply':
        return this.apply(action.manifest);
      case 'delete':
        this.delete(action);
        return;
      case 'scale':
        // The scale subresource of Deployments, ReplicaSets and StatefulSets sets spec.replicas.
        this.updateLive<Deployment>(action.target, (d) => {
          d.spec.replicas = action.replicas;
        });
        return;
      case 'setImage':
        this.updateLive<KubeObject>(action.target, (obj) => {
          const spec = podSpecOf(obj);
          if (spec === undefined) throw new ActionFailure(`${obj.kind} has no pod template`);
          const targets = action.container === undefined ? spec.containers.slice(0, 1) : spec.containers.filter((c) => c.name === action.container);
          if (targets.length === 0) throw new ActionFailure(`unable to find container named "${action.container}"`);
          for (const c of targets) c.image = action.image;
        });
        return;
      case 'patch':
        this.updateLive<KubeObject>(action.target, (obj) => {
          const patched = mergePatch(obj, action.merge) as KubeObject;
          Object.assign(obj, patched, { metadata: { ...patched.metadata, name: obj.metadata.name, namespace: obj.metadata.namespace } });
        });
        return;
      case 'rolloutUndo':
        return this.rolloutUndo(action.target, action.toRevision ?? 0);
      case 'rolloutPause':
      case 'rolloutResume':
        this.updateLive<Deployment>(action.target, (d) => {
          if (action.type === 'rolloutPause') d.spec.paused = true;
          else delete d.spec.paused;
        });
        return;
      case 'addNodes': {
        const pool = this.pools.find((p) => p.name === action.pool);
        if (pool === undefined) throw new ActionFailure(`no node pool named "${action.pool}"`);
        return this.addPoolNodes(pool, action.count, action.readyAfter).join(',');
      }
      case 'removeNode':
        this.api.delete('Node', undefined, action.node);
        return;
      case 'cordon':
      case 'uncordon':
        this.setUnschedulable(action.node, action.type === 'cordon');
        return;
      case 'drain':
        return this.drain(action.node, action.gracePeriodSeconds);
      case 'killPod':
        return this.killPods(action);
      case 'setTraffic':
        this.cluster.traffic.update(action.update);
        return;
      case 'setMetric':
        this.cluster.metricsPipeline.addRule(action.rule);
        return;
      case 'failNode':
      case 'recoverNode':
        return this.nodeFault(action);
    }
  }

  /**
   * failNode / recoverNode on the selected nodes that exist now (kubelet/node-fault.ts); the
   * result lists the nodes that changed. Nodes already in the asked state are left alone.
   */
  private nodeFault(action: Extract<Action, { type: 'failNode' | 'recoverNode' }>): string {
    const { by, name } = action.nodes;
    let nodes: string[];
    if (by === 'node') {
      if (this.api.get('Node', undefined, name) === undefined) throw new ActionFailure(`node "${name}" not found`);
      nodes = [name];
    } else {
      const label = by === 'zone' ? ZONE_LABEL : POOL_LABEL;
      nodes = [...this.api.list<Node>('Node')].filter((n) => n.metadata.labels?.[label] === name).map((n) => n.metadata.name);
      if (nodes.length === 0) throw new ActionFailure(`no node is in ${by} "${name}"`);
    }
    const kubelets = this.cluster.kubelets;
    const changed = nodes.filter((node) => (action.type === 'failNode' ? kubelets.failNode(node, action.mode) : kubelets.recoverNode(node)));
    if (changed.length === 0) throw new ActionFailure(action.type === 'failNode' ? 'every selected node has already failed' : 'no selected node has failed');
    if (action.type === 'failNode') this.nodeFaults?.failed(`failNode ${formatNodeSelection(action.nodes)}`, action.mode, changed);
    else this.nodeFaults?.recovered(changed);
    return changed.join(',');
  }

  private delete(action: Extract<Action, { type: 'delete' }>): void {
    const options = { propagationPolicy: action.cascade, gracePeriodSeconds: action.gracePeriodSeconds };
    if (action.target !== undefined) {
      this.api.delete(action.target.kind, action.target.namespace, action.target.name, options);
      return;
    }
    const matches = compileLabelSelector(action.selector);
    const victims = [...this.api.list(action.kind ?? 'Pod')].filter((obj) => (obj.metadata.namespace ?? '') === action.namespace && matches(obj.metadata.labels));
    for (const obj of victims) this.api.delete(obj.kind, obj.metadata.namespace, obj.metadata.name, options);
  }

  private rolloutUndo(target: Target, toRevision: number): string | undefined {
    if (target.kind === 'DaemonSet' || target.kind === 'StatefulSet') return this.revisionRollback(target, toRevision);
    const d = this.live<Deployment>(target);
    const owned = [...this.api.list<ReplicaSet>('ReplicaSet')].filter((rs) => getControllerOf(rs.metadata)?.uid === d.metadata.uid);
    const plan = planRollback(d, owned, toRevision);
    if (plan.kind === 'error') throw new ActionFailure(plan.message);
    if (plan.kind === 'skipped') return `skipped rollback (current template already matches revision ${plan.revision})`;
    this.updateLive<Deployment>(target, (copy) => {
      copy.spec.template = plan.template;
      copy.metadata.annotations = { ...plan.annotations };
    });
    return `rolled back to revision ${plan.revision}`;
  }

  /** rollout undo of a DaemonSet or StatefulSet, through its ControllerRevisions. */
  private revisionRollback(target: Target, toRevision: number): string {
    const owner = this.live<KubeObject & { spec: { template: PodTemplateSpec } }>(target);
    const revisions = [...this.api.list<ControllerRevision>('ControllerRevision')].filter((r) => getControllerOf(r.metadata)?.uid === owner.metadata.uid);
    const plan = planRevisionRollback(owner, revisions, toRevision);
    if (plan.kind === 'error') throw new ActionFailure(plan.message);
    if (plan.kind === 'skipped') return `skipped rollback (current template already matches revision ${plan.revision})`;
    this.updateLive<KubeObject & { spec: { template: PodTemplateSpec } }>(target, (copy) => {
      copy.spec.template = plan.template;
    });
    return `rolled back to revision ${plan.revision}`;
  }

  private setUnschedulable(name: string, unschedulable: boolean): void {
    this.updateLive<Node>({ kind: 'Node', namespace: '', name }, (node) => {
      if (unschedulable) node.spec.unschedulable = true;
      else delete node.spec.unschedulable;
    });
  }

  /** Cordons the node and evicts every pod on it except DaemonSet pods. */
  private drain(name: string, gracePeriodSeconds: number | undefined): string {
    this.setUnschedulable(name, true);
    let evicted = 0;
    for (const pod of [...this.api.list<Pod>('Pod')]) {
      if (pod.spec.nodeName !== name || pod.metadata.deletionTimestamp !== undefined) continue;
      if (getControllerOf(pod.metadata)?.kind === 'DaemonSet') continue;
      this.api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds });
      this.cluster.events.emit('PodEvicted', { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, node: name, owner: ownerText(pod) }, { reason: 'Drain' });
      evicted++;
    }
    return `${evicted} pods evicted`;
  }

  /** The running pods a killPod names, in name order. */
  private podsToKill(action: Extract<Action, { type: 'killPod' }>): DeepReadonly<Pod>[] {
    let belongs: (pod: DeepReadonly<Pod>) => boolean;
    if (action.selector !== undefined) {
      const matches = compileLabelSelector(action.selector);
      belongs = (pod) => matches(pod.metadata.labels);
    } else {
      const target = action.target as Target;
      if (target.kind === 'Pod') belongs = (pod) => pod.metadata.name === target.name;
      else {
        const owner = this.live(target);
        belongs = (pod) => this.controlledBy(pod, owner.metadata.uid ?? '');
      }
    }
    return [...this.api.list<Pod>('Pod')]
      .filter((pod) => (pod.metadata.namespace ?? '') === action.namespace && pod.metadata.deletionTimestamp === undefined && pod.status?.phase === 'Running' && belongs(pod))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  }

  /**
   * True when `uid` is the object's controller or its controller's controller (a Deployment's
   * pods through their ReplicaSet, a CronJob's through their Job).
   */
  private controlledBy(obj: DeepReadonly<KubeObject>, uid: string): boolean {
    const ref = getControllerOf(obj.metadata);
    if (ref === undefined) return false;
    if (ref.uid === uid) return true;
    const parent = this.api.get(ref.kind, obj.metadata.namespace, ref.name);
    const grand = parent?.metadata.uid === ref.uid ? getControllerOf(parent.metadata) : undefined;
    return grand?.uid === uid;
  }

  /** A container of `count` randomly chosen running pods exits. */
  private killPods(action: Extract<Action, { type: 'killPod' }>): string {
    const candidates = this.podsToKill(action);
    if (candidates.length === 0) throw new ActionFailure('no running pod matches');
    const rng = this.cluster.random.stream('actions/killPod');
    const chosen = rng.sampleIndices(candidates.length, Math.min(action.count, candidates.length)).map((i) => candidates[i]);
    const killed: string[] = [];
    for (const pod of chosen) {
      const worker = this.cluster.kubelets.kubelet(pod.spec.nodeName ?? '')?.worker(pod.metadata.uid ?? '');
      const container = worker?.kill(action.container, action.exitCode);
      if (container === undefined) continue;
      killed.push(pod.metadata.name);
      this.cluster.events.emit('PodKilled', { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, node: pod.spec.nodeName, owner: ownerText(pod) }, { container, exitCode: action.exitCode });
    }
    if (killed.length === 0) throw new ActionFailure(action.container !== undefined ? `no running container named "${action.container}"` : 'no running container to kill');
    return killed.join(',');
  }
}

function withoutStatus(obj: DeepReadonly<KubeObject>): KubeObject {
  const copy = deepCopy(obj) as KubeObject & { status?: unknown };
  delete copy.status;
  return copy;
}

function ownerText(obj: DeepReadonly<KubeObject>): string | undefined {
  return controllerText(obj.metadata);
}

/** The `kind` of a failNode / recoverNode event's subject. */
const NODE_SELECTION_KINDS = { node: 'Node', zone: 'Zone', pool: 'NodePool' } as const;

function subjectOf(action: Action): { kind: string; namespace?: string; name: string } {
  switch (action.type) {
    case 'apply':
      return { kind: action.manifest.kind, namespace: action.manifest.metadata?.namespace, name: action.manifest.metadata?.name ?? '' };
    case 'delete':
      return action.target ? { kind: action.target.kind, namespace: action.target.namespace || undefined, name: action.target.name } : { kind: action.kind ?? 'Pod', namespace: action.namespace, name: '*' };
    case 'addNodes':
      return { kind: 'NodePool', name: action.pool };
    case 'removeNode':
    case 'cordon':
    case 'uncordon':
    case 'drain':
      return { kind: 'Node', name: action.node };
    case 'killPod':
      return action.target ? { kind: action.target.kind, namespace: action.target.namespace || undefined, name: action.target.name } : { kind: 'Pod', namespace: action.namespace, name: '*' };
    case 'failNode':
    case 'recoverNode':
      return { kind: NODE_SELECTION_KINDS[action.nodes.by], name: action.nodes.name };
    case 'setMetric': {
      const { rule } = action;
      if (rule.object !== undefined) return { kind: rule.object.kind, namespace: rule.object.namespace || undefined, name: rule.object.name };
      if (rule.externalNamespace !== undefined) return { kind: 'ExternalMetric', namespace: rule.externalNamespace, name: rule.custom.map((c) => c.name).join(',') };
      return { kind: 'Pod', namespace: rule.pods?.by === 'selector' ? rule.pods.namespace : undefined, name: '*' };
    }
    default:
      return { kind: action.target.kind, namespace: action.target.namespace || undefined, name: action.target.name };
  }
}

function targetText(action: Action): string {
  switch (action.type) {
    case 'apply':
      return `${action.manifest.kind.toLowerCase()}/${action.manifest.metadata?.name ?? ''}`;
    case 'delete':
    case 'killPod':
      return action.target ? formatTarget(action.target) : `${(action.type === 'delete' ? (action.kind ?? 'pod') : 'pod').toLowerCase()} -l ${formatLabelSelector(action.selector)}`;
    case 'addNodes':
      return `pool/${action.pool}`;
    case 'removeNode':
    case 'cordon':
    case 'uncordon':
    case 'drain':
      return `node/${action.node}`;
    case 'setMetric':
      return action.subject;
    case 'failNode':
    case 'recoverNode':
      return formatNodeSelection(action.nodes);
    default:
      return formatTarget(action.target);
  }
}

function detailsOf(action: Action): Record<string, string | number | undefined> {
  switch (action.type) {
    case 'scale':
      return { replicas: action.replicas };
    case 'setImage':
      return { image: action.image, container: action.container };
    case 'addNodes':
      return { count: action.count };
    case 'killPod':
      return { count: action.count, container: action.container, exitCode: action.exitCode };
    case 'delete':
      return { cascade: action.cascade?.toLowerCase(), gracePeriod: action.gracePeriodSeconds };
    case 'drain':
      return { gracePeriod: action.gracePeriodSeconds };
    case 'rolloutUndo':
      return { toRevision: action.toRevision };
    case 'failNode':
      return { mode: action.mode };
    case 'setMetric': {
      const { rule } = action;
      const metrics = rule.custom.map((c) => `${c.name}=${c.milli / 1000}`).join(',');
      return { cpu: rule.cpuMilli !== undefined ? `${rule.cpuMilli}m` : undefined, memory: rule.memoryBytes, metrics: metrics || undefined };
    }
    default:
      return {};
  }
}
