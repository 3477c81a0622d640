/**
 * A *LabelSelector as Go's `%+v` prints it (its generated String()), since upstream writes it
 * into External metric names and errors: `external metric queue(&LabelSelector{MatchLabels:
 * map[string]string{queue: orders,},MatchExpressions:[]LabelSelectorRequirement{},})`, or
 * `external metric queue(nil)` without a selector.
 */
import type { DeepReadonly, LabelSelector } from '../../api/types/meta.js';

export function goLabelSelector(selector: DeepReadonly<LabelSelector> | undefined): string {
  if (selector === undefined) return 'nil';
  const labels = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${selector.matchLabels?.[k]},`)
    .join('');
  const expressions = (selector.matchExpressions ?? []).map((e) => `&LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}
