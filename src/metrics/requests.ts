/**
 * Request metrics of the Services with traffic (traffic/traffic-model.ts): metrics.json
 * `requests[]` (offered, served and failed requests over the run, and the success rate), the
 * timeline's request rates per Service, and the totals `requests` expectations judge over their
 * window. Totals are integrated exactly (the load is a fluid, piecewise constant); counts are
 * rounded to whole requests only in the outputs.
 */
import { Priority } from '../engine/priorities.js';
import type { Simulation } from '../engine/simulation.js';
import type { RequestTotals } from '../traffic/service-load.js';
import { type TrafficModel, roundRps } from '../traffic/traffic-model.js';
import { formatTarget } from '../scenario/targets.js';
import type { LabelledExpectation, RateComparison } from '../scenario/types.js';
import type { ExpectationResult } from './expectations.js';
import { roundRatio } from './rollouts.js';
import type { TimelineRow } from './timeline.js';

export interface RequestRecord {
  readonly service: string;
  readonly namespace: string;
  readonly offered: number;
  readonly served: number;
  readonly failed: number;
  /** served ÷ offered; null when nothing was offered. */
  readonly successRate: number | null;
}

/** Whole requests: failed rounded, served the rest, so served + failed = offered. */
export function requestRecord(service: string, namespace: string, totals: RequestTotals): RequestRecord {
  const offered = Math.round(totals.offered);
  const failed = Math.min(offered, Math.round(totals.failed));
  return { service, namespace, offered, served: offered - failed, failed, successRate: totals.offered > 0 ? roundRatio(totals.served / totals.offered) : null };
}

/** metrics.json `requests[]`: every Service with traffic, in rule order. */
export function requestRecords(traffic: TrafficModel): RequestRecord[] {
  return traffic.requests().map((r) => requestRecord(r.service, r.namespace, r));
}

/** The difference of two totals (a window's requests). */
export function totalsBetween(from: RequestTotals, to: RequestTotals): RequestTotals {
  return { offered: to.offered - from.offered, served: to.served - from.served, failed: to.failed - from.failed };
}

const NO_REQUESTS: RequestTotals = { offered: 0, served: 0, failed: 0 };

/**
 * The totals of each `requests` expectation's Service over its window, read at the window's
 * ends (after everything else of those instants). Keyed by the expectation's index.
 */
export class RequestWindows {
  private readonly starts = new Map<number, RequestTotals>();
  private readonly ends = new Map<number, RequestTotals>();

  constructor(
    sim: Simulation,
    private readonly traffic: TrafficModel,
    private readonly expectations: readonly LabelledExpectation[],
    durationMs: number,
  ) {
    expectations.forEach(({ expectation: e }, index) => {
      if (e.type !== 'requests') return;
      if (e.afterMs !== undefined && e.afterMs <= durationMs) sim.scheduleAt(e.afterMs, () => this.starts.set(index, this.read(e.target.namespace, e.target.name)), Priority.Sample);
      if (e.beforeMs !== undefined && e.beforeMs <= durationMs) sim.scheduleAt(e.beforeMs, () => this.ends.set(index, this.read(e.target.namespace, e.target.name)), Priority.Sample);
    });
  }

  /** Each `requests` expectation's window totals, once the run is over. */
  finish(): Map<number, RequestTotals> {
    const out = new Map<number, RequestTotals>();
    this.expectations.forEach(({ expectation: e }, index) => {
      if (e.type !== 'requests') return;
      const end = this.ends.get(index) ?? this.read(e.target.namespace, e.target.name);
      out.set(index, totalsBetween(this.starts.get(index) ?? NO_REQUESTS, end));
    });
    return out;
  }

  private read(namespace: string, name: string): RequestTotals {
    return this.traffic.service(namespace, name)?.totals() ?? NO_REQUESTS;
  }
}

/**
 * Timeline rows of request rates, per Service with traffic: the mean over the interval since the
 * previous sample (at t = 0, the rates then), so a burst of failures between two samples shows.
 */
export class RequestRates {
  private readonly previous = new Map<string, { readonly t: number; readonly totals: RequestTotals }>();

  constructor(private readonly traffic: TrafficModel) {}

  /** Appends this instant's rows (`t` in virtual ms). */
  sample(t: number, rows: TimelineRow[]): void {
    for (const r of this.traffic.requests()) {
      const key = `${r.namespace}/${r.service}`;
      const last = this.previous.get(key);
      this.previous.set(key, { t, totals: r });
      let offered: number;
      let served: number;
      if (last === undefined || t === last.t) {
        const service = this.traffic.service(r.namespace, r.service);
        offered = service?.offeredRps ?? 0;
        served = service?.currentServedRps ?? 0;
      } else {
        const seconds = (t - last.t) / 1000;
        offered = (r.offered - last.totals.offered) / seconds;
        served = (r.served - last.totals.served) / seconds;
      }
      const s = t / 1000;
      rows.push(
        [s, 'Service', r.namespace, r.service, 'offeredRps', roundRps(offered)],
        [s, 'Service', r.namespace, r.service, 'servedRps', roundRps(served)],
        [s, 'Service', r.namespace, r.service, 'failedRps', roundRps(Math.max(0, offered - served))],
      );
    }
  }
}

const percent = (rate: number): string => `${Number((rate * 100).toPrecision(6))}%`;

/** Whether `value` compares to `bound` as the expectation says. */
function compares(value: number, comparison: RateComparison, bound: number): boolean {
  switch (comparison) {
    case '>=':
      return value >= bound;
    case '>':
      return value > bound;
    case '<=':
      return value <= bound;
    case '<':
      return value < bound;
    case '==':
      return value === bound;
  }
}

/** A `requests` expectation against its Service's totals over its window. */
export function judgeRequests(e: Extract<LabelledExpectation['expectation'], { type: 'requests' }>, label: string, totals: RequestTotals | undefined): ExpectationResult {
  const window = e.afterMs !== undefined || e.beforeMs !== undefined ? ` between t=${(e.afterMs ?? 0) / 1000}s and ${e.beforeMs !== undefined ? `t=${e.beforeMs / 1000}s` : 'the end'}` : '';
  const wanted = `expected ${e.comparison} ${percent(e.successRate)}`;
  if (totals === undefined || totals.offered <= 0) return { expect: label, passed: false, detail: `no request was offered to ${formatTarget(e.target)}${window} (${wanted})` };
  const record = requestRecord(e.target.name, e.target.namespace, totals);
  const rate = totals.served / totals.offered;
  return {
    expect: label,
    passed: compares(roundRatio(rate), e.comparison, e.successRate),
    detail: `${record.served} of ${record.offered} requests served, ${record.failed} failed${window}: success rate ${percent(roundRatio(rate))} (${wanted})`,
  };
}
