/**
 * A node's image cache and puller (pkg/kubelet/images: image_manager.go, puller.go). With
 * serializeImagePulls (the kubelet default) one image is pulled at a time, in request order;
 * requests for an image already being pulled wait for that pull instead of starting another.
 * A failing pull reports ErrImagePull to every waiter; each retries after its own backoff.
 */
import { sample } from '../engine/distribution.js';
import type { Rng } from '../engine/random.js';
import type { Simulation } from '../engine/simulation.js';
import type { ImageProfile } from './image-profile.js';

export type PullResult = { readonly ok: true } | { readonly ok: false; readonly message: string };
export type PullCallback = (result: PullResult) => void;

/** The result of every successful pull and of every request for an image already present. */
const PULL_OK: PullResult = { ok: true };

interface PullJob {
  readonly image: string;
  readonly profile: ImageProfile;
  readonly waiters: PullCallback[];
  cancelled: boolean;
}

export class ImageManager {
  private readonly present = new Map<string, number>();
  private readonly queue: PullJob[] = [];
  private readonly inFlight = new Map<string, PullJob>();
  private active = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly rng: Rng,
    private readonly serialize: boolean,
    /** Called when an image lands on the node (node status lists images for ImageLocality). */
    private readonly onImageAdded: (image: string, sizeBytes: number) => void,
  ) {}

  has(image: string): boolean {
    return this.present.has(image);
  }

  /** Images on the node with their sizes, in the order they arrived. */
  images(): ReadonlyMap<string, number> {
    return this.present;
  }

  /** Pulls `image` unless present; `callback` runs when it is (or the pull failed). */
  ensure(image: string, profile: ImageProfile, callback: PullCallback): void {
    if (this.present.has(image)) {
      callback(PULL_OK);
      return;
    }
    const existing = this.inFlight.get(image);
    if (existing !== undefined) {
      existing.waiters.push(callback);
      return;
    }
    const job: PullJob = { image, profile, waiters: [callback], cancelled: false };
    this.inFlight.set(image, job);
    this.queue.push(job);
    this.pump();
  }

  /** Drops every queued and running pull (the kubelet stopped). Waiters are not called. */
  reset(): void {
    for (const job of this.inFlight.values()) job.cancelled = true;
    this.inFlight.clear();
    this.queue.length = 0;
    this.active = 0;
  }

  private pump(): void {
    while (this.queue.length > 0 && (!this.serialize || this.active === 0)) {
      const job = this.queue.shift() as PullJob;
      this.active++;
      this.sim.schedule(sample(job.profile.pull, this.rng), () => this.finish(job));
    }
  }

  private finish(job: PullJob): void {
    if (job.cancelled) return;
    this.active--;
    this.inFlight.delete(job.image);
    const result: PullResult =
      job.profile.pullError === undefined ? PULL_OK : { ok: false, message: job.profile.pullError };
    if (result.ok) {
      this.present.set(job.image, job.profile.sizeBytes);
      this.onImageAdded(job.image, job.profile.sizeBytes);
    }
    for (const waiter of job.waiters) waiter(result);
    this.pump();
  }
}
