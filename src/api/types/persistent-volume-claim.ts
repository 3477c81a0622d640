/**
 * PersistentVolumeClaim (k8s.io/api/core/v1/types.go), the fields the simulator models. Storage
 * itself is not simulated: a claim is bound as soon as it exists (docs/fidelity.md).
 */
import type { KubeObject, LabelSelector, ObjectMeta } from './meta.js';
import type { ResourceList } from './pod.js';

export interface PersistentVolumeClaimSpec {
  accessModes?: string[];
  selector?: LabelSelector;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  volumeName?: string;
  storageClassName?: string;
  volumeMode?: 'Filesystem' | 'Block';
  volumeAttributesClassName?: string;
  dataSource?: { apiGroup?: string; kind: string; name: string };
  dataSourceRef?: { apiGroup?: string; kind: string; name: string; namespace?: string };
}

export interface PersistentVolumeClaimStatus {
  phase?: 'Pending' | 'Bound' | 'Lost';
  accessModes?: string[];
  capacity?: ResourceList;
}

export interface PersistentVolumeClaim extends KubeObject {
  kind: 'PersistentVolumeClaim';
  spec: PersistentVolumeClaimSpec;
  status?: PersistentVolumeClaimStatus;
}

/** A StatefulSet's volumeClaimTemplates entry: a claim without kind or apiVersion of its own. */
export interface PersistentVolumeClaimTemplate {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: PersistentVolumeClaimSpec;
}
