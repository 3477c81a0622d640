/**
 * Where two versions of an immutable list differ, by object identity: what lets a follower of a
 * list (an index, a count, a validation) apply a new version at the cost of what changed.
 */

/** `before[start, beforeEnd)` became `after[start, afterEnd)`; the rest is the same. */
export interface ChangedRange {
  readonly start: number;
  readonly beforeEnd: number;
  readonly afterEnd: number;
}

/**
 * Where two versions of a list differ: the longest common prefix and then suffix of the very
 * same objects are left out, and the multiset difference of the two lists is that of the two
 * middles. Stored objects are immutable and the EndpointSlice controller carries the endpoints it
 * keeps over to a slice's next version as the same objects, so an update of a few endpoints of a
 * full slice has short middles: whoever follows slices can apply a write at the cost of what it
 * changed.
 */
export function changedRange(before: readonly unknown[], after: readonly unknown[]): ChangedRange {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before[start] === after[start]) start++;
  let beforeEnd = before.length;
  let afterEnd = after.length;
  while (beforeEnd > start && afterEnd > start && before[beforeEnd - 1] === after[afterEnd - 1]) {
    beforeEnd--;
    afterEnd--;
  }
  return { start, beforeEnd, afterEnd };
}
