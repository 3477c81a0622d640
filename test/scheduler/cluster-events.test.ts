import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../src/api/types/node.js';
import { defaultPlugins } from '../../src/scheduler/default-profile.js';
import { Framework } from '../../src/scheduler/framework.js';
import { AssignedPodDelete, NodeAdd, UnschedulableTimeout, nodeSchedulingPropertiesChange } from '../../src/scheduler/cluster-events.js';
import { SchedulerCache } from '../../src/scheduler/scheduler-cache.js';
import { newNode } from './helpers.js';

function withConditions(node: Node, status: 'True' | 'False', heartbeat: number): Node {
  return { ...node, status: { ...node.status, conditions: [{ type: 'Ready', status, lastHeartbeatTime: heartbeat }] } };
}

describe('nodeSchedulingPropertiesChange', () => {
  const base = withConditions(newNode('n', { labels: { zone: 'a' } }), 'True', 0);

  it('ignores heartbeats and other status noise', () => {
    assert.equal(nodeSchedulingPropertiesChange(withConditions(base, 'True', 10_000), base), undefined);
  });

  it('compares conditions as type → status, whatever their order: a kubelet status report with the same statuses is no event', () => {
    const two = (a: 'True' | 'False', b: 'True' | 'False', heartbeat: number): Node => ({
      ...base,
      status: { ...base.status, conditions: [{ type: 'Ready', status: a, lastHeartbeatTime: heartbeat }, { type: 'MemoryPressure', status: b, lastHeartbeatTime: heartbeat }] },
    });
    const reordered = (n: Node): Node => ({ ...n, status: { ...n.status, conditions: [...(n.status?.conditions ?? [])].reverse() } });
    assert.equal(nodeSchedulingPropertiesChange(two('True', 'False', 300_000), two('True', 'False', 0)), undefined);
    assert.equal(nodeSchedulingPropertiesChange(reordered(two('True', 'False', 300_000)), two('True', 'False', 0)), undefined);
    assert.equal(nodeSchedulingPropertiesChange(two('True', 'True', 300_000), two('True', 'False', 0))?.label, 'NodeConditionChange');
    assert.equal(nodeSchedulingPropertiesChange(reordered(two('False', 'False', 0)), two('True', 'False', 0))?.label, 'NodeConditionChange');
    // A condition gone (or new) is a change even when every remaining status matches.
    assert.equal(nodeSchedulingPropertiesChange(withConditions(base, 'True', 300_000), two('True', 'False', 0))?.label, 'NodeConditionChange');
  });

  it('names the first relevant change, in upstream order', () => {
    const cases: [Node, string | undefined][] = [
      [{ ...base, spec: { unschedulable: true } }, undefined],
      [{ ...base, status: { ...base.status, allocatable: { cpu: '8', memory: '16Gi', pods: 110 } } }, 'NodeAllocatableChange'],
      [{ ...base, metadata: { ...base.metadata, labels: { zone: 'b' } } }, 'NodeLabelChange'],
      [{ ...base, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, 'NodeTaintChange'],
      [withConditions(base, 'False', 0), 'NodeConditionChange'],
    ];
    for (const [changed, label] of cases) assert.equal(nodeSchedulingPropertiesChange(changed, base)?.label, label);
    // Cordoning cannot help a pending pod; uncordoning can.
    assert.equal(nodeSchedulingPropertiesChange(base, { ...base, spec: { unschedulable: true } })?.label, 'NodeSpecUnschedulableChange');
  });
});

describe('plugin event registrations', () => {
  it('wake resource-rejected pods on pod deletions, and node-rejected pods only on node events', () => {
    const framework = new Framework(defaultPlugins(new SchedulerCache()));
    assert.deepEqual(framework.pluginNames(framework.interestedPlugins(AssignedPodDelete)), ['NodeResourcesFit']);
    assert.deepEqual(framework.pluginNames(framework.interestedPlugins(NodeAdd)), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodeResourcesFit']);
    assert.equal(framework.interestedPlugins(UnschedulableTimeout), framework.interestedPlugins(NodeAdd));
  });
});
