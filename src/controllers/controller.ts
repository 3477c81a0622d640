/**
 * What a controller is, and what it is given.
 *
 * A controller registers informer event handlers that only turn watch events into keys, and a
 * `reconcile(key)` that reads through informers, writes through the API server, takes time
 * from the simulation clock and returns when to look again. Level-based, as upstream: reconcile
 * re-reads state and never trusts an event's payload.
 */
import type { RandomStreams } from '../engine/random.js';
import type { Simulation } from '../engine/simulation.js';
import type { ApiServer } from '../cluster/api-server.js';
import type { EventLog } from '../cluster/event-log.js';
import type { InformerFactory } from '../cluster/informer.js';
import type { MetricsClient } from './hpa/metrics-client.js';
import type { HpaSettings } from './hpa/settings.js';

export interface ReconcileResult {
  /** Reconcile this key again after this many ms (a timer, not polling). */
  readonly requeueAfter?: number;
  /** Reconcile again after the queue's rate-limited delay (upstream's enqueueRateLimited). */
  readonly requeueRateLimited?: boolean;
}

export interface Controller {
  readonly name: string;
  /**
   * Brings one object towards its desired state. Throwing an ApiError means "retry with
   * backoff", as returning an error does upstream; any other exception is a simulator bug.
   */
  reconcile(key: string): ReconcileResult | void;
  /** Retries before a failing key is dropped (Deployment: 15). Default: retry forever. */
  readonly maxRetries?: number;
}

/** The services every controller may use. */
export interface ControllerContext {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly informers: InformerFactory;
  readonly random: RandomStreams;
  readonly events: EventLog;
  /**
   * Unix milliseconds at virtual t = 0 (the scenario's startTime): what time-of-day logic such as
   * CronJob schedules reads as the wall clock. Virtual time `t` is wall time `startTimeMs + t`.
   */
  readonly startTimeMs: number;
  /**
   * The metrics APIs (metrics-server, custom and external metrics) as the HPA reads them. Absent:
   * the cluster has none, and every metric is unavailable.
   */
  readonly metrics?: MetricsClient;
  /** The HPA controller's flags (`cluster.settings.hpa`); absent: upstream's defaults. */
  readonly hpa?: HpaSettings;
}

/** A controller factory: builds the controller and registers its event handlers. */
export type ControllerFactory = (ctx: ControllerContext, enqueue: Enqueue) => Controller;

/** How handlers hand keys to the controller's work queue. */
export interface Enqueue {
  add(key: string): void;
  addAfter(key: string, delayMs: number): void;
}
