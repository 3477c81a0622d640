/**
 * Ordered index intervals (pkg/controller/job/indexed_job_utils.go: orderedIntervals,
 * parseIndexesFromString, withOrderedIndexes, merge, total, has, String): how an Indexed Job's
 * status.completedIndexes and status.failedIndexes ("0-3,5,7,8") are read and written.
 */

export interface Interval {
  readonly first: number;
  readonly last: number;
}

/** Disjoint, non-adjacent intervals in increasing order. */
export type OrderedIntervals = readonly Interval[];

export const NO_INTERVALS: OrderedIntervals = [];

/**
 * parseIndexesFromString: intervals below `completions`. Corrupted intervals are skipped, an
 * interval starting at or past `completions` ends the list, one running past it is cut.
 */
export function parseIndexesFromString(text: string | undefined, completions: number): OrderedIntervals {
  if (text === undefined || text === '') return NO_INTERVALS;
  const result: Interval[] = [];
  const atoi = (part: string): number | undefined => (/^[+-]?\d+$/.test(part) ? Number(part) : undefined);
  for (const intervalText of text.split(',')) {
    const limits = intervalText.split('-');
    const first = atoi(limits[0]);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const parsed = atoi(limits[1]);
      if (parsed === undefined) continue;
      last = Math.min(parsed, completions - 1);
    }
    const previous = result[result.length - 1];
    if (previous !== undefined && previous.last === first - 1) result[result.length - 1] = { first: previous.first, last };
    else result.push({ first, last });
  }
  return result;
}

/** merge: the union of two ordered lists, adjacent intervals joined. */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): OrderedIntervals {
  const result: Interval[] = [];
  const append = (next: Interval): void => {
    const last = result[result.length - 1];
    if (last === undefined || next.first > last.last + 1) result.push(next);
    else if (last.last < next.last) result[result.length - 1] = { first: last.first, last: next.last };
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i].first < b[j].first) append(a[i++]);
    else append(b[j++]);
  }
  while (i < a.length) append(a[i++]);
  while (j < b.length) append(b[j++]);
  return result;
}

/** withOrderedIndexes: `intervals` plus `indexes` (given in increasing order). */
export function withOrderedIndexes(intervals: OrderedIntervals, indexes: readonly number[]): OrderedIntervals {
  return mergeIntervals(intervals, indexes.map((index) => ({ first: index, last: index })));
}

/** total: how many indexes the intervals hold. */
export function totalIndexes(intervals: OrderedIntervals | undefined): number {
  let count = 0;
  for (const interval of intervals ?? NO_INTERVALS) count += interval.last - interval.first + 1;
  return count;
}

/** has: binary search for the interval that could hold `index`. */
export function hasIndex(intervals: OrderedIntervals | undefined, index: number): boolean {
  if (intervals === undefined) return false;
  let lo = 0;
  let hi = intervals.length;
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    if (intervals[mid].last >= index) hi = mid;
    else lo = mid + 1;
  }
  return hi < intervals.length && intervals[hi].first <= index;
}

/** String: "0-3,5"; two adjacent indexes are written "7,8", not "7-8". */
export function intervalsToString(intervals: OrderedIntervals): string {
  const parts: string[] = [];
  for (const { first, last } of intervals) {
    if (last === first) parts.push(String(first));
    else parts.push(`${first}${last === first + 1 ? ',' : '-'}${last}`);
  }
  return parts.join(',');
}
