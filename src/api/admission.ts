/**
 * Admission as the API server runs it on every create and update: the kind's defaulter, then the
 * mutating admission plugins the simulator models (DefaultTolerationSeconds), then the kind's
 * validator. Kinds without an entry (not yet modelled) pass through unchanged.
 */
import type { Admission } from '../cluster/api-server.js';
import { defaulters } from './defaults/index.js';
import type { FieldError } from './field-errors.js';
import type { DeepReadonly, KubeObject } from './types/meta.js';
import type { Pod, PodSpec, Toleration } from './types/pod.js';
import { validators } from './validation/index.js';

/**
 * --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds: how long a
 * pod stays on a node that is not ready or unreachable before taint-based eviction deletes it.
 * Long enough to ride out a kubelet restart or a short network blip without rescheduling.
 */
export const DEFAULT_TOLERATION_SECONDS = 300;

const NOT_READY_KEY = 'node.kubernetes.io/not-ready';
const UNREACHABLE_KEY = 'node.kubernetes.io/unreachable';

/** A toleration that already covers the taint `key`:NoExecute (an empty key or effect matches all). */
function covers(toleration: DeepReadonly<Toleration>, key: string): boolean {
  return (!toleration.key || toleration.key === key) && (!toleration.effect || toleration.effect === 'NoExecute');
}

/**
 * The spec with the DefaultTolerationSeconds tolerations appended, or the spec itself when it
 * already tolerates both taints. Pods of one template share their spec object (and its memoised
 * validation), so the extended spec of a shared spec is made once and shared in turn; the memo is
 * checked against the spec's fields, since a caller may change a spec object it passed before.
 */
export function addDefaultTolerationSeconds(spec: PodSpec): PodSpec {
  const tolerations = spec.tolerations ?? [];
  const missing = [NOT_READY_KEY, UNREACHABLE_KEY].filter((key) => !tolerations.some((t) => covers(t, key)));
  if (missing.length === 0) return spec;
  const memo = extended.get(spec);
  if (memo !== undefined && memo.base === spec.tolerations && memo.baseLength === tolerations.length && sameFieldsBut(memo.spec, spec)) return memo.spec;
  const added = missing.map((key): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS }));
  const result: PodSpec = { ...spec, tolerations: [...tolerations, ...added] };
  extended.set(spec, { spec: result, base: spec.tolerations, baseLength: tolerations.length });
  return result;
}

const extended = new WeakMap<object, { readonly spec: PodSpec; readonly base: Toleration[] | undefined; readonly baseLength: number }>();

/** `result` holds every field of `spec` (the same values) besides tolerations. */
function sameFieldsBut(result: PodSpec, spec: PodSpec): boolean {
  const keys = Object.keys(spec);
  if (Object.keys(result).length !== keys.length + (Object.hasOwn(spec, 'tolerations') ? 0 : 1)) return false;
  for (const key of keys) {
    if (key !== 'tolerations' && (result as unknown as Record<string, unknown>)[key] !== (spec as unknown as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/**
 * plugin/pkg/admission/defaulttolerationseconds: every pod created or updated that does not
 * tolerate `node.kubernetes.io/not-ready:NoExecute` or `node.kubernetes.io/unreachable:NoExecute`
 * gets a toleration for it with tolerationSeconds 300. An admission plugin, not an API default:
 * pod templates do not get them, only pods (DaemonSet pods already tolerate both forever).
 */
export function defaultTolerationSeconds(pod: Pod): void {
  if (pod.spec) pod.spec = addDefaultTolerationSeconds(pod.spec);
}

export const apiAdmission: Admission = {
  default(obj: KubeObject, old?: DeepReadonly<KubeObject>): void {
    defaulters[obj.kind]?.(obj, old);
    if (obj.kind === 'Pod') defaultTolerationSeconds(obj as Pod);
  },
  validate(obj: KubeObject, old?: DeepReadonly<KubeObject>): FieldError[] {
    return validators[obj.kind]?.(obj, old) ?? [];
  },
};
