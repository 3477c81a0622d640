/**
 * API defaulting, one function per kind, as the API server applies it to every object it is
 * asked to create or update (before validation). Every defaulter mutates in place, assigns only
 * absent fields, is idempotent, and leaves an already-defaulted (possibly frozen) object untouched.
 *
 * Supporting a new kind is one entry in {@link defaulters}.
 */
import { defaultDeployment } from './deployment.js';
import { defaultNode } from './node.js';
import { defaultPod } from './pod.js';
import { defaultReplicaSet } from './replicaset.js';
import { defaultService } from './service.js';

export { defaultDeployment } from './deployment.js';
export { defaultNode } from './node.js';
export { defaultContainer, defaultPod, defaultPodSpec, defaultPodTemplateSpec, imageTag } from './pod.js';
export { defaultReplicaSet } from './replicaset.js';
export { defaultService } from './service.js';

/** The defaulter for each kind, keyed by `kind`; the API server dispatches through this table. */
export const defaulters: Record<string, (obj: any) => void> = {
  Pod: defaultPod,
  Node: defaultNode,
  ReplicaSet: defaultReplicaSet,
  Deployment: defaultDeployment,
  Service: defaultService,
};
