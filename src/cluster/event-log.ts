/**
 * The simulation's event log: what happened, when, to which object — the source of
 * events.jsonl. Lines are serialised as they are recorded (fixed key order, so output is
 * byte-identical across runs); listeners let in-process consumers (metrics) follow along.
 */
import type { Simulation } from '../engine/simulation.js';

/** Extra fields an event carries after the standard ones (e.g. `replicas`, `reason`). */
export type EventFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface SimEvent {
  /** Virtual seconds since start, to the millisecond. */
  readonly t: number;
  readonly type: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The pod's node, once bound. */
  readonly node?: string;
  /** The controller owner as `Kind/name`. */
  readonly owner?: string;
  readonly fields?: EventFields;
}

export interface EventSubject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly node?: string;
  readonly owner?: string;
}

export type EventListener = (event: SimEvent) => void;

export class EventLog {
  private readonly lines: string[] = [];
  private readonly listeners: EventListener[] = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly sim: Simulation) {}

  /** Records an event at the current virtual time. */
  emit(type: string, subject: EventSubject, fields?: EventFields): void {
    const event: SimEvent = {
      t: this.sim.now / 1000,
      type,
      kind: subject.kind,
      namespace: subject.namespace,
      name: subject.name,
      node: subject.node,
      owner: subject.owner,
      fields,
    };
    this.lines.push(serialize(event));
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Number of events recorded of each type. */
  countOf(type: string): number {
    return this.counts.get(type) ?? 0;
  }

  get size(): number {
    return this.lines.length;
  }

  /** The JSON lines recorded so far (no trailing newlines). */
  jsonLines(): readonly string[] {
    return this.lines;
  }
}

const STANDARD_KEYS = new Set(['t', 'type', 'kind', 'namespace', 'name', 'node', 'owner']);

/** One JSON object with keys in the contract's order: t, type, kind, namespace, name, node, owner, extras. */
export function serialize(event: SimEvent): string {
  const record: Record<string, unknown> = { t: event.t, type: event.type, kind: event.kind };
  if (event.namespace) record.namespace = event.namespace;
  record.name = event.name;
  if (event.node) record.node = event.node;
  if (event.owner) record.owner = event.owner;
  if (event.fields) {
    for (const [key, value] of Object.entries(event.fields)) if (value !== undefined && !STANDARD_KEYS.has(key)) record[key] = value;
  }
  return JSON.stringify(record);
}
