/** The Kubernetes API types the simulator models, with their real JSON field names. */
export type * from './meta.js';
export type * from './pod.js';
export type * from './node.js';
export type * from './replicaset.js';
export type * from './deployment.js';
export type * from './service.js';
