/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): upstream's
 * TestForgivenessAdmission cases, the plugin running in admission on create (pods only, not
 * templates), and pods of one template keeping one shared spec object.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TOLERATION_SECONDS, addDefaultTolerationSeconds, apiAdmission } from '../../src/api/admission.js';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { Pod, PodSpec, Toleration } from '../../src/api/types/pod.js';
import { ApiServer } from '../../src/cluster/api-server.js';
import { RandomStreams } from '../../src/engine/random.js';
import { Simulation } from '../../src/engine/simulation.js';

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const added = (key: string, seconds = DEFAULT_TOLERATION_SECONDS): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
const spec = (tolerations?: Toleration[]): PodSpec => ({ containers: [{ name: 'c', image: 'i' }], ...(tolerations ? { tolerations } : {}) });

describe('DefaultTolerationSeconds (upstream TestForgivenessAdmission)', () => {
  const cases: { name: string; given?: Toleration[]; expected: Toleration[] }[] = [
    { name: 'no tolerations: both added', expected: [added(NOT_READY), added(UNREACHABLE)] },
    {
      name: 'unrelated tolerations: both added after them',
      given: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule', tolerationSeconds: 700 }],
      expected: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule', tolerationSeconds: 700 }, added(NOT_READY), added(UNREACHABLE)],
    },
    { name: 'not-ready tolerated: unreachable added', given: [added(NOT_READY, 700)], expected: [added(NOT_READY, 700), added(UNREACHABLE)] },
    { name: 'unreachable tolerated: not-ready added', given: [added(UNREACHABLE, 700)], expected: [added(UNREACHABLE, 700), added(NOT_READY)] },
    { name: 'both tolerated: no change', given: [added(NOT_READY, 700), added(UNREACHABLE, 700)], expected: [added(NOT_READY, 700), added(UNREACHABLE, 700)] },
    {
      name: 'unreachable tolerated for every effect: not-ready added',
      given: [{ key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 700 }],
      expected: [{ key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 700 }, added(NOT_READY)],
    },
    { name: 'a wildcard toleration: no change', given: [{ operator: 'Exists', tolerationSeconds: 700 }], expected: [{ operator: 'Exists', tolerationSeconds: 700 }] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(addDefaultTolerationSeconds(spec(c.given)).tolerations, c.expected));
  }

  it('a spec that needs nothing is returned as it is', () => {
    const s = spec([added(NOT_READY, 1), added(UNREACHABLE, 1)]);
    assert.equal(addDefaultTolerationSeconds(s), s);
  });
});

describe('DefaultTolerationSeconds in admission', () => {
  it('runs on pods created through the API server, after defaulting', () => {
    const api = new ApiServer(new Simulation(), new RandomStreams(1), { admission: apiAdmission });
    const pod = api.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: spec() });
    assert.deepEqual(pod.spec.tolerations, [added(NOT_READY), added(UNREACHABLE)]);
    assert.equal(pod.spec.restartPolicy, 'Always', 'the API defaults are there too');
  });

  it('leaves pod templates alone: it is an admission plugin for pods, not an API default', () => {
    const api = new ApiServer(new Simulation(), new RandomStreams(1), { admission: apiAdmission });
    const d = api.create<Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: spec() } },
    } as Deployment);
    assert.equal(d.spec.template.spec.tolerations, undefined);
  });

  it('pods sharing one spec object share one extended spec; a spec changed since gets its own', () => {
    const shared = spec();
    const a = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: shared } as Pod;
    const b = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: shared } as Pod;
    apiAdmission.default(a);
    apiAdmission.default(b);
    assert.equal(a.spec, b.spec);
    assert.notEqual(a.spec, shared);
    shared.nodeName = 'n1';
    const c = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' }, spec: shared } as Pod;
    apiAdmission.default(c);
    assert.equal(c.spec.nodeName, 'n1');
    assert.notEqual(c.spec, a.spec);
  });
});
