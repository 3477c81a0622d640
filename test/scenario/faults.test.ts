/**
 * `spec.faults`: what an entry takes down (a node, each node of a pool, a zone), its defaults
 * (mode stopped; a plain duration is an exponential mean), its stream name, and the refusals —
 * unknown nodes, pools and zones, non-positive mtbf/mttr, more faults than the actions limit —
 * each at its line and column.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertScenarioError } from './assert-scenario-error.js';
import { load, loading, scenario } from './scenario-files.js';

/** Two pools: a (3 nodes, zone z1) and b (2 nodes, zone z2); `faults` from line 11. */
const withFaults = (faults: string) => scenario(`  duration: 30d
  sampleInterval: 1h
  cluster:
    nodePools:
      - {name: a, count: 3, labels: {topology.kubernetes.io/zone: z1}}
      - {name: b, count: 2, labels: {topology.kubernetes.io/zone: z2}}
  faults:
${faults}`);

describe('spec.faults', () => {
  it('a pool fails node by node; a plain duration is the mean of an exponential', () => {
    const [source] = load(withFaults('    - {failNode: {pool: a}, mtbf: 2h, mttr: 10m}\n')).faults;
    assert.deepEqual(source, {
      label: 'faults[0] pool/a', stream: 'fault/pool=a', mode: 'stopped',
      units: [{ by: 'node', name: 'a-0' }, { by: 'node', name: 'a-1' }, { by: 'node', name: 'a-2' }],
      timeToFailure: { kind: 'exponential', meanMs: 7_200_000 }, timeToRepair: { kind: 'exponential', meanMs: 600_000 },
    });
  });

  it('a zone fails as one unit, a node alone; distributions are kept; a repeated target gets its own stream', () => {
    const sources = load(withFaults(`    - {failNode: {zone: z2, mode: partitioned}, mtbf: {uniform: {min: 1d, max: 3d}}, mttr: {lognormal: {median: 5m, p99: 1h}}}
    - {failNode: {node: b-1}, mtbf: 7d, mttr: 1h}
    - {failNode: {node: b-1}, mtbf: 7d, mttr: 1h}
`)).faults;
    assert.deepEqual(sources.map((s) => [s.label, s.stream, s.mode, s.units]), [
      ['faults[0] zone/z2', 'fault/zone=z2', 'partitioned', [{ by: 'zone', name: 'z2' }]],
      ['faults[1] node/b-1', 'fault/node=b-1', 'stopped', [{ by: 'node', name: 'b-1' }]],
      ['faults[2] node/b-1', 'fault/node=b-1#2', 'stopped', [{ by: 'node', name: 'b-1' }]],
    ]);
    assert.deepEqual(sources[0].timeToFailure, { kind: 'uniform', minMs: 86_400_000, maxMs: 259_200_000 });
  });

  it('unknown nodes, pools and zones are refused where they are written, with what exists', () => {
    assertScenarioError(loading(withFaults('    - {failNode: {node: c-0}, mtbf: 2h, mttr: 10m}\n')), { line: 12, column: 25, message: /node "c-0" is not in the cluster at the start/, hint: /a-0, a-1, a-2, b-0, b-1/ });
    assertScenarioError(loading(withFaults('    - {failNode: {pool: c}, mtbf: 2h, mttr: 10m}\n')), { line: 12, message: /node pool "c" has no nodes/, hint: /the pools are a, b/ });
    assertScenarioError(loading(withFaults('    - {failNode: {zone: z3}, mtbf: 2h, mttr: 10m}\n')), { line: 12, message: /no node is in zone "z3"/, hint: /the zones are z1, z2/ });
  });

  it('exactly one target; mtbf and mttr required and positive; modes spelled right', () => {
    assertScenarioError(loading(withFaults('    - {failNode: {}, mtbf: 2h, mttr: 10m}\n')), { line: 12, message: /failNode needs one of "node", "zone" or "pool"/ });
    assertScenarioError(loading(withFaults('    - {failNode: {pool: a, node: a-0}, mtbf: 2h, mttr: 10m}\n')), { line: 12, message: /takes one of "node", "zone" or "pool", got "node" and "pool"/ });
    assertScenarioError(loading(withFaults('    - {failNode: {pool: a}, mttr: 10m}\n')), { line: 12, message: /missing required key "mtbf"/ });
    assertScenarioError(loading(withFaults('    - {failNode: {pool: a}, mtbf: 0s, mttr: 10m}\n')), { line: 12, message: /mtbf must be longer than 0/ });
    assertScenarioError(loading(withFaults('    - {failNode: {pool: a}, mtbf: 2h, mttr: {uniform: {min: 0s, max: 0s}}}\n')), { line: 12, message: /mttr must be longer than 0/ });
    assertScenarioError(loading(withFaults('    - {failNode: {pool: a, mode: stoped}, mtbf: 2h, mttr: 10m}\n')), { line: 12, message: /stoped/, hint: /stopped/ });
  });

  it('refuses faults expected to outnumber the actions limit', () => {
    // 3 nodes × 30 d ÷ (1 h + 1 h) × 2 ≈ 2,160 failures and repairs.
    assertScenarioError(loading(withFaults('    - {failNode: {pool: a}, mtbf: 1h, mttr: 1h}\n'), { limits: { actions: 1000 } }), { line: 12, message: /about 2160 times over the run, over the limit of 1000 actions \(actions=1000\)/ });
    assert.equal(load(withFaults('    - {failNode: {pool: a}, mtbf: 1h, mttr: 1h}\n'), { limits: { actions: 3000 } }).faults.length, 1);
  });
});
