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
import { canonicalJson } from '../../util/objects.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv32a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** SafeEncodeString: each character mapped into an alphabet without vowels or look-alikes. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** The hash label value for a template, varied by the Deployment's collisionCount. */
export function computeHash(template: DeepReadonly<PodTemplateSpec>, collisionCount?: number): string {
  let hash = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    // Upstream writes the count as a little-endian uint32 into an 8-byte buffer.
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
