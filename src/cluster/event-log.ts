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

/** Per event type: how many were recorded, and the type's JSON text (unquoted), made once. */
interface TypeEntry {
  count: number;
  readonly text: string;
}

export class EventLog {
  private readonly lines: string[] = [];
  private readonly listeners: EventListener[] = [];
  private readonly types = new Map<string, TypeEntry>();
  /** The virtual ms of the last event and its `t` text: many events share an instant. */
  private lastMs = 0;
  private lastTimeText = '0';

  constructor(private readonly sim: Simulation) {}

  /** Records an event at the current virtual time. */
  emit(type: string, subject: EventSubject, fields?: EventFields): void {
    const now = this.sim.now;
    const event: SimEvent = {
      t: now / 1000,
      type,
      kind: subject.kind,
      namespace: subject.namespace,
      name: subject.name,
      node: subject.node,
      owner: subject.owner,
      fields,
    };
    if (now !== this.lastMs) {
      this.lastMs = now;
      this.lastTimeText = secondsText(now);
    }
    let entry = this.types.get(type);
    if (entry === undefined) this.types.set(type, (entry = { count: 0, text: unquoted(type) }));
    entry.count++;
    this.lines.push(serializeWith(this.lastTimeText, entry.text, event));
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Number of events recorded of each type. */
  countOf(type: string): number {
    return this.types.get(type)?.count ?? 0;
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

/** `.d`, `.dd` or `.ddd` for each millisecond of a second: the fraction of a time's text. */
const FRACTIONS: readonly string[] = Array.from({ length: 1000 }, (_, ms) => (ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`));

/**
 * String(ms / 1000) for a whole number of milliseconds, from integers: whole seconds, then the
 * fraction's digits without trailing zeros. The same text (ECMAScript's shortest round-trip
 * digits): ms / 1000 has at most three decimals, and below 2^43 s (far beyond any run's
 * horizon) doubles lie closer together than 0.001, so no shorter decimal denotes the same
 * double. It avoids the shortest-digits conversion of a fraction, the dearest part of a line.
 */
export function secondsText(ms: number): string {
  // The clock is a whole number of ms; anything else (a caller's own time) takes the slow path.
  if (!Number.isInteger(ms)) return String(ms / 1000);
  const seconds = Math.floor(ms / 1000);
  return String(seconds) + FRACTIONS[ms - seconds * 1000];
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
 * for every event of a run.
 */
export function serialize(event: SimEvent): string {
  return serializeWith(jsonValue(event.t), unquoted(event.type), event);
}

/**
 * The pieces of the line being made, reused from line to line: the constant ones are written
 * once here, and a key the event lacks leaves two empty pieces. The pieces are joined, not
 * appended one by one: `+=` makes a V8 rope (a tree of cons-strings) that the log would keep at
 * about four times the memory of the flat string a join returns — a large run keeps hundreds of
 * thousands of lines until the end, and the garbage collector walks them all on every full
 * collection. And one array of a fixed length for every line, not one per line: the garbage a
 * line leaves costs a large run more than making it (about 0.7 ns a byte in the 30,000-pod
 * bench, where every young collection copies tens of megabytes of live objects), and a fresh
 * array, or a rope flattened after the fact, leaves about twice the bytes of the line itself.
 */
const pieces = ['{"t":', '', ',"type":"', '', '","kind":"', '', '', '', '","name":"', '', '', '', '', '', '"', '', '}'];

/**
 * serialize, given the texts of `t` and (unquoted) `type`, which the log keeps made. The quotes
 * of the standard strings are folded into the constant pieces between them.
 */
function serializeWith(timeText: string, typeText: string, event: SimEvent): string {
  pieces[1] = timeText;
  pieces[3] = typeText;
  pieces[5] = unquoted(event.kind);
  pieces[6] = event.namespace ? '","namespace":"' : '';
  pieces[7] = event.namespace ? unquoted(event.namespace) : '';
  pieces[9] = unquoted(event.name);
  pieces[10] = event.node ? '","node":"' : '';
  pieces[11] = event.node ? unquoted(event.node) : '';
  pieces[12] = event.owner ? '","owner":"' : '';
  pieces[13] = event.owner ? unquoted(event.owner) : '';
  pieces[15] = event.fields ? fieldsText(event.fields) : '';
  return pieces.join('');
}

/** The event's own fields, each as `,"key":value`, in their order. */
function fieldsText(fields: EventFields): string {
  let text = '';
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined || STANDARD_KEYS.has(key)) continue;
    text += `,"${unquoted(key)}":${jsonValue(value)}`;
  }
  return text;
}
