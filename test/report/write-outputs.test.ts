/**
 * writeOutputs: the four files in <out>/<scenario-name>/; events.jsonl one contract-shaped JSON
 * object per line; timeline.csv with the contract's header and csv-stringify quoting.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TimelineRow } from '../../src/metrics/timeline.js';
import { runInfo } from '../../src/report/run-info.js';
import { eventsJsonl, metricsJson, OUTPUT_FILES, timelineCsv, writeOutputs } from '../../src/report/write-outputs.js';
import { runWeb, tempDir } from './fixtures.js';

const STANDARD_KEYS = ['t', 'type', 'kind', 'namespace', 'name', 'node', 'owner'];

function written() {
  const result = runWeb({ events: '    - {at: 40s, scale: {target: deployment/web, replicas: 3}}\n' });
  const out = tempDir();
  const folder = writeOutputs(out, result, runInfo(result, 1500, 64 * 1024 * 1024));
  const read = (file: string) => readFileSync(join(folder, file), 'utf8');
  return { result, out, folder, read };
}

describe('writeOutputs', () => {
  it('writes exactly events.jsonl, timeline.csv, metrics.json and run.json into <out>/<scenario-name>/', () => {
    const { out, folder } = written();
    assert.deepEqual([...OUTPUT_FILES], ['events.jsonl', 'timeline.csv', 'metrics.json', 'run.json']);
    assert.equal(folder, join(out, 'web-rollout'));
    assert.deepEqual(readdirSync(out), ['web-rollout']);
    assert.deepEqual(readdirSync(folder).sort(), [...OUTPUT_FILES].sort());
  });

  it('the files hold what the in-memory renderers produce', () => {
    const { result, read } = written();
    assert.equal(read('events.jsonl'), eventsJsonl(result));
    assert.equal(read('timeline.csv'), timelineCsv(result.timeline));
    assert.equal(read('metrics.json'), metricsJson(result));
    assert.deepEqual(JSON.parse(read('run.json')), JSON.parse(JSON.stringify(runInfo(result, 1500, 64 * 1024 * 1024))));
  });

  it('replaces the files of an earlier run of the same scenario', () => {
    const result = runWeb();
    const out = tempDir();
    mkdirSync(join(out, 'web-rollout'));
    writeFileSync(join(out, 'web-rollout', 'events.jsonl'), 'stale\n'.repeat(10_000));
    writeOutputs(out, result, runInfo(result, 1, 1));
    assert.equal(readFileSync(join(out, 'web-rollout', 'events.jsonl'), 'utf8'), eventsJsonl(result));
  });
});

describe('events.jsonl', () => {
  it("is one JSON object per line, newline-terminated, keys in the contract's order", () => {
    const { read } = written();
    const text = read('events.jsonl');
    assert.ok(text.endsWith('}\n'));
    const lines = text.slice(0, -1).split('\n');
    assert.ok(lines.length > 20);
    for (const line of lines) {
      const event = JSON.parse(line) as Record<string, unknown>;
      assert.ok(event !== null && typeof event === 'object' && !Array.isArray(event), line);
      const keys = Object.keys(event);
      const standard = keys.filter((k) => STANDARD_KEYS.includes(k));
      assert.deepEqual(keys.slice(0, standard.length), standard, `standard keys first: ${line}`);
      assert.deepEqual(standard, STANDARD_KEYS.filter((k) => k in event), `standard keys in order: ${line}`);
      assert.deepEqual([typeof event.t, typeof event.type, typeof event.kind, typeof event.name], ['number', 'string', 'string', 'string'], line);
    }
  });

  it('t is virtual seconds to the millisecond, in the order things happened', () => {
    const { result } = written();
    const ts = result.eventLines.map((l) => (JSON.parse(l) as { t: number }).t);
    for (const t of ts) assert.equal(Math.round(t * 1000) / 1000, t);
    for (let i = 1; i < ts.length; i++) assert.ok(ts[i] >= ts[i - 1], `t goes back at line ${i + 1}`);
    assert.ok(ts.includes(20) && ts.includes(40), 'the actions at 20 s and 40 s');
    assert.ok(ts.at(-1) as number <= 60);
  });

  it('pods carry node once bound and their owner ReplicaSet; a ReplicaSet its Deployment', () => {
    const { result } = written();
    const events = result.eventLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const pods = events.filter((e) => e.kind === 'Pod');
    assert.ok(pods.every((e) => typeof e.owner === 'string' && /^ReplicaSet\/web-[a-z0-9]+$/.test(e.owner)));
    assert.ok(pods.filter((e) => e.type === 'PodCreated').every((e) => !('node' in e)), 'not bound when created');
    assert.ok(pods.filter((e) => ['PodScheduled', 'PodStarted', 'PodReady'].includes(e.type as string)).every((e) => typeof e.node === 'string'));
    const replicaSets = events.filter((e) => e.kind === 'ReplicaSet');
    assert.ok(replicaSets.length > 0 && replicaSets.every((e) => e.owner === 'Deployment/web' && e.namespace === 'default'));
  });

  it('ReplicaSetCreated and ScaledReplicaSet carry replicas; Action carries action and target', () => {
    const { result } = written();
    const events = result.eventLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const created = events.filter((e) => e.type === 'ReplicaSetCreated');
    assert.deepEqual(created.map((e) => e.replicas), [2, 1], 'the first at its initial 2, the new one at maxSurge 1');
    const scaled = events.filter((e) => e.type === 'ScaledReplicaSet');
    assert.ok(scaled.length > 0 && scaled.every((e) => Number.isInteger(e.replicas)));
    const actions = events.filter((e) => e.type === 'Action');
    assert.deepEqual(actions.map((e) => [e.t, e.action, e.target]), [[20, 'setImage', 'deployment/web'], [40, 'scale', 'deployment/web']]);
  });

  it('is empty, not a lone newline, when nothing happened', () => {
    assert.equal(eventsJsonl({ ...runWeb(), eventLines: [] }), '');
  });
});

describe('timeline.csv', () => {
  it("starts with the contract's header t,kind,namespace,name,metric,value; one row per sample value", () => {
    const { result, read } = written();
    const lines = read('timeline.csv').split('\n');
    assert.equal(lines[0], 't,kind,namespace,name,metric,value');
    assert.equal(lines.at(-1), '', 'newline-terminated');
    assert.equal(lines.length - 2, result.timeline.length);
    assert.equal(lines[1], '0,Cluster,,cluster,nodes,2');
    assert.ok(lines.includes('60,Deployment,default,web,availableReplicas,3'), 'after the scale to 3 at 40 s');
  });

  it('quotes fields with commas, quotes or newlines, as csv-stringify does', () => {
    const rows: TimelineRow[] = [
      [1.5, 'Deployment', 'default', 'a,b', 'replicas', 2],
      [2, 'Deployment', 'default', 'say "hi"', 'replicas', 3],
      [3, 'Pod', 'default', 'line\nbreak', 'x', 0],
    ];
    assert.equal(
      timelineCsv(rows),
      't,kind,namespace,name,metric,value\n1.5,Deployment,default,"a,b",replicas,2\n2,Deployment,default,"say ""hi""",replicas,3\n3,Pod,default,"line\nbreak",x,0\n',
    );
  });

  it('a long timeline is written in chunks without repeating the header or losing rows', () => {
    const rows: TimelineRow[] = Array.from({ length: 120_001 }, (_, i) => [i, 'Cluster', '', 'cluster', 'nodes', i % 7]);
    const lines = timelineCsv(rows).split('\n');
    assert.equal(lines.length, 120_003);
    assert.equal(lines.filter((l) => l.startsWith('t,')).length, 1);
    for (const i of [0, 49_999, 50_000, 100_000, 120_000]) assert.equal(lines[i + 1], `${i},Cluster,,cluster,nodes,${i % 7}`);
  });

  it('an empty timeline is just the header', () => {
    assert.equal(timelineCsv([]), 't,kind,namespace,name,metric,value\n');
  });
});
