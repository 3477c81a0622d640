/**
 * The hashing behind generated names (k8s.io/apimachinery/pkg/util/rand: SafeEncodeString;
 * hash/fnv as upstream's controllers use it).
 *
 * Deliberate difference: upstream feeds the hash with Go's spew dump of a struct (DeepHashObject)
 * or with JSON bytes Go produced; here it is the canonical JSON of the value. Hashes are stable
 * and deterministic and look like real ones, but differ from what a real cluster computes.
 */
import { canonicalJson } from '../util/objects.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits (hash/fnv New32a). */
export function fnv32a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** FNV-1, 32 bits (hash/fnv New32): multiply, then xor. */
export function fnv32(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed;
  for (const byte of bytes) {
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash >>> 0;
}

/** SafeEncodeString: each character mapped into an alphabet without vowels or look-alikes. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The canonical JSON bytes of a value. */
export function jsonBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}
