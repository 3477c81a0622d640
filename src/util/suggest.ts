/**
 * "Did you mean …?" — the nearest valid word to a misspelling, by Damerau–Levenshtein distance
 * (optimal string alignment), case-insensitive, only when close enough to be a plausible typo.
 */

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    current[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j] + 1, current[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, prevPrev[j - 2] + 1);
      current[j] = best;
    }
    [prevPrev, prev, current] = [prev, current, prevPrev];
  }
  return prev[n];
}

/**
 * The candidate closest to `word`, or undefined when none is within a third of the word's
 * length (at least 1, at most 3 edits). Ties go to the earlier candidate.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  if (word === '') return undefined;
  const lower = word.toLowerCase();
  const budget = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= budget ? best : undefined;
}

/** `did you mean "x"?` or the list of valid words when nothing is close. */
export function suggestion(word: string, candidates: readonly string[], noun = 'key'): string {
  const match = nearest(word, candidates);
  if (match !== undefined) return `did you mean "${match}"?`;
  const sorted = [...candidates].sort();
  const shown = sorted.slice(0, 12).map((c) => `"${c}"`).join(', ');
  return `valid ${noun}s: ${shown}${sorted.length > 12 ? `, … (${sorted.length} in all)` : ''}`;
}
