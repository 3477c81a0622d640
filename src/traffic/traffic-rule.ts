/**
 * A traffic rule as the scenario resolves it (`spec.traffic` entries and `setTraffic`): which
 * Service receives load, at what rate, with what noise, what each request costs the pod that
 * serves it, what the pods use regardless of load, and how much one pod can serve.
 */
import type { SourceLocation } from '../errors.js';
import type { RatePattern } from './rate-pattern.js';

export type TrafficNoise = 'none' | 'poisson';

/** CPU in millicores and memory in bytes (fractions allowed: costs are per request/s). */
export interface ResourceUsage {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
}

export const NO_USAGE: ResourceUsage = { cpuMilli: 0, memoryBytes: 0 };

export interface TrafficRule {
  readonly namespace: string;
  readonly service: string;
  /** Times in the pattern are relative to when the rule takes effect. */
  readonly rate: RatePattern;
  readonly noise: TrafficNoise;
  /** What each served request per second adds to a pod's usage. */
  readonly cost: ResourceUsage;
  /** What each of the Service's running pods uses whatever its load. */
  readonly base: ResourceUsage;
  /** Requests per second one pod serves; the rest of its share fails. Undefined: no limit. */
  readonly capacityRps?: number;
  readonly source: SourceLocation;
}

/** What a `setTraffic` changes: the keys it gives; the others keep their current values. */
export interface TrafficUpdate {
  readonly namespace: string;
  readonly service: string;
  readonly rate?: RatePattern;
  readonly noise?: TrafficNoise;
  readonly cost?: ResourceUsage;
  readonly base?: ResourceUsage;
  readonly capacityRps?: number;
  readonly source: SourceLocation;
}

/** `namespace/service`, the key Services and their traffic are filed under. */
export function serviceKey(namespace: string, service: string): string {
  return `${namespace}/${service}`;
}
