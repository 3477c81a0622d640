import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindInfo, kindNames, resolveKindName, servedKinds } from '../../src/api/kinds.js';

describe('resolveKindName', () => {
  const cases: [string, string][] = [
    ['Deployment', 'Deployment'],
    ['deployment', 'Deployment'],
    ['deployments', 'Deployment'],
    ['deploy', 'Deployment'],
    ['DEPLOY', 'Deployment'],
    ['Deployments', 'Deployment'],
    ['ReplicaSet', 'ReplicaSet'],
    ['replicasets', 'ReplicaSet'],
    ['rs', 'ReplicaSet'],
    ['po', 'Pod'],
    ['pods', 'Pod'],
    ['Pod', 'Pod'],
    ['no', 'Node'],
    ['nodes', 'Node'],
    ['svc', 'Service'],
    ['services', 'Service'],
  ];
  for (const [name, kind] of cases) {
    it(`${name} → ${kind}`, () => assert.equal(resolveKindName(name)?.kind, kind));
  }

  it('returns undefined for kinds the simulator does not serve and for typos', () => {
    assert.equal(resolveKindName('Ingress'), undefined);
    assert.equal(resolveKindName('deplyment'), undefined);
    assert.equal(resolveKindName(''), undefined);
  });
});

describe('kindInfo and the kind table', () => {
  it('kindInfo takes the exact Kind only', () => {
    assert.equal(kindInfo('Deployment')?.plural, 'deployments');
    assert.equal(kindInfo('deployment'), undefined);
  });

  it('declares the write behaviour each kind needs', () => {
    const deployment = kindInfo('Deployment');
    assert.equal(deployment?.apiVersion, 'apps/v1');
    assert.equal(deployment?.tracksGeneration, true);
    assert.equal(deployment?.statusWritesAnnotations, true);
    assert.equal(kindInfo('ReplicaSet')?.statusWritesAnnotations ?? false, false);
    assert.equal(kindInfo('Node')?.namespaced, false);
    assert.equal(kindInfo('Pod')?.namespaced, true);
    assert.equal(kindInfo('Pod')?.tracksGeneration, false);
  });

  it('every served kind is reachable by its Kind, plural and each alias', () => {
    for (const info of servedKinds()) {
      for (const name of [info.kind, info.plural, ...info.aliases]) assert.equal(resolveKindName(name), info, name);
    }
  });

  it('kindNames lists every lower-case spelling, each resolving', () => {
    const names = kindNames();
    assert.ok(names.includes('deploy') && names.includes('rs') && names.includes('pods'));
    for (const name of names) assert.ok(resolveKindName(name) !== undefined, name);
    assert.equal(new Set(names).size, names.length, 'no duplicates');
  });
});
