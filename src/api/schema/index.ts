/**
 * The real Kubernetes field schema of the kinds a scenario may contain, so the loader can tell a
 * typo or a value of the wrong type (rejected, like kubectl's strict decoding) from a real
 * field the simulator does not model (kept, warned about once) and from a field the API server
 * populates (ignored as on create). Field names and types follow k8s.io/api at Kubernetes 1.35;
 * each file names the upstream types it follows.
 */
import { daemonSet, deployment, replicaSet, statefulSet } from './apps-v1.js';
import { horizontalPodAutoscaler } from './autoscaling-v2.js';
import { cronJob, job } from './batch-v1.js';
import type { ObjectSchema } from './builders.js';
import { checkFields, type FieldReport } from './check.js';
import { node, persistentVolumeClaim, pod, service } from './core-v1.js';
import { endpointSlice } from './discovery-v1.js';

export type { FieldCategory, FieldEntry, FieldSchema, LeafSchema, ObjectSchema } from './builders.js';
export type { ExpectedType, FieldReport, LeafTypeName, TypeMismatch, UnknownField } from './check.js';

const SCHEMAS: ReadonlyMap<string, ObjectSchema> = new Map([
  ['v1/Pod', pod],
  ['v1/Node', node],
  ['v1/Service', service],
  ['v1/PersistentVolumeClaim', persistentVolumeClaim],
  ['apps/v1/Deployment', deployment],
  ['apps/v1/ReplicaSet', replicaSet],
  ['apps/v1/StatefulSet', statefulSet],
  ['apps/v1/DaemonSet', daemonSet],
  ['batch/v1/Job', job],
  ['batch/v1/CronJob', cronJob],
  ['autoscaling/v2/HorizontalPodAutoscaler', horizontalPodAutoscaler],
  ['discovery.k8s.io/v1/EndpointSlice', endpointSlice],
]);

/** Whether the field schema of this apiVersion and kind is known; if not, the kind is not simulated. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return SCHEMAS.has(`${apiVersion}/${kind}`);
}

/**
 * Sorts the fields of `manifest` (a parsed object of the given apiVersion and kind) into unknown,
 * unmodelled and server-populated, and reports values of the wrong type or shape (`image: 1`,
 * `replicas: "2"`, `containers: {}`), which kubectl's strict decoding refuses; the walk does not
 * descend into them.
 * @throws Error when {@link hasSchema} is false for the pair: callers check it first.
 */
export function checkManifestFields(apiVersion: string, kind: string, manifest: unknown): FieldReport {
  const schema = SCHEMAS.get(`${apiVersion}/${kind}`);
  if (schema === undefined) throw new Error(`no field schema for ${apiVersion} ${kind}`);
  return checkFields(schema, manifest);
}
