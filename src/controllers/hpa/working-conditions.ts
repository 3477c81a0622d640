/**
 * The conditions one HPA sync builds on its copy of the status (horizontal.go: setCondition on
 * `hpa.Status.Conditions`), with exactly the rules of api/conditions.ts `setCondition` — the
 * condition of the update's type is replaced, and keeps its lastTransitionTime while its status
 * does not change — but without building a new list and new objects when nothing changed.
 *
 * A sync sets three or four conditions, and usually ends where the last one ended (AbleToScale
 * goes SucceededGetScale → ReadyForNewScale every time). Building fresh objects for that made
 * every sync allocate and deep-compare a status that had not changed; here an unchanged
 * condition stays the very object of the stored status, and an unchanged list the very array,
 * so "did the status change?" costs a few identity checks.
 *
 * Why reuse is safe: an object is reused only when it was built here (BUILT), so its keys are
 * exactly type, status, reason, message, lastTransitionTime in that order — what `setCondition`
 * builds from a ConditionUpdate — and only when all five values equal what `setCondition` would
 * build now. The result is the same list, value for value and key for key; stored objects are
 * immutable, so sharing them is too.
 */
import type { Condition } from '../../api/types/meta.js';
import type { ConditionUpdate } from './metric-proposals.js';

/** Conditions built by {@link WorkingConditions}: plain, with the key order described above. */
const BUILT = new WeakSet<object>();

function firstOfType(list: readonly Condition[], type: string): Condition | undefined {
  for (const c of list) if (c.type === type) return c;
  return undefined;
}

function reusable(c: Condition | undefined, update: ConditionUpdate, lastTransitionTime: number): c is Condition {
  return c !== undefined && BUILT.has(c) && c.status === update.status && c.reason === update.reason && c.message === update.message && c.lastTransitionTime === lastTransitionTime;
}

export class WorkingConditions {
  private list: Condition[];
  private copied = false;

  constructor(
    /** The stored status's conditions (never changed here). */
    private readonly original: readonly Condition[],
    private readonly now: number,
  ) {
    this.list = original as Condition[];
  }

  /** setCondition: `update` in place of every condition of its type, or appended. */
  set(update: ConditionUpdate): void {
    const existing = firstOfType(this.list, update.type);
    const lastTransitionTime = existing !== undefined && existing.status === update.status && existing.lastTransitionTime !== undefined ? existing.lastTransitionTime : this.now;
    let next: Condition;
    if (reusable(existing, update, lastTransitionTime)) next = existing;
    else {
      // A round trip within the sync (SucceededGetScale, then back to ReadyForNewScale) ends on
      // the stored object.
      const stored = firstOfType(this.original, update.type);
      if (reusable(stored, update, lastTransitionTime)) next = stored;
      else {
        next = { type: update.type, status: update.status, reason: update.reason, message: update.message, lastTransitionTime };
        BUILT.add(next);
      }
    }
    let replaced = false;
    for (let i = 0; i < this.list.length; i++) {
      if (this.list[i].type !== update.type) continue;
      replaced = true;
      if (this.list[i] !== next) this.writable()[i] = next;
    }
    if (!replaced) this.writable().push(next);
  }

  /** The list as the sync leaves it: the stored array itself when every entry is the stored one. */
  result(): Condition[] {
    const { list, original } = this;
    if (list === original || list.length !== original.length) return list;
    for (let i = 0; i < list.length; i++) if (list[i] !== original[i]) return list;
    return original as Condition[];
  }

  private writable(): Condition[] {
    if (!this.copied) {
      this.list = [...this.list];
      this.copied = true;
    }
    return this.list;
  }
}
