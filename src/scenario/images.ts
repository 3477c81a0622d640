/**
 * The scenario's `images` table → image profiles (kubelet/image-profile.ts). Every field is
 * optional and falls back to the `"*"` entry, then to the built-in default profile.
 */
import { DEFAULT_IMAGE_PROFILE, type ImageProfile } from '../kubelet/image-profile.js';
import { type Infer, s } from './schema.js';
import type { Locator } from './yaml-source.js';

/** Exit code of a crash or a failed run when the scenario gives none. */
const DEFAULT_FAILURE_EXIT_CODE = 1;

const exitCode = s.integer({ min: 1, max: 255 });

export const imageSchema = s.object({
  expected: 'an image profile such as {pull: 3s, start: 1s, ready: 5s}',
  fields: {
    pull: s.distribution(),
    pullError: s.union(s.string(), s.boolean()),
    start: s.distribution(),
    ready: s.distribution(),
    crash: s.object({ fields: { after: s.distribution(), exitCode }, required: ['after'] }),
    run: s.distribution(),
    fail: s.union(s.percentage(), s.object({ fields: { probability: s.percentage(), exitCode } })),
    stop: s.distribution(),
    size: s.quantity('whole'),
  },
});

export const imagesSchema = s.record(imageSchema);

type ImageInput = Infer<typeof imageSchema>;

function toProfile(input: ImageInput, base: ImageProfile, image: string, at: Locator): ImageProfile {
  if (input.crash !== undefined && input.run !== undefined) {
    throw at.child('run').error('an image cannot both crash and run to completion', 'keep "crash" for a service that fails, "run" for batch work', 'key');
  }
  let fail = base.fail;
  if (typeof input.fail === 'number') fail = { probability: input.fail, exitCode: DEFAULT_FAILURE_EXIT_CODE };
  else if (input.fail !== undefined) fail = { probability: input.fail.probability ?? 1, exitCode: input.fail.exitCode ?? DEFAULT_FAILURE_EXIT_CODE };
  let pullError = base.pullError;
  if (input.pullError === true) pullError = `failed to pull image "${image}": not found`;
  else if (typeof input.pullError === 'string') pullError = input.pullError;
  else if (input.pullError === false) pullError = undefined;
  return {
    pull: input.pull ?? base.pull,
    pullError,
    start: input.start ?? base.start,
    // A crashing image without its own `ready` never passes a readiness probe.
    ready: input.ready ?? (input.crash !== undefined ? undefined : base.ready),
    // An entry's own behaviour replaces the other one it would inherit from "*": a batch image
    // under a crashing default runs to completion, and a crashing one under a batch default crashes.
    crash: input.crash !== undefined ? { after: input.crash.after, exitCode: input.crash.exitCode ?? DEFAULT_FAILURE_EXIT_CODE } : input.run !== undefined ? undefined : base.crash,
    run: input.run ?? (input.crash !== undefined ? undefined : base.run),
    fail,
    stop: input.stop ?? base.stop,
    sizeBytes: input.size ?? base.sizeBytes,
  };
}

/** Resolves the table: the `"*"` entry (if any) becomes the fallback for every field. */
export function resolveImages(table: Record<string, ImageInput> | undefined, at: Locator): { images: Map<string, ImageProfile>; defaultImage: ImageProfile } {
  const entries = table ?? {};
  const defaultImage = entries['*'] !== undefined ? toProfile(entries['*'], DEFAULT_IMAGE_PROFILE, '*', at.child('*')) : DEFAULT_IMAGE_PROFILE;
  const images = new Map<string, ImageProfile>();
  for (const [name, input] of Object.entries(entries)) {
    if (name === '*') continue;
    images.set(name, toProfile(input, defaultImage, name, at.child(name)));
  }
  return { images, defaultImage };
}

