/** The Kubernetes API types the simulator models, with their real JSON field names. */
export type * from './meta.js';
export type * from './pod.js';
export type * from './node.js';
export type * from './replicaset.js';
export type * from './deployment.js';
export type * from './service.js';
export type * from './statefulset.js';
export type * from './daemonset.js';
export type * from './job.js';
export type * from './cronjob.js';
export type * from './horizontal-pod-autoscaler.js';
export type * from './controller-revision.js';
export type * from './persistent-volume-claim.js';
export type * from './endpoint-slice.js';
