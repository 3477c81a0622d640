/**
 * Shared informers (client-go tools/cache: SharedIndexInformer, Indexer): one cache per kind,
 * fed by the API server's watch, with secondary indexes and event handlers.
 *
 * All controllers share one informer per kind, as in kube-controller-manager, so they see the
 * same (slightly stale) view of the cluster. Indexes are what keep reconcile cost proportional
 * to change: a ReplicaSet finds its pods through the owner index, never by scanning every pod.
 */
import type { ApiServer, WatchEvent } from './api-server.js';
import { objectKey } from '../api/object-key.js';
import { getControllerOf } from '../api/pod-util.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import { NamesByNamespace } from '../util/names-by-namespace.js';

/** Maps an object to the index values it is filed under (none, one or several). */
export type IndexFunction<T extends KubeObject> = (obj: DeepReadonly<T>) => string | readonly string[] | undefined;

/**
 * `key` is the object's cache key (objectKey of its namespace and name): the cache's own string,
 * for handlers that look up or enqueue the object by key — a string built afresh allocates, and
 * must be hashed again by every map it meets, while this one carries its hash already.
 */
export interface EventHandler<T extends KubeObject> {
  add?(obj: DeepReadonly<T>, key: string): void;
  update?(oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>, key: string): void;
  /** Receives the last state the cache held. */
  delete?(obj: DeepReadonly<T>, key: string): void;
}

/**
 * The part of an object an index function reads (e.g. `metadata.ownerReferences`, `spec`). When
 * an update leaves that part the very same value (`===`; objects are replaced, never mutated, and
 * a status write keeps the old spec and metadata fields by reference), the function's answer
 * cannot have changed and is not computed again.
 */
export type IndexInput<T extends KubeObject> = (obj: DeepReadonly<T>) => unknown;

/** An object's value under each index, in the order of the informer's indexes. */
type IndexValues = (string | readonly string[] | undefined)[];

/**
 * One cached object's place in the cache, shared by the key map, the namespace map and every
 * index bucket it is filed in. An update replaces `obj` in place: no map is written, and a
 * bucket's objects are read without a lookup by key (these are large maps, and each lookup in
 * one is a likely cache miss).
 */
interface Entry<T> {
  readonly key: string;
  obj: T;
  /**
   * The object's index values as computed when it was filed: a watch event then runs the index
   * functions on the new object only, never again on the old one (objects are immutable, so the
   * old values still hold). Pods carry seven indexes; this halves their cost.
   */
  filed: IndexValues | undefined;
}

interface Index<T extends KubeObject> {
  readonly fn: IndexFunction<T>;
  /** The parts `fn` reads (see {@link IndexInput}); undefined: it runs on every update. */
  readonly inputs: readonly IndexInput<T>[] | undefined;
  /** Index value → the entries filed under it, in filing order. Entries, not objects: an update
   *  that moves nothing (a status write) costs nothing here. */
  readonly buckets: Map<string, Set<Entry<DeepReadonly<T>>>>;
  /**
   * An index by {@link objectNamespace}: served from the informer's `byNamespace`, which holds the
   * same entries in the same (filing) order, rather than filed into a bucket every object of the
   * namespace lands in (one insertion and one removal in a large set per object, for nothing).
   * Such an index is left out of `indexList`, and its `buckets` stay empty.
   */
  readonly byNamespace: boolean;
}

/** The entries under one index value, as the views read them: a bucket, or a namespace's entries. */
interface EntryGroup<T> extends Iterable<Entry<T>> {
  readonly size: number;
  has(entry: Entry<T>): boolean;
}

const NO_ENTRIES: EntryGroup<never> = new Set();

/** A namespace's entries (the informer's own map of them, by name) as an index bucket. */
class NamespaceGroup<T extends KubeObject> implements EntryGroup<DeepReadonly<T>> {
  constructor(private readonly names: ReadonlyMap<string, Entry<DeepReadonly<T>>>) {}

  get size(): number {
    return this.names.size;
  }

  has(entry: Entry<DeepReadonly<T>>): boolean {
    return this.names.get(entry.obj.metadata.name) === entry;
  }

  [Symbol.iterator](): Iterator<Entry<DeepReadonly<T>>> {
    return this.names.values();
  }
}

function asValues(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function sameValues(a: string | readonly string[] | undefined, b: string | readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a === 'string' || typeof b === 'string') return false;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The objects under one index value, read through the cache (a live, read-only view). */
class IndexView<T> implements ReadonlyMap<string, T> {
  constructor(
    private readonly bucket: EntryGroup<T>,
    private readonly entries_: ReadonlyMap<string, Entry<T>>,
  ) {}

  get size(): number {
    return this.bucket.size;
  }

  has(key: string): boolean {
    const entry = this.entries_.get(key);
    return entry !== undefined && this.bucket.has(entry);
  }

  get(key: string): T | undefined {
    const entry = this.entries_.get(key);
    return entry !== undefined && this.bucket.has(entry) ? entry.obj : undefined;
  }

  keys(): MapIterator<string> {
    const out = new Array<string>(this.bucket.size);
    let i = 0;
    for (const entry of this.bucket) out[i++] = entry.key;
    return out.values() as unknown as MapIterator<string>;
  }

  // Arrays, not generators: these run on hot paths, where generators cost several times more.
  values(): MapIterator<T> {
    const out = new Array<T>(this.bucket.size);
    let i = 0;
    for (const entry of this.bucket) out[i++] = entry.obj;
    return out.values() as unknown as MapIterator<T>;
  }

  entries(): MapIterator<[string, T]> {
    const out = new Array<[string, T]>(this.bucket.size);
    let i = 0;
    for (const entry of this.bucket) out[i++] = [entry.key, entry.obj];
    return out.values() as unknown as MapIterator<[string, T]>;
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  forEach(callback: (value: T, key: string, map: ReadonlyMap<string, T>) => void): void {
    for (const entry of this.bucket) callback(entry.obj, entry.key, this);
  }
}

/** The cached objects in key order of arrival, as a live iterator over the entries. */
function* objectsOf<T>(entries: ReadonlyMap<string, Entry<T>>): IterableIterator<T> {
  for (const entry of entries.values()) yield entry.obj;
}

export class Informer<T extends KubeObject> {
  private readonly entries = new Map<string, Entry<DeepReadonly<T>>>();
  /**
   * The same entries by namespace ('' for cluster-scoped ones), then name: `get` then builds no
   * key string (a fresh string allocates and must be hashed again; handlers resolve owners by
   * namespace and name on nearly every event).
   */
  private readonly byNamespace = new NamesByNamespace<Entry<DeepReadonly<T>>>();
  private readonly indexes = new Map<string, Index<T>>();
  /** The indexes objects are filed in, in order, as an array: every watch event walks them. */
  private readonly indexList: Index<T>[] = [];
  /** The view `byIndex` gives for every value nobody has (see there). */
  private emptyView: IndexView<DeepReadonly<T>> | undefined;
  /**
   * The handlers' functions by event, bound to their handler, in registration order: a watch
   * event calls them without loading `add`/`update`/`delete` from each handler object (a
   * megamorphic property load per handler per event; the pod informer has a dozen handlers) and
   * without visiting the handlers that lack the function.
   */
  private readonly onAdd: ((obj: DeepReadonly<T>, key: string) => void)[] = [];
  private readonly onUpdate: ((oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>, key: string) => void)[] = [];
  private readonly onDelete: ((obj: DeepReadonly<T>, key: string) => void)[] = [];

  constructor(readonly kind: string) {}

  /**
   * Adds a secondary index; must be called before objects arrive. `input`, when given, names the
   * only part of the object `fn` reads (within one namespace/name key), or a list of the only
   * parts, so updates that leave it (each of them) the same skip `fn`. Indexes given the very
   * same list, one after the other, compare it once per update (a lone function is wrapped in a
   * list of its own, so two indexes given the same function compare it twice). An index by {@link objectNamespace} files nothing (see
   * `Index.byNamespace`).
   */
  addIndex(name: string, fn: IndexFunction<T>, input?: IndexInput<T> | readonly IndexInput<T>[]): this {
    if (this.indexes.has(name)) return this;
    if (this.entries.size > 0) throw new Error(`informer ${this.kind}: index ${name} added after objects arrived`);
    const byNamespace = fn === objectNamespace;
    const inputs = typeof input === 'function' ? [input] : input;
    const index: Index<T> = { fn, inputs, buckets: new Map(), byNamespace };
    this.indexes.set(name, index);
    if (!byNamespace) this.indexList.push(index);
    return this;
  }

  addEventHandler(handler: EventHandler<T>): void {
    if (handler.add !== undefined) this.onAdd.push(handler.add.bind(handler));
    if (handler.update !== undefined) this.onUpdate.push(handler.update.bind(handler));
    if (handler.delete !== undefined) this.onDelete.push(handler.delete.bind(handler));
  }

  get(namespace: string | undefined, name: string): DeepReadonly<T> | undefined {
    return this.byNamespace.namesOf(namespace || '')?.get(name)?.obj;
  }

  getByKey(key: string): DeepReadonly<T> | undefined {
    return this.entries.get(key)?.obj;
  }

  list(): IterableIterator<DeepReadonly<T>> {
    return objectsOf(this.entries);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Objects filed under `value` in index `name`, keyed by object key: a read-only view, to read
   * before the informer's next change. (Whether a view kept longer follows later changes depends
   * on the index: one served from the namespace map does, an emptied bucket's or the shared empty
   * view does not.)
   */
  byIndex(name: string, value: string): ReadonlyMap<string, DeepReadonly<T>> {
    const bucket = this.bucket(name, value);
    // A value nobody has gets the one empty view, as fixed as its bucket (most asks are such: the
    // garbage collector asks every informer for the dependents of each object that goes).
    return bucket === NO_ENTRIES ? (this.emptyView ??= new IndexView(NO_ENTRIES, this.entries)) : new IndexView(bucket, this.entries);
  }

  /** How many objects are filed under `value` in index `name`. */
  countIndexed(name: string, value: string): number {
    return this.bucket(name, value).size;
  }

  /**
   * Whether the objects under `value` in index `name` are exactly `expected`, the very same
   * objects in the same (filing) order: an allocation-free check that nothing a caller read
   * through `byIndex` has been replaced since (cached objects are replaced, never mutated).
   */
  sameIndexed(name: string, value: string, expected: readonly DeepReadonly<T>[]): boolean {
    const bucket = this.bucket(name, value);
    if (bucket.size !== expected.length) return false;
    let i = 0;
    for (const entry of bucket) if (entry.obj !== expected[i++]) return false;
    return true;
  }

  private bucket(name: string, value: string): EntryGroup<DeepReadonly<T>> {
    const index = this.indexes.get(name);
    if (index === undefined) throw new Error(`informer ${this.kind}: no index named ${name}`);
    if (index.byNamespace) {
      const names = this.byNamespace.namesOf(value);
      return names === undefined ? NO_ENTRIES : new NamespaceGroup<T>(names);
    }
    return index.buckets.get(value) ?? NO_ENTRIES;
  }

  /** Applies one watch event to the cache and indexes, then calls the handlers. */
  handle(event: WatchEvent<T>): void {
    const obj = event.object;
    const slot = event.slot;
    const key = event.key ?? objectKey(obj.metadata.namespace, obj.metadata.name);
    // The store slot this informer claimed leads to the object's entry without a lookup.
    const entry = slot !== undefined && slot.owner === this ? (slot.record as Entry<DeepReadonly<T>>) : this.entries.get(key);
    if (event.type === 'DELETED') {
      if (entry === undefined) return;
      const cached = entry.obj;
      this.entries.delete(key);
      this.byNamespace.namesOf(cached.metadata.namespace || '')?.delete(cached.metadata.name);
      this.unfileAll(entry);
      for (const onDelete of this.onDelete) onDelete(cached, key);
      return;
    }
    if (entry === undefined) {
      const added: Entry<DeepReadonly<T>> = { key, obj, filed: undefined };
      this.entries.set(key, added);
      if (slot !== undefined && slot.owner === undefined) {
        slot.owner = this;
        slot.record = added;
      }
      const namespace = obj.metadata.namespace || '';
      this.byNamespace.namesFor(namespace).set(obj.metadata.name, added);
      this.fileAll(added);
      for (const onAdd of this.onAdd) onAdd(obj, key);
      return;
    }
    const cached = entry.obj;
    entry.obj = obj;
    this.refile(entry, cached);
    for (const onUpdate of this.onUpdate) onUpdate(cached, obj, key);
  }

  /** Files a new entry under each index's values for its object. */
  private fileAll(entry: Entry<DeepReadonly<T>>): void {
    const indexes = this.indexList;
    const values: IndexValues = new Array<string | readonly string[] | undefined>(indexes.length);
    for (let i = 0; i < indexes.length; i++) {
      const raw = indexes[i].fn(entry.obj);
      values[i] = raw;
      for (const value of asValues(raw)) file(indexes[i].buckets, entry, value);
    }
    entry.filed = values;
  }

  /** Takes a leaving entry out of every bucket it was filed in. */
  private unfileAll(entry: Entry<DeepReadonly<T>>): void {
    const values = entry.filed;
    if (values === undefined) return;
    const indexes = this.indexList;
    for (let i = 0; i < indexes.length; i++) unfile(indexes[i].buckets, entry, values[i], undefined);
    entry.filed = undefined;
  }

  /** Moves an updated entry from the buckets of `oldObj` (its previous object) to those of its new one. */
  private refile(entry: Entry<DeepReadonly<T>>, oldObj: DeepReadonly<T>): void {
    const oldValues = entry.filed;
    if (oldValues === undefined) return;
    const newObj = entry.obj;
    const indexes = this.indexList;
    // Copied on the first index whose values change: an update that moves nothing (most of them:
    // status writes) keeps the filed values it had and allocates nothing. Values found equal are
    // interchangeable, so the old ones stand for the new.
    let newValues: IndexValues | undefined;
    // Indexes reading the same parts (the owner references, for three) compare them once.
    let lastInputs: readonly IndexInput<T>[] | undefined;
    let lastSame = false;
    for (let i = 0; i < indexes.length; i++) {
      const { fn, inputs, buckets } = indexes[i];
      if (inputs !== undefined) {
        if (inputs !== lastInputs) {
          lastInputs = inputs;
          lastSame = sameInputs(inputs, oldObj, newObj);
        }
        if (lastSame) continue;
      }
      const newRaw = fn(newObj);
      const oldRaw = oldValues[i];
      if (sameValues(oldRaw, newRaw)) continue;
      (newValues ??= oldValues.slice())[i] = newRaw;
      unfile(buckets, entry, oldRaw, newRaw);
      for (const value of asValues(newRaw)) file(buckets, entry, value);
    }
    if (newValues !== undefined) entry.filed = newValues;
  }
}

/** Whether `oldObj` and `newObj` hold the very same value in each of the parts `inputs` read. */
function sameInputs<T extends KubeObject>(inputs: readonly IndexInput<T>[], oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i](oldObj) !== inputs[i](newObj)) return false;
  return true;
}

/** Files `entry` under `value`. */
function file<T>(buckets: Map<string, Set<Entry<T>>>, entry: Entry<T>, value: string): void {
  let bucket = buckets.get(value);
  if (bucket === undefined) buckets.set(value, (bucket = new Set()));
  bucket.add(entry);
}

/** Takes `entry` out of the buckets of `oldRaw` that `newRaw` does not also name. */
function unfile<T>(buckets: Map<string, Set<Entry<T>>>, entry: Entry<T>, oldRaw: string | readonly string[] | undefined, newRaw: string | readonly string[] | undefined): void {
  const newList = asValues(newRaw);
  for (const value of asValues(oldRaw)) {
    if (newList.includes(value)) continue;
    const bucket = buckets.get(value);
    if (bucket === undefined) continue;
    bucket.delete(entry);
    if (bucket.size === 0) buckets.delete(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Index functions every kind can use

/** The uid of the controller owner (controller-ref index of the ReplicaSet controller, 1.29+). */
export const INDEX_CONTROLLER_UID = 'controllerUID';
/** The uid of every owner, controller or not (garbage collector). */
export const INDEX_OWNER_UID = 'ownerUID';
/** Namespace of objects with no controller owner: candidates for adoption. */
export const INDEX_ORPHANS = 'orphans';
/** Pods by `spec.nodeName` (unscheduled pods are under no value). */
export const INDEX_NODE_NAME = 'nodeName';

/**
 * Objects by namespace ('' for cluster-scoped ones). An informer serves an index with this very
 * function from its own map of objects by namespace, filing nothing.
 */
export function objectNamespace(obj: DeepReadonly<KubeObject>): string {
  return obj.metadata.namespace || '';
}

export function ownerReferencesOf(obj: DeepReadonly<KubeObject>): unknown {
  return obj.metadata.ownerReferences;
}

/** The input of every index that reads the owner references only: one list, compared once per update. */
const OWNER_REFERENCES_INPUT: readonly IndexInput<KubeObject>[] = [ownerReferencesOf];

/**
 * Pods by node, reading `spec` only: the index every per-node component shares. Unscheduled pods
 * are filed under no value rather than under '': nobody asks for the pods of node '' (no node has
 * that name), and every pod would pass through that one large bucket, in and out again on binding.
 */
export function podNodeName(pod: DeepReadonly<Pod>): string | undefined {
  return pod.spec.nodeName || undefined;
}

export function podSpecOf(pod: DeepReadonly<Pod>): unknown {
  return pod.spec;
}

export function controllerUid(obj: DeepReadonly<KubeObject>): string | undefined {
  return getControllerOf(obj.metadata)?.uid;
}

/** The owners' uids; a sole owner's (nearly every object's case) as a string, with no array to allocate. */
export function ownerUids(obj: DeepReadonly<KubeObject>): string | readonly string[] | undefined {
  const refs = obj.metadata.ownerReferences;
  if (refs === undefined || refs.length === 0) return undefined;
  return refs.length === 1 ? refs[0].uid : refs.map((ref) => ref.uid);
}

export function orphanNamespace(obj: DeepReadonly<KubeObject>): string | undefined {
  return getControllerOf(obj.metadata) === undefined ? (obj.metadata.namespace ?? '') : undefined;
}

/** One informer per kind, connected to the API server's watch on first use. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();

  constructor(private readonly apiServer: ApiServer) {}

  forKind<T extends KubeObject>(kind: string): Informer<T> {
    let informer = this.informers.get(kind);
    if (informer === undefined) {
      // All three read the owner references only (orphanNamespace also the namespace, which an
      // object keeps for life).
      const created = new Informer<KubeObject>(kind)
        .addIndex(INDEX_CONTROLLER_UID, controllerUid, OWNER_REFERENCES_INPUT)
        .addIndex(INDEX_OWNER_UID, ownerUids, OWNER_REFERENCES_INPUT)
        .addIndex(INDEX_ORPHANS, orphanNamespace, OWNER_REFERENCES_INPUT);
      this.informers.set(kind, created);
      this.apiServer.watch(kind, (event) => created.handle(event));
      informer = created;
    }
    return informer as unknown as Informer<T>;
  }
}
