/**
 * The DaemonSet controller (pkg/controller/daemon/daemon_controller.go, update.go): one pod on
 * every node where the DaemonSet should run, following nodes as they join, leave, are labelled
 * or tainted; rolling updates (maxUnavailable or maxSurge) or OnDelete; failed pods deleted with
 * back-off; status.
 *
 * syncDaemonSet's order is kept: revisions first (the current hash), then — when expectations
 * are satisfied — manage (create and delete per node), the rolling update when manage had nothing
 * in flight, history cleanup; status always, with observedGeneration only when manage ran.
 *
 * Deliberate difference (speed): upstream looks at every node on every sync. Here each
 * DaemonSet's per-node decisions, counts and rolling-update state are kept between syncs
 * (daemonset-book.ts), and a sync looks only at the nodes whose node or pods changed, or whose
 * state changes with time; a new generation or hash of the DaemonSet, or a pod to adopt or
 * release, makes the sync look at every node, as upstream. The decisions are the same; when
 * several nodes need pods, the order they are created in (and so which ones the 250-pod burst
 * limit defers) is the order nodes were marked, where upstream's is its lister's.
 */
import { ControllerExpectations } from '../../cluster/expectations.js';
import { INDEX_CONTROLLER_UID, INDEX_ORPHANS, type IndexInput, type Informer, ownerReferencesOf, podSpecOf } from '../../cluster/informer.js';
import { compiledLabelSelector, isEmptySelector, type LabelPredicate } from '../../api/label-selector.js';
import { metaKey, splitKey } from '../../api/object-key.js';
import { getControllerOf, isPodReady, isPodTerminal } from '../../api/pod-util.js';
import type { ControllerRevision } from '../../api/types/controller-revision.js';
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly, KubeObject } from '../../api/types/meta.js';
import type { Node } from '../../api/types/node.js';
import type { Pod, PodTemplateSpec } from '../../api/types/pod.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, Enqueue } from '../controller.js';
import { claimObjects } from '../controller-ref.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-history.js';
import { DaemonSetBook } from './daemonset-book.js';
import { DAEMONSET_HASH_LABEL, createPodTemplate, getTargetNodeName, getTemplateGeneration } from './daemonset-util.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';
import { constructHistory, type HistoryAccess } from './history.js';
import { nodeShouldRunDaemonPod, shouldIgnoreNodeUpdate } from './node-should-run.js';
import { statusFromCounts, statusUpToDate } from './status.js';
import { type PodsOnNode, updateDaemonSet } from './sync.js';

/** Pods of a DaemonSet by `<daemonset uid>/<target node>` (GetTargetNodeName), for per-node lookups. */
export const INDEX_DAEMON_POD_NODE = 'daemonSetPodNode';

type ReadonlyDS = DeepReadonly<DaemonSet>;
type ReadonlyPod = DeepReadonly<Pod>;
type ReadonlyRevision = DeepReadonly<ControllerRevision>;

function daemonPodIndexKey(uid: string, node: string): string {
  return `${uid}/${node}`;
}

function daemonPodIndex(pod: DeepReadonly<Pod>): string | undefined {
  const ref = getControllerOf(pod.metadata);
  if (ref?.kind !== 'DaemonSet') return undefined;
  const node = getTargetNodeName(pod);
  return node === undefined ? undefined : daemonPodIndexKey(ref.uid, node);
}

/** All {@link daemonPodIndex} reads (getTargetNodeName reads the spec only): a status write skips it. */
const DAEMON_POD_INDEX_INPUT: readonly IndexInput<Pod>[] = [ownerReferencesOf, podSpecOf];

/** getNodesToDaemonPods(…, false): terminal pods already being deleted are of no further concern. */
function isDeletedTerminal(pod: ReadonlyPod): boolean {
  return isPodTerminal(pod) && pod.metadata.deletionTimestamp !== undefined;
}

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  readonly expectations: ControllerExpectations;
  readonly failedPodsBackoff = new FailedPodsBackoff();
  private readonly daemonSets: Informer<DaemonSet>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly revisions: Informer<ControllerRevision>;
  /** Per DaemonSet uid: what the last syncs established (see daemonset-book.ts). */
  private readonly books = new Map<string, DaemonSetBook>();
  /** CreatePodTemplate per template object and `<generation>/<hash>`. */
  private readonly templates = new WeakMap<object, Map<string, DeepReadonly<PodTemplateSpec>>>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.expectations = new ControllerExpectations(() => ctx.sim.now);
    this.daemonSets = ctx.informers.forKind<DaemonSet>('DaemonSet');
    this.pods = ctx.informers.forKind<Pod>('Pod');
    this.pods.addIndex(INDEX_DAEMON_POD_NODE, daemonPodIndex, DAEMON_POD_INDEX_INPUT);
    this.nodes = ctx.informers.forKind<Node>('Node');
    this.revisions = ctx.informers.forKind<ControllerRevision>('ControllerRevision');
    this.daemonSets.addEventHandler({
      add: (ds) => this.enqueue(ds),
      update: (old, ds) => {
        if (old.metadata.uid !== ds.metadata.uid) this.deleteDaemonSet(old);
        this.enqueue(ds);
      },
      delete: (ds) => this.deleteDaemonSet(ds),
    });
    this.pods.addEventHandler({
      add: (pod) => this.addPod(pod),
      update: (old, pod) => this.updatePod(old, pod),
      delete: (pod) => this.deletePod(pod),
    });
    this.nodes.addEventHandler({
      add: (node) => this.addNode(node),
      update: (old, node) => this.updateNode(old, node),
      delete: (node) => this.deleteNode(node),
    });
    this.revisions.addEventHandler({
      add: (revision) => this.addHistory(revision),
      update: (old, revision) => this.updateHistory(old, revision),
      delete: (revision) => this.deleteHistory(revision),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers: watch events → keys (and the per-node bookkeeping)

  private enqueue(ds: ReadonlyDS): void {
    this.queue.add(metaKey(ds.metadata));
  }

  private selectorOf(ds: ReadonlyDS): LabelPredicate {
    return compiledLabelSelector(ds.spec.selector);
  }

  private deleteDaemonSet(ds: ReadonlyDS): void {
    const key = metaKey(ds.metadata);
    // A DaemonSet created again under the same name starts clean.
    this.expectations.deleteExpectations(key);
    this.books.delete(ds.metadata.uid ?? '');
    this.queue.add(key);
  }

  /** resolveControllerRef: the DaemonSet a controller reference names, if it is the one cached. */
  private resolve(namespace: string | undefined, ref: DeepReadonly<{ kind: string; name: string; uid: string }> | undefined): ReadonlyDS | undefined {
    if (ref === undefined || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.daemonSets.get(namespace, ref.name);
    return ds !== undefined && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  /** getDaemonSetsForPod / ForHistory: DaemonSets of the namespace whose selector matches an orphan. */
  private enqueueMatching(obj: DeepReadonly<KubeObject>): void {
    for (const ds of this.daemonSets.list()) {
      if (ds.metadata.namespace === obj.metadata.namespace && this.selectorOf(ds)(obj.metadata.labels)) this.enqueue(ds);
    }
  }

  /** Bookkeeping for an owned pod leaving (−1) or entering (+1) its DaemonSet's view. */
  private notePod(pod: ReadonlyPod, sign: 1 | -1): void {
    const ref = getControllerOf(pod.metadata);
    if (ref?.kind !== 'DaemonSet') return;
    const book = this.books.get(ref.uid);
    if (book === undefined) return;
    const node = getTargetNodeName(pod);
    if (node !== undefined) book.touch(node);
    book.countHash(pod, sign);
    const key = metaKey(pod.metadata);
    if (sign > 0 && book.selector !== undefined && !book.selector(pod.metadata.labels)) book.mismatched.add(key);
    else book.mismatched.delete(key);
  }

  private addPod(pod: ReadonlyPod): void {
    this.notePod(pod, 1);
    if (pod.metadata.deletionTimestamp !== undefined) {
      // Already being deleted: not a creation to observe.
      this.observeDeletion(pod);
      return;
    }
    const ref = getControllerOf(pod.metadata);
    if (ref !== undefined) {
      const ds = this.resolve(pod.metadata.namespace, ref);
      if (ds === undefined) return;
      this.expectations.creationObserved(metaKey(ds.metadata));
      this.enqueue(ds);
      return;
    }
    this.enqueueMatching(pod);
  }

  private updatePod(old: ReadonlyPod, pod: ReadonlyPod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    this.notePod(old, -1);
    this.notePod(pod, 1);
    if (pod.metadata.deletionTimestamp !== undefined) {
      // A graceful deletion counts as observed as soon as it starts, so replacements need not wait.
      this.observeDeletion(pod);
      return;
    }
    const oldRef = getControllerOf(old.metadata);
    const ref = getControllerOf(pod.metadata);
    const refChanged = !deepEqual(oldRef, ref);
    if (refChanged && oldRef !== undefined) {
      const oldDs = this.resolve(old.metadata.namespace, oldRef);
      if (oldDs !== undefined) this.enqueue(oldDs);
    }
    if (ref !== undefined) {
      const ds = this.resolve(pod.metadata.namespace, ref);
      if (ds === undefined) return;
      this.enqueue(ds);
      const minReadySeconds = ds.spec.minReadySeconds ?? 0;
      // Upstream adds a second against clock skew in AddAfter.
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(metaKey(ds.metadata), (minReadySeconds + 1) * 1000);
      return;
    }
    if (refChanged || !deepEqual(old.metadata.labels, pod.metadata.labels)) this.enqueueMatching(pod);
  }

  private deletePod(pod: ReadonlyPod): void {
    this.notePod(pod, -1);
    this.observeDeletion(pod);
  }

  /** deletePod: the owner's expected deletion is observed (also on the terminating update). */
  private observeDeletion(pod: ReadonlyPod): void {
    const ds = this.resolve(pod.metadata.namespace, getControllerOf(pod.metadata));
    if (ds === undefined) return;
    const key = metaKey(ds.metadata);
    this.expectations.deletionObserved(key);
    this.queue.add(key);
  }

  private addNode(node: DeepReadonly<Node>): void {
    const name = node.metadata.name;
    for (const ds of this.daemonSets.list()) {
      const decision = nodeShouldRunDaemonPod(node, ds);
      const book = this.books.get(ds.metadata.uid ?? '');
      if (book !== undefined) {
        book.decisions.set(name, decision);
        book.touch(name);
      }
      if (decision.shouldRun) this.enqueue(ds);
    }
  }

  private updateNode(old: DeepReadonly<Node>, node: DeepReadonly<Node>): void {
    if (shouldIgnoreNodeUpdate(old, node)) return;
    const name = node.metadata.name;
    for (const ds of this.daemonSets.list()) {
      const before = nodeShouldRunDaemonPod(old, ds);
      const after = nodeShouldRunDaemonPod(node, ds);
      if (before === after) continue;
      const book = this.books.get(ds.metadata.uid ?? '');
      if (book !== undefined) {
        book.decisions.set(name, after);
        book.touch(name);
      }
      this.enqueue(ds);
    }
  }

  /**
   * Upstream has no node delete handler: a removed node's bound pods go through the pod GC (whose
   * deletions wake the DaemonSet), its unbound ones at the DaemonSet's next sync. The books only
   * note that the node is gone.
   */
  private deleteNode(node: DeepReadonly<Node>): void {
    for (const book of this.books.values()) {
      book.decisions.delete(node.metadata.name);
      book.touch(node.metadata.name);
    }
  }

  private addHistory(revision: ReadonlyRevision): void {
    if (revision.metadata.deletionTimestamp !== undefined) {
      this.deleteHistory(revision);
      return;
    }
    // A revision with an owner changes nothing for it (upstream only logs); an orphan may be adopted.
    if (getControllerOf(revision.metadata) === undefined) this.enqueueMatching(revision);
  }

  private updateHistory(old: ReadonlyRevision, revision: ReadonlyRevision): void {
    if (old.metadata.resourceVersion === revision.metadata.resourceVersion) return;
    const oldRef = getControllerOf(old.metadata);
    const ref = getControllerOf(revision.metadata);
    const refChanged = !deepEqual(oldRef, ref);
    if (refChanged && oldRef !== undefined) {
      const oldDs = this.resolve(old.metadata.namespace, oldRef);
      if (oldDs !== undefined) this.enqueue(oldDs);
    }
    if (ref !== undefined) {
      const ds = this.resolve(revision.metadata.namespace, ref);
      if (ds !== undefined) this.enqueue(ds);
      return;
    }
    if (refChanged || !deepEqual(old.metadata.labels, revision.metadata.labels)) this.enqueueMatching(revision);
  }

  private deleteHistory(revision: ReadonlyRevision): void {
    const ds = this.resolve(revision.metadata.namespace, getControllerOf(revision.metadata));
    if (ds !== undefined) this.enqueue(ds);
  }

  // -------------------------------------------------------------------------------------------
  // Sync

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const ds = this.daemonSets.get(namespace, name);
    if (ds === undefined) {
      this.expectations.deleteExpectations(key);
      return;
    }
    // Validation rejects an empty selector; upstream records SelectingAll and does nothing.
    if (isEmptySelector(ds.spec.selector)) return;
    // Its revisions may be going away with it: no status for a DaemonSet being deleted.
    if (ds.metadata.deletionTimestamp !== undefined) return;
    const uid = ds.metadata.uid ?? '';
    let book = this.books.get(uid);
    if (book === undefined) this.books.set(uid, (book = new DaemonSetBook(uid)));
    const selector = this.selectorOf(ds);
    book.selector = selector;

    const history = constructHistory(this.historyAccess(ds, selector), ds);
    const hash = history.current.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    if (book.generation !== (ds.metadata.generation ?? 0) || book.hash !== hash || this.needsClaim(book, ds, selector)) book.rebuild = true;
    const claimed = book.rebuild ? this.rebuild(book, ds, selector, hash) : undefined;
    const podsOn: PodsOnNode = claimed !== undefined ? (node) => claimed.get(node) ?? [] : (node) => this.indexedPods(uid, node);

    const now = this.ctx.sim.now;
    const templateGeneration = getTemplateGeneration(ds);
    const minReadySeconds = ds.spec.minReadySeconds ?? 0;
    const counting = { minReadySeconds, hash, templateGeneration, now };
    for (const node of book.nodesToCount()) book.count(node, podsOn(node), counting, counting);

    const manageRan = this.expectations.satisfiedExpectations(key);
    const error = manageRan
      ? updateDaemonSet({
          api: this.ctx.api,
          events: this.ctx.events,
          queue: this.queue,
          expectations: this.expectations,
          backoff: this.failedPodsBackoff,
          now,
          key,
          ds,
          book,
          hash,
          template: this.podTemplate(ds, hash),
          podsOn,
        }, history.old)
      : undefined;
    this.writeStatus(ds, book, manageRan);
    // Resync after minReadySeconds, a last defence against clock skew.
    if (minReadySeconds > 0 && book.totals.ready !== book.totals.available) this.queue.addAfter(key, minReadySeconds * 1000);
    if (error !== undefined) throw error;
  }

  /**
   * Whether pods must be claimed: an owned pod stopped matching the selector (release it), or an
   * orphan in the namespace matches it (adopt it). Only orphans are scanned.
   */
  private needsClaim(book: DaemonSetBook, ds: ReadonlyDS, selector: LabelPredicate): boolean {
    if (book.mismatched.size > 0) return true;
    const orphans = this.pods.byIndex(INDEX_ORPHANS, ds.metadata.namespace ?? '');
    if (orphans.size === 0) return false;
    for (const pod of orphans.values()) if (pod.metadata.deletionTimestamp === undefined && selector(pod.metadata.labels)) return true;
    return false;
  }

  /**
   * Upstream's full pass: claims the pods (getDaemonPods), decides every node again and marks them
   * all. Returns the claimed pods by target node for this sync, adoptions included.
   */
  private rebuild(book: DaemonSetBook, ds: ReadonlyDS, selector: LabelPredicate, hash: string): Map<string, ReadonlyPod[]> {
    const uid = ds.metadata.uid ?? '';
    const candidates: ReadonlyPod[] = [...this.pods.byIndex(INDEX_CONTROLLER_UID, uid).values()];
    for (const orphan of this.pods.byIndex(INDEX_ORPHANS, ds.metadata.namespace ?? '').values()) candidates.push(orphan);
    const claimed = claimObjects<Pod>({ api: this.ctx.api, owner: ds, matches: selector, candidates });
    book.clearCounts();
    book.hashes.clear();
    book.mismatched.clear();
    book.decisions.clear();
    for (const node of this.nodes.list()) {
      book.decisions.set(node.metadata.name, nodeShouldRunDaemonPod(node, ds));
      book.touch(node.metadata.name);
    }
    const byNode = new Map<string, ReadonlyPod[]>();
    for (const pod of claimed) {
      book.countHash(pod, 1);
      const node = getTargetNodeName(pod);
      if (node === undefined || isDeletedTerminal(pod)) continue;
      let list = byNode.get(node);
      if (list === undefined) byNode.set(node, (list = []));
      list.push(pod);
      book.touch(node);
    }
    book.generation = ds.metadata.generation ?? 0;
    book.hash = hash;
    book.rebuild = false;
    return byNode;
  }

  private indexedPods(uid: string, node: string): ReadonlyPod[] {
    const pods = [...this.pods.byIndex(INDEX_DAEMON_POD_NODE, daemonPodIndexKey(uid, node)).values()];
    return pods.some(isDeletedTerminal) ? pods.filter((pod) => !isDeletedTerminal(pod)) : pods;
  }

  private historyAccess(ds: ReadonlyDS, selector: LabelPredicate): HistoryAccess {
    return {
      api: this.ctx.api,
      revisions: this.revisions,
      selector,
      relabelPods: (hash) => {
        for (const pod of this.pods.byIndex(INDEX_CONTROLLER_UID, ds.metadata.uid ?? '').values()) {
          if (pod.metadata.labels?.[DAEMONSET_HASH_LABEL] === hash) continue;
          const { resourceVersion: _rv, ...metadata } = pod.metadata;
          this.ctx.api.update<Pod>({ ...(pod as Pod), metadata: { ...(metadata as Pod['metadata']), labels: { ...pod.metadata.labels, [DAEMONSET_HASH_LABEL]: hash } } });
        }
      },
    };
  }

  /** CreatePodTemplate, cached: every pod of one revision shares the template and tolerations. */
  private podTemplate(ds: ReadonlyDS, hash: string): DeepReadonly<PodTemplateSpec> {
    const generation = getTemplateGeneration(ds);
    let byRevision = this.templates.get(ds.spec.template);
    if (byRevision === undefined) this.templates.set(ds.spec.template, (byRevision = new Map()));
    const cacheKey = `${generation}/${hash}`;
    let template = byRevision.get(cacheKey);
    if (template === undefined) byRevision.set(cacheKey, (template = createPodTemplate(ds.spec.template, generation, hash)));
    return template;
  }

  /**
   * updateDaemonSetStatus / storeDaemonSetStatus, from the kept totals. Written without a
   * resourceVersion precondition; upstream re-reads and retries on a conflict, which keeps the
   * live collisionCount — so the live one is kept here too.
   */
  private writeStatus(ds: ReadonlyDS, book: DaemonSetBook, updateObservedGeneration: boolean): void {
    if (statusUpToDate(ds, book.totals)) return;
    const live = this.ctx.api.get<DaemonSet>('DaemonSet', ds.metadata.namespace, ds.metadata.name);
    if (live === undefined || live.metadata.uid !== ds.metadata.uid) return;
    const status = statusFromCounts(ds, book.totals, updateObservedGeneration);
    if (live.status?.collisionCount !== undefined) status.collisionCount = live.status.collisionCount;
    const { resourceVersion: _stale, ...metadata } = ds.metadata;
    this.ctx.api.updateStatus<DaemonSet>({ ...(ds as DaemonSet), metadata: metadata as DaemonSet['metadata'], status });
  }
}

export function daemonSetController(ctx: ControllerContext, queue: Enqueue): DaemonSetController {
  return new DaemonSetController(ctx, queue);
}
