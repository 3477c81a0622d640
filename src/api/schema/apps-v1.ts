/**
 * Field schema of the apps/v1 kinds: Deployment, ReplicaSet, StatefulSet and DaemonSet. Follows
 * k8s.io/api/apps/v1/types.go (DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
 * ReplicaSetSpec, StatefulSetSpec, StatefulSetUpdateStrategy, RollingUpdateStatefulSetStrategy,
 * StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetOrdinals, DaemonSetSpec,
 * DaemonSetUpdateStrategy, RollingUpdateDaemonSet).
 *
 * Every field of these specs is modelled; their pod template says what of a pod is.
 */
import { arr, bool, int32, intOrString, obj, str } from './builders.js';
import { persistentVolumeClaim } from './core-v1.js';
import { labelSelector, resource } from './meta.js';
import { podTemplateSpec } from './pod.js';

const deploymentSpec = obj({
  replicas: int32,
  selector: labelSelector,
  template: podTemplateSpec,
  strategy: obj({
    type: str,
    rollingUpdate: obj({ maxUnavailable: intOrString, maxSurge: intOrString }),
  }),
  minReadySeconds: int32,
  revisionHistoryLimit: int32,
  paused: bool,
  progressDeadlineSeconds: int32,
});

const replicaSetSpec = obj({
  replicas: int32,
  minReadySeconds: int32,
  selector: labelSelector,
  template: podTemplateSpec,
});

const statefulSetSpec = obj({
  replicas: int32,
  selector: labelSelector,
  template: podTemplateSpec,
  volumeClaimTemplates: arr(persistentVolumeClaim),
  serviceName: str,
  podManagementPolicy: str,
  updateStrategy: obj({
    type: str,
    rollingUpdate: obj({ partition: int32, maxUnavailable: intOrString }),
  }),
  revisionHistoryLimit: int32,
  minReadySeconds: int32,
  persistentVolumeClaimRetentionPolicy: obj({ whenDeleted: str, whenScaled: str }),
  ordinals: obj({ start: int32 }),
});

const daemonSetSpec = obj({
  selector: labelSelector,
  template: podTemplateSpec,
  updateStrategy: obj({
    type: str,
    rollingUpdate: obj({ maxUnavailable: intOrString, maxSurge: intOrString }),
  }),
  minReadySeconds: int32,
  revisionHistoryLimit: int32,
});

/** apps/v1 Deployment. */
export const deployment = resource(deploymentSpec);

/** apps/v1 ReplicaSet. */
export const replicaSet = resource(replicaSetSpec);

/** apps/v1 StatefulSet. */
export const statefulSet = resource(statefulSetSpec);

/** apps/v1 DaemonSet. */
export const daemonSet = resource(daemonSetSpec);
