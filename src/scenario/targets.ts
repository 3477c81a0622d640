/**
 * Targets as kubectl writes them (`deployment/web`, `deploy/web`, `node/pool-a-1`) and label
 * selectors as kubectl's `-l` takes them (`app=web,tier!=db,env in (prod,qa),!canary`) or as a
 * LabelSelector mapping (k8s.io/apimachinery/pkg/labels/selector.go: Parse).
 */
import { kindNames, resolveKindName } from '../api/kinds.js';
import type { LabelSelector, LabelSelectorRequirement } from '../api/types/meta.js';
import { suggestion } from '../util/suggest.js';
import type { Locator } from './yaml-source.js';
import type { Target } from './types.js';

export const DEFAULT_NAMESPACE = 'default';

/** Real kinds a later version simulates: named in targets, they get a clear refusal. */
const NOT_YET_SIMULATED_KINDS: readonly string[] = [];
const SHORT_NAMES: Record<string, string> = { sts: 'StatefulSet', ds: 'DaemonSet', cj: 'CronJob', hpa: 'HorizontalPodAutoscaler', pvc: 'PersistentVolumeClaim' };

/** Parses `kind/name`; `allowedKinds` restricts what the action accepts. */
export function parseTarget(value: unknown, namespace: string | undefined, at: Locator, allowedKinds?: readonly string[]): Target {
  if (typeof value !== 'string') throw at.expected('a target such as "deployment/web"', value);
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1 || value.indexOf('/', slash + 1) >= 0) {
    throw at.error(`"${value}" is not a target`, 'write it as kubectl does: <kind>/<name>, e.g. "deployment/web"');
  }
  const kindText = value.slice(0, slash);
  const name = value.slice(slash + 1);
  const info = resolveKindName(kindText);
  if (info === undefined) {
    const planned = NOT_YET_SIMULATED_KINDS.find((k) => k.toLowerCase() === kindText.toLowerCase().replace(/s$/, '') || SHORT_NAMES[kindText.toLowerCase()] === k);
    if (planned !== undefined) throw at.error(`${planned}s are not simulated by this version of k8sim yet`, 'the manifest is kept, but actions on it cannot run');
    throw at.error(`unknown kind "${kindText}" in target "${value}"`, suggestion(kindText, kindNames(), 'kind'));
  }
  if (allowedKinds !== undefined && !allowedKinds.includes(info.kind)) {
    throw at.error(`this action does not apply to ${info.kind}s`, `it takes ${allowedKinds.map((k) => `${k.toLowerCase()}/<name>`).join(' or ')}`);
  }
  return { kind: info.kind, name, namespace: info.namespaced ? (namespace ?? DEFAULT_NAMESPACE) : '' };
}

/** `deployment/web`, or `deployment/web -n team` outside the default namespace. */
export function formatTarget(target: Target): string {
  const text = `${target.kind.toLowerCase()}/${target.name}`;
  return target.namespace && target.namespace !== DEFAULT_NAMESPACE ? `${text} -n ${target.namespace}` : text;
}

const SELECTOR_TERM = /^\s*(!?)\s*([A-Za-z0-9_./-]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9_.-]*)|\s+(in|notin)\s*\(([^)]*)\))?\s*$/;

/** Splits on commas outside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** kubectl selector syntax → LabelSelector. */
export function parseSelectorString(text: string, at: Locator): LabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const term of splitTerms(text)) {
    const match = SELECTOR_TERM.exec(term);
    if (match === null || term.trim() === '') {
      throw at.error(`cannot parse "${term.trim()}" in selector "${text}"`, 'use kubectl syntax: "app=web,tier!=db", "env in (prod,qa)", "canary", "!canary"');
    }
    const [, not, key, op, value, setOp, values] = match;
    if (not && op === undefined && setOp === undefined) matchExpressions.push({ key, operator: 'DoesNotExist' });
    else if (not) throw at.error(`"!" only negates a bare key in selector "${text}"`);
    else if (op === '=' || op === '==') matchLabels[key] = value ?? '';
    else if (op === '!=') matchExpressions.push({ key, operator: 'NotIn', values: [value ?? ''] });
    else if (setOp !== undefined) {
      const list = (values ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
      matchExpressions.push({ key, operator: setOp === 'in' ? 'In' : 'NotIn', values: list });
    } else matchExpressions.push({ key, operator: 'Exists' });
  }
  const selector: LabelSelector = {};
  if (Object.keys(matchLabels).length > 0) selector.matchLabels = matchLabels;
  if (matchExpressions.length > 0) selector.matchExpressions = matchExpressions;
  return selector;
}

/** A selector given as kubectl text, a LabelSelector mapping, or a plain label map. */
export function parseSelector(value: unknown, at: Locator): LabelSelector {
  if (typeof value === 'string') return parseSelectorString(value, at);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw at.expected('a selector such as "app=web" or {matchLabels: {app: web}}', value);
  }
  const record = value as Record<string, unknown>;
  if ('matchLabels' in record || 'matchExpressions' in record) {
    for (const key of Object.keys(record)) {
      if (key !== 'matchLabels' && key !== 'matchExpressions') throw at.unknownKey(key, ['matchLabels', 'matchExpressions']);
    }
    return record as LabelSelector;
  }
  for (const [key, v] of Object.entries(record)) {
    if (typeof v !== 'string') throw at.child(key).expected('a label value (a string)', v);
  }
  return { matchLabels: record as Record<string, string> };
}
