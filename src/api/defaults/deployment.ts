/**
 * apps/v1 Deployment defaults, following pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment)
 * and, for the pod template, pkg/apis/core/v1/defaults.go (see ./pod.ts).
 *
 * replicas 1; strategy.type RollingUpdate; for RollingUpdate, rollingUpdate.maxUnavailable and
 * maxSurge "25%"; revisionHistoryLimit 10; progressDeadlineSeconds 600. Only absent fields are
 * assigned (strategy.type `""` counts as absent, as it is a plain string upstream).
 *
 * Deliberate gaps: minReadySeconds and paused are plain values upstream whose zero value is the
 * default, so they are left absent rather than written as 0/false. apps/v1 does not default the
 * selector from the template labels (extensions/v1beta1 did); a missing selector is a validation
 * error.
 */
import type { Deployment } from '../types/deployment.js';
import { defaultPodTemplateSpec, isZeroValue } from './pod.js';

/** Defaults a Deployment in place; only absent fields are assigned. */
export function defaultDeployment(obj: Deployment): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  if (isZeroValue(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = (strategy.rollingUpdate ??= {});
    rollingUpdate.maxUnavailable ??= '25%';
    rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template);
}
