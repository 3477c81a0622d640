/**
 * ClusterCounts: the timeline's cluster row (nodes, nodesReady, pods by phase, podsReady,
 * podsTerminating) kept incrementally from commits, old contribution out, new one in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../src/api/types/node.js';
import type { ClusterCountValues } from '../../src/metrics/cluster-counts.js';
import { editable, newNode } from '../helpers/engine-fixtures.js';
import { metricsHarness } from './harness.js';

const ZERO: ClusterCountValues = { nodes: 0, nodesReady: 0, pods: 0, podsPending: 0, podsRunning: 0, podsReady: 0, podsTerminating: 0 };

function setNodeReady(h: ReturnType<typeof metricsHarness>, name: string, ready: boolean): void {
  const node = editable<Node>(h.api.get<Node>('Node', undefined, name));
  node.status = { ...node.status, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  h.api.updateStatus(node);
}

describe('ClusterCounts', () => {
  it('starts at zero on every metric', () => {
    assert.deepEqual({ ...metricsHarness().counts.values }, ZERO);
  });

  it('counts nodes and the Ready ones, following Ready transitions and removals', () => {
    const h = metricsHarness();
    h.api.create(newNode('n1'));
    h.api.create(newNode('n2'));
    h.api.create(newNode('n3'));
    setNodeReady(h, 'n1', true);
    setNodeReady(h, 'n2', true);
    assert.deepEqual([h.counts.values.nodes, h.counts.values.nodesReady], [3, 2]);
    setNodeReady(h, 'n2', false);
    h.api.delete('Node', undefined, 'n1');
    assert.deepEqual([h.counts.values.nodes, h.counts.values.nodesReady], [2, 0]);
  });

  it('a status write that keeps readiness (a heartbeat) moves no count; one that changes it moves nodesReady only', () => {
    const h = metricsHarness();
    h.api.create(newNode('n1'));
    setNodeReady(h, 'n1', true);
    const heartbeat = (at: number) => {
      const node = editable<Node>(h.api.get<Node>('Node', undefined, 'n1'));
      node.status = { ...node.status, conditions: [{ type: 'Ready', status: node.status?.conditions?.[0]?.status ?? 'False', lastHeartbeatTime: at }] };
      h.api.updateStatus(node);
    };
    heartbeat(300_000);
    heartbeat(600_000);
    assert.deepEqual({ ...h.counts.values }, { ...ZERO, nodes: 1, nodesReady: 1 });
    setNodeReady(h, 'n1', false);
    heartbeat(900_000);
    assert.deepEqual({ ...h.counts.values }, { ...ZERO, nodes: 1, nodesReady: 0 });
  });

  it('sorts pods by phase and readiness; terminating pods count only as terminating', () => {
    const h = metricsHarness();
    for (const name of ['pending', 'running', 'ready', 'going']) h.pod(name, undefined, 'n1');
    h.podStatus('running', 'Running', false);
    h.podStatus('ready', 'Running', true);
    h.podStatus('going', 'Running', true);
    h.deletePod('going'); // bound: terminating for its grace period
    assert.deepEqual({ ...h.counts.values }, { ...ZERO, pods: 3, podsPending: 1, podsRunning: 2, podsReady: 1, podsTerminating: 1 });
  });

  it('terminal pods (Succeeded, Failed) count nowhere', () => {
    const h = metricsHarness();
    h.pod('done', undefined, 'n1');
    h.pod('broken', undefined, 'n1');
    h.podStatus('done', 'Succeeded', false);
    h.podStatus('broken', 'Failed', false);
    assert.deepEqual({ ...h.counts.values }, ZERO);
  });

  it('returns to zero once every pod and node is gone', () => {
    const h = metricsHarness();
    h.api.create(newNode('n1'));
    setNodeReady(h, 'n1', true);
    h.pod('a', undefined, 'n1');
    h.podStatus('a', 'Running', true);
    h.deletePod('a'); // graceful
    h.api.delete('Pod', 'default', 'a', { gracePeriodSeconds: 0 }); // the kubelet confirms
    h.pod('b'); // unbound: removed at once
    h.deletePod('b');
    h.api.delete('Node', undefined, 'n1');
    assert.deepEqual({ ...h.counts.values }, ZERO);
  });
});
