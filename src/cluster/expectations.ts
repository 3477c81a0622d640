/**
 * Controller expectations (pkg/controller/controller_utils.go: ControllerExpectations,
 * UIDTrackingControllerExpectations).
 *
 * Before creating or deleting pods a controller records how many adds and deletes it expects
 * to observe through its informer; it performs no further creates or deletes until they have
 * been observed (or the record expired). This is what keeps a controller with a stale cache
 * from creating the same pods twice.
 */

/** ExpectationsTimeout: a lost watch event must not wedge a controller forever. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Record_ {
  add: number;
  del: number;
  timestamp: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Record_>();

  constructor(
    private readonly clock: () => number,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** True when there is no record, all expected events were seen, or the record expired. */
  satisfiedExpectations(key: string): boolean {
    const record = this.records.get(key);
    if (record === undefined) return true;
    if (record.add <= 0 && record.del <= 0) return true;
    return this.clock() - record.timestamp > this.timeoutMs;
  }

  /** The outstanding (add, del) counts, for tests and diagnostics. */
  get(key: string): { add: number; del: number } | undefined {
    const record = this.records.get(key);
    return record === undefined ? undefined : { add: record.add, del: record.del };
  }

  setExpectations(key: string, add: number, del: number): void {
    this.records.set(key, { add, del, timestamp: this.clock() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  raiseExpectations(key: string, add: number, del: number): void {
    const record = this.records.get(key);
    if (record === undefined) return;
    record.add += add;
    record.del += del;
  }

  lowerExpectations(key: string, add: number, del: number): void {
    const record = this.records.get(key);
    if (record === undefined) return;
    record.add -= add;
    record.del -= del;
  }

  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  deleteExpectations(key: string): void {
    this.records.delete(key);
  }
}

/**
 * Expectations that also remember which pods are expected to go, so a deletion is counted once
 * even when both the terminating update and the final delete are observed.
 */
export class UIDTrackingExpectations {
  private readonly expected: ControllerExpectations;
  private readonly pendingDeletes = new Map<string, Set<string>>();

  constructor(clock: () => number, timeoutMs = EXPECTATIONS_TIMEOUT_MS) {
    this.expected = new ControllerExpectations(clock, timeoutMs);
  }

  satisfiedExpectations(key: string): boolean {
    return this.expected.satisfiedExpectations(key);
  }

  get(key: string): { add: number; del: number } | undefined {
    return this.expected.get(key);
  }

  expectCreations(key: string, adds: number): void {
    this.expected.expectCreations(key, adds);
  }

  creationObserved(key: string): void {
    this.expected.creationObserved(key);
  }

  lowerExpectations(key: string, add: number, del: number): void {
    this.expected.lowerExpectations(key, add, del);
  }

  /** Expects the deletion of exactly these pods (by object key). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const pending = new Set(podKeys);
    this.pendingDeletes.set(key, pending);
    this.expected.expectDeletions(key, pending.size);
  }

  /** Counts the pod's deletion if it was expected and not yet counted. */
  deletionObserved(key: string, podKey: string): void {
    const pending = this.pendingDeletes.get(key);
    if (pending === undefined || !pending.delete(podKey)) return;
    this.expected.deletionObserved(key);
  }

  deleteExpectations(key: string): void {
    this.expected.deleteExpectations(key);
    this.pendingDeletes.delete(key);
  }
}
