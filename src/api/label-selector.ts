/**
 * Label selectors (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go: LabelSelectorAsSelector) and
 * node selectors (k8s.io/component-helpers/scheduling/corev1/nodeaffinity).
 *
 * Selectors compile once into predicates; callers cache the compiled form per object.
 */
import type { DeepReadonly, LabelSelector, LabelSelectorRequirement } from './types/meta.js';
import type { NodeSelectorRequirement, NodeSelectorTerm } from './types/pod.js';

export type Labels = Readonly<Record<string, string>> | undefined;
export type LabelPredicate = (labels: Labels) => boolean;

const matchNothing: LabelPredicate = () => false;
const matchEverything: LabelPredicate = () => true;

function requirementPredicate(req: DeepReadonly<LabelSelectorRequirement>): LabelPredicate {
  const values = new Set(req.values ?? []);
  switch (req.operator) {
    case 'In':
      return (labels) => labels !== undefined && Object.hasOwn(labels, req.key) && values.has(labels[req.key]);
    case 'NotIn':
      return (labels) => labels === undefined || !Object.hasOwn(labels, req.key) || !values.has(labels[req.key]);
    case 'Exists':
      return (labels) => labels !== undefined && Object.hasOwn(labels, req.key);
    case 'DoesNotExist':
      return (labels) => labels === undefined || !Object.hasOwn(labels, req.key);
  }
}

/**
 * Compiles a LabelSelector. As upstream: a missing selector matches nothing, an empty one
 * (`{}`) matches everything; matchLabels and matchExpressions are ANDed.
 */
export function compileLabelSelector(selector: DeepReadonly<LabelSelector> | undefined | null): LabelPredicate {
  if (selector === undefined || selector === null) return matchNothing;
  const predicates: LabelPredicate[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    predicates.push((labels) => labels !== undefined && Object.hasOwn(labels, key) && labels[key] === value);
  }
  for (const req of selector.matchExpressions ?? []) predicates.push(requirementPredicate(req));
  if (predicates.length === 0) return matchEverything;
  if (predicates.length === 1) return predicates[0];
  return (labels) => {
    for (const predicate of predicates) if (!predicate(labels)) return false;
    return true;
  };
}

/** Compiled selectors by selector object (stored objects never change, so identity is a safe key). */
const compiledSelectors = new WeakMap<object, LabelPredicate>();

/**
 * compileLabelSelector, remembered per selector object: controllers ask with the same stored
 * selector on every sync and every pod event.
 */
export function compiledLabelSelector(selector: DeepReadonly<LabelSelector> | undefined | null): LabelPredicate {
  if (selector === undefined || selector === null) return matchNothing;
  let predicate = compiledSelectors.get(selector);
  if (predicate === undefined) compiledSelectors.set(selector, (predicate = compileLabelSelector(selector)));
  return predicate;
}

/**
 * The selector as kubectl writes it (`app=web,tier in (a,b),!canary`), requirements sorted by
 * key as labels.Selector.String() sorts them (metav1.FormatLabelSelector); `<none>` when empty.
 */
export function formatLabelSelector(selector: DeepReadonly<LabelSelector> | undefined): string {
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) parts.push({ key, text: `${key}=${value}` });
  for (const req of selector?.matchExpressions ?? []) {
    const values = [...(req.values ?? [])].sort().join(',');
    const text = req.operator === 'In' ? `${req.key} in (${values})` : req.operator === 'NotIn' ? `${req.key} notin (${values})` : req.operator === 'Exists' ? req.key : `!${req.key}`;
    parts.push({ key: req.key, text });
  }
  if (parts.length === 0) return '<none>';
  return parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((p) => p.text).join(',');
}

/** True when the selector is `{}` (selects every object), which controllers refuse to act on. */
export function isEmptySelector(selector: DeepReadonly<LabelSelector> | undefined): boolean {
  return (
    selector !== undefined &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/** A plain map selector as Services and nodeSelector use (all pairs must match). */
export function matchesLabelMap(selector: Readonly<Record<string, string>>, labels: Labels): boolean {
  for (const key in selector) if (labels === undefined || !Object.hasOwn(labels, key) || labels[key] !== selector[key]) return false;
  return true;
}

/** The node fields a node selector can look at. */
export interface NodeSelectorSubject {
  readonly labels: Labels;
  readonly name: string;
}

function nodeRequirementMatches(req: DeepReadonly<NodeSelectorRequirement>, value: string | undefined): boolean {
  switch (req.operator) {
    case 'In':
      return value !== undefined && (req.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(req.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const bound = Number((req.values ?? [])[0]);
      return req.operator === 'Gt' ? Number(value) > bound : Number(value) < bound;
    }
  }
}

/** A term matches when all its requirements do; an empty term matches nothing (upstream). */
export function nodeSelectorTermMatches(term: DeepReadonly<NodeSelectorTerm>, node: NodeSelectorSubject): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  for (const req of expressions) {
    const value = node.labels !== undefined && Object.hasOwn(node.labels, req.key) ? node.labels[req.key] : undefined;
    if (!nodeRequirementMatches(req, value)) return false;
  }
  for (const req of fields) {
    // Only metadata.name is a supported field (validation rejects others).
    if (!nodeRequirementMatches(req, req.key === 'metadata.name' ? node.name : undefined)) return false;
  }
  return true;
}

/** Terms are ORed. */
export function nodeSelectorTermsMatch(terms: readonly DeepReadonly<NodeSelectorTerm>[], node: NodeSelectorSubject): boolean {
  for (const term of terms) if (nodeSelectorTermMatches(term, node)) return true;
  return false;
}
