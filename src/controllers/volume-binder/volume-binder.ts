/**
 * A stand-in for the PersistentVolume controller and a dynamic provisioner
 * (pkg/controller/volume/persistentvolume: syncUnboundClaim, plus an external provisioner):
 * storage is not simulated, so every claim is bound as soon as the binder sees it — status.phase
 * Bound, accessModes as requested, capacity equal to the storage request.
 *
 * Deliberate gaps (docs/fidelity.md): no PersistentVolumes or StorageClasses, no provisioning or
 * attach latency, no volume topology (the scheduler ignores claims), pods never wait for their
 * claims, and no pvc-protection finalizer (a claim in use can be deleted at once).
 */
import type { Informer } from '../../cluster/informer.js';
import { metaKey, splitKey } from '../../api/object-key.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { PersistentVolumeClaim, PersistentVolumeClaimStatus } from '../../api/types/persistent-volume-claim.js';
import { isApiError } from '../../errors.js';
import type { Controller, ControllerContext, Enqueue } from '../controller.js';

type ReadonlyClaim = DeepReadonly<PersistentVolumeClaim>;

/** The status a bound claim reports: Bound, its access modes, the requested storage as capacity. */
export function boundStatus(claim: ReadonlyClaim): PersistentVolumeClaimStatus {
  const status: PersistentVolumeClaimStatus = { phase: 'Bound' };
  if (claim.spec.accessModes !== undefined) status.accessModes = [...claim.spec.accessModes];
  const storage = claim.spec.resources?.requests?.storage;
  if (storage !== undefined) status.capacity = { storage };
  return status;
}

function needsBinding(claim: ReadonlyClaim): boolean {
  return claim.status?.phase !== 'Bound' && claim.metadata.deletionTimestamp === undefined;
}

export class VolumeBinder implements Controller {
  readonly name = 'volume-binder';
  private readonly claims: Informer<PersistentVolumeClaim>;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.claims = ctx.informers.forKind<PersistentVolumeClaim>('PersistentVolumeClaim');
    const enqueue = (claim: ReadonlyClaim): void => {
      if (needsBinding(claim)) this.queue.add(metaKey(claim.metadata));
    };
    this.claims.addEventHandler({ add: enqueue, update: (_old, claim) => enqueue(claim) });
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const claim = this.claims.get(namespace, name);
    if (claim === undefined || !needsBinding(claim)) return;
    const { resourceVersion: _stale, ...metadata } = claim.metadata;
    try {
      this.ctx.api.updateStatus<PersistentVolumeClaim>({ ...(claim as PersistentVolumeClaim), metadata: metadata as PersistentVolumeClaim['metadata'], status: boundStatus(claim) });
    } catch (error) {
      // A claim deleted meanwhile needs no volume.
      if (!isApiError(error, 'NotFound')) throw error;
    }
  }
}

export function volumeBinder(ctx: ControllerContext, queue: Enqueue): VolumeBinder {
  return new VolumeBinder(ctx, queue);
}
