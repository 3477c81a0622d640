import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLog, type SimEvent, secondsText, serialize } from '../../src/cluster/event-log.js';
import { MAX_TIME } from '../../src/engine/event-heap.js';
import { Simulation } from '../../src/engine/simulation.js';

describe('serialize', () => {
  it('writes keys in the contract order: t, type, kind, namespace, name, node, owner, extras', () => {
    const event: SimEvent = {
      owner: 'ReplicaSet/web-abc',
      node: 'node-1',
      name: 'web-abc-xyz',
      namespace: 'default',
      kind: 'Pod',
      type: 'PodBound',
      t: 1.5,
      fields: { reason: 'Scheduled', attempt: 2 },
    };
    assert.equal(
      serialize(event),
      '{"t":1.5,"type":"PodBound","kind":"Pod","namespace":"default","name":"web-abc-xyz","node":"node-1","owner":"ReplicaSet/web-abc","reason":"Scheduled","attempt":2}',
    );
  });

  it('omits absent namespace, node and owner; drops undefined extras but keeps null and false', () => {
    const event: SimEvent = { t: 0, type: 'NodeReady', kind: 'Node', name: 'n1', fields: { a: undefined, b: null, c: false, d: 0 } };
    assert.equal(serialize(event), '{"t":0,"type":"NodeReady","kind":"Node","name":"n1","b":null,"c":false,"d":0}');
  });

  it('escapes strings as JSON.stringify does: quotes, backslashes, control characters, lone surrogates', () => {
    const odd = ['a"b', 'a\\b', 'tab\there', 'nul\u0000', 'lone\ud800', 'pair\ud83d\ude00', 'é'];
    for (const text of odd) {
      const line = serialize({ t: 0, type: text, kind: text, namespace: text, name: text, node: text, owner: text, fields: { [text]: text } });
      const q = JSON.stringify(text);
      assert.equal(line, `{"t":0,"type":${q},"kind":${q},"namespace":${q},"name":${q},"node":${q},"owner":${q},${q}:${q}}`);
      assert.equal(JSON.parse(line).name, JSON.parse(q));
    }
  });

  it('writes each time as its shortest JSON number, repeated or not', () => {
    for (const t of [0, 0.001, 0.001, 1.5, 1.5, 0, 86400.123, 1e21, 0.1 + 0.2, Number.NaN, Number.NaN, Infinity]) {
      assert.equal(serialize({ t, type: 'x', kind: 'K', name: 'n' }), `{"t":${JSON.stringify(t)},"type":"x","kind":"K","name":"n"}`);
    }
  });

  it('keeps extras in their given order', () => {
    const line = serialize({ t: 0, type: 'x', kind: 'K', name: 'n', fields: { zeta: 1, alpha: 2 } });
    assert.ok(line.endsWith('"zeta":1,"alpha":2}'));
  });
});

describe('secondsText', () => {
  it('is String(ms / 1000) for every whole millisecond', () => {
    const check = (ms: number) => assert.equal(secondsText(ms), String(ms / 1000), `ms ${ms}`);
    for (let ms = 0; ms <= 200_000; ms++) check(ms);
    // Around large times, up to the engine's horizon: every millisecond of a few seconds.
    for (const base of [86_400_000, 2 ** 31, 31_536_000_000, 2 ** 40, 10 ** 13, MAX_TIME - 5000]) {
      for (let ms = base; ms <= base + 5000; ms++) check(ms);
    }
  });
});

describe('EventLog', () => {
  it('stamps events with virtual seconds to the millisecond', () => {
    const sim = new Simulation();
    const log = new EventLog(sim);
    sim.schedule(1234, () => log.emit('ScalingReplicaSet', { kind: 'Deployment', namespace: 'default', name: 'web' }, { replicas: 3 }));
    sim.run();
    assert.deepEqual(log.jsonLines(), ['{"t":1.234,"type":"ScalingReplicaSet","kind":"Deployment","namespace":"default","name":"web","replicas":3}']);
  });

  it('writes the time of events sharing an instant and of later ones', () => {
    const sim = new Simulation();
    const log = new EventLog(sim);
    for (const at of [0, 1, 1, 1500, 1500, 86_400_123]) sim.scheduleAt(at, () => log.emit('Tick', { kind: 'Node', name: 'n' }));
    sim.run();
    assert.deepEqual(log.jsonLines().map((line) => JSON.parse(line).t), [0, 0.001, 0.001, 1.5, 1.5, 86400.123]);
    assert.ok(log.jsonLines()[3].startsWith('{"t":1.5,'));
  });

  it('counts events per type and in total', () => {
    const log = new EventLog(new Simulation());
    log.emit('A', { kind: 'Pod', name: 'p1' });
    log.emit('B', { kind: 'Pod', name: 'p2' });
    log.emit('A', { kind: 'Pod', name: 'p3' });
    assert.equal(log.countOf('A'), 2);
    assert.equal(log.countOf('B'), 1);
    assert.equal(log.countOf('C'), 0);
    assert.equal(log.size, 3);
    assert.equal(log.jsonLines().length, 3);
  });

  it('notifies subscribers synchronously with the structured event', () => {
    const log = new EventLog(new Simulation());
    const seen: SimEvent[] = [];
    log.subscribe((e) => seen.push(e));
    log.emit('PodCreated', { kind: 'Pod', namespace: 'ns', name: 'p', owner: 'ReplicaSet/rs' }, { extra: 'x' });
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0], { t: 0, type: 'PodCreated', kind: 'Pod', namespace: 'ns', name: 'p', node: undefined, owner: 'ReplicaSet/rs', fields: { extra: 'x' } });
  });

  it('produces byte-identical lines for the same events', () => {
    const run = () => {
      const sim = new Simulation();
      const log = new EventLog(sim);
      for (let i = 0; i < 5; i++) sim.schedule(i * 333, () => log.emit('Tick', { kind: 'Node', name: `n${i}` }, { i, half: i / 2 }));
      sim.run();
      return log.jsonLines().join('\n');
    };
    assert.equal(run(), run());
  });
});
