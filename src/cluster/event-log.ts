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

function jsonValue(value: string | number | boolean | null): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return String(value);
}

/**
 * One JSON object with keys in the contract's order: t, type, kind, namespace, name, node,
 * owner, then the event's own fields (never overriding a standard key). Built as text: this runs
 * for every event of a run. The pieces are joined, not appended one by one: `+=` makes a V8
 * rope (a tree of cons-strings) that the log would keep, at about four times the memory of the
 * flat string a join returns — a large run keeps hundreds of thousands of lines until the end,
 * and the garbage collector walks them all on every full collection.
 */
export function serialize(event: SimEvent): string {
  const parts = ['{"t":', jsonValue(event.t), ',"type":', JSON.stringify(event.type), ',"kind":', JSON.stringify(event.kind)];
  if (event.namespace) parts.push(',"namespace":', JSON.stringify(event.namespace));
  parts.push(',"name":', JSON.stringify(event.name));
  if (event.node) parts.push(',"node":', JSON.stringify(event.node));
  if (event.owner) parts.push(',"owner":', JSON.stringify(event.owner));
  if (event.fields) {
    for (const key in event.fields) {
      const value = event.fields[key];
      if (value === undefined || STANDARD_KEYS.has(key)) continue;
      parts.push(',', JSON.stringify(key), ':', jsonValue(value));
    }
  }
  parts.push('}');
  return parts.join('');
}
