/**
 * How objects are stored: JSON *without* metadata.resourceVersion. The resourceVersion lives
 * beside the JSON (`<rv>|<json>` in the hash, the entry id in the log), so the Lua scripts can
 * stamp a new one without parsing JSON in Lua (cjson would turn 1.0 into 1, big integers into
 * floats, and `{}` into `[]`). Readers put it back, the way etcd3's versioner sets
 * resourceVersion from the key's mod revision on every read.
 */
import type { KubeObject } from '@kubeling/api';

/** The JSON kept in Redis: the object less metadata.resourceVersion, other key order kept. */
export function encodeObject(obj: KubeObject): string {
  const { resourceVersion: _ignored, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

// ObjectMeta fields that come before resourceVersion in the Go struct; the rest come after.
const beforeResourceVersion = new Set(['name', 'generateName', 'namespace', 'selfLink', 'uid']);

/** Parses stored JSON and sets metadata.resourceVersion where the Go struct has it (after uid). */
export function decodeObject(json: string, rv: string): KubeObject {
  const obj = JSON.parse(json) as KubeObject;
  const metadata: Record<string, unknown> = {};
  let placed = false;
  for (const [k, v] of Object.entries(obj.metadata ?? {})) {
    if (!placed && !beforeResourceVersion.has(k)) {
      metadata.resourceVersion = rv;
      placed = true;
    }
    if (k !== 'resourceVersion') metadata[k] = v;
  }
  if (!placed) metadata.resourceVersion = rv;
  obj.metadata = metadata as KubeObject['metadata'];
  return obj;
}

/** Splits a hash value `<rv>|<json>`. */
export function splitStored(value: string): { rv: string; json: string } {
  const bar = value.indexOf('|');
  if (bar < 0) throw new Error(`corrupt stored object (no resourceVersion): ${value.slice(0, 80)}`);
  return { rv: value.slice(0, bar), json: value.slice(bar + 1) };
}

/** `<rv>-1` → rv as a number (log ids are `<rv>-1`). */
export function rvOfLogId(id: string): number {
  const dash = id.indexOf('-');
  return Number(dash < 0 ? id : id.slice(0, dash));
}

/** A decimal resourceVersion string, or undefined when it is not one. */
export function parseResourceVersion(rv: string): number | undefined {
  if (!/^\d{1,15}$/.test(rv)) return undefined;
  return Number(rv);
}
