/**
 * API defaulting, one function per kind, as the API server applies it to every object it is
 * asked to create or update (before validation). Every defaulter mutates in place, assigns only
 * absent fields, is idempotent, and leaves an already-defaulted (possibly frozen) object untouched.
 *
 * Supporting a new kind is one entry in {@link defaulters}.
 */
import { defaultCronJob } from './cronjob.js';
import { defaultDaemonSet } from './daemonset.js';
import { defaultDeployment } from './deployment.js';
import { defaultEndpointSlice } from './endpoint-slice.js';
import { defaultHorizontalPodAutoscaler } from './horizontal-pod-autoscaler.js';
import { defaultJob } from './job.js';
import { defaultNode } from './node.js';
import { defaultPod } from './pod.js';
import { defaultReplicaSet } from './replicaset.js';
import { defaultService } from './service.js';
import { defaultPersistentVolumeClaim } from './persistent-volume-claim.js';
import { defaultStatefulSet } from './statefulset.js';

export { defaultCronJob } from './cronjob.js';
export { DEPRECATED_TEMPLATE_GENERATION, defaultDaemonSet } from './daemonset.js';
export { defaultDeployment } from './deployment.js';
export { defaultEndpointSlice } from './endpoint-slice.js';
export { DEFAULT_CPU_UTILIZATION, defaultHorizontalPodAutoscaler, generateHPAScaleDownRules, generateHPAScaleUpRules } from './horizontal-pod-autoscaler.js';
export { defaultJob, generateSelector } from './job.js';
export { defaultNode } from './node.js';
export { defaultContainer, defaultPod, defaultPodSpec, defaultPodTemplateSpec, imageTag } from './pod.js';
export { defaultReplicaSet } from './replicaset.js';
export { defaultService } from './service.js';
export { defaultPersistentVolumeClaim, defaultPersistentVolumeClaimSpec } from './persistent-volume-claim.js';
export { defaultStatefulSet } from './statefulset.js';

/** The defaulter for each kind, keyed by `kind`; the API server dispatches through this table. */
export const defaulters: Record<string, (obj: any, old?: any) => void> = {
  Pod: defaultPod,
  Node: defaultNode,
  ReplicaSet: defaultReplicaSet,
  Deployment: defaultDeployment,
  Service: defaultService,
  EndpointSlice: defaultEndpointSlice,
  StatefulSet: defaultStatefulSet,
  PersistentVolumeClaim: defaultPersistentVolumeClaim,
  DaemonSet: defaultDaemonSet,
  Job: defaultJob,
  CronJob: defaultCronJob,
  HorizontalPodAutoscaler: defaultHorizontalPodAutoscaler,
};
