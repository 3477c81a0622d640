/**
 * The in-memory API server: a store per kind with uid, resourceVersion, generation and
 * creationTimestamp; admission (defaulting, validation); optimistic concurrency; graceful
 * deletion with finalizers; and watch fan-out with a configurable delivery latency.
 *
 * Writes commit synchronously and return the stored object; watchers (informers) see each write
 * after the watch latency, in commit order. A write takes ownership of the object passed in (it
 * becomes the stored object, frozen in tests): callers pass a fresh copy and do not reuse it. Commit observers (the event log, metrics) see it at
 * once: they stand for the audit trail, not for a component of the cluster.
 *
 * Follows the registry strategies of pkg/registry/{core,apps}/* (PrepareForCreate/Update, status
 * subresource, graceful pod deletion in pkg/registry/core/pod/strategy.go: CheckGracefulDelete).
 *
 * Deliberate gaps: no namespaces as objects (any namespace exists); no server-side apply field
 * ownership; client-side QPS limits of the controller manager and scheduler are not modelled.
 */
import { type Distribution, constant, sample } from '../engine/distribution.js';
import { Priority } from '../engine/priorities.js';
import type { RandomStreams, Rng } from '../engine/random.js';
import type { Simulation } from '../engine/simulation.js';
import { setCondition } from '../api/conditions.js';
import { type FieldError, formatFieldError } from '../api/field-errors.js';
import { type KindInfo, kindInfo } from '../api/kinds.js';
import { objectKey } from '../api/object-key.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import { ApiError, LimitError } from '../errors.js';
import { NamesByNamespace } from '../util/names-by-namespace.js';
import { copyToExtend, deepEqual, deepFreeze } from '../util/objects.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: WatchEventType;
  readonly object: DeepReadonly<T>;
  /** The previous state, for MODIFIED and DELETED. */
  readonly oldObject?: DeepReadonly<T>;
  /** The object's store key (`namespace/name`), so receivers need not rebuild it. */
  readonly key?: string;
  /** The object's place in the store, for a watcher to keep its own record of the object on. */
  readonly slot?: StoreSlot;
}

/**
 * An object's place in its kind's store, alive from its creation to its deletion (a re-created
 * object gets a new one). One watcher of the kind may claim it to hang its own record of the
 * object on (`owner`, `record`): its later events then reach that record without a lookup by key
 * in the watcher's own large map (the informer's cache, where that lookup was the costliest line
 * of a watch event). Other watchers of the kind find it claimed and look up as before.
 */
export interface StoreSlot {
  readonly key: string;
  /** The watcher that claimed the slot, if any. */
  owner: unknown;
  /** The owner's record of the object; meaningful to the owner only. */
  record: unknown;
  /** The same for one commit observer (observers see each commit at once, watchers later). */
  observer: unknown;
  observerRecord: unknown;
}

export type WatchHandler = (event: WatchEvent) => void;

/** Defaulting and validation, run on every create and update as the API server's admission does. */
export interface Admission {
  /** `old`: the stored object on update, for registry strategies (a DaemonSet's templateGeneration). */
  default(obj: KubeObject, old?: DeepReadonly<KubeObject>): void;
  validate(obj: KubeObject, old?: DeepReadonly<KubeObject>): FieldError[];
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  /** Pods only: overrides terminationGracePeriodSeconds; 0 deletes at once. */
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ApiServerOptions {
  /** Delay from a commit to its delivery to watchers. Default 0 ms. */
  watchLatency?: Distribution;
  admission?: Admission;
  /** Freeze stored objects so that mutation of shared state throws (tests). */
  freezeObjects?: boolean;
  /** Refuse to store more objects of a kind than this (e.g. `{Pod: 200000}`). */
  maxObjects?: Readonly<Record<string, number>>;
}

/** Characters of generated name suffixes (k8s.io/apimachinery/pkg/util/rand: no vowels, no confusables). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const NAME_SUFFIX_LENGTH = 5;
const HEX = '0123456789abcdef';
const DASH = '-'.charCodeAt(0);
const FOUR = '4'.charCodeAt(0);

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/**
 * An object's place in its kind's store: its key (built once, so hashed once) and the object.
 * Both maps of a namespaced kind hold the same entry, so a write replaces `obj` in place and sets
 * no map entry (these maps are large, and each write to one is a likely cache miss).
 */
interface StoredEntry extends StoreSlot {
  obj: DeepReadonly<KubeObject>;
}

function newEntry(key: string, obj: DeepReadonly<KubeObject>): StoredEntry {
  return { key, owner: undefined, record: undefined, observer: undefined, observerRecord: undefined, obj };
}

/** The stored objects in creation order of their keys, as a live iterator over the entries. */
function* storedObjects(entries: ReadonlyMap<string, StoredEntry>): IterableIterator<DeepReadonly<KubeObject>> {
  for (const entry of entries.values()) yield entry.obj;
}

/**
 * One kind's stored objects: by store key (`namespace/name`, or the name of a cluster-scoped
 * object) in creation order of the keys, and — namespaced kinds — by namespace, then name. Reads
 * by namespace and name, and writes, then build no key string: building one allocates, and a
 * fresh string has to be hashed again by every map it is looked up in (the store, then each
 * informer's cache and indexes, through the watch event that carries it).
 */
class KindStore {
  private readonly byKey = new Map<string, StoredEntry>();
  private readonly byNamespace = new NamesByNamespace<StoredEntry>();
  /**
   * The entry found or stored last, by its namespace ('' for a cluster-scoped kind) and name: a
   * write looks its object up two or three times in a row (a kubelet's read before its status
   * write, the write's own read of the stored object, then storing the new one), and a lookup in
   * a large map is a likely cache miss each time (the map's table, then the key string).
   */
  private lastNamespace: string | undefined;
  private lastName: string | undefined;
  private lastEntry: StoredEntry | undefined;

  constructor(readonly namespaced: boolean) {}

  get(namespace: string | undefined, name: string): DeepReadonly<KubeObject> | undefined {
    // A cluster-scoped kind's objects have no namespace; namespaced ones default to `default`.
    return this.entry(this.namespaced ? namespace || 'default' : '', name)?.obj;
  }

  /** Whether an object is stored under `namespace` (as stored: absent for a cluster-scoped kind) and `name`. */
  has(namespace: string | undefined, name: string): boolean {
    return this.entry(this.namespaced ? (namespace ?? '') : '', name) !== undefined;
  }

  get size(): number {
    return this.byKey.size;
  }

  objects(): IterableIterator<DeepReadonly<KubeObject>> {
    return storedObjects(this.byKey);
  }

  /** Stores the object (new or replacing its previous state); returns its entry. */
  set(obj: DeepReadonly<KubeObject>): StoredEntry {
    const meta = obj.metadata;
    const namespace = this.namespaced ? (meta.namespace ?? '') : '';
    let entry = this.entry(namespace, meta.name);
    if (entry !== undefined) {
      entry.obj = obj;
      return entry;
    }
    entry = newEntry(objectKey(meta.namespace, meta.name), obj);
    if (this.namespaced) {
      this.byNamespace.namesFor(namespace).set(meta.name, entry);
    }
    this.byKey.set(entry.key, entry);
    this.remember(namespace, meta.name, entry);
    return entry;
  }

  /** Removes the object stored under `last`'s namespace and name; returns its entry, if it was stored. */
  delete(last: DeepReadonly<KubeObject>): StoredEntry | undefined {
    const meta = last.metadata;
    const namespace = this.namespaced ? (meta.namespace ?? '') : '';
    const entry = this.entry(namespace, meta.name);
    if (entry === undefined) return undefined;
    if (this.namespaced) this.byNamespace.namesOf(namespace)?.delete(meta.name);
    this.byKey.delete(entry.key);
    this.remember(undefined, undefined, undefined);
    return entry;
  }

  /** The entry under `namespace` ('' for a cluster-scoped kind) and `name`. */
  private entry(namespace: string, name: string): StoredEntry | undefined {
    if (name === this.lastName && namespace === this.lastNamespace) return this.lastEntry;
    const entry = this.namespaced ? this.byNamespace.namesOf(namespace)?.get(name) : this.byKey.get(name);
    if (entry !== undefined) this.remember(namespace, name, entry);
    return entry;
  }

  private remember(namespace: string | undefined, name: string | undefined, entry: StoredEntry | undefined): void {
    this.lastNamespace = namespace;
    this.lastName = name;
    this.lastEntry = entry;
  }
}

/** Watch deliveries due at one time: each commit's handlers and event, alternating. */
type Batch = (WatchHandler[] | WatchEvent)[];

const EMPTY_BATCH: Batch = [];

/** A served kind's registration, its store and its watch handlers. */
interface ServedKind {
  readonly info: KindInfo;
  readonly store: KindStore;
  readonly handlers: WatchHandler[];
}

export class ApiServer {
  /** Each kind a write or watch has named so far (a failed write too): its registration and its store. */
  private readonly kinds = new Map<string, ServedKind>();
  /**
   * The kind named last, and its entry in `kinds`: one write names its kind several times (for
   * its registration, its stored object, its store) and often follows a write of the same kind;
   * each time was a lookup in `kinds` and in the kinds registry (about 1 % of the 30,000-pod run).
   */
  private lastKindName: string | undefined;
  private lastKind: ServedKind | undefined;
  private readonly watchers = new Map<string, WatchHandler[]>();
  private readonly observers: WatchHandler[] = [];
  private readonly names: Rng;
  private readonly uids: Rng;
  private readonly latencyRng: Rng;
  private readonly watchLatency: Distribution;
  private lastDelivery = 0;
  /** The deliveries waiting for `batchTime`: handlers and event, alternating. */
  private batch: Batch | undefined;
  /** The batches scheduled and not yet delivered, from `scheduledHead` on, in delivery order. */
  private readonly scheduled: Batch[] = [];
  private scheduledHead = 0;
  private batchTime = -1;
  private resourceVersion = 0;

  constructor(
    private readonly sim: Simulation,
    random: RandomStreams,
    private readonly options: ApiServerOptions = {},
  ) {
    this.names = random.stream('apiserver/names');
    this.uids = random.stream('apiserver/uids');
    this.latencyRng = random.stream('apiserver/watch-latency');
    this.watchLatency = options.watchLatency ?? constant(0);
  }

  // -------------------------------------------------------------------------------------------
  // Reads (ground truth; controllers read through informers instead)

  get<T extends KubeObject>(kind: string, namespace: string | undefined, name: string): DeepReadonly<T> | undefined {
    return this.storeOf(kind)?.get(namespace, name) as DeepReadonly<T> | undefined;
  }

  /** Every stored object of a kind, in creation order of their keys. */
  list<T extends KubeObject>(kind: string): IterableIterator<DeepReadonly<T>> {
    return (this.storeOf(kind)?.objects() ?? [].values()) as IterableIterator<DeepReadonly<T>>;
  }

  count(kind: string): number {
    return this.storeOf(kind)?.size ?? 0;
  }

  // -------------------------------------------------------------------------------------------
  // Watches

  /** Delivers every later commit of `kind` to `handler`, after the watch latency, in order. */
  watch(kind: string, handler: WatchHandler): void {
    this.handlersOf(kind).push(handler);
  }

  /** Calls `observer` synchronously on every commit of every kind (event log, metrics). */
  observe(observer: WatchHandler): void {
    this.observers.push(observer);
  }

  // -------------------------------------------------------------------------------------------
  // Writes

  create<T extends KubeObject>(input: T): DeepReadonly<T> {
    const info = this.info(input.kind);
    const obj = input as KubeObject;
    // The server adds uid, creationTimestamp, resourceVersion (and more) to the copy.
    const meta = (obj.metadata = copyToExtend(obj.metadata));
    if (info.namespaced) meta.namespace ||= 'default';
    else delete meta.namespace;
    const store = this.store(info.kind);
    const limit = this.options.maxObjects?.[info.kind];
    if (limit !== undefined && store.size >= limit) {
      throw new LimitError(info.plural, store.size + 1, limit, `the scenario would create more than ${limit} ${info.plural}`);
    }
    if (!meta.name) {
      if (!meta.generateName) throw this.invalid(info, '', [{ type: 'Required', field: 'metadata.name', detail: 'name or generateName is required' }]);
      // A generated name is one no stored object has.
      meta.name = this.generateName(store, meta.namespace, meta.generateName);
    } else if (store.has(meta.namespace, meta.name)) {
      throw new ApiError('AlreadyExists', `${info.kind} "${meta.name}" already exists`);
    }
    // The uid exists before admission, as upstream's handler fills it first: a Job's generated selector uses it.
    meta.uid = this.newUid();
    this.admit(info, obj);
    meta.creationTimestamp = this.sim.now;
    meta.resourceVersion = this.nextResourceVersion();
    if (info.tracksGeneration) meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    prepareStatusForCreate(obj);
    return this.commit(info, 'ADDED', obj, undefined) as DeepReadonly<T>;
  }

  /** Replaces an object's spec and metadata; the stored status is kept (status subresource). */
  update<T extends KubeObject>(input: T): DeepReadonly<T> {
    const info = this.info(input.kind);
    const old = this.existing(info, input);
    const obj = input as KubeObject & { spec?: unknown; status?: unknown };
    const oldObj = old as DeepReadonly<KubeObject & { spec?: unknown; status?: unknown }>;
    this.checkPreconditions(info, old, obj.metadata.resourceVersion, obj.metadata.uid);
    if (info.statusSubresource) obj.status = oldObj.status as unknown;
    // The server's fields are the stored ones; the three that may be absent are left out rather
    // than added and deleted (a deleted key puts an object in V8's slow dictionary mode, and
    // every later read of the stored metadata would pay for it). Keys keep the order of
    // `{...input, name, namespace, uid, creationTimestamp, deletionTimestamp,
    // deletionGracePeriodSeconds, generation, resourceVersion}` without the absent ones.
    const meta: KubeObject['metadata'] = {
      ...obj.metadata,
      name: old.metadata.name,
      namespace: old.metadata.namespace,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
    };
    setOrOmit(meta, 'deletionTimestamp', old.metadata.deletionTimestamp);
    setOrOmit(meta, 'deletionGracePeriodSeconds', old.metadata.deletionGracePeriodSeconds);
    setOrOmit(meta, 'generation', old.metadata.generation);
    meta.resourceVersion = old.metadata.resourceVersion;
    obj.metadata = meta;
    this.admit(info, obj, old);
    if (deepEqual(obj, old)) return old as DeepReadonly<T>;
    if (info.tracksGeneration && generationChanged(info, obj, oldObj)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    obj.metadata.resourceVersion = this.nextResourceVersion();
    if (old.metadata.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).length === 0 && !this.awaitsKubelet(obj)) {
      return this.remove(info, obj as DeepReadonly<KubeObject>) as DeepReadonly<T>;
    }
    return this.commit(info, 'MODIFIED', obj, old) as DeepReadonly<T>;
  }

  /**
   * Replaces an object's status only (the /status subresource). A write that changes nothing is
   * no write (no new resourceVersion, no watch event). `statusChanged`: the caller knows for
   * certain the status differs from the stored one (a kubelet's heartbeat with a new time), so
   * the comparison is skipped — a node's every-5-minutes report is the most frequent write there is.
   */
  updateStatus<T extends KubeObject>(input: T & { status?: unknown }, statusChanged = false): DeepReadonly<T> {
    const info = this.info(input.kind);
    const old = this.existing(info, input) as DeepReadonly<KubeObject & { status?: unknown }>;
    this.checkPreconditions(info, old, input.metadata.resourceVersion, input.metadata.uid);
    const annotations = info.statusWritesAnnotations ? input.metadata.annotations : old.metadata.annotations;
    if (!statusChanged && deepEqual(input.status, old.status) && deepEqual(annotations, old.metadata.annotations)) return old as unknown as DeepReadonly<T>;
    // Copied, then assigned: `{...old, status}` costs V8 about twice as much as a plain copy when
    // `old` was itself built by a spread (every stored object after its first write), and status
    // writes are the most frequent writes there are (a Node's every 5 minutes, a pod's at each
    // step of its life). Keys keep the same order either way (a field the copy lacks goes last).
    const copy = statusCopier(info.kind);
    const obj = copy.object(old) as KubeObject & { status?: unknown };
    obj.status = input.status;
    const meta = copy.metadata(old.metadata);
    meta.resourceVersion = this.nextResourceVersion();
    obj.metadata = meta;
    if (info.statusWritesAnnotations) {
      if (annotations === undefined) delete obj.metadata.annotations;
      else obj.metadata.annotations = { ...annotations };
    }
    return this.commit(info, 'MODIFIED', obj, old) as DeepReadonly<T>;
  }

  /**
   * Binds a pod to a node (the binding subresource): sets spec.nodeName and the PodScheduled
   * condition (pkg/registry/core/pod/storage: assignPod).
   */
  bind(namespace: string, name: string, nodeName: string): DeepReadonly<Pod> {
    const info = this.info('Pod');
    const old = this.get<Pod>('Pod', namespace, name);
    if (old === undefined) throw new ApiError('NotFound', `pods "${name}" not found`);
    if (old.spec.nodeName) throw new ApiError('Conflict', `pod ${name} is already assigned to node "${old.spec.nodeName}"`);
    if (old.metadata.deletionTimestamp !== undefined) throw new ApiError('Conflict', `pod ${name} is being deleted, cannot be assigned to a host`);
    const now = this.sim.now;
    const pod: Pod = {
      ...(old as Pod),
      metadata: { ...(old.metadata as Pod['metadata']), resourceVersion: this.nextResourceVersion() },
      spec: extended(old.spec as Pod['spec'], 'nodeName', nodeName),
      // A pending pod's status may have no conditions yet: a key the copy gains.
      status: extended((old.status ?? {}) as NonNullable<Pod['status']>, 'conditions', setCondition(old.status?.conditions, { type: 'PodScheduled', status: 'True' }, now)),
    };
    return this.commit(info, 'MODIFIED', pod, old) as DeepReadonly<Pod>;
  }

  /**
   * Deletes an object (pkg/registry/rest/delete.go: BeforeDelete; registry/store.go). Pods bound
   * to a node get a grace period (deletionTimestamp = now + grace) and disappear when the kubelet
   * confirms with a zero-grace delete; unbound or terminal pods go at once. A second delete may
   * only shorten a pod's grace period, counted from when its deletion began, or change the
   * propagation finalizers. Foreground and Orphan propagation add their finalizer for the garbage
   * collector. Returns the object as it stands afterwards (terminating) or as it was (removed).
   */
  delete(kind: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeepReadonly<KubeObject> {
    const info = this.info(kind);
    const old = this.get(kind, namespace, name);
    if (old === undefined) throw new ApiError('NotFound', `${info.plural} "${name}" not found`);
    this.checkPreconditions(info, old, options.preconditions?.resourceVersion, options.preconditions?.uid);
    const grace = kind === 'Pod' ? podGracePeriod(old as DeepReadonly<Pod>, options.gracePeriodSeconds) : 0;
    const finalizers = [...(old.metadata.finalizers ?? [])];
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes(FOREGROUND_FINALIZER)) finalizers.push(FOREGROUND_FINALIZER);
    if (options.propagationPolicy === 'Orphan' && !finalizers.includes(ORPHAN_FINALIZER)) finalizers.push(ORPHAN_FINALIZER);
    const finalizersChanged = finalizers.length !== (old.metadata.finalizers ?? []).length;
    const now = this.sim.now;
    const deadline = old.metadata.deletionTimestamp;
    if (deadline !== undefined) {
      const oldGrace = old.metadata.deletionGracePeriodSeconds ?? 0;
      if (oldGrace === 0 || (options.gracePeriodSeconds !== undefined && grace < oldGrace)) {
        if (finalizers.length === 0 && (oldGrace === 0 || grace === 0)) return this.remove(info, old);
        if (oldGrace > 0) {
          const meta = { resourceVersion: this.nextResourceVersion(), deletionTimestamp: deadline - oldGrace * 1000 + grace * 1000, deletionGracePeriodSeconds: grace, finalizers: finalizers.length > 0 ? finalizers : undefined };
          return this.commit(info, 'MODIFIED', withMeta(old, meta), old);
        }
      }
      if (!finalizersChanged) return old;
      return this.commit(info, 'MODIFIED', withMeta(old, { resourceVersion: this.nextResourceVersion(), finalizers }), old);
    }
    if (finalizers.length === 0 && grace === 0) return this.remove(info, old);
    const meta: Partial<KubeObject['metadata']> = {
      resourceVersion: this.nextResourceVersion(),
      deletionTimestamp: now + grace * 1000,
      deletionGracePeriodSeconds: grace,
      finalizers: finalizers.length > 0 ? finalizers : undefined,
    };
    // markAsDeleting: a generation-tracking object's generation moves on when its deletion starts.
    if (info.tracksGeneration && (old.metadata.generation ?? 0) > 0) meta.generation = (old.metadata.generation ?? 0) + 1;
    return this.commit(info, 'MODIFIED', withMeta(old, meta), old);
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  private info(kind: string): KindInfo {
    return this.served(kind).info;
  }

  private store(kind: string): KindStore {
    return this.served(kind).store;
  }

  /** A served kind's registration and store (created the first time a write or watch names the kind); NotFound for others. */
  private served(kind: string): ServedKind {
    if (kind === this.lastKindName) return this.lastKind as ServedKind;
    let served = this.kinds.get(kind);
    if (served === undefined) {
      const info = kindInfo(kind);
      if (info === undefined) throw new ApiError('NotFound', `the server doesn't have a resource type "${kind}"`);
      this.kinds.set(kind, (served = { info, store: new KindStore(info.namespaced), handlers: this.handlersOf(kind) }));
    }
    this.lastKindName = kind;
    this.lastKind = served;
    return served;
  }

  /** The kind's watch handlers (the very array `watch` adds to, empty while nobody watches). */
  private handlersOf(kind: string): WatchHandler[] {
    let handlers = this.watchers.get(kind);
    if (handlers === undefined) this.watchers.set(kind, (handlers = []));
    return handlers;
  }

  /** The store of a kind named before by a write or watch, if any (reads never create one, nor fail). */
  private storeOf(kind: string): KindStore | undefined {
    return kind === this.lastKindName ? this.lastKind?.store : this.kinds.get(kind)?.store;
  }

  private existing(info: KindInfo, obj: KubeObject): DeepReadonly<KubeObject> {
    const old = this.get(info.kind, obj.metadata.namespace, obj.metadata.name);
    if (old === undefined) throw new ApiError('NotFound', `${info.plural} "${obj.metadata.name}" not found`);
    return old;
  }

  private checkPreconditions(info: KindInfo, old: DeepReadonly<KubeObject>, resourceVersion?: string, uid?: string): void {
    if (uid !== undefined && uid !== old.metadata.uid) {
      throw new ApiError('Conflict', `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (resourceVersion !== undefined && resourceVersion !== old.metadata.resourceVersion) {
      throw new ApiError(
        'Conflict',
        `Operation cannot be fulfilled on ${info.plural} "${old.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
  }

  private admit(info: KindInfo, obj: KubeObject, old?: DeepReadonly<KubeObject>): void {
    const admission = this.options.admission;
    if (admission === undefined) return;
    admission.default(obj, old);
    const errors = admission.validate(obj, old);
    if (errors.length > 0) throw this.invalid(info, obj.metadata.name, errors);
  }

  private invalid(info: KindInfo, name: string, errors: FieldError[]): ApiError {
    return new ApiError('Invalid', `${info.kind} "${name}" is invalid: ${errors.map(formatFieldError).join(', ')}`, errors);
  }

  /** A pod with a deletionTimestamp whose finalizers are gone still waits for its kubelet. */
  private awaitsKubelet(obj: KubeObject): boolean {
    if (obj.kind !== 'Pod') return false;
    const pod = obj as Pod;
    return Boolean(pod.spec.nodeName) && (pod.metadata.deletionGracePeriodSeconds ?? 0) > 0 && !isTerminalPhase(pod);
  }

  /** Removes an object; watchers get DELETED with its final state. */
  private remove(info: KindInfo, last: DeepReadonly<KubeObject>): DeepReadonly<KubeObject> {
    const entry = this.store(info.kind).delete(last);
    this.resourceVersion++;
    const final = (this.options.freezeObjects ? deepFreeze(last) : last) as DeepReadonly<KubeObject>;
    const key = entry?.key ?? objectKey(last.metadata.namespace, last.metadata.name);
    // The removed entry's last object is the previous state.
    this.publish(info.kind, { type: 'DELETED', object: final, oldObject: entry?.obj, key, slot: entry });
    return final;
  }

  private commit(info: KindInfo, type: WatchEventType, obj: KubeObject, old: DeepReadonly<KubeObject> | undefined): DeepReadonly<KubeObject> {
    const stored = (this.options.freezeObjects ? deepFreeze(obj) : obj) as DeepReadonly<KubeObject>;
    const entry = this.store(info.kind).set(stored);
    this.publish(info.kind, { type, object: stored, oldObject: old, key: entry.key, slot: entry });
    return stored;
  }

  private publish(kind: string, event: WatchEvent): void {
    for (const observer of this.observers) observer(event);
    const handlers = this.served(kind).handlers;
    if (handlers.length === 0) return;
    // Deliveries never overtake each other: a watch stream is ordered.
    const at = Math.max(this.sim.now + sample(this.watchLatency, this.latencyRng), this.lastDelivery);
    this.lastDelivery = at;
    // Commits due at the same instant travel as one batch, in commit order (one engine event).
    if (this.batch !== undefined && this.batchTime === at) {
      this.batch.push(handlers, event);
      return;
    }
    const batch: Batch = [handlers, event];
    this.batch = batch;
    this.batchTime = at;
    this.scheduled.push(batch);
    this.sim.scheduleAt(at, this.deliverNext, Priority.Watch);
  }

  /**
   * Delivers the earliest scheduled batch. Batches are due in the order they were scheduled (their
   * times never decrease, and the engine runs events of one time and priority in scheduling
   * order), so every delivery event shares this one callback, and finds its batch at the head of
   * `scheduled`, rather than each allocating a closure over its own.
   */
  private readonly deliverNext = (): void => {
    const scheduled = this.scheduled;
    const batch = scheduled[this.scheduledHead];
    scheduled[this.scheduledHead++] = EMPTY_BATCH;
    if (this.scheduledHead === scheduled.length) {
      scheduled.length = 0;
      this.scheduledHead = 0;
    } else if (this.scheduledHead > 1024 && this.scheduledHead * 2 > scheduled.length) {
      scheduled.splice(0, this.scheduledHead);
      this.scheduledHead = 0;
    }
    if (this.batch === batch) this.batch = undefined;
    for (let i = 0; i < batch.length; i += 2) {
      for (const handler of batch[i] as WatchHandler[]) handler(batch[i + 1] as WatchEvent);
    }
  };

  /*
   * Generated names and uids are built as one flat string from character codes, not by `+`:
   * concatenation past 12 characters makes a rope (a V8 ConsString), which V8 must flatten before
   * hashing it and compares slower, and these strings are hashed and compared as map keys for the
   * object's whole life (uids in every owner index, names in every store). Measured on a uid:
   * less than half the time to build, and map lookups with it about twice as fast.
   */

  private generateName(store: KindStore, namespace: string | undefined, prefix: string): string {
    const codes = new Array<number>(prefix.length + NAME_SUFFIX_LENGTH);
    for (let i = 0; i < prefix.length; i++) codes[i] = prefix.charCodeAt(i);
    // Upstream returns AlreadyExists on a collision and the client retries; retrying here is equivalent.
    for (;;) {
      // The draws of Rng.string(NAME_SUFFIX_LENGTH, NAME_ALPHABET).
      for (let i = prefix.length; i < codes.length; i++) codes[i] = NAME_ALPHABET.charCodeAt(this.names.int(NAME_ALPHABET.length));
      const name = String.fromCharCode.apply(null, codes);
      if (!store.has(namespace, name)) return name;
    }
  }

  /** A random (version 4 style) uid: 32 hex digits drawn in order, the 13th shown as `4`, in groups 8-4-4-4-12. */
  private newUid(): string {
    const codes = new Array<number>(36);
    let at = 0;
    for (let i = 0; i < 32; i++) {
      if (i === 8 || i === 12 || i === 16 || i === 20) codes[at++] = DASH;
      const digit = HEX.charCodeAt(this.uids.int(HEX.length));
      codes[at++] = i === 12 ? FOUR : digit;
    }
    return String.fromCharCode.apply(null, codes);
  }

  private nextResourceVersion(): string {
    return String(++this.resourceVersion);
  }
}

/** Shallow copies of a stored object and of its metadata, for a status write. */
interface StatusCopier {
  object(obj: DeepReadonly<KubeObject>): KubeObject;
  metadata(meta: DeepReadonly<KubeObject['metadata']>): KubeObject['metadata'];
}

/*
 * One pair of copy functions per kind that writes its status often, each its own function (not
 * made by a shared factory, whose closures would share one feedback vector): V8 copies a spread
 * fast only at a site that has seen few object shapes, and one line copying every kind's objects
 * and metadata sees too many and takes the slow generic path on every status write.
 */
const POD_COPIER: StatusCopier = {
  object: (obj) => ({ ...(obj as KubeObject) }),
  metadata: (meta) => ({ ...(meta as KubeObject['metadata']) }),
};
const NODE_COPIER: StatusCopier = {
  object: (obj) => ({ ...(obj as KubeObject) }),
  metadata: (meta) => ({ ...(meta as KubeObject['metadata']) }),
};
const REPLICA_SET_COPIER: StatusCopier = {
  object: (obj) => ({ ...(obj as KubeObject) }),
  metadata: (meta) => ({ ...(meta as KubeObject['metadata']) }),
};
const DEPLOYMENT_COPIER: StatusCopier = {
  object: (obj) => ({ ...(obj as KubeObject) }),
  metadata: (meta) => ({ ...(meta as KubeObject['metadata']) }),
};
const OTHER_COPIER: StatusCopier = {
  object: (obj) => ({ ...(obj as KubeObject) }),
  metadata: (meta) => ({ ...(meta as KubeObject['metadata']) }),
};

function statusCopier(kind: string): StatusCopier {
  switch (kind) {
    case 'Pod':
      return POD_COPIER;
    case 'Node':
      return NODE_COPIER;
    case 'ReplicaSet':
      return REPLICA_SET_COPIER;
    case 'Deployment':
      return DEPLOYMENT_COPIER;
    default:
      return OTHER_COPIER;
  }
}

/** Whether an update moves the generation on: the spec changed, or for a kind without one its generation fields or labels. */
function generationChanged(info: KindInfo, obj: KubeObject & { spec?: unknown }, old: DeepReadonly<KubeObject & { spec?: unknown }>): boolean {
  if (info.generationFields === undefined) return !deepEqual(obj.spec, old.spec);
  const fields = obj as unknown as Record<string, unknown>;
  const oldFields = old as unknown as Record<string, unknown>;
  return !deepEqual(obj.metadata.labels, old.metadata.labels) || info.generationFields.some((f) => !deepEqual(fields[f], oldFields[f]));
}

function isTerminalPhase(pod: DeepReadonly<Pod>): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** CheckGracefulDelete: unbound and terminal pods are deleted at once; a negative period is 1 s. */
function podGracePeriod(pod: DeepReadonly<Pod>, requested: number | undefined): number {
  if (!pod.spec.nodeName || isTerminalPhase(pod)) return 0;
  const grace = requested ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  return grace < 0 ? 1 : grace;
}

/** Sets `meta[key]` to `value`, or leaves the key out when `value` is absent. */
function setOrOmit<K extends 'deletionTimestamp' | 'deletionGracePeriodSeconds' | 'generation'>(meta: KubeObject['metadata'], key: K, value: KubeObject['metadata'][K] | undefined): void {
  if (value !== undefined) meta[key] = value;
  else if (key in meta) delete meta[key];
}

/** The object with `changes` merged into its metadata; a change to `undefined` removes the key. */
/** A copy of `base` with `key` set (last when `base` lacks it). */
function extended<T extends object>(base: T, key: string, value: unknown): T {
  const copy = copyToExtend(base) as Record<string, unknown>;
  copy[key] = value;
  return copy as T;
}

function withMeta(old: DeepReadonly<KubeObject>, changes: Partial<KubeObject['metadata']>): KubeObject {
  // Changes usually add keys (deletionTimestamp, finalizers).
  const merged = Object.assign(copyToExtend(old.metadata), changes) as Record<string, unknown>;
  // Copied key by key, leaving out the removed ones, rather than deleted afterwards: a deleted key
  // puts the object in V8's slow dictionary mode (see update).
  const metadata: Record<string, unknown> = {};
  for (const key in merged) if (!(merged[key] === undefined && Object.hasOwn(changes, key))) metadata[key] = merged[key];
  return { ...(old as KubeObject), metadata: metadata as unknown as KubeObject['metadata'] };
}

/** Status as each kind's PrepareForCreate leaves it: pods start Pending, workloads empty. */
function prepareStatusForCreate(obj: KubeObject & { status?: unknown }): void {
  switch (obj.kind) {
    case 'Pod':
      obj.status = { phase: 'Pending' };
      break;
    case 'Node':
    case 'EndpointSlice':
      break;
    default:
      obj.status = {};
  }
}
