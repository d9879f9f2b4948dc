/**
 * System-owned metadata: what the server fills on create (uid, creationTimestamp, generation,
 * a generated name) and carries over on update (rest.BeforeCreate / rest.BeforeUpdate).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { KindInfo, KubeObject } from '@kubeling/api';
import { apiVersionOf, deepEqual, rfc3339 } from '@kubeling/api';

/** names.SimpleNameGenerator: 5 characters from an alphabet without vowels or look-alikes. */
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
const maxGeneratedNameLength = 63 - 5;

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[randomInt(alphabet.length)];
  return prefix.slice(0, maxGeneratedNameLength) + suffix;
}

/** Everything but metadata and status: what a "spec change" means for generation bumps. */
export function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function stampTypeMeta(info: KindInfo, obj: KubeObject): void {
  obj.apiVersion = apiVersionOf(info);
  obj.kind = info.kind;
}

/** rest.BeforeCreate's metadata part. */
export function fillCreateMetadata(info: KindInfo, obj: KubeObject, nowMs: number): void {
  const m = obj.metadata;
  if (!m.name && m.generateName) m.name = generateName(m.generateName);
  m.uid = randomUUID();
  m.creationTimestamp = rfc3339(nowMs);
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  if (info.tracksGeneration) m.generation = 1;
  else delete m.generation;
}

/** rest.BeforeUpdate's metadata part: clients cannot change identity or deletion state. */
export function carryUpdateMetadata(info: KindInfo, obj: KubeObject, old: KubeObject): void {
  const m = obj.metadata;
  const o = old.metadata;
  if (!m.uid) m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  if (o.generation !== undefined) m.generation = o.generation;
  else delete m.generation;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined)
    m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  if (info.tracksGeneration && !deepEqual(specOf(obj), specOf(old)))
    m.generation = (o.generation ?? 0) + 1;
}
