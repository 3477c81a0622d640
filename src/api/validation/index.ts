/**
 * API validation, one function per kind, as the API server runs it on defaulted objects: on
 * create with the object alone, on update with the stored object as `old`. Each returns the
 * field errors with upstream's paths and messages; an empty list means valid.
 *
 * Supporting a new kind is one entry in {@link validators}.
 */
import type { FieldError } from '../field-errors.js';
import { validateControllerRevision } from './controller-revision.js';
import { validateCronJob } from './cronjob.js';
import { validateDaemonSet } from './daemonset.js';
import { validateDeployment } from './deployment.js';
import { validateEndpointSlice } from './endpoint-slice.js';
import { validateHorizontalPodAutoscaler } from './horizontal-pod-autoscaler.js';
import { validateJob } from './job.js';
import { validateNode } from './node.js';
import { validatePod } from './pod.js';
import { validateReplicaSet } from './replicaset.js';
import { validateService } from './service.js';
import { validatePersistentVolumeClaim } from './persistent-volume-claim.js';
import { validateStatefulSet } from './statefulset.js';

export { validateControllerRevision } from './controller-revision.js';
export { validateCronJob, validateCronJobSpec, validateScheduleFormat, validateTimeZone } from './cronjob.js';
export { validateDaemonSet, validateDaemonSetUpdateStrategy, validateRollingUpdateDaemonSet } from './daemonset.js';
export { validateDeployment, validateDeploymentStrategy, validatePositiveIntOrPercent } from './deployment.js';
export { validateEndpointIP, validateEndpointSlice } from './endpoint-slice.js';
export { isValidPathSegmentName, validateCrossVersionObjectReference, validateHorizontalPodAutoscaler } from './horizontal-pod-autoscaler.js';
export { validateIndexesFormat, validateJob, validateJobSpec, validateJobSpecFields, validateJobTemplateSpec } from './job.js';
export {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  semanticEqual,
  validateAnnotations,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './meta.js';
export { validateNode, validateNodeTaints } from './node.js';
export { validatePod, validatePodSpec, validatePodTemplateSpec, validateTolerations } from './pod.js';
export { validatePodTemplateSpecForReplicaSet, validateReplicaSet } from './replicaset.js';
export { validateLabelSelector, validateNodeAffinity, validateNodeSelector } from './selector.js';
export { validateService } from './service.js';
export { validatePersistentVolumeClaim, validatePersistentVolumeClaimSpec } from './persistent-volume-claim.js';
export { validateStatefulSet } from './statefulset.js';

/** The validator for each kind, keyed by `kind`; the API server dispatches through this table. */
export const validators: Record<string, (obj: any, old?: any) => FieldError[]> = {
  Pod: validatePod,
  Node: validateNode,
  ReplicaSet: validateReplicaSet,
  Deployment: validateDeployment,
  Service: validateService,
  EndpointSlice: validateEndpointSlice,
  StatefulSet: validateStatefulSet,
  PersistentVolumeClaim: validatePersistentVolumeClaim,
  ControllerRevision: validateControllerRevision,
  DaemonSet: validateDaemonSet,
  Job: validateJob,
  CronJob: validateCronJob,
  HorizontalPodAutoscaler: validateHorizontalPodAutoscaler,
};
