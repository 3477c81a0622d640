/**
 * apps/v1 DaemonSet defaulting (SetDefaults_DaemonSet) and the template generation the registry
 * strategy keeps in `deprecated.daemonset.template.generation`, directly and through the API server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiAdmission } from '../../../src/api/admission.js';
import { DEPRECATED_TEMPLATE_GENERATION, defaultDaemonSet } from '../../../src/api/defaults/index.js';
import type { DaemonSet } from '../../../src/api/types/index.js';
import { deepFreeze } from '../../../src/util/objects.js';
import { newApi } from '../../helpers/engine-fixtures.js';

function ds(patch: (d: DaemonSet) => void = () => {}): DaemonSet {
  const obj: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } },
    },
  };
  patch(obj);
  return obj;
}

describe('defaultDaemonSet', () => {
  it('defaults RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10, the template, generation 1', () => {
    const obj = ds();
    defaultDaemonSet(obj);
    assert.deepEqual(obj.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(obj.spec.revisionHistoryLimit, 10);
    assert.equal(obj.spec.minReadySeconds, undefined);
    assert.equal(obj.spec.template.spec.restartPolicy, 'Always');
    assert.equal(obj.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION], '1');
  });

  it('keeps what is set, and gives OnDelete no rollingUpdate', () => {
    const rolling = ds((d) => (d.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: '10%' } }));
    defaultDaemonSet(rolling);
    assert.deepEqual(rolling.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '10%' } });
    const onDelete = ds((d) => (d.spec.updateStrategy = { type: 'OnDelete' }));
    defaultDaemonSet(onDelete);
    assert.deepEqual(onDelete.spec.updateStrategy, { type: 'OnDelete' });
  });

  it('is idempotent and leaves a frozen, defaulted object alone', () => {
    const obj = ds();
    defaultDaemonSet(obj);
    const frozen = deepFreeze(structuredClone(obj));
    assert.doesNotThrow(() => defaultDaemonSet(frozen));
    assert.doesNotThrow(() => defaultDaemonSet(frozen, frozen));
  });

  it('template generation: kept on create when set, +1 when an update changes the template, kept otherwise', () => {
    const created = ds((d) => (d.metadata.annotations = { [DEPRECATED_TEMPLATE_GENERATION]: '4' }));
    defaultDaemonSet(created);
    assert.equal(created.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION], '4');
    const scaled = structuredClone(created);
    scaled.spec.minReadySeconds = 5;
    defaultDaemonSet(scaled, created);
    assert.equal(scaled.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION], '4');
    const changed = structuredClone(created);
    changed.spec.template.spec.containers[0].image = 'agent:2';
    changed.metadata.annotations = {};
    defaultDaemonSet(changed, created);
    assert.equal(changed.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION], '5');
  });

  it('through the API server: generation 1, then 2 after a template change, not after a strategy change', () => {
    const { api } = newApi({ admission: apiAdmission });
    const stored = api.create(ds());
    assert.equal(stored.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION], '1');
    const strategy = structuredClone(stored) as DaemonSet;
    strategy.spec.updateStrategy = { type: 'OnDelete' };
    const afterStrategy = api.update(strategy);
    assert.equal(afterStrategy.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION], '1');
    assert.equal(afterStrategy.metadata.generation, 2);
    const image = structuredClone(afterStrategy) as DaemonSet;
    image.spec.template.spec.containers[0].image = 'agent:2';
    const afterImage = api.update(image);
    assert.equal(afterImage.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION], '2');
    assert.equal(afterImage.metadata.generation, 3);
  });
});
