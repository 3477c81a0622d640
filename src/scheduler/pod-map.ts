/**
 * A map keyed by a pod's namespace and name — the same as a Map keyed by `namespace/name`
 * (objectKey), since neither part may contain a slash, but without building that string for
 * every lookup. Successive versions of a pod share their name and namespace strings, whose
 * hashes V8 keeps, so a lookup hashes nothing new; a fresh `namespace/name` string is a rope to
 * flatten and hash each time, which costs more than the rest of a cache update.
 *
 * No upstream counterpart (client-go keys by the joined string); iteration is not offered, so
 * no order can differ from the flat map's.
 */
export class PodMap<V> {
  private readonly byNamespace = new Map<string, Map<string, V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(namespace: string | undefined, name: string): V | undefined {
    return this.byNamespace.get(namespace || '')?.get(name);
  }

  set(namespace: string | undefined, name: string, value: V): void {
    const ns = namespace || '';
    let names = this.byNamespace.get(ns);
    if (names === undefined) this.byNamespace.set(ns, (names = new Map()));
    const size = names.size;
    names.set(name, value);
    this.count += names.size - size;
  }

  delete(namespace: string | undefined, name: string): boolean {
    const ns = namespace || '';
    const names = this.byNamespace.get(ns);
    if (names === undefined || !names.delete(name)) return false;
    this.count--;
    if (names.size === 0) this.byNamespace.delete(ns);
    return true;
  }
}
