/**
 * Traffic in scenario files: `spec.traffic`, `setTraffic` and `setMetric` as the loader reads
 * them (every pattern, every mistake located), CSV traces next to the scenario, the `requests`
 * expectation, and what a run writes: request rates in the timeline, `requests[]` and the
 * requests failed during rollouts in metrics.json.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScenarioError } from '../../src/errors.js';
import { metricsDocument } from '../../src/report/metrics-document.js';
import { runBatch } from '../../src/sim/batch.js';
import { runScenario } from '../../src/sim/run.js';
import { assertScenarioError } from '../scenario/assert-scenario-error.js';
import { SCENARIO_FILE, inDir, load, loading, writeFiles } from '../scenario/scenario-files.js';

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

function deployment(replicas = 4, strategy = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
${strategy}  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: "web:v1"
          resources: {requests: {cpu: 500m, memory: 256Mi}}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
`;
}

/**
 * A scenario whose spec lines (indented two spaces) follow `spec:` on line 4, so the first spec
 * line is line 5; then the Deployment and the Service.
 */
function scenario(specLines: string, manifests: readonly string[] = [deployment(), SERVICE]): string {
  return [`apiVersion: k8sim/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n${specLines}`, ...manifests].join('---\n');
}

const base = (traffic: string, rest = '') => `  duration: 5m\n  sampleInterval: 10s\n  cluster:\n    nodePools: [{name: a, count: 3}]\n  images:\n    "web:v1": {pull: 2s, start: 1s, ready: 2s}\n  traffic:\n${traffic}${rest}`;
// base(...) puts the first traffic line on line 12.

describe('loading traffic', () => {
  it('reads every rate pattern, noise, cost, base and capacity', () => {
    const s = load(scenario(base(`    - service: web
      rate: {sine: {mean: 500, amplitude: 200, period: 24h, phase: 6h}, spikes: [{at: 1m, duration: 30s, factor: 3}, {at: 2m, duration: 10s, rps: 50}]}
      noise: poisson
      cost: {cpu: 0.5m, memory: 1Ki}
      base: {cpu: 20m, memory: 64Mi}
      capacity: {rps: 150}
`)));
    assert.equal(s.traffic.length, 1);
    const rule = s.traffic[0];
    assert.deepEqual({ ...rule, source: undefined }, {
      namespace: 'default',
      service: 'web',
      rate: {
        base: { kind: 'sine', meanRps: 500, amplitudeRps: 200, periodMs: 86_400_000, phaseMs: 21_600_000 },
        spikes: [{ atMs: 60_000, durationMs: 30_000, rps: 0, factor: 3 }, { atMs: 120_000, durationMs: 10_000, rps: 50, factor: 1 }],
      },
      noise: 'poisson',
      cost: { cpuMilli: 0.5, memoryBytes: 1024 },
      base: { cpuMilli: 20, memoryBytes: 64 * 2 ** 20 },
      capacityRps: 150,
      source: undefined,
    });
    assert.deepEqual(rule.source, { file: SCENARIO_FILE, line: 12, column: 7, path: 'spec.traffic[0].service' });
  });

  const patterns: { name: string; rate: string; base: unknown }[] = [
    { name: 'a number', rate: '120', base: { kind: 'constant', rps: 120 } },
    { name: 'constant', rate: '{constant: 7.5}', base: { kind: 'constant', rps: 7.5 } },
    { name: 'a step list', rate: '{step: [{at: 0s, rps: 100}, {at: 5m, rps: 800}]}', base: { kind: 'step', points: [{ atMs: 0, rps: 100 }, { atMs: 300_000, rps: 800 }] } },
    { name: 'a ramp (starting at 0 unless told)', rate: '{ramp: {from: 10, to: 90, over: 2m}}', base: { kind: 'ramp', fromRps: 10, toRps: 90, atMs: 0, overMs: 120_000 } },
    { name: 'a ramp with a start', rate: '{ramp: {from: 10, to: 90, over: 2m, at: 1m}}', base: { kind: 'ramp', fromRps: 10, toRps: 90, atMs: 60_000, overMs: 120_000 } },
    { name: 'spikes alone (over nothing)', rate: '{spike: {at: 1m, duration: 1m, rps: 40}}', base: { kind: 'constant', rps: 0 } },
  ];
  for (const p of patterns) {
    it(`reads ${p.name}`, () => {
      const s = load(scenario(base(`    - {service: web, rate: ${p.rate}}\n`)));
      assert.deepEqual(s.traffic[0].rate.base, p.base);
      assert.equal(s.traffic[0].noise, 'none');
      assert.equal(s.traffic[0].capacityRps, undefined);
    });
  }

  it('reads a CSV trace next to the scenario file', () => {
    const s = load(scenario(base('    - {service: web, rate: {csv: traces/day.csv}}\n')), {}, { 'traces/day.csv': 't,rps\n0,100\n1m,300\n' });
    assert.deepEqual(s.traffic[0].rate.base, { kind: 'step', points: [{ atMs: 0, rps: 100 }, { atMs: 60_000, rps: 300 }] });
  });

  const mistakes: { name: string; traffic: string; line: number; column: number; message: RegExp; hint?: RegExp }[] = [
    { name: 'a misspelled key', traffic: '    - {service: web, rat: 100}\n', line: 12, column: 22, message: /unknown key "rat" in spec\.traffic\[0\]/, hint: /did you mean "rate"\?/ },
    { name: 'a misspelled pattern', traffic: '    - {service: web, rate: {stp: []}}\n', line: 12, column: 29, message: /unknown key "stp"/, hint: /did you mean "step"\?/ },
    { name: 'a bad duration', traffic: '    - {service: web, rate: {ramp: {from: 1, to: 2, over: 5 minutes}}}\n', line: 12, column: 58, message: /expected a duration, got "5 minutes"/, hint: /did you mean "5m"\?/ },
    { name: 'a negative rate', traffic: '    - {service: web, rate: -5}\n', line: 12, column: 28, message: /a number >= 0/ },
    { name: 'a rate in quotes', traffic: '    - {service: web, rate: "100"}\n', line: 12, column: 28, message: /expected a number >= 0 or a rate pattern/ },
    { name: 'two patterns', traffic: '    - {service: web, rate: {constant: 1, sine: {mean: 2, amplitude: 1, period: 1h}}}\n', line: 12, column: 42, message: /"sine" cannot be combined with "constant"/ },
    { name: 'steps out of order', traffic: '    - {service: web, rate: {step: [{at: 2m, rps: 1}, {at: 1m, rps: 2}]}}\n', line: 12, column: 59, message: /step at 60s is not after the previous step at 120s/ },
    { name: 'a sine below zero', traffic: '    - {service: web, rate: {sine: {mean: 100, amplitude: 150, period: 1h}}}\n', line: 12, column: 58, message: /amplitude 150 is larger than the mean 100/ },
    { name: 'a spike with rps and factor', traffic: '    - {service: web, rate: {constant: 1, spike: {at: 1m, duration: 1m, rps: 1, factor: 2}}}\n', line: 12, column: 80, message: /give "rps".*or "factor".*not both/ },
    { name: 'a factor over no rate', traffic: '    - {service: web, rate: {spike: {at: 1m, duration: 1m, factor: 2}}}\n', line: 12, column: 59, message: /a factor multiplies the rate/ },
    { name: 'an unknown noise', traffic: '    - {service: web, rate: 1, noise: poison}\n', line: 12, column: 38, message: /expected one of "poisson", "none"/, hint: /did you mean "poisson"\?/ },
    { name: 'a bad cost quantity', traffic: '    - {service: web, rate: 1, cost: {cpu: 2 millicores}}\n', line: 12, column: 43, message: /expected a quantity/ },
    { name: 'a missing rate', traffic: '    - {service: web}\n', line: 12, column: 7, message: /missing required key "rate"/ },
    { name: 'a second rule for the same Service', traffic: '    - {service: web, rate: 1}\n    - {service: web, rate: 2}\n', line: 13, column: 17, message: /service\/web already has traffic \(test\.yaml:12\)/ },
    { name: 'a Service the scenario never creates', traffic: '    - {service: wbe, rate: 1}\n', line: 12, column: 17, message: /service\/wbe not found: the scenario never creates it/, hint: /did you mean "service\/web"\?/ },
    { name: 'a trace outside the folder', traffic: '    - {service: web, rate: {csv: ../x.csv}}\n', line: 12, column: 34, message: /trace "\.\.\/x\.csv" leaves the scenario's folder/ },
    { name: 'a missing trace', traffic: '    - {service: web, rate: {trace: none.csv}}\n', line: 12, column: 36, message: /trace file "none\.csv" does not exist/ },
  ];
  for (const m of mistakes) {
    it(`locates ${m.name}`, () => {
      assertScenarioError(loading(scenario(base(m.traffic))), m);
    });
  }

  it('locates a mistake inside a trace at the trace file\'s line and column', () => {
    const dir = writeFiles({ [SCENARIO_FILE]: scenario(base('    - {service: web, rate: {csv: traces/bad.csv}}\n')), 'traces/bad.csv': 't,rps\n0,100\n1m,lots\n' });
    const items = inDir(dir, () => runBatch([SCENARIO_FILE]));
    assert.equal(items[0].status, 'invalid');
    assert.equal(items[0].error, 'traces/bad.csv:3:4: error: expected a request rate (a number >= 0), got "lots"; rates are requests per second, e.g. 120 or 0.5');
  });

  it('accepts traffic for a Service created later (the run warns), and refuses one no event creates', () => {
    const later = `  duration: 1m\n  traffic:\n    - {service: web, rate: 1}\n  events:\n    - at: 30s\n      apply: {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}\n`;
    assert.equal(load(scenario(later, [deployment()])).traffic.length, 1);
    assertScenarioError(loading(scenario('  duration: 1m\n  traffic:\n    - {service: web, rate: 1}\n', [deployment()])), { line: 7, column: 17, message: /service\/web not found: the scenario never creates it/ });
  });
});

describe('loading setTraffic and setMetric', () => {
  const events = (action: string) => scenario(`  duration: 5m\n  events:\n    - at: 1m\n      ${action}\n`);

  it('setTraffic keeps what it does not give', () => {
    const s = load(events('setTraffic: {service: web, rate: {ramp: {from: 100, to: 10, over: 1m}}, capacity: {rps: 40}}'));
    const action = s.events[0].action;
    assert.equal(action.type, 'setTraffic');
    assert.equal(s.events[0].label, 'setTraffic service/web');
    if (action.type !== 'setTraffic') return;
    assert.deepEqual(action.update.rate?.base, { kind: 'ramp', fromRps: 100, toRps: 10, atMs: 0, overMs: 60_000 });
    assert.equal(action.update.capacityRps, 40);
    assert.equal(action.update.cost, undefined);
    assert.equal(action.update.noise, undefined);
  });

  it('setMetric by owner, selector, object and external', () => {
    const rules = [
      'setMetric: {target: deployment/web, cpu: 800m}',
      'setMetric: {selector: "app=web", memory: 1Gi, metric: queue_length, value: 30}',
      'setMetric: {target: ingress/main, metric: requests_per_second, value: 2k}',
      'setMetric: {external: queue_messages, value: "0.5", labels: {queue: orders}}',
      'setMetric: {target: deployment/web, metrics: {a: 1, b: 250m}}',
    ].map((a) => {
      const s = load(events(a));
      const action = s.events[0].action;
      assert.equal(action.type, 'setMetric');
      return { label: s.events[0].label, rule: action.type === 'setMetric' ? action.rule : undefined };
    });
    assert.deepEqual(rules.map((r) => r.label), ['setMetric deployment/web', 'setMetric -l app=web', 'setMetric ingress/main', 'setMetric external/queue_messages', 'setMetric deployment/web']);
    assert.deepEqual(rules[0].rule, { pods: { by: 'owner', owner: { kind: 'Deployment', namespace: 'default', name: 'web' } }, object: { kind: 'Deployment', namespace: 'default', name: 'web' }, cpuMilli: 800, memoryBytes: undefined, custom: [], labels: {} });
    assert.deepEqual(rules[1].rule, { pods: { by: 'selector', namespace: 'default', selector: { matchLabels: { app: 'web' } } }, object: undefined, cpuMilli: undefined, memoryBytes: 2 ** 30, custom: [{ name: 'queue_length', milli: 30_000 }], labels: {} });
    assert.deepEqual(rules[2].rule, { pods: undefined, object: { kind: 'ingress', namespace: 'default', name: 'main' }, cpuMilli: undefined, memoryBytes: undefined, custom: [{ name: 'requests_per_second', milli: 2_000_000 }], labels: {} });
    assert.deepEqual(rules[3].rule, { externalNamespace: 'default', custom: [{ name: 'queue_messages', milli: 500 }], labels: { queue: 'orders' } });
    assert.deepEqual(rules[4].rule?.custom, [{ name: 'a', milli: 1000 }, { name: 'b', milli: 250 }]);
  });

  const mistakes: { name: string; action: string; line: number; column: number; message: RegExp; hint?: RegExp }[] = [
    { name: 'setTraffic without a change', action: 'setTraffic: {service: web}', line: 8, column: 7, message: /setTraffic changes nothing/ },
    { name: 'setTraffic for a Service never created', action: 'setTraffic: {service: api, rate: 5}', line: 8, column: 29, message: /service\/api not found: the scenario never creates it/ },
    { name: 'setTraffic with a misspelled key', action: 'setTraffic: {service: web, capacty: {rps: 1}}', line: 8, column: 34, message: /unknown key "capacty"/, hint: /did you mean "capacity"\?/ },
    { name: 'setMetric without a subject', action: 'setMetric: {cpu: 1}', line: 8, column: 7, message: /setMetric needs "target", "selector" or "external"/ },
    { name: 'setMetric with two subjects', action: 'setMetric: {target: deployment/web, selector: "app=web", cpu: 1}', line: 8, column: 43, message: /"selector" cannot be combined with "target"/ },
    { name: 'setMetric setting nothing', action: 'setMetric: {target: deployment/web}', line: 8, column: 7, message: /setMetric sets nothing/ },
    { name: 'setMetric value without metric', action: 'setMetric: {target: deployment/web, value: 3}', line: 8, column: 7, message: /"value" needs "metric"/ },
    { name: 'setMetric cpu of a Service', action: 'setMetric: {target: service/web, cpu: 1}', line: 8, column: 27, message: /cpu and memory are pod metrics, and a Service runs no pods/ },
    { name: 'setMetric on a misspelled kind', action: 'setMetric: {target: deploymnet/web, cpu: 1}', line: 8, column: 27, message: /unknown kind "deploymnet"/, hint: /did you mean "deployment"\?/ },
    { name: 'setMetric on a workload never created', action: 'setMetric: {target: deployment/api, cpu: 1}', line: 8, column: 27, message: /deployment\/api not found: the scenario never creates it/ },
    { name: 'setMetric external with cpu', action: 'setMetric: {external: q, cpu: 1}', line: 8, column: 32, message: /an external metric is not a pod's cpu or memory/ },
  ];
  for (const m of mistakes) {
    it(`locates ${m.name}`, () => {
      assertScenarioError(loading(events(m.action)), m);
    });
  }
});

describe('the requests expectation', () => {
  const db = SERVICE.replace(/web/g, 'db');
  const withExpect = (line: string) => scenario(base('    - {service: web, rate: 10}\n', `  expect:\n    - ${line}\n`), [deployment(), SERVICE, db]);

  it('reads bounds as percentages or fractions, with or without an operator', () => {
    const bounds: [string, string, number][] = [
      ['">= 99.9%"', '>=', 0.999],
      ['"> 0.99"', '>', 0.99],
      ['"99%"', '>=', 0.99],
      ['0.5', '>=', 0.5],
      ['"== 100%"', '==', 1],
      ['"<50%"', '<', 0.5],
    ];
    for (const [text, comparison, rate] of bounds) {
      const e = load(withExpect(`requests: {service: web, successRate: ${text}}`)).expectations[0];
      assert.deepEqual(e.expectation, { type: 'requests', target: { kind: 'Service', namespace: 'default', name: 'web' }, comparison, successRate: rate, afterMs: undefined, beforeMs: undefined }, text);
      assert.equal(e.label, 'requests service/web');
    }
  });

  const mistakes: { name: string; line: string; column: number; message: RegExp; hint?: RegExp }[] = [
    { name: 'a rate above 1 without %', line: 'requests: {service: web, successRate: 99.9}', column: 45, message: /a success rate is at most 1, got 99\.9/, hint: /write "99\.9%"/ },
    { name: 'a bound that is not one', line: 'requests: {service: web, successRate: "about 99"}', column: 45, message: /expected a bound such as ">= 99\.9%"/ },
    { name: 'a Service without traffic', line: 'requests: {service: db, successRate: 1}', column: 27, message: /no traffic is offered to service\/db/ },
    { name: 'a window that ends before it starts', line: 'requests: {service: web, successRate: 1, after: 2m, before: 1m}', column: 67, message: /"before" must be later than "after"/ },
  ];
  for (const m of mistakes) {
    it(`locates ${m.name}`, () => {
      assertScenarioError(loading(withExpect(m.line)), { ...m, line: 14 });
    });
  }
});

describe('running traffic', () => {
  /** 300 rps, capacity 100 per pod, on 4 pods; a rolling update at 2m; spikes to 3× from 4m for 30 s. */
  const text = (expectLines = '') =>
    scenario(
      base(
        '    - {service: web, rate: {constant: 300, spike: {at: 4m, duration: 30s, factor: 3}}, cost: {cpu: 2m}, capacity: {rps: 100}}\n',
        `  events:\n    - at: 2m\n      setImage: {target: deployment/web, image: "web:v1b"}\n${expectLines}`,
      ).replace('"web:v1": {pull: 2s, start: 1s, ready: 2s}', '"*": {pull: 2s, start: 1s, ready: 2s}'),
    );

  it('writes request rates to the timeline and requests[] to metrics.json', () => {
    const result = runScenario(load(text()));
    const rows = result.timeline.filter((r) => r[1] === 'Service' && r[3] === 'web' && r[4].endsWith('Rps'));
    const at = (t: number, metric: string) => rows.find((r) => r[0] === t && r[4] === metric)?.[5];
    assert.deepEqual([at(0, 'offeredRps'), at(0, 'servedRps'), at(0, 'failedRps')], [0, 0, 0]);
    // Steady: 300 offered, 4 pods × 100 served.
    assert.deepEqual([at(60, 'offeredRps'), at(60, 'servedRps'), at(60, 'failedRps')], [300, 300, 0]);
    // The spike: 900 offered, 400 served.
    assert.deepEqual([at(250, 'offeredRps'), at(250, 'servedRps'), at(250, 'failedRps')], [900, 400, 500]);
    const [record] = metricsDocument(result).requests;
    assert.equal(record.service, 'web');
    assert.equal(record.offered, record.served + record.failed);
    // 30 s of the spike shed 500 rps: at least 15,000 failed.
    assert.ok(record.failed >= 15_000 && record.failed < 17_000, `${record.failed}`);
    assert.ok(record.successRate !== null && Math.abs(record.successRate - record.served / record.offered) < 1e-5);
  });

  it('counts the requests a rollout loses in its rollouts[] entry', () => {
    const result = runScenario(load(text()));
    const rollout = result.rollouts.find((r) => r.target === 'Deployment/web');
    assert.ok(rollout !== undefined && rollout.requestsFailed !== undefined);
    // With maxUnavailable 1 of 4, 3 pods of capacity 100 carry 300 rps; what fails is what was
    // routed to pods that had stopped before kube-proxy dropped them.
    assert.ok(rollout.requestsFailed > 0 && rollout.requestsFailed < 1000, `${rollout.requestsFailed}`);
  });

  it('judges requests expectations over the run or a window', () => {
    const result = runScenario(load(text(`  expect:
    - requests: {service: web, successRate: ">= 99%"}
    - requests: {service: web, successRate: ">= 99.99%", after: 3m, before: 4m}
    - requests: {service: web, successRate: "< 50%", after: 4m, before: 270s}
`)));
    assert.deepEqual(result.expectations.map((e) => e.passed), [false, true, true]);
    assert.match(result.expectations[0].detail, /^\d+ of \d+ requests served, \d+ failed: success rate \d+\.\d+% \(expected >= 99%\)$/);
    assert.match(result.expectations[1].detail, /^18000 of 18000 requests served, 0 failed between t=180s and t=240s: success rate 100% \(expected >= 99\.99%\)$/);
    assert.match(result.expectations[2].detail, /^12000 of 27000 requests served, 15000 failed between t=240s and t=270s: success rate 44\.4444% \(expected < 50%\)$/);
  });

  it('warns, in events and on stderr, about traffic waiting for a Service', () => {
    const later = scenario(
      `  duration: 2m\n  cluster:\n    nodePools: [{name: a, count: 2}]\n  traffic:\n    - {service: web, rate: 10}\n  events:\n    - at: 1m\n      apply: {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}\n`,
      [deployment(2)],
    );
    const dir = writeFiles({ [SCENARIO_FILE]: later });
    const [item] = inDir(dir, () => runBatch([SCENARIO_FILE]));
    assert.equal(item.status, 'passed');
    assert.ok(item.warnings.includes('test.yaml:9:8: warning: service/web does not exist at t=0s: its traffic starts once it is up'), item.warnings.join('\n'));
    const lines = item.result?.eventLines.map((l) => JSON.parse(l) as { type: string; t: number }) ?? [];
    assert.deepEqual(lines.filter((e) => e.type === 'TrafficWarning').map((e) => e.t), [0]);
    assert.ok((lines.find((e) => e.type === 'TrafficStarted')?.t ?? 0) > 60);
  });

  it('is deterministic: the same seed writes the same bytes, with noise', () => {
    const noisy = scenario(base('    - {service: web, rate: {sine: {mean: 200, amplitude: 100, period: 2m}}, noise: poisson, cost: {cpu: 1m}}\n'));
    const a = runScenario(load(noisy));
    const b = runScenario(load(noisy));
    assert.deepEqual(a.timeline, b.timeline);
    assert.deepEqual(a.eventLines, b.eventLines);
    assert.deepEqual(metricsDocument(a), metricsDocument(b));
    const c = runScenario(load(noisy), { seed: 99 });
    assert.notDeepEqual(metricsDocument(c).requests, metricsDocument(a).requests);
  });
});

describe('errors are ScenarioErrors', () => {
  it('never a stack trace: a malformed trace is one ScenarioError', () => {
    assert.throws(() => load(scenario(base('    - {service: web, rate: {csv: t.csv}}\n')), {}, { 't.csv': '0;100\n' }), ScenarioError);
  });
});
