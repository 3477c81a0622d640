import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../src/api/types/node.js';
import { Framework, Diagnosis, type FilterPlugin } from '../../src/scheduler/framework.js';
import { fitErrorMessage } from '../../src/scheduler/fit-error.js';
import { type NodeInfo, NodeTable } from '../../src/scheduler/node-info.js';
import type { PodInfo } from '../../src/scheduler/pod-info.js';
import { SchedulerCache } from '../../src/scheduler/scheduler-cache.js';
import { ImageLocality, calculatePriority, normalizedImageName } from '../../src/scheduler/plugins/image-locality.js';
import { ERR_REASON_CONFLICT, ERR_REASON_POD, NodeAffinity } from '../../src/scheduler/plugins/node-affinity.js';
import { ERR_REASON_NODE_NAME, NodeName } from '../../src/scheduler/plugins/node-name.js';
import { NodeResourcesFit } from '../../src/scheduler/plugins/node-resources-fit.js';
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulable } from '../../src/scheduler/plugins/node-unschedulable.js';
import { defaultNormalizeScore } from '../../src/scheduler/plugins/normalize-score.js';
import { TaintToleration } from '../../src/scheduler/plugins/taint-toleration.js';
import { ReasonRecorder, newNode, newPod, nodeInfo, podInfo } from './helpers.js';

/** Runs a filter plugin on each node alone: the names that fit and every reason reported. */
function runFilter(plugin: FilterPlugin, pod: PodInfo, nodes: NodeInfo[]): { fit: string[]; reasons: string[] } {
  const recorder = new ReasonRecorder();
  const batch = [...nodes];
  const kept = plugin.filter(pod, batch, batch.length, recorder);
  return { fit: batch.slice(0, kept).map((node) => node.name), reasons: recorder.reasons };
}

function scores(count: number, values: number[]): Int32Array {
  const array = new Int32Array(count);
  array.set(values);
  return array;
}

describe('NodeUnschedulable', () => {
  const nodes = () => [nodeInfo(newNode('open')), nodeInfo(newNode('cordoned', { unschedulable: true }))];

  it('rejects cordoned nodes', () => {
    assert.deepEqual(runFilter(new NodeUnschedulable(), podInfo('p'), nodes()), { fit: ['open'], reasons: [ERR_REASON_UNSCHEDULABLE] });
    assert.equal(ERR_REASON_UNSCHEDULABLE, 'node(s) were unschedulable');
  });

  it('passes a batch whole while its table counts no cordoned node, and rejects again once one is', () => {
    const table = new NodeTable();
    const open = [nodeInfo(newNode('a'), [], table), nodeInfo(newNode('b'), [], table)];
    assert.deepEqual(runFilter(new NodeUnschedulable(), podInfo('p'), open).fit, ['a', 'b']);
    const cordoned = nodeInfo(newNode('c', { unschedulable: true }), [], table);
    assert.deepEqual(runFilter(new NodeUnschedulable(), podInfo('p'), [...open, cordoned]), { fit: ['a', 'b'], reasons: [ERR_REASON_UNSCHEDULABLE] });
    cordoned.setNode(newNode('c'));
    assert.deepEqual(runFilter(new NodeUnschedulable(), podInfo('p'), [...open, cordoned]).fit, ['a', 'b', 'c'], 'uncordoned');
  });

  it('admits pods that tolerate the unschedulable taint', () => {
    const pod = podInfo('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    assert.deepEqual(runFilter(new NodeUnschedulable(), pod, nodes()).fit, ['open', 'cordoned']);
  });
});

describe('NodeName', () => {
  it('skips pods without a node name and keeps only the named node otherwise', () => {
    const plugin = new NodeName();
    assert.equal(plugin.preFilter(podInfo('p')), 'skip');
    const pod = podInfo('p', { nodeName: 'b' });
    assert.equal(plugin.preFilter(pod), undefined);
    assert.deepEqual(runFilter(plugin, pod, [nodeInfo(newNode('a')), nodeInfo(newNode('b'))]), { fit: ['b'], reasons: [ERR_REASON_NODE_NAME] });
  });
});

describe('TaintToleration', () => {
  const plain = () => nodeInfo(newNode('plain'));
  const gpu = () => nodeInfo(newNode('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
  const draining = () => nodeInfo(newNode('draining', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }));
  const soft = () => nodeInfo(newNode('soft', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }));

  it('rejects NoSchedule and NoExecute taints the pod does not tolerate, naming the taint', () => {
    const result = runFilter(new TaintToleration(), podInfo('p'), [plain(), gpu(), draining(), soft()]);
    assert.deepEqual(result.fit, ['plain', 'soft']);
    assert.deepEqual(result.reasons, ['node(s) had untolerated taint {dedicated: gpu}', 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
  });

  it('passes a batch whole while its table counts no hard taint, and filters again once a node has one', () => {
    const table = new NodeTable();
    const untainted = [nodeInfo(newNode('a'), [], table), nodeInfo(newNode('b'), [], table)];
    assert.deepEqual(runFilter(new TaintToleration(), podInfo('p'), untainted).fit, ['a', 'b']);
    const tainted = nodeInfo(newNode('c', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), [], table);
    assert.deepEqual(runFilter(new TaintToleration(), podInfo('p'), [...untainted, tainted]).fit, ['a', 'b']);
    tainted.setNode(newNode('c'));
    assert.deepEqual(runFilter(new TaintToleration(), podInfo('p'), [...untainted, tainted]).fit, ['a', 'b', 'c'], 'taint removed');
  });

  it('admits tolerated taints', () => {
    const pod = podInfo('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
    assert.deepEqual(runFilter(new TaintToleration(), pod, [plain(), gpu()]).fit, ['plain', 'gpu']);
  });

  it('scores intolerable PreferNoSchedule taints, normalised in reverse', () => {
    const twoSoft = nodeInfo(
      newNode('two-soft', {
        taints: [
          { key: 'spot', value: 'true', effect: 'PreferNoSchedule' },
          { key: 'slow', effect: 'PreferNoSchedule' },
        ],
      }),
    );
    const plugin = new TaintToleration();
    const pod = podInfo('p');
    assert.equal(plugin.preScore(pod), true);
    const out = new Int32Array(3);
    plugin.score(pod, [plain(), soft(), twoSoft], 3, out);
    assert.deepEqual([...out], [0, 1, 2]);
    plugin.normalizeScore(out, 3);
    assert.deepEqual([...out], [100, 50, 0]);
  });

  it('counts only tolerations with an empty or PreferNoSchedule effect when scoring', () => {
    const plugin = new TaintToleration();
    const noScheduleOnly = podInfo('a', { tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }] });
    const anyEffect = podInfo('b', { tolerations: [{ key: 'spot', operator: 'Exists' }] });
    const out = new Int32Array(1);
    plugin.preScore(noScheduleOnly);
    plugin.score(noScheduleOnly, [soft()], 1, out);
    assert.equal(out[0], 1);
    plugin.preScore(anyEffect);
    plugin.score(anyEffect, [soft()], 1, out);
    assert.equal(out[0], 0);
  });
});

describe('NodeAffinity', () => {
  const nodes = () => [
    nodeInfo(newNode('a', { labels: { zone: 'z1', disk: 'ssd' } })),
    nodeInfo(newNode('b', { labels: { zone: 'z2', disk: 'ssd' } })),
    nodeInfo(newNode('c', { labels: { zone: 'z2' } })),
  ];

  it('skips pods without nodeSelector or required affinity', () => {
    assert.equal(new NodeAffinity().preFilter(podInfo('p')), 'skip');
  });

  it('enforces nodeSelector', () => {
    const plugin = new NodeAffinity();
    const pod = podInfo('p', { nodeSelector: { zone: 'z2' } });
    assert.equal(plugin.preFilter(pod), undefined);
    const result = runFilter(plugin, pod, nodes());
    assert.deepEqual(result, { fit: ['b', 'c'], reasons: [ERR_REASON_POD] });
    assert.equal(ERR_REASON_POD, "node(s) didn't match Pod's node affinity/selector");
  });

  it('ORs required terms and ANDs them with nodeSelector', () => {
    const plugin = new NodeAffinity();
    const pod = podInfo('p', {
      nodeSelector: { disk: 'ssd' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }, { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z1', 'z2'] }] }],
          },
        },
      },
    });
    plugin.preFilter(pod);
    assert.deepEqual(runFilter(plugin, pod, nodes()).fit, ['a']);
  });

  it('narrows the candidates to nodes pinned by metadata.name, and rejects contradictory pins', () => {
    const plugin = new NodeAffinity();
    const pinned = (terms: string[][]) =>
      podInfo('p', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: terms.map((values) => ({ key: 'metadata.name', operator: 'In' as const, values })) }],
            },
          },
        },
      });
    const result = plugin.preFilter(pinned([['a', 'b'], ['b', 'c']]));
    assert.deepEqual(result !== undefined && result !== 'skip' && 'nodeNames' in result ? [...result.nodeNames] : result, ['b']);
    assert.deepEqual(plugin.preFilter(pinned([['a'], ['c']])), { rejection: ERR_REASON_CONFLICT });
  });

  it('scores matching preferred terms by weight and normalises to 100', () => {
    const plugin = new NodeAffinity();
    const pod = podInfo('p', {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] } },
            { weight: 30, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
            { weight: 0, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
          ],
        },
      },
    });
    assert.equal(plugin.preScore(pod), true);
    const out = new Int32Array(3);
    plugin.score(pod, nodes(), 3, out);
    assert.deepEqual([...out], [30, 40, 10]);
    plugin.normalizeScore(out, 3);
    assert.deepEqual([...out], [75, 100, 25]);
    assert.equal(plugin.preScore(podInfo('q')), false);
  });
});

describe('NodeResourcesFit filter', () => {
  it('reports every insufficient resource, and too many pods', () => {
    const full = nodeInfo(newNode('full', { cpu: '1', memory: '1Gi', pods: 1 }), [newPod('existing', { cpu: '500m', memory: '512Mi', nodeName: 'full' })]);
    const roomy = nodeInfo(newNode('roomy', { cpu: '8', memory: '32Gi' }));
    const plugin = new NodeResourcesFit();
    const pod = podInfo('p', { cpu: '600m', memory: '1Gi' });
    plugin.preFilter(pod);
    assert.deepEqual(runFilter(plugin, pod, [full, roomy]), { fit: ['roomy'], reasons: ['Too many pods', 'Insufficient cpu', 'Insufficient memory'] });
  });

  it('checks extended resources by name', () => {
    const plugin = new NodeResourcesFit();
    const pod = podInfo('p', { cpu: '100m', extra: { 'example.com/gpu': 2 } });
    plugin.preFilter(pod);
    const nodes = [nodeInfo(newNode('none')), nodeInfo(newNode('one', { extra: { 'example.com/gpu': 1 } })), nodeInfo(newNode('four', { extra: { 'example.com/gpu': 4 } }))];
    assert.deepEqual(runFilter(plugin, pod, nodes), { fit: ['four'], reasons: ['Insufficient example.com/gpu', 'Insufficient example.com/gpu'] });
  });

  it('admits a pod requesting nothing wherever a pod slot is free', () => {
    const plugin = new NodeResourcesFit();
    const pod = podInfo('p');
    plugin.preFilter(pod);
    const noSlots = nodeInfo(newNode('no-slots', { pods: 0 }));
    assert.deepEqual(runFilter(plugin, pod, [noSlots, nodeInfo(newNode('free'))]), { fit: ['free'], reasons: ['Too many pods'] });
  });

  it('rejects resource weights outside (0, 100]', () => {
    assert.throws(() => new NodeResourcesFit({ resources: [{ name: 'cpu', weight: 0 }] }), /scoringStrategy\.resources\[0\]\.weight/);
  });
});

describe('ImageLocality', () => {
  const MB = 1024 * 1024;

  function cluster(nodes: Node[]): SchedulerCache {
    const cache = new SchedulerCache();
    for (const node of nodes) cache.addNode(node);
    return cache;
  }

  it('normalises untagged image names to :latest', () => {
    assert.equal(normalizedImageName('nginx'), 'nginx:latest');
    assert.equal(normalizedImageName('localhost:5000/nginx'), 'localhost:5000/nginx:latest');
    assert.equal(normalizedImageName('nginx:1.25'), 'nginx:1.25');
  });

  it('clamps the summed size to [23 MiB, 1000 MiB × containers]', () => {
    assert.equal(calculatePriority(10 * MB, 1), 0);
    assert.equal(calculatePriority(2000 * MB, 1), 100);
    assert.equal(calculatePriority(Math.round(511.5 * MB), 1), 50);
  });

  it('scores nodes holding the image, damped by how few nodes hold it', () => {
    const image = { names: ['registry.example/big:1'], sizeBytes: 500 * MB };
    const cache = cluster([newNode('with', { images: [image] }), newNode('also', { images: [image] }), newNode('without'), newNode('other')]);
    const plugin = new ImageLocality(cache);
    const pod = podInfo('p', { image: 'registry.example/big:1' });
    assert.equal(plugin.preScore(pod), true);
    const out = new Int32Array(4);
    plugin.score(pod, cache.nodeList, 4, out);
    // 500 MiB × 2/4 nodes = 250 MiB → 100 × (250 − 23) / (1000 − 23) = 23.
    assert.deepEqual([...out], [23, 23, 0, 0]);
    assert.equal(plugin.preScore(podInfo('q', { image: 'registry.example/absent:1' })), false);
  });
});

describe('defaultNormalizeScore', () => {
  it('scales to the maximum, optionally reversed, and leaves all-zero scores alone', () => {
    const plain = scores(3, [2, 4, 0]);
    defaultNormalizeScore(100, false, plain, 3);
    assert.deepEqual([...plain], [50, 100, 0]);
    const reversed = scores(3, [2, 4, 0]);
    defaultNormalizeScore(100, true, reversed, 3);
    assert.deepEqual([...reversed], [50, 0, 100]);
    const zeros = scores(2, [0, 0]);
    defaultNormalizeScore(100, false, zeros, 2);
    assert.deepEqual([...zeros], [0, 0]);
    defaultNormalizeScore(100, true, zeros, 2);
    assert.deepEqual([...zeros], [100, 100]);
  });
});

describe('fitErrorMessage', () => {
  it("formats upstream's histogram, sorted as strings", () => {
    const reasons = new Map([
      ['Insufficient cpu', 2],
      ['node(s) were unschedulable', 1],
    ]);
    assert.equal(fitErrorMessage(3, reasons), '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.');
    const many = new Map([
      ['Insufficient memory', 2],
      ['Insufficient cpu', 10],
    ]);
    assert.equal(fitErrorMessage(12, many), '0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory.');
  });

  it('uses the PreFilter message instead of the histogram', () => {
    assert.equal(fitErrorMessage(5, new Map([['x', 1]]), 'pod affinity terms conflict'), '0/5 nodes are available: pod affinity terms conflict.');
  });
});

describe('Framework', () => {
  it('gives each node the reasons of the first filter that rejects it, and records the plugins', () => {
    const framework = new Framework([{ plugin: new NodeUnschedulable() }, { plugin: new NodeName() }, { plugin: new NodeResourcesFit(), weight: 1 }]);
    const diagnosis = new Diagnosis();
    const pod = podInfo('p', { cpu: '6' });
    const nodes = [nodeInfo(newNode('cordoned', { unschedulable: true, cpu: '2' })), nodeInfo(newNode('small', { cpu: '2' })), nodeInfo(newNode('big', { cpu: '8' }))];
    assert.deepEqual(framework.runPreFilterPlugins(pod, diagnosis), { rejected: false });
    const kept = framework.runFilterPlugins(pod, nodes, 3, diagnosis);
    assert.deepEqual(nodes.slice(0, kept).map((node) => node.name), ['big']);
    assert.deepEqual([...diagnosis.reasons], [
      ['node(s) were unschedulable', 1],
      ['Insufficient cpu', 1],
    ]);
    assert.deepEqual(framework.pluginNames(diagnosis.unschedulablePlugins), ['NodeUnschedulable', 'NodeResourcesFit']);
  });

  it('keeps scores every node shares out of the totals and returns their weighted sum', () => {
    const cache = new SchedulerCache();
    for (const name of ['a', 'b', 'c']) cache.addNode(newNode(name, { cpu: name === 'a' ? '8' : '4' }));
    const framework = new Framework([
      { plugin: new TaintToleration(), weight: 3 },
      { plugin: new NodeResourcesFit(), weight: 1 },
    ]);
    const totals = new Int32Array(3);
    const pod = podInfo('p', { cpu: '2', memory: '4Gi' });
    // No node has a PreferNoSchedule taint: TaintToleration gives 0 everywhere, 100 once normalised.
    const common = framework.runScorePlugins(pod, cache.nodeList, 3, totals, new Int32Array(3));
    assert.equal(common, 300);
    // LeastAllocated: cpu (8000 − 2000)/8000 → 75 or (4000 − 2000)/4000 → 50; memory (16 − 4)/16 → 75.
    assert.deepEqual([...totals], [75, 62, 62]);
  });

  it('requires a weight for score plugins', () => {
    assert.throws(() => new Framework([{ plugin: new TaintToleration() }]), /TaintToleration needs a positive integer weight/);
  });
});
