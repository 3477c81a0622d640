/**
 * getPodFromTemplate (GetPodFromTemplate): the template's labels, annotations and finalizers as
 * copies, `<owner>-` as generateName, the owner's namespace and a controller reference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiAdmission } from '../../src/api/admission.js';
import type { Pod, PodTemplateSpec } from '../../src/api/types/pod.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { getPodFromTemplate } from '../../src/controllers/pod-template.js';
import { controllerRef, newApi, newReplicaSet } from '../helpers/engine-fixtures.js';

function owner(): ReplicaSet {
  const rs = newReplicaSet('web-abc');
  rs.metadata.namespace = 'shop';
  rs.metadata.uid = 'rs-uid';
  return rs;
}

describe('getPodFromTemplate', () => {
  it('copies labels, annotations and finalizers, names by the owner and points back at it', () => {
    const template: PodTemplateSpec = {
      metadata: { labels: { app: 'web' } as Record<string, string>, annotations: { note: 'x' }, finalizers: ['example.com/f'], name: 'ignored' },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    };
    const rs = owner();
    const pod = getPodFromTemplate(template, rs);
    assert.deepEqual(pod.metadata, {
      name: '',
      generateName: 'web-abc-',
      namespace: 'shop',
      labels: { app: 'web' },
      annotations: { note: 'x' },
      finalizers: ['example.com/f'],
      ownerReferences: [controllerRef(rs)],
    });
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.apiVersion, 'v1');
    assert.equal(pod.status, undefined);
    (pod.metadata.labels as Record<string, string>).extra = 'y';
    pod.metadata.finalizers!.push('more');
    assert.deepEqual(template.metadata?.labels, { app: 'web' }, 'the template is not changed through the pod');
    assert.deepEqual(template.metadata?.finalizers, ['example.com/f']);
  });

  it('shares the (immutable) template spec instead of copying it', () => {
    const template: PodTemplateSpec = { metadata: {}, spec: { containers: [{ name: 'app', image: 'app:1' }] } };
    assert.equal(getPodFromTemplate(template, owner()).spec, template.spec);
  });

  it('leaves out metadata the template does not have', () => {
    const pod = getPodFromTemplate({ spec: { containers: [{ name: 'app', image: 'app:1' }] } }, owner());
    assert.deepEqual(Object.keys(pod.metadata).sort(), ['generateName', 'name', 'namespace', 'ownerReferences']);
  });

  it('makes a pod the API server admits unchanged from a stored (defaulted) template but for DefaultTolerationSeconds, and names it with a suffix', () => {
    const { api } = newApi({ admission: apiAdmission });
    const rs = api.create(newReplicaSet('web'));
    const created = api.create(getPodFromTemplate(rs.spec.template, rs));
    assert.match(created.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const { tolerations, ...rest } = created.spec;
    assert.deepEqual(rest, rs.spec.template.spec as Pod['spec'], 'the defaulted template needs no further defaults');
    assert.deepEqual(tolerations?.map((t) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'], 'the admission plugin adds its tolerations');
    assert.equal(api.create(getPodFromTemplate(rs.spec.template, rs)).spec, created.spec, 'pods of one template share one admitted spec');
  });
});
