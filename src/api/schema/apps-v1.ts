/**
 * Field schema of the apps/v1 kinds: Deployment, ReplicaSet, StatefulSet and DaemonSet. Follows
 * k8s.io/api/apps/v1/types.go (DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
 * ReplicaSetSpec, StatefulSetSpec, StatefulSetUpdateStrategy, RollingUpdateStatefulSetStrategy,
 * StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetOrdinals, DaemonSetSpec,
 * DaemonSetUpdateStrategy, RollingUpdateDaemonSet).
 *
 * Every field of a Deployment or ReplicaSet spec is modelled; their pod template says what of a
 * pod is. StatefulSet and DaemonSet specs count as modelled as a whole: the loader warns about
 * those kinds as a whole until their controllers exist, so per-field warnings would be noise.
 */
import { arr, obj, scalar, whole } from './builders.js';
import { persistentVolumeClaim } from './core-v1.js';
import { labelSelector, resource } from './meta.js';
import { podTemplateSpec } from './pod.js';

const deploymentSpec = obj({
  replicas: scalar,
  selector: labelSelector,
  template: podTemplateSpec,
  strategy: obj({
    type: scalar,
    rollingUpdate: obj({ maxUnavailable: scalar, maxSurge: scalar }),
  }),
  minReadySeconds: scalar,
  revisionHistoryLimit: scalar,
  paused: scalar,
  progressDeadlineSeconds: scalar,
});

const replicaSetSpec = obj({
  replicas: scalar,
  minReadySeconds: scalar,
  selector: labelSelector,
  template: podTemplateSpec,
});

const statefulSetSpec = obj({
  replicas: scalar,
  selector: labelSelector,
  template: podTemplateSpec,
  volumeClaimTemplates: arr(persistentVolumeClaim),
  serviceName: scalar,
  podManagementPolicy: scalar,
  updateStrategy: obj({
    type: scalar,
    rollingUpdate: obj({ partition: scalar, maxUnavailable: scalar }),
  }),
  revisionHistoryLimit: scalar,
  minReadySeconds: scalar,
  persistentVolumeClaimRetentionPolicy: obj({ whenDeleted: scalar, whenScaled: scalar }),
  ordinals: obj({ start: scalar }),
});

const daemonSetSpec = obj({
  selector: labelSelector,
  template: podTemplateSpec,
  updateStrategy: obj({
    type: scalar,
    rollingUpdate: obj({ maxUnavailable: scalar, maxSurge: scalar }),
  }),
  minReadySeconds: scalar,
  revisionHistoryLimit: scalar,
});

/** apps/v1 Deployment. */
export const deployment = resource(deploymentSpec);

/** apps/v1 ReplicaSet. */
export const replicaSet = resource(replicaSetSpec);

/** apps/v1 StatefulSet. */
export const statefulSet = resource(whole(statefulSetSpec));

/** apps/v1 DaemonSet. */
export const daemonSet = resource(whole(daemonSetSpec));
