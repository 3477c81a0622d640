/**
 * A Deployment's view of its ReplicaSets (replica-sets.ts; sync.ts getAllReplicaSetsAndSyncRevision):
 * template equality ignoring the hash label, which ReplicaSet is new and which are old, and
 * FindActiveOrLatest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { PodTemplateSpec } from '../../../src/api/types/pod.js';
import type { ReplicaSet } from '../../../src/api/types/replicaset.js';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from '../../../src/controllers/deployment/annotations.js';
import { computeHash } from '../../../src/controllers/deployment/hash.js';
import { equalIgnoreHash, findActiveOrLatest, findNewReplicaSet } from '../../../src/controllers/deployment/replica-sets.js';
import { DeploymentSync } from '../../../src/controllers/deployment/sync.js';
import { type Harness, newDeployment, newHarness, newReplicaSet } from './builders.js';

function template(extra: Partial<PodTemplateSpec['spec']> = {}, labels: Record<string, string> = { app: 'foo' }): PodTemplateSpec {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }], ...extra } };
}

/** Pod spec fields k8sim keeps but does not model (no type of their own). */
function unmodelled(fields: Record<string, unknown>): Partial<PodTemplateSpec['spec']> {
  return fields as Partial<PodTemplateSpec['spec']>;
}

/** Stores a ReplicaSet of the `foo` Deployment at virtual time `created`, with `image` and `revision`. */
function store(h: Harness, name: string, options: { image?: string; revision?: string; replicas?: number; created?: number }): DeepReadonly<ReplicaSet> {
  if (options.created !== undefined && options.created > h.sim.now) h.sim.run({ until: options.created });
  const rs = newReplicaSet({ name, replicas: options.replicas ?? 1 });
  rs.spec.template.spec.containers[0].image = options.image ?? 'app:1';
  if (options.revision !== undefined) rs.metadata.annotations = { [REVISION_ANNOTATION]: options.revision };
  return h.api.create(rs);
}

function revisionOf(h: Harness, name: string): string | undefined {
  return h.api.get<ReplicaSet>('ReplicaSet', 'default', name)?.metadata.annotations?.[REVISION_ANNOTATION];
}

describe('equalIgnoreHash', () => {
  it('ignores the pod-template-hash label only', () => {
    assert.equal(equalIgnoreHash(template({}, { app: 'foo', 'pod-template-hash': 'abc' }), template()), true);
    assert.equal(equalIgnoreHash(template({}, { app: 'foo', tier: 'fe' }), template()), false);
    assert.equal(equalIgnoreHash(template({ containers: [{ name: 'app', image: 'app:2' }] }), template()), false);
  });

  it('treats nil and empty maps and lists as equal (apimachinery semantic equality)', () => {
    const bare: PodTemplateSpec = { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };
    const empties: PodTemplateSpec = {
      metadata: { labels: { app: 'foo' }, annotations: {} },
      spec: { containers: [{ name: 'app', image: 'app:1', ports: [] }], tolerations: [], nodeSelector: {} },
    };
    assert.equal(equalIgnoreHash(bare, empties), true);
  });

  it('treats a non-pointer field at its zero value as equal to an absent one (Go cannot tell them apart)', () => {
    assert.equal(equalIgnoreHash(template({ hostNetwork: false }), template()), true);
    assert.equal(equalIgnoreHash(template({ hostname: '' }), template()), true);
    const port = (extra: Record<string, unknown>) => template({ containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 80, ...extra }] }] });
    assert.equal(equalIgnoreHash(port({ hostPort: 0 }), port({})), true);
    assert.equal(equalIgnoreHash(template({ hostNetwork: true }), template()), false, 'a non-zero value still counts');
  });

  it('keeps a pointer field at its zero value apart from an absent one (nil differs from a pointer to zero)', () => {
    assert.equal(equalIgnoreHash(template({ terminationGracePeriodSeconds: 0 }), template()), false);
    assert.equal(equalIgnoreHash(template(unmodelled({ automountServiceAccountToken: false })), template()), false);
    const toleration = (extra: Record<string, unknown>) => template({ tolerations: [{ key: 'k', operator: 'Exists', ...extra }] });
    assert.equal(equalIgnoreHash(toleration({ tolerationSeconds: 0 }), toleration({})), false);
    assert.equal(equalIgnoreHash(toleration({ value: '' }), toleration({})), true, "a toleration's value is a plain string");
    const dnsOption = (extra: Record<string, unknown>) => template(unmodelled({ dnsConfig: { options: [{ name: 'ndots', ...extra }] } }));
    assert.equal(equalIgnoreHash(dnsOption({ value: '' }), dnsOption({})), false, "a DNS option's value is a pointer");
  });
});

describe('findNewReplicaSet', () => {
  it('is the oldest ReplicaSet with an equal template; creation ties go by name', () => {
    const h = newHarness();
    const d = newDeployment();
    const b = store(h, 'b', { created: 1000 });
    const a = store(h, 'a', { created: 1000 });
    const older = store(h, 'older', { image: 'app:0', created: 0 });
    const later = store(h, 'later', { created: 2000 });
    assert.equal(findNewReplicaSet(d, [later, b, older, a]), a);
    assert.equal(findNewReplicaSet(d, [later, older]), later);
    assert.equal(findNewReplicaSet(d, [older]), undefined);
  });
});

describe('DeploymentSync.getAllReplicaSetsAndSyncRevision', () => {
  it('splits the list into the new ReplicaSet and all the others, old ones in list order', () => {
    const h = newHarness();
    const r1 = store(h, 'r1', { image: 'app:0', revision: '1' });
    const r2 = store(h, 'r2', { image: 'app:5', revision: '2' });
    const r3 = store(h, 'r3', { revision: '3' });
    const s = new DeploymentSync(h.api, h.sim.now, newDeployment(), [r2, r3, r1]);
    const { newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(false);
    assert.equal(newRS?.metadata.name, 'r3');
    assert.deepEqual(oldRSs.map((rs) => rs.metadata.name), ['r2', 'r1']);
    assert.equal(revisionOf(h, 'r3'), '3', 'already above every old revision: unchanged');
  });

  it('raises an old ReplicaSet that becomes new again above every revision, recording the old one in its history', () => {
    const h = newHarness();
    const back = store(h, 'back', { revision: '1' });
    const other = store(h, 'other', { image: 'app:2', revision: '2' });
    const s = new DeploymentSync(h.api, h.sim.now, newDeployment(), [back, other]);
    s.getAllReplicaSetsAndSyncRevision(false);
    const stored = h.api.get<ReplicaSet>('ReplicaSet', 'default', 'back');
    assert.equal(stored?.metadata.annotations?.[REVISION_ANNOTATION], '3');
    assert.equal(stored?.metadata.annotations?.[REVISION_HISTORY_ANNOTATION], '1');
  });

  it('creates the new ReplicaSet only when asked, named after the template hash, with revision max + 1', () => {
    const h = newHarness();
    const old = store(h, 'old', { image: 'app:0', revision: '4' });
    const d = newDeployment({ replicas: 2 });
    const none = new DeploymentSync(h.api, h.sim.now, d, [old]).getAllReplicaSetsAndSyncRevision(false);
    assert.equal(none.newRS, undefined);
    assert.equal(h.api.count('ReplicaSet'), 1);
    const { newRS } = new DeploymentSync(h.api, h.sim.now, d, [old]).getAllReplicaSetsAndSyncRevision(true);
    assert.equal(newRS?.metadata.name, `foo-${computeHash(d.spec.template)}`);
    assert.equal(newRS?.metadata.annotations?.[REVISION_ANNOTATION], '5');
    assert.equal(h.api.count('ReplicaSet'), 2);
  });
});

describe('findActiveOrLatest', () => {
  it('is the only active ReplicaSet; the new one, else the newest old one, when none is active; none when several are', () => {
    const h = newHarness();
    const oldest = store(h, 'oldest', { replicas: 0, image: 'a', created: 0 });
    const newer = store(h, 'newer', { replicas: 0, image: 'b', created: 1000 });
    const active = store(h, 'active', { replicas: 2, image: 'c', created: 2000 });
    const fresh = store(h, 'fresh', { replicas: 0, created: 3000 });
    assert.equal(findActiveOrLatest(fresh, [oldest, active, newer]), active);
    assert.equal(findActiveOrLatest(fresh, [oldest, newer]), fresh);
    assert.equal(findActiveOrLatest(undefined, [oldest, newer]), newer);
    assert.equal(findActiveOrLatest(undefined, []), undefined);
    const second = store(h, 'second', { replicas: 1, image: 'd', created: 4000 });
    assert.equal(findActiveOrLatest(fresh, [active, second]), undefined);
  });
});
