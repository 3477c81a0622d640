/**
 * A per-node memo of one score plugin's raw scores, carried from cycle to cycle. No upstream
 * counterpart: kube-scheduler recomputes every score every cycle; this only saves the
 * arithmetic, never changes a result.
 *
 * Why it is exact: a memoised score is a pure function of the pod's inputs the plugin names
 * (numbers, compared by value) and of one node-table row. The memo is emptied when the inputs
 * differ from the previous cycle's, and an entry is used only while the row's version stamp is
 * the one it was computed at — and the table gives a row a new stamp on every change of its
 * numbers, and a stamp never seen before when the row passes to another node (node-info.ts).
 *
 * Why it pays: pods of one template have the same requests, and between two cycles only the
 * node that took the last pod (and any node whose pods changed meanwhile) has moved, so most of
 * the hundreds of nodes a cycle scores are answered without a division.
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
