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
 * The text of the last `t` serialised. Events come in time order and many share an instant (a
 * run of 300,000 events has about 120,000 distinct times), and a fractional number's shortest
 * text is the dearest part of a line to make.
 */
let lastTime = 0;
let lastTimeText = '0';

function timeText(t: number): string {
  if (t !== lastTime) {
    lastTime = t;
    lastTimeText = jsonValue(t);
  }
  return lastTimeText;
}

/**
 * A string's JSON text without its quotes. Names, kinds and types need no escaping in practice
 * (no quote, backslash, control character or lone surrogate), and checking that is much cheaper
 * than a JSON.stringify call per string (a call into the runtime); anything else still goes
 * through JSON.stringify, so the text is the same either way.
 */
function unquoted(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(value).slice(1, -1);
  }
  return value;
}

/**
 * One JSON object with keys in the contract's order: t, type, kind, namespace, name, node,
 * owner, then the event's own fields (never overriding a standard key). Built as text: this runs
 * for every event of a run. The quotes of the standard strings are folded into the constant
 * pieces between them. The pieces are joined, not appended one by one: `+=` makes a V8
 * rope (a tree of cons-strings) that the log would keep, at about four times the memory of the
 * flat string a join returns — a large run keeps hundreds of thousands of lines until the end,
 * and the garbage collector walks them all on every full collection.
 */
export function serialize(event: SimEvent): string {
  const parts = ['{"t":', timeText(event.t), ',"type":"', unquoted(event.type), '","kind":"', unquoted(event.kind)];
  if (event.namespace) parts.push('","namespace":"', unquoted(event.namespace));
  parts.push('","name":"', unquoted(event.name));
  if (event.node) parts.push('","node":"', unquoted(event.node));
  if (event.owner) parts.push('","owner":"', unquoted(event.owner));
  parts.push('"');
  if (event.fields) {
    for (const key in event.fields) {
      const value = event.fields[key];
      if (value === undefined || STANDARD_KEYS.has(key)) continue;
      parts.push(',"', unquoted(key), '":', jsonValue(value));
    }
  }
  parts.push('}');
  return parts.join('');
}
