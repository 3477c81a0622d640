/**
 * scenarios/service-endpoints.yaml end to end: during the rolling update the web Service never
 * has fewer ready endpoints than maxUnavailable allows, terminating endpoints show up, the slices
 * end equal to a from-scratch computation, and the database pod is reachable by its stable name.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { matchesLabelMap } from '../../../src/api/label-selector.js';
import type { EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import type { Node } from '../../../src/api/types/node.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { Service } from '../../../src/api/types/service.js';
import { resolve, serviceDnsRecords } from '../../../src/controllers/endpointslice/dns.js';
import { ServiceEndpointCounts } from '../../../src/controllers/endpointslice/endpoint-counts.js';
import { serviceSelector } from '../../../src/controllers/endpointslice/endpoints.js';
import { reconcile } from '../../../src/controllers/endpointslice/reconciler.js';
import { loadScenario } from '../../../src/scenario/load.js';
import type { SimCluster } from '../../../src/sim/cluster.js';
import { runScenario } from '../../../src/sim/run.js';
import { canonicalJson } from '../../../src/util/objects.js';

const file = join(new URL('../../../scenarios/', import.meta.url).pathname, 'service-endpoints.yaml');

describe('scenarios/service-endpoints.yaml', () => {
  let cluster: SimCluster | undefined;
  const counts = new ServiceEndpointCounts();
  let minReadyDuringRollout = Infinity;
  let maxTerminating = 0;
  const result = runScenario(loadScenario(file), {
    freezeObjects: true,
    instrument: (c) => {
      cluster = c;
      c.api.observe((commit) => {
        counts.observe(commit);
        if (commit.object.kind !== 'EndpointSlice' || c.sim.now < 60_000) return;
        const web = counts.get('default', 'web');
        minReadyDuringRollout = Math.min(minReadyDuringRollout, web.ready);
        maxTerminating = Math.max(maxTerminating, web.terminating);
      });
    },
  });

  it('passes its expectations', () => {
    assert.deepEqual(result.expectations.filter((e) => !e.passed), []);
  });

  it('keeps at least replicas − maxUnavailable = 8 ready endpoints, and shows terminating ones', () => {
    assert.equal(minReadyDuringRollout, 8);
    assert.ok(maxTerminating >= 2, `at most ${maxTerminating} terminating endpoints`);
    assert.deepEqual(counts.get('default', 'web'), { endpoints: 10, ready: 10, serving: 10, terminating: 0 });
  });

  it('ends with slices equal to a from-scratch computation', () => {
    const api = (cluster as SimCluster).api;
    const nodes = new Map([...api.list<Node>('Node')].map((n) => [n.metadata.name, n]));
    for (const service of api.list<Service>('Service')) {
      const selector = serviceSelector(service) ?? {};
      const pods = [...api.list<Pod>('Pod')].filter((p) => matchesLabelMap(selector, p.metadata.labels));
      const expected = reconcile(service, pods, [], (name) => nodes.get(name)).create.flatMap((s) => s.endpoints.map(canonicalJson)).sort();
      const actual = [...api.list<EndpointSlice>('EndpointSlice')]
        .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name)
        .flatMap((s) => s.endpoints.map(canonicalJson))
        .sort();
      assert.deepEqual(actual, expected, service.metadata.name);
    }
  });

  it('resolves the database pod by its hostname under the headless Service', () => {
    const api = (cluster as SimCluster).api;
    const db = api.get<Service>('Service', 'default', 'db') as Service;
    const records = serviceDnsRecords(db, api.list<EndpointSlice>('EndpointSlice'));
    const ip = api.get<Pod>('Pod', 'default', 'db-0')?.status?.podIP;
    assert.ok(ip);
    assert.deepEqual(resolve(records, 'db-0.db.default.svc.cluster.local'), [ip]);
    assert.deepEqual(resolve(records, 'db.default.svc.cluster.local'), [ip]);
    assert.deepEqual(serviceDnsRecords(api.get<Service>('Service', 'default', 'web') as Service, api.list<EndpointSlice>('EndpointSlice')), []);
  });
});
