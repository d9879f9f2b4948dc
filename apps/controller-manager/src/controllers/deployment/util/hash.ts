/**
 * The pod-template-hash (kubernetes pkg/controller/controller_utils.go ComputeHash): FNV-1a
 * (32 bit) of the Deployment's pod template, then of `status.collisionCount` (as 8 bytes, the
 * low 4 little-endian) when set, written as the decimal number and passed through
 * SafeEncodeString — so a hash never looks like a word or has vowels.
 *
 * Upstream hashes Go's spew dump of the template struct, which cannot be reproduced outside
 * Go; kubeling hashes the template's canonical JSON (keys sorted, absent fields left out).
 * Either way the hash is a stable function of the template, which is all that is needed: the
 * new ReplicaSet is found by template equality (EqualIgnoreHash), not by hash, and a collision
 * (a ReplicaSet of that name with another template) bumps collisionCount and retries.
 */
import type { PodTemplateSpec } from '@kubeling/api';

/** rand.SafeEncodeString's alphabet: no vowels, no 0/1/3 (they look like vowels or l). */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: every byte of `s` mapped into `alphanums`. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += alphanums[ch.charCodeAt(0) % alphanums.length];
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** hash/fnv New32a over `bytes`, continuing from `h`. */
export function fnv32a(bytes: Uint8Array, h = FNV_OFFSET): number {
  let hash = h >>> 0;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** JSON with object keys sorted at every level, so equal templates hash equal. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x ?? null)).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** ComputeHash. */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
