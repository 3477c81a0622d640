/**
 * How containers behave, per image. Real manifests only name images; the scenario's `images`
 * table says how long an image takes to pull and start, when the application becomes ready,
 * whether it crashes or runs to completion, and how long it takes to shut down.
 */
import { type Distribution, constant } from '../engine/distribution.js';

export interface ImageProfile {
  /** Time to pull the image onto a node that does not have it. */
  readonly pull: Distribution;
  /** A pull that always fails (a typo'd tag, a missing registry credential): ErrImagePull. */
  readonly pullError?: string;
  /** From container creation to the process running. */
  readonly start: Distribution;
  /**
   * From the process running to the application passing its readiness probe; undefined when it
   * never does (a crashing image). Only observable through a readinessProbe: without one,
   * Kubernetes reports the container ready once it has started, healthy or not.
   */
  readonly ready?: Distribution;
  /** The process exits with a non-zero code after this long (restarts with backoff). */
  readonly crash?: { readonly after: Distribution; readonly exitCode: number };
  /** The process runs to completion after this long (batch work). */
  readonly run?: Distribution;
  /** When running to completion: the probability it fails, and the exit code it fails with. */
  readonly fail?: { readonly probability: number; readonly exitCode: number };
  /** From SIGTERM to exit (bounded by the grace period). */
  readonly stop: Distribution;
  /** Image size for the scheduler's ImageLocality score and node status. */
  readonly sizeBytes: number;
}

/** Used for images the scenario does not describe (a warning says so). */
export const DEFAULT_IMAGE_PROFILE: ImageProfile = {
  pull: constant(5000),
  start: constant(1000),
  ready: constant(0),
  stop: constant(0),
  sizeBytes: 100 * 1024 * 1024,
};

/** Looks up image profiles; the catalogue decides what an unknown image gets. */
export interface ImageCatalog {
  profile(image: string): ImageProfile;
}

/** A catalogue from a table, with a fallback profile (the scenario's `"*"` entry or the default). */
export class TableImageCatalog implements ImageCatalog {
  constructor(
    private readonly table: ReadonlyMap<string, ImageProfile>,
    private readonly fallback: ImageProfile = DEFAULT_IMAGE_PROFILE,
    private readonly onUnknown: (image: string) => void = () => {},
  ) {}

  profile(image: string): ImageProfile {
    const profile = this.table.get(image);
    if (profile !== undefined) return profile;
    this.onUnknown(image);
    return this.fallback;
  }
}
