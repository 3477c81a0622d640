import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultNode } from '../../../src/api/defaults/index.js';
import { formatFieldError } from '../../../src/api/field-errors.js';
import type { Node } from '../../../src/api/types/index.js';
import { validateNode } from '../../../src/api/validation/index.js';

function node(patch: (n: Node) => void = () => {}): Node {
  const obj: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'worker-1.zone-a', labels: { 'kubernetes.io/hostname': 'worker-1', 'topology.kubernetes.io/zone': 'a' } },
    spec: { taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }], providerID: 'sim://worker-1' },
    status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } },
  };
  patch(obj);
  defaultNode(obj);
  return obj;
}

const show = (n: Node, old?: Node): string[] => validateNode(n, old).map(formatFieldError).sort();

describe('validateNode', () => {
  it('accepts a node', () => assert.deepEqual(show(node()), []));

  const cases: [name: string, patch: (n: Node) => void, expect: string[]][] = [
    ['a namespace', (n) => (n.metadata.namespace = 'default'), ['metadata.namespace: Forbidden: not allowed on this type']],
    [
      'bad and duplicate taints',
      (n) =>
        (n.spec.taints = [
          { key: 'a', effect: 'NoSchedule' },
          { key: 'a', effect: 'NoSchedule' },
          { key: 'b', effect: '' as 'NoSchedule' },
          { key: 'c', effect: 'Evict' as 'NoSchedule' },
        ]),
      [
        'metadata.taints[1]: Duplicate value: {"key":"a","effect":"NoSchedule"}: taints must be unique by key and effect pair',
        'metadata.taints[2].effect: Required value',
        'metadata.taints[3].effect: Unsupported value: "Evict": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    ],
    [
      'a negative and a fractional capacity',
      (n) => (n.status!.capacity = { cpu: '-1', pods: '1.5' }),
      [
        'status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0',
        'status.allocatable.pods: Invalid value: "1.5": must be an integer',
        'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
        'status.capacity.pods: Invalid value: "1.5": must be an integer',
      ],
    ],
  ];
  for (const [name, patch, expect] of cases) {
    it(`rejects ${name}`, () => assert.deepEqual(show(node(patch)), [...expect].sort()));
  }

  it('lets providerID go from unset to set but not change', () => {
    const unset = node((n) => delete n.spec.providerID);
    assert.deepEqual(show(node(), unset), []);
    const changed = node((n) => (n.spec.providerID = 'sim://other'));
    assert.deepEqual(show(changed, node()), ['spec.providerID: Forbidden: node updates may not change providerID except from "" to valid']);
    assert.deepEqual(show(node((n) => (n.spec.unschedulable = true)), node()), []);
  });
});
