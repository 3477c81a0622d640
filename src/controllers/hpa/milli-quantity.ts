/**
 * A milli-unit count written as the API server writes a quantity it built with
 * `resource.NewMilliQuantity(v, DecimalSI)`: the canonical decimal form — `500m`, `2`, `1500m`,
 * `3k` — as metric values appear in an HPA's status and in `kubectl describe hpa`.
 */

const SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

export function formatMilliQuantity(milli: number): string {
  if (!Number.isFinite(milli)) throw new RangeError(`formatMilliQuantity: ${milli} is not a quantity`);
  if (milli === 0) return '0';
  if (milli % 1000 !== 0) return `${milli}m`;
  let value = milli / 1000;
  let suffix = 0;
  while (value % 1000 === 0 && suffix < SUFFIXES.length - 1) {
    value /= 1000;
    suffix++;
  }
  return `${value}${SUFFIXES[suffix]}`;
}
