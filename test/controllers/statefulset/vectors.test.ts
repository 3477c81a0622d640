/**
 * Upstream's table-driven StatefulSet unit tests (stateful_set_utils_test.go,
 * stateful_set_control_test.go), as input → expected vectors in ./vectors.json: maxUnavailable
 * resolution, ordinals, claim labels, and every PVC-retention owner-reference rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { OwnerReference } from '../../../src/api/types/meta.js';
import type { PersistentVolumeClaim } from '../../../src/api/types/persistent-volume-claim.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { StatefulSet } from '../../../src/api/types/statefulset.js';
import {
  addControllerRef, hasNonControllerOwner, hasOwnerRef, hasStaleOwnerRef, hasUnexpectedController, isClaimOwnerUpToDate, matchesRef, podOwner, setOwner,
  updateClaimOwnerRefForSetAndPod,
} from '../../../src/controllers/statefulset/claim-retention.js';
import { getParentNameAndOrdinal, getPersistentVolumeClaims } from '../../../src/controllers/statefulset/identity.js';
import { getStatefulSetMaxUnavailable } from '../../../src/controllers/statefulset/status.js';
import { readyPodsAt, rollingStep } from './builders.js';

interface Vector {
  area: string;
  test_name: string;
  inputs: any;
  expected: any;
}

const vectors: Vector[] = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));
const area = (name: string): Vector[] => vectors.filter((v) => v.area === name);

function set(name: string, uid: string, replicas: number, whenScaled = 'Retain', whenDeleted = 'Retain'): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default', uid },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { spec: { containers: [] } },
      persistentVolumeClaimRetentionPolicy: { whenScaled: whenScaled as 'Retain', whenDeleted: whenDeleted as 'Retain' },
    },
  };
}

const pod = (name: string, uid: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid }, spec: { containers: [] } });
const claim = (refs: OwnerReference[]): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'target-claim', ownerReferences: refs }, spec: {} });
const refKey = (ref: { apiVersion: string; kind: string; name: string }): string => `${ref.apiVersion}-${ref.kind}-${ref.name}`;
const isController = (refs: readonly OwnerReference[], uid: string): boolean => refs.find((r) => r.uid === uid)?.controller === true;

describe('getStatefulSetMaxUnavailable (TestGetStatefulSetMaxUnavailable)', () => {
  for (const v of area('statefulset-max-unavailable')) {
    it(`${JSON.stringify(v.inputs.maxUnavailable)} of ${v.inputs.replicaCount} → ${v.expected.maxUnavailable}`, () => {
      assert.equal(getStatefulSetMaxUnavailable(v.inputs.maxUnavailable ?? undefined, v.inputs.replicaCount), v.expected.maxUnavailable);
    });
  }
});

describe('getParentNameAndOrdinal (TestGetParentNameAndOrdinal)', () => {
  for (const v of area('statefulset-identity')) {
    it(`${v.inputs.podName} → (${v.expected.parent}, ${v.expected.ordinal})`, () => {
      assert.deepEqual(getParentNameAndOrdinal(v.inputs.podName), v.expected);
    });
  }
});

describe('getPersistentVolumeClaims labels (TestGetPersistentVolumeClaims)', () => {
  for (const v of area('statefulset-claim-labels')) {
    it(v.test_name, () => {
      const s = set(v.inputs.setName, 'test', 1);
      s.spec.selector = v.inputs.selectorMatchLabels ? { matchLabels: v.inputs.selectorMatchLabels } : {};
      s.spec.volumeClaimTemplates = [{ metadata: { name: v.inputs.claimTemplate, ...(v.inputs.templateLabels ? { labels: v.inputs.templateLabels } : {}) }, spec: { resources: { requests: { storage: '1' } } } }];
      const [{ claim: c }] = getPersistentVolumeClaims(s, { metadata: { name: v.inputs.podName } });
      assert.equal(c.metadata.name, v.expected.claimName);
      assert.equal(c.metadata.namespace, 'default');
      assert.deepEqual(c.metadata.labels, v.expected.labels ?? undefined);
    });
  }
});

describe('matchesRef (TestMatchesRef)', () => {
  for (const v of area('statefulset-claim-matches-ref')) {
    it(v.test_name, () => {
      assert.equal(matchesRef(v.inputs.ref, { apiVersion: 'v1', kind: v.inputs.kind, ...v.inputs.object }), v.expected.matches);
    });
  }
});

describe('isClaimOwnerUpToDate (TestIsClaimOwnerUpToDate)', () => {
  for (const v of area('statefulset-claim-owner-up-to-date')) {
    for (const others of [false, true]) {
      for (const withPod of [false, true]) {
        for (const withSet of [false, true]) {
          it(`${v.test_name} (pod ref ${withPod}, set ref ${withSet}, other owners ${others})`, () => {
            const s = set(v.inputs.setName, v.inputs.setUid, v.inputs.replicas, v.inputs.whenScaled, v.inputs.whenDeleted);
            const p = pod(v.inputs.podName, v.inputs.podUid);
            let refs: OwnerReference[] = [];
            if (withPod) refs = addControllerRef(refs, podOwner(p));
            if (withSet) refs = addControllerRef(refs, setOwner(s));
            if (others) refs.push({ name: 'rand1', apiVersion: 'v1', kind: 'Pod', uid: 'rand1-uid' }, { name: 'rand2', apiVersion: 'v1', kind: 'Pod', uid: 'rand2-uid' });
            const expected = withPod === v.expected.needsPodRef && withSet === v.expected.needsSetRef;
            assert.equal(isClaimOwnerUpToDate(claim(refs), s, p), expected);
          });
        }
      }
    }
  }
});

describe('isClaimOwnerUpToDate edge cases (TestClaimOwnerUpToDateEdgeCases)', () => {
  for (const v of area('statefulset-claim-owner-edge-cases')) {
    it(v.test_name, () => {
      const s = set(v.inputs.setName, v.inputs.setUid, v.inputs.replicas, v.inputs.whenScaled, v.inputs.whenDeleted);
      assert.equal(isClaimOwnerUpToDate(claim(v.inputs.ownerReferences), s, pod(v.inputs.podName, v.inputs.podUid)), v.expected.upToDate);
    });
  }
});

describe('updateClaimOwnerRefForSetAndPod (TestUpdateClaimOwnerRefForSetAndPod)', () => {
  for (const v of area('statefulset-claim-owner-update')) {
    for (let variation = 0; variation < 8; variation++) {
      it(`${v.test_name} (variation ${variation})`, () => {
        const s = set(v.inputs.setName, v.inputs.setUid, v.inputs.replicas, v.inputs.whenScaled, v.inputs.whenDeleted);
        const p = pod(v.inputs.podName, v.inputs.podUid);
        let refs: OwnerReference[] = [];
        if ((variation & 1) !== 0) refs = addControllerRef(refs, podOwner(p));
        if ((variation & 2) !== 0) refs = addControllerRef(refs, setOwner(s));
        if ((variation & 3) !== 0) refs.push({ apiVersion: 'custom/v1', kind: 'random', name: 'random', uid: 'abc' });
        if (v.inputs.unexpectedController) refs.push({ apiVersion: 'custom/v1', kind: 'Unknown', name: 'unknown', uid: 'xyz', controller: true });
        const updated = updateClaimOwnerRefForSetAndPod(refs, s, p);
        assert.equal(isController(updated, v.inputs.podUid), v.expected.podIsController);
        assert.equal(isController(updated, v.inputs.setUid), v.expected.setIsController);
      });
    }
  }
});

describe('updateClaimOwnerRefForSetAndPod references (TestUpdateClaimControllerRef)', () => {
  for (const v of area('statefulset-claim-controller-ref')) {
    it(v.test_name, () => {
      const s = set(v.inputs.setName, v.inputs.setUid, v.inputs.replicas, v.inputs.whenScaled, v.inputs.whenDeleted);
      const updated = updateClaimOwnerRefForSetAndPod(v.inputs.ownerReferences, s, pod(v.inputs.podName, v.inputs.podUid));
      assert.deepEqual(updated.map(refKey).sort(), v.expected.ownerReferences.map(refKey).sort());
    });
  }
});

describe('hasUnexpectedController (TestHasUnexpectedController)', () => {
  for (const v of area('statefulset-claim-unexpected-controller')) {
    it(v.test_name, () => {
      const p = podOwner(pod(v.inputs.podName, v.inputs.podUid));
      assert.equal(hasUnexpectedController(v.inputs.ownerReferences, set(v.inputs.setName, v.inputs.setUid, 1), p), v.expected.retainRetain);
      for (const [whenScaled, whenDeleted] of [['Delete', 'Retain'], ['Retain', 'Delete'], ['Delete', 'Delete']]) {
        const s = set(v.inputs.setName, v.inputs.setUid, 1, whenScaled, whenDeleted);
        assert.equal(hasUnexpectedController(v.inputs.ownerReferences, s, p), v.expected.deletingPolicies, `${whenScaled}/${whenDeleted}`);
      }
    });
  }
});

describe('hasNonControllerOwner (TestNonController)', () => {
  for (const v of area('statefulset-claim-non-controller')) {
    it(v.test_name, () => {
      const owner = (uid: string, kind: string) => ({ apiVersion: 'v1', kind, name: kind.toLowerCase(), uid });
      assert.equal(hasNonControllerOwner(v.inputs.ownerReferences, owner(v.inputs.setUid, 'Set'), owner(v.inputs.podUid, 'Pod')), v.expected.nonController);
    });
  }
});

describe('hasStaleOwnerRef and hasOwnerRef (TestHasStaleOwnerRef, TestHasOwnerRef)', () => {
  for (const v of area('statefulset-claim-stale-ref')) {
    it(v.test_name, () => {
      assert.equal(hasStaleOwnerRef(v.inputs.ownerReferences, podOwner({ metadata: v.inputs.pod })), v.expected.stale);
    });
  }
  for (const v of area('statefulset-claim-has-owner-ref')) {
    it(v.test_name, () => {
      assert.equal(hasOwnerRef(v.inputs.ownerReferences, { apiVersion: 'v1', kind: 'Pod', name: 'x', uid: v.inputs.uid }), v.expected.hasRef);
    });
  }
});

describe('rolling update under maxUnavailable (…RollingUpdateWithMaxUnavailableInOrderedModeVerifyInvariant)', () => {
  for (const v of area('statefulset-rolling-update-max-unavailable')) {
    it(v.test_name, () => {
      const { replicas, partition, maxUnavailable, terminatingOrdinals } = v.inputs;
      const pods = readyPodsAt(replicas, 'rev-old', terminatingOrdinals);
      const remaining = rollingStep({ replicas, partition, maxUnavailable }, pods, 'rev-new');
      assert.equal(remaining.length, v.expected.podsAfter);
    });
  }
});
