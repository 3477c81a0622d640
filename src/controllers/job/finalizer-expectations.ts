/**
 * The pods whose tracking-finalizer removal a Job's controller waits to observe
 * (pkg/controller/job/tracking_utils.go: uidTrackingExpectations). Until the informer shows the
 * finalizer gone, a sync treats such a pod as already counted, so a stale cache never counts a
 * finished pod twice.
 */
export class FinalizerExpectations {
  private readonly expected = new Map<string, Set<string>>();

  /** getExpectedUIDs: a snapshot. */
  getExpectedUIDs(jobKey: string): ReadonlySet<string> {
    const uids = this.expected.get(jobKey);
    return uids === undefined ? EMPTY : new Set(uids);
  }

  /** expectFinalizersRemoved. */
  expectFinalizersRemoved(jobKey: string, uids: readonly string[]): void {
    let set = this.expected.get(jobKey);
    if (set === undefined) this.expected.set(jobKey, (set = new Set()));
    for (const uid of uids) set.add(uid);
  }

  /** finalizerRemovalObserved. */
  finalizerRemovalObserved(jobKey: string, uid: string): void {
    this.expected.get(jobKey)?.delete(uid);
  }

  deleteExpectations(jobKey: string): void {
    this.expected.delete(jobKey);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
