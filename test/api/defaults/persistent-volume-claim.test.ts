/**
 * PersistentVolumeClaim defaulting (pkg/apis/core/v1/defaults.go: SetDefaults_PersistentVolumeClaimSpec).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPersistentVolumeClaim, defaulters } from '../../../src/api/defaults/index.js';
import type { PersistentVolumeClaim } from '../../../src/api/types/index.js';

describe('defaultPersistentVolumeClaim', () => {
  it('defaults volumeMode to Filesystem and keeps Block', () => {
    const claim: PersistentVolumeClaim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'x' }, spec: { accessModes: ['ReadWriteOnce'] } };
    defaultPersistentVolumeClaim(claim);
    assert.equal(claim.spec.volumeMode, 'Filesystem');
    const block: PersistentVolumeClaim = { ...claim, spec: { volumeMode: 'Block' } };
    defaulters.PersistentVolumeClaim(block);
    assert.equal(block.spec.volumeMode, 'Block');
  });
});
