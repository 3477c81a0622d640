/**
 * successPolicy of Indexed Jobs (pkg/controller/job/success_policy.go: matchSuccessPolicy,
 * matchSucceededIndexesRule). A rule with succeededIndexes matches when all of those indexes
 * succeeded, or at least succeededCount of them; a rule with only succeededCount matches when
 * that many indexes succeeded. The first matching rule gives the SuccessCriteriaMet message.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import type { SuccessPolicy } from '../../api/types/job.js';
import { type OrderedIntervals, parseIndexesFromString, totalIndexes } from './intervals.js';

/** matchSucceededIndexesRule: how many of the rule's indexes succeeded, walking both lists once. */
export function matchSucceededIndexesRule(ruleIndexes: OrderedIntervals, succeeded: OrderedIntervals, succeededCount: number | undefined): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  while (r < ruleIndexes.length && s < succeeded.length) {
    const overlap = Math.min(ruleIndexes[r].last, succeeded[s].last) - Math.max(ruleIndexes[r].first, succeeded[s].first) + 1;
    if (overlap > 0) contains += overlap;
    if (succeeded[s].last < ruleIndexes[r].last) s++;
    else if (succeeded[s].last > ruleIndexes[r].last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === totalIndexes(ruleIndexes) || (succeededCount !== undefined && contains >= succeededCount);
}

/** matchSuccessPolicy: the message of the first matching rule, or undefined. */
export function matchSuccessPolicy(policy: DeepReadonly<SuccessPolicy> | undefined, completions: number, succeeded: OrderedIntervals): string | undefined {
  if (policy == null || succeeded.length === 0) return undefined;
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.succeededIndexes != null) {
      const required = parseIndexesFromString(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      if (matchSucceededIndexesRule(required, succeeded, rule.succeededCount ?? undefined)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount != null && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
