/**
 * The dry run: the scenario's actions applied in time order to a model of what the cluster holds
 * (objects by kind and name, nodes, pools), so that a mistake the user made — a misspelled
 * target, a container that does not exist, a patch the API server would reject, undo on a
 * paused Deployment, a node removed twice, a failNode naming a node, zone or pool with no node at
 * that time — is reported with its line and column before anything runs. Also bounds how many pods the scenario can ask for.
 *
 * It checks what the scenario itself decides; what only the run decides (which revision exists,
 * whether a selector matches anything) is reported at run time as an ActionFailed event.
 */
import { getScaledValueFromIntOrPercent } from '../api/int-or-percent.js';
import { podSpecOf } from '../api/pod-templates.js';
import type { CronJob } from '../api/types/cronjob.js';
import type { DaemonSet } from '../api/types/daemonset.js';
import type { Deployment } from '../api/types/deployment.js';
import type { Job } from '../api/types/job.js';
import type { KubeObject } from '../api/types/meta.js';
import type { SourceLocation } from '../errors.js';
import { mergePatch } from '../util/objects.js';
import { nearest } from '../util/suggest.js';
import { raiseHint, type Limits } from './limits.js';
import { type Warnings, admit, checkManifest, locationOf } from './manifests.js';
import { formatTarget } from './targets.js';
import type { Action, LabelledExpectation, ManifestEntry, NodePoolSpec, NodeSelection, ScenarioEvent, Target } from './types.js';
import { ZONE_LABEL } from '../api/types/node.js';
import type { Locator } from './yaml-source.js';
import { kindInfo } from '../api/kinds.js';
import type { TrafficRule } from '../traffic/traffic-rule.js';

/** The events with the locators their arguments were read from. */
export interface LocatedEvent {
  readonly event: ScenarioEvent;
  readonly at: Locator;
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

class ClusterModel {
  readonly objects = new Map<string, KubeObject>();
  readonly everSeen = new Set<string>();
  readonly nodes = new Set<string>();
  readonly nodesEverSeen = new Set<string>();
  /** Each node's zone label and pool, for failNode / recoverNode by zone or pool. */
  readonly nodeZone = new Map<string, string | undefined>();
  readonly nodePool = new Map<string, string>();
  /** Nodes failed at the current time, with where: "failed at 1m (file:11)". */
  readonly failed = new Map<string, string>();
  /** Why an object or node is gone: "was deleted at 1m (file:11)". */
  readonly gone = new Map<string, string>();
  private readonly poolNext = new Map<string, number>();

  constructor(readonly pools: readonly NodePoolSpec[]) {
    for (const pool of pools) {
      this.poolNext.set(pool.name, pool.count);
      for (let i = 0; i < pool.count; i++) this.addNode(`${pool.name}-${i}`, pool.labels[ZONE_LABEL], pool.name);
    }
  }

  addNode(name: string, zone?: string, pool?: string): void {
    this.nodes.add(name);
    this.nodesEverSeen.add(name);
    this.gone.delete(`Node//${name}`);
    this.nodeZone.set(name, zone);
    if (pool !== undefined) this.nodePool.set(name, pool);
  }

  removeNode(name: string): void {
    this.nodes.delete(name);
    this.failed.delete(name);
  }

  put(obj: KubeObject): void {
    const k = key(obj.kind, obj.metadata.namespace, obj.metadata.name);
    this.objects.set(k, obj);
    this.everSeen.add(k);
    this.gone.delete(k);
  }

  get(target: Target): KubeObject | undefined {
    return this.objects.get(key(target.kind, target.namespace, target.name));
  }

  remove(target: Target): void {
    this.objects.delete(key(target.kind, target.namespace, target.name));
  }

  /** Names of objects of a kind in a namespace, for suggestions. */
  names(kind: string, namespace: string): string[] {
    const prefix = `${kind}/${namespace}/`;
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }

  addNodes(pool: string, count: number): void {
    const next = this.poolNext.get(pool) ?? 0;
    const zone = this.pools.find((p) => p.name === pool)?.labels[ZONE_LABEL];
    for (let i = 0; i < count; i++) this.addNode(`${pool}-${next + i}`, zone, pool);
    this.poolNext.set(pool, next + count);
  }

  /** Pods the workloads may run at once: replicas plus maxSurge, plus bare pods. */
  podDemand(): number {
    let total = 0;
    for (const obj of this.objects.values()) {
      if (obj.kind === 'Deployment') {
        const d = obj as Deployment;
        const replicas = d.spec.replicas ?? 1;
        const surge = d.spec.strategy?.rollingUpdate?.maxSurge;
        total += replicas + (surge !== undefined ? getScaledValueFromIntOrPercent(surge, replicas, true) : 0);
      } else if (obj.kind === 'ReplicaSet' || obj.kind === 'StatefulSet') {
        if (!obj.metadata.ownerReferences?.length) total += (obj as unknown as { spec: { replicas?: number } }).spec.replicas ?? 1;
      } else if (obj.kind === 'DaemonSet') {
        // One per node, plus the surge of a rolling update (rounded up, as daemon/update.go does).
        const surge = (obj as DaemonSet).spec.updateStrategy?.rollingUpdate?.maxSurge;
        total += this.nodes.size + (surge !== undefined ? getScaledValueFromIntOrPercent(surge, this.nodes.size, true) : 0);
      } else if (obj.kind === 'Job' || obj.kind === 'CronJob') {
        const spec = obj.kind === 'Job' ? (obj as Job).spec : (obj as CronJob).spec.jobTemplate.spec;
        total += Math.min(spec.parallelism ?? 1, spec.completions ?? Infinity);
      } else if (obj.kind === 'Pod') total += 1;
    }
    return total;
  }
}


export class DryRun {
  private readonly model: ClusterModel;
  /** Where each object is first applied by an event: "is only created at 5m (file:13)". */
  private readonly appliedLater = new Map<string, { readonly atMs: number; readonly where: string }>();
  private nowMs = 0;
  /** Targets that must exist at some point of the run (checked once every event is applied). */
  private readonly eventually: { readonly target: Target; readonly at: Locator }[] = [];

  constructor(
    pools: readonly NodePoolSpec[],
    nodeManifests: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[],
    private readonly warnings: Warnings,
    private readonly limits: Limits,
  ) {
    this.model = new ClusterModel(pools);
    for (const node of nodeManifests) this.model.addNode(node.name, node.labels[ZONE_LABEL]);
  }

  /** Records the manifests that exist at t = 0; names must be unique per kind and namespace. */
  addManifests(entries: readonly { entry: ManifestEntry; object: KubeObject; at: Locator }[]): void {
    const firstSeen = new Map<string, SourceLocation>();
    for (const { object, at } of entries) {
      requireName(object, at);
      const k = key(object.kind, object.metadata.namespace, object.metadata.name);
      const previous = firstSeen.get(k);
      if (previous !== undefined) {
        throw at.child('metadata', 'name').error(`${object.kind} "${object.metadata.name}" is defined twice`, `the first is at ${previous.file}:${previous.line}; rename one`);
      }
      firstSeen.set(k, locationOf(at, ['metadata', 'name']));
      this.model.put(object);
      this.checkPodDemand(at.child('spec', 'replicas'));
    }
  }

  /** Applies every event in time order, checking each against the model. */
  run(events: readonly LocatedEvent[]): void {
    const ordered = events.map((e, i) => ({ ...e, i })).sort((a, b) => a.event.atMs - b.event.atMs || a.i - b.i);
    for (const { event } of ordered) {
      if (event.action.type !== 'apply') continue;
      const m = event.action.manifest;
      const k = key(m.kind, m.metadata?.namespace ?? 'default', m.metadata?.name ?? '');
      if (!this.appliedLater.has(k)) this.appliedLater.set(k, { atMs: event.atMs, where: `${event.source.file}:${event.source.line}` });
    }
    for (const { event, at } of ordered) {
      this.nowMs = event.atMs;
      this.apply(event.action, at, event);
      this.checkPodDemand(at);
    }
    for (const { target, at } of this.eventually) this.checkEverCreated(target, at);
  }

  /**
   * Traffic must name a Service the scenario creates at some point; one that exists only later
   * (or is deleted meanwhile) is a run-time warning, as its requests wait or fail.
   */
  checkTraffic(entries: readonly { rule: TrafficRule; at: Locator }[]): void {
    for (const { rule, at } of entries) this.checkEverCreated({ kind: 'Service', namespace: rule.namespace, name: rule.service }, at.child('service'));
  }

  private checkEverCreated(target: Target, at: Locator): void {
    if (!this.model.everSeen.has(key(target.kind, target.namespace, target.name))) this.missing(target, at, 'the scenario never creates it');
  }

  /** Expectations must name objects (or nodes) the scenario creates at some point. */
  checkExpectations(expectations: readonly { expectation: LabelledExpectation; at: Locator }[]): void {
    for (const { expectation, at } of expectations) {
      const e = expectation.expectation;
      if (e.type === 'converged' || e.target === undefined) continue;
      const seen = e.target.kind === 'Node' ? this.model.nodesEverSeen.has(e.target.name) : this.model.everSeen.has(key(e.target.kind, e.target.namespace, e.target.name));
      if (!seen) throw this.missing(e.target, at.child(e.type, 'target'), 'the scenario never creates it');
    }
  }

  private checkPodDemand(at: Locator | undefined): void {
    const demand = this.model.podDemand();
    if (at !== undefined && demand > this.limits.pods) {
      throw at.error(`the scenario asks for up to ${demand} pods at once, over the limit of ${this.limits.pods} (pods=${this.limits.pods})`, raiseHint('pods', demand, this.limits.pods));
    }
  }

  private missing(target: Target, at: Locator, why?: string): never {
    const k = key(target.kind, target.namespace, target.name);
    const gone = this.model.gone.get(k);
    const later = this.appliedLater.get(k);
    const reason = why ?? gone ?? (later !== undefined && later.atMs > this.nowMs ? `it is only created at ${later.atMs / 1000}s (${later.where})` : 'it does not exist at that time');
    const names = target.kind === 'Node' ? [...this.model.nodes] : this.model.names(target.kind, target.namespace);
    const match = gone === undefined ? nearest(target.name, names) : undefined;
    const hint = match !== undefined ? `did you mean "${target.kind.toLowerCase()}/${match}"?` : `${target.kind}s that exist then: ${names.join(', ') || 'none'}`;
    throw at.error(`${formatTarget(target)} not found: ${reason}`, hint);
  }

  private existing(target: Target, at: Locator): KubeObject {
    if (target.kind === 'Node') {
      this.node(target.name, at);
      return { apiVersion: 'v1', kind: 'Node', metadata: { name: target.name } };
    }
    return this.model.get(target) ?? this.missing(target, at);
  }

  private node(name: string, at: Locator): void {
    if (this.model.nodes.has(name)) return;
    const gone = this.model.gone.get(`Node//${name}`);
    if (gone !== undefined) throw at.error(`node "${name}" does not exist at that time: it ${gone.replace(/^it /, '')}`);
    const pool = this.model.pools.find((p) => name.startsWith(`${p.name}-`));
    const ofPool = pool !== undefined ? [...this.model.nodes].filter((n) => n.startsWith(`${pool.name}-`)) : [];
    const hint = ofPool.length > 0
      ? `pool ${pool?.name} has ${ofPool.length > 6 ? `${ofPool.slice(0, 3).join(', ')} … ${ofPool[ofPool.length - 1]}` : ofPool.join(', ')} at that time`
      : (nearest(name, this.model.nodes) ?? '') !== '' ? `did you mean "${nearest(name, this.model.nodes)}"?` : 'nodes are named <pool>-<index>, from 0';
    throw at.error(`node "${name}" does not exist at that time`, hint);
  }

  /** The nodes a failNode / recoverNode names that exist at that time; an unknown node, zone or pool is an error. */
  private selectNodes(selection: NodeSelection, args: Locator): string[] {
    const at = args.child(selection.by);
    const { name } = selection;
    if (selection.by === 'node') {
      this.node(name, at);
      return [name];
    }
    if (selection.by === 'pool') {
      if (!this.model.pools.some((p) => p.name === name)) {
        const match = nearest(name, this.model.pools.map((p) => p.name));
        throw at.error(`no node pool named "${name}"`, match !== undefined ? `did you mean "${match}"?` : 'pools are defined under spec.cluster.nodePools');
      }
      const nodes = [...this.model.nodes].filter((n) => this.model.nodePool.get(n) === name);
      if (nodes.length === 0) throw at.error(`node pool "${name}" has no nodes at that time`, 'give the pool a count, or add nodes to it first with addNodes');
      return nodes;
    }
    const nodes = [...this.model.nodes].filter((n) => this.model.nodeZone.get(n) === name);
    if (nodes.length > 0) return nodes;
    const zones = [...new Set([...this.model.nodes].map((n) => this.model.nodeZone.get(n)).filter((z): z is string => z !== undefined))];
    const match = nearest(name, zones);
    const hint = match !== undefined ? `did you mean "${match}"?` : zones.length > 0 ? `zones with nodes then: ${zones.join(', ')}` : `no node has a ${ZONE_LABEL} label; give node pools a zone`;
    throw at.error(`no node is in zone "${name}" at that time`, hint);
  }

  private forget(k: string, what: string, event: ScenarioEvent): void {
    this.model.gone.set(k, `it ${what} at ${event.atMs / 1000}s (${event.source.file}:${event.source.line})`);
  }

  private apply(action: Action, at: Locator, event: ScenarioEvent): void {
    const args = at.child(action.type);
    switch (action.type) {
      case 'apply': {
        if (action.manifest.kind === 'Node') throw args.child('kind').error('nodes are not applied', 'add nodes with the addNodes action, or list them as manifests');
        requireName(action.manifest, args);
        const current = this.model.objects.get(key(action.manifest.kind, action.manifest.metadata?.namespace ?? 'default', action.manifest.metadata?.name ?? ''));
        const checked = checkManifest(action.manifest, args, this.warnings, current);
        (action as { manifest: KubeObject }).manifest = checked.manifest;
        this.model.put(checked.object);
        return;
      }
      case 'delete':
        if (action.target !== undefined) {
          this.existing(action.target, args.child('target'));
          if (action.target.kind === 'Node') {
            this.model.removeNode(action.target.name);
            this.forget(`Node//${action.target.name}`, 'was deleted', event);
          } else {
            this.model.remove(action.target);
            this.forget(key(action.target.kind, action.target.namespace, action.target.name), 'was deleted', event);
          }
        }
        return;
      case 'scale': {
        const obj = this.existing(action.target, args.child('target')) as unknown as { spec: { replicas?: number } };
        obj.spec.replicas = action.replicas;
        return;
      }
      case 'setImage': {
        const obj = this.existing(action.target, args.child('target'));
        const names = (podSpecOf(obj)?.containers ?? []).map((c) => c.name);
        if (action.container === undefined && names.length > 1) {
          throw args.error(`${formatTarget(action.target)} has ${names.length} containers (${names.join(', ')})`, 'name one with container: …', 'key');
        }
        if (action.container !== undefined && !names.includes(action.container)) {
          const match = nearest(action.container, names);
          throw args.child('container').error(`${formatTarget(action.target)} has no container "${action.container}"`, match !== undefined ? `did you mean "${match}"?` : `its containers: ${names.join(', ')}`);
        }
        return;
      }
      case 'patch': {
        const obj = this.existing(action.target, args.child('target'));
        // A Node's full object belongs to its kubelet; only its existence is checked here.
        if (obj.kind === 'Node') return;
        const patched = mergePatch(obj, action.merge) as KubeObject;
        patched.metadata = { ...patched.metadata, name: obj.metadata.name, namespace: obj.metadata.namespace };
        this.model.put(admit(patched, args.child('merge'), obj));
        return;
      }
      case 'rolloutUndo': {
        const obj = this.existing(action.target, args.child('target')) as Deployment;
        if (obj.spec.paused) throw args.error(`${formatTarget(action.target)} is paused at that time: kubectl refuses to roll back a paused deployment`, 'resume it first with rolloutResume', 'key');
        return;
      }
      case 'rolloutPause':
      case 'rolloutResume': {
        const obj = this.existing(action.target, args.child('target')) as Deployment;
        obj.spec.paused = action.type === 'rolloutPause';
        return;
      }
      case 'addNodes': {
        if (!this.model.pools.some((p) => p.name === action.pool)) {
          const match = nearest(action.pool, this.model.pools.map((p) => p.name));
          throw args.child('pool').error(`no node pool named "${action.pool}"`, match !== undefined ? `did you mean "${match}"?` : 'define it under spec.cluster.nodePools');
        }
        this.model.addNodes(action.pool, action.count);
        return;
      }
      case 'removeNode':
        this.node(action.node, args.child('node'));
        this.model.removeNode(action.node);
        this.forget(`Node//${action.node}`, 'was removed', event);
        return;
      case 'cordon':
      case 'uncordon':
      case 'drain':
        this.node(action.node, args.child('node'));
        return;
      case 'killPod':
        if (action.target !== undefined) this.existing(action.target, args.child('target'));
        return;
      case 'failNode': {
        const selected = this.selectNodes(action.nodes, args);
        const fresh = selected.filter((n) => !this.model.failed.has(n));
        if (fresh.length === 0) {
          const what = action.nodes.by === 'node' ? `node "${action.nodes.name}" has` : `every node of ${action.nodes.by} "${action.nodes.name}" has`;
          throw args.child(action.nodes.by).error(`${what} already failed at that time: it ${this.model.failed.get(selected[0])}`, 'recover it first with recoverNode, or drop this failNode');
        }
        for (const node of fresh) this.model.failed.set(node, `failed at ${event.atMs / 1000}s (${event.source.file}:${event.source.line})`);
        return;
      }
      case 'recoverNode': {
        const down = this.selectNodes(action.nodes, args).filter((n) => this.model.failed.has(n));
        if (down.length === 0) {
          const what = action.nodes.by === 'node' ? `node "${action.nodes.name}" has` : `no node of ${action.nodes.by} "${action.nodes.name}" has`;
          throw args.child(action.nodes.by).error(`${what} ${action.nodes.by === 'node' ? 'not ' : ''}failed at that time, so there is nothing to recover`, 'fail it first with failNode, or drop this recoverNode');
        }
        for (const node of down) this.model.failed.delete(node);
        return;
      }
      case 'setTraffic':
        this.eventually.push({ target: action.target, at: args.child('service') });
        return;
      case 'setMetric': {
        // A rule may wait for its workload; the workload must exist at some point. Pods and
        // ReplicaSets have generated names the dry run cannot know; other kinds (an Ingress)
        // are only described by Object metrics.
        const object = action.rule.object;
        if (object !== undefined && kindInfo(object.kind) !== undefined && !['Pod', 'ReplicaSet'].includes(object.kind)) {
          this.eventually.push({ target: object, at: args.child('target') });
        }
        return;
      }
    }
  }
}

/**
 * Manifests are applied as `kubectl apply` applies them, and apply finds an object by its name:
 * a manifest with only `generateName` is refused, as kubectl refuses it.
 */
function requireName(object: KubeObject, at: Locator): void {
  const metadata = object.metadata as KubeObject['metadata'] | undefined;
  if (typeof metadata?.name === 'string' && metadata.name !== '') return;
  const hint = metadata?.generateName !== undefined
    ? 'kubectl apply cannot use generateName (only kubectl create can); give the object a metadata.name'
    : 'add metadata.name';
  const where = metadata === undefined ? at : metadata.generateName !== undefined ? at.child('metadata', 'generateName') : at.child('metadata');
  throw where.error(`${object.kind ?? 'the object'} has no metadata.name`, hint, metadata?.generateName !== undefined ? 'key' : 'value');
}
