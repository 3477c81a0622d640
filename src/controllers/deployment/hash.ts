/**
 * The pod-template-hash (pkg/controller/controller_utils.go: ComputeHash;
 * k8s.io/apimachinery/pkg/util/rand: SafeEncodeString).
 *
 * Deliberate difference: upstream hashes the Go struct as printed by spew (DeepHashObject), which
 * cannot be reproduced outside Go; this hashes the template's canonical JSON with the same
 * FNV-32a and the same encoding. Hashes are therefore stable and deterministic, look like real
 * ones, but differ from what a real cluster would name the same template.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import type { PodTemplateSpec } from '../../api/types/pod.js';
import { fnv32a, jsonBytes, safeEncodeString } from '../hashing.js';

export { safeEncodeString } from '../hashing.js';

/** The hash label value for a template, varied by the Deployment's collisionCount. */
export function computeHash(template: DeepReadonly<PodTemplateSpec>, collisionCount?: number): string {
  let hash = fnv32a(jsonBytes(template));
  if (collisionCount !== undefined) {
    // Upstream writes the count as a little-endian uint32 into an 8-byte buffer.
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
