/**
 * The load offered to one Service: its rate pattern read piece by piece on the virtual clock,
 * with optional Poisson noise. Each piece is constant; when one ends the next is computed and the
 * owner told (one timer per piece, none for a rate that no longer changes).
 *
 * Noise: the requests arriving in a piece are a Poisson draw with the piece's mean (the count of
 * independent arrivals at that rate), spread evenly over the piece; pieces with noise end on the
 * 5 s grid, so a constant noisy rate is redrawn every 5 s. Draws come from the stream
 * `traffic/<namespace>/<service>`, so one Service's noise never moves another's.
 */
import { Priority } from '../engine/priorities.js';
import type { Rng } from '../engine/random.js';
import type { Simulation, Timer } from '../engine/simulation.js';
import { poisson } from './poisson.js';
import { type RatePattern, ratePiece } from './rate-pattern.js';
import type { TrafficNoise } from './traffic-rule.js';

export class OfferedLoad {
  /** The current piece's rate, requests per second. */
  rps = 0;
  private pattern: RatePattern | undefined;
  private originMs = 0;
  private noise: TrafficNoise = 'none';
  private timer: Timer | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly rng: Rng,
    /**
     * Called when a piece ends, before anything changes: the owner integrates up to now, calls
     * {@link nextPiece}, then spreads the new rate.
     */
    private readonly onPieceEnd: () => void,
  ) {}

  /**
   * Starts `pattern` now (its times count from now). The caller integrates what it owes to the
   * old rate first, and spreads the new {@link rps} after.
   */
  set(pattern: RatePattern, noise: TrafficNoise): void {
    this.pattern = pattern;
    this.noise = noise;
    this.originMs = this.sim.now;
    this.nextPiece();
  }

  /** Keeps the pattern and its time origin, changes the noise from now (same contract as {@link set}). */
  setNoise(noise: TrafficNoise): void {
    if (this.pattern === undefined || noise === this.noise) return;
    this.noise = noise;
    this.nextPiece();
  }

  /** Moves to the piece that starts now. */
  nextPiece(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.pattern === undefined) return;
    const now = this.sim.now;
    const piece = ratePiece(this.pattern, now - this.originMs, this.noise === 'poisson');
    const endMs = this.originMs + piece.endMs;
    if (this.noise === 'poisson') {
      const seconds = (endMs - now) / 1000;
      this.rps = poisson(piece.rps * seconds, this.rng) / seconds;
    } else this.rps = piece.rps;
    if (endMs !== Infinity) {
      this.timer = this.sim.scheduleAt(endMs, () => this.onPieceEnd(), Priority.Timer);
    }
  }
}
