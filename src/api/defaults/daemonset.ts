/**
 * apps/v1 DaemonSet defaults, following pkg/apis/apps/v1/defaults.go (SetDefaults_DaemonSet):
 * updateStrategy.type RollingUpdate; for RollingUpdate, rollingUpdate.maxUnavailable 1 and
 * maxSurge 0; revisionHistoryLimit 10; the pod template as ./pod.ts defaults it.
 *
 * Also the template generation the registry strategy keeps (pkg/registry/apps/daemonset/
 * strategy.go: PrepareForCreate / PrepareForUpdate): apps/v1 carries the internal
 * spec.templateGeneration in the `deprecated.daemonset.template.generation` annotation
 * (pkg/apis/apps/v1/conversion.go). It is 1 on create and goes up by one whenever an update
 * changes the pod template; the controller labels pods with it (`pod-template-generation`).
 * Defaulting runs where the strategy runs, before validation, so it takes the stored object.
 *
 * Deliberate differences: an unparsable annotation counts as absent (upstream's conversion
 * rejects the request); an update that leaves the template alone keeps the stored generation
 * whatever the client wrote in the annotation (upstream's validation rejects a changed one).
 * minReadySeconds is a plain value upstream whose zero value is the default: left absent.
 */
import type { DaemonSet } from '../types/daemonset.js';
import type { DeepReadonly } from '../types/meta.js';
import { deepEqual } from '../../util/objects.js';
import { defaultPodTemplateSpec, isZeroValue } from './pod.js';

/** apps.DeprecatedTemplateGeneration: where apps/v1 keeps spec.templateGeneration. */
export const DEPRECATED_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

/** The template generation an annotation value holds, or undefined when absent or not an integer. */
export function parseTemplateGeneration(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Defaults a DaemonSet in place (only absent fields), then keeps its template generation. */
export function defaultDaemonSet(obj: DaemonSet, old?: DeepReadonly<DaemonSet>): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  const strategy = (spec.updateStrategy ??= {});
  if (isZeroValue(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = (strategy.rollingUpdate ??= {});
    rollingUpdate.maxUnavailable ??= 1;
    rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
  prepareTemplateGeneration(obj, old);
}

/**
 * PrepareForCreate: at least 1. PrepareForUpdate: the stored generation, plus one when the
 * template changed. Writes only when the value differs, so a frozen object that already carries
 * the right generation is left alone.
 */
function prepareTemplateGeneration(obj: DaemonSet, old: DeepReadonly<DaemonSet> | undefined): void {
  const current = parseTemplateGeneration(obj.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION]);
  let wanted: number;
  if (old === undefined || old.spec === undefined) {
    wanted = current !== undefined && current >= 1 ? current : 1;
  } else {
    const stored = parseTemplateGeneration(old.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION]) ?? 1;
    wanted = deepEqual(obj.spec.template, old.spec.template) ? stored : stored + 1;
  }
  if (obj.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION] === String(wanted)) return;
  // In place: the API server keeps a reference to this metadata object while it admits.
  obj.metadata.annotations = { ...obj.metadata.annotations, [DEPRECATED_TEMPLATE_GENERATION]: String(wanted) };
}
