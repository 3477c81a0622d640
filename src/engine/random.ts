/**
 * Named random streams derived from one scenario seed.
 *
 * Each component draws from its own stream (`kubelet/pool-a-3`, `scheduler`, `traffic/web`),
 * seeded from (seed, name) with seedrandom's Alea generator. Adding a new random consumer
 * therefore never shifts another consumer's draws: the basis of common random numbers when two
 * variants of a scenario are compared.
 */
import seedrandom from 'seedrandom';

export class Rng {
  private readonly source: () => number;

  constructor(readonly name: string, seed: string) {
    this.source = seedrandom.alea(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.source();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.source() * n);
  }

  /** One element chosen uniformly; `undefined` for an empty list. */
  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(items.length)];
  }

  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** Standard normal variate (Box–Muller, two uniform draws per call). */
  normal(): number {
    let u = this.source();
    while (u === 0) u = this.source();
    const v = this.source();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `k` distinct indices of [0, n) in ascending order, chosen uniformly (Floyd's algorithm). */
  sampleIndices(n: number, k: number): number[] {
    k = Math.max(0, Math.min(k, n));
    const chosen = new Set<number>();
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    return [...chosen].sort((a, b) => a - b);
  }
}

export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number | string) {}

  /** The stream for `name`, created on first use; the same name always yields the same stream. */
  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Rng(name, `${this.seed}\u0000${name}`);
      this.streams.set(name, rng);
    }
    return rng;
  }
}
