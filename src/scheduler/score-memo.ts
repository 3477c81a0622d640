/**
 * Per-node memos carried from cycle to cycle: one score plugin's raw scores (NodeScoreMemo),
 * and a whole profile's verdict and weighted score per node (NodeResultMemo, kept by the
 * Framework). No upstream counterpart: kube-scheduler recomputes every filter and score every
 * cycle; these only save the work, never change a result.
 *
 * Why they are exact: a memoised result is a pure function of the pod's inputs (compared by
 * value) and of one node-table row. A memo is emptied when the inputs differ from the previous
 * cycle's, and an entry is used only while the row has not been stamped since it was computed
 * — and the table gives a row a new stamp on every change of anything plugins read of the
 * node, and a stamp never seen before when the row passes to another node (node-info.ts).
 *
 * Why they pay: pods of one template have the same requests, and between two cycles only the
 * node that took the last pod (and any node whose pods changed meanwhile) has moved, so most of
 * the hundreds of nodes a cycle looks at are answered without a division — with NodeResultMemo,
 * with one comparison, instead of a pass per filter and per score plugin.
 */
import type { NodeTable } from './node-info.js';

export class NodeScoreMemo {
  /** The row versions the scores were computed at (0: none; the table's stamps start at 1). */
  seen = new Float64Array(0);
  /** Memoised scores by row. */
  scores = new Int32Array(0);
  private table: NodeTable | undefined;
  private first = Number.NaN;
  private second = Number.NaN;

  /**
   * Prepares a cycle over `table` for a pod whose inputs are (first, second): keeps what was
   * memoised for the same table and the same inputs, forgets it otherwise. Read `seen` and
   * `scores` after this call (they are replaced when the table has grown).
   */
  begin(table: NodeTable, first: number, second: number): void {
    if (this.seen.length < table.capacity) {
      this.seen = new Float64Array(table.capacity);
      this.scores = new Int32Array(table.capacity);
    } else if (table !== this.table || first !== this.first || second !== this.second) {
      this.seen.fill(0);
    }
    this.table = table;
    this.first = first;
    this.second = second;
  }
}

/**
 * What a profile concluded about each node for the pods of the current key: whether the node
 * passes every filter in play, and if so the weighted sum of the memoised score plugins'
 * scores. The key names the plugins in play and the epochs of their per-node functions
 * (framework.ts: NodeLocal), so equal keys mean every entry still answers for the current pod.
 *
 * Unlike NodeScoreMemo it learns which rows changed from the table's change log, once per
 * cycle, instead of comparing each row's stamp as it reads it: a cycle then reads one number
 * per node, where comparing stamps would read three arrays — and the arrays are cold by the
 * time the next pod comes (the rest of the simulation ran meanwhile), so what a cycle costs is
 * mostly how many cache lines it reads.
 */
export class NodeResultMemo {
  /**
   * By row: Σ weight × score over the memoised score plugins when the node fits; otherwise
   * UNFIT, or STALE when the row changed since (or was never computed for this key).
   */
  totals = new Int32Array(0);
  private table: NodeTable | undefined;
  private readonly key: Float64Array;
  /** The table's last stamp when the entries were last brought up to date. */
  private stampSeen = 0;
  private readonly markStale = (row: number): void => {
    this.totals[row] = STALE;
  };

  constructor(keyLength: number) {
    this.key = new Float64Array(keyLength).fill(Number.NaN);
  }

  /**
   * Prepares a cycle over `table` for `key`: keeps the entries computed for the same table and
   * an equal key whose rows have not changed since, marks every other one STALE. Read `totals`
   * after this call (it is replaced when the table has grown).
   */
  begin(table: NodeTable, key: Float64Array): void {
    if (this.totals.length < table.capacity) {
      this.totals = new Int32Array(table.capacity).fill(STALE);
    } else if (table !== this.table || !sameNumbers(key, this.key) || !table.forEachChangeSince(this.stampSeen, this.markStale)) {
      this.totals.fill(STALE);
    }
    this.table = table;
    this.key.set(key);
    this.stampSeen = table.lastStamp;
  }
}

/**
 * NodeResultMemo entries that are not sums. Scores are 0–MAX_NODE_SCORE and weights small
 * integers, so no weighted sum comes near these.
 */
export const STALE = -0x80000000;
export const UNFIT = -0x7fffffff;

function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The epoch a node-local plugin reports (framework.ts: NodeLocal) when its per-node function is
 * determined by one input: a new epoch whenever the input differs from the previous call's.
 * The identity check comes first — pods of a template share their spec, so it usually answers.
 */
export class InputEpoch<T> {
  private epoch = 0;
  private last: T | undefined;

  /** @param same value equality of two inputs (identity is checked first). */
  constructor(private readonly same: (a: T, b: T) => boolean = Object.is) {}

  note(input: T): number {
    if (this.epoch === 0 || (input !== this.last && !this.same(input, this.last as T))) this.epoch++;
    this.last = input;
    return this.epoch;
  }
}
