/**
 * Values by namespace, then name, remembering the namespace looked up last: a cluster has few
 * namespaces and nearly every lookup names the one the lookup before did, so a hit skips hashing
 * the namespace again (the API server's stores and the informers' caches look objects up by
 * namespace and name on every write and nearly every event). A namespace's map is never removed
 * (an emptied one stays, empty), so the remembered map is always the current one.
 */
export class NamesByNamespace<V> {
  private readonly namespaces = new Map<string, Map<string, V>>();
  private lastNamespace: string | undefined;
  private lastNames: Map<string, V> | undefined;

  /** The values of `namespace` by name, if it has had any. */
  namesOf(namespace: string): Map<string, V> | undefined {
    if (namespace === this.lastNamespace) return this.lastNames;
    const names = this.namespaces.get(namespace);
    if (names !== undefined) {
      this.lastNamespace = namespace;
      this.lastNames = names;
    }
    return names;
  }

  /** The values of `namespace` by name, the map made on first use. */
  namesFor(namespace: string): Map<string, V> {
    let names = this.namesOf(namespace);
    if (names === undefined) this.namespaces.set(namespace, (names = new Map()));
    return names;
  }
}
