/**
 * The autoscaling/v1 Scale subresource of Deployments, ReplicaSets and ReplicationControllers:
 * a view of spec.replicas, status.replicas and the selector, written back into the parent.
 */
import type { KindInfo, KubeObject, LabelSelector } from '@kubeling/api';
import { conflict, invalid, invalidValue, labelSelectorAsSelector } from '@kubeling/api';
import type { WriteOptions } from './options';
import type { PatchType } from './patchTypes';
import { isConflict, retryOnConflict } from './conflictRetry';
import type { ResourceRegistry } from './resource';
import type { WriteResult } from './results';
import { applyPatch } from './resource';

export interface Scale extends KubeObject {
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function at(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const p of path)
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function setAt(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (const p of path.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = value;
}

/** The selector as Scale.status.selector renders it: the canonical string of the label selector. */
function selectorString(info: KindInfo, obj: KubeObject): string | undefined {
  const scale = info.scale;
  if (!scale) return undefined;
  const raw = at(obj, scale.selectorPath);
  if (raw === undefined) return undefined;
  // ReplicationControllers keep a plain map; apps/v1 kinds a LabelSelector.
  const sel: LabelSelector =
    info.group === '' ? { matchLabels: raw as Record<string, string> } : (raw as LabelSelector);
  return labelSelectorAsSelector(sel).toString();
}

export function scaleOf(info: KindInfo, obj: KubeObject): Scale {
  const paths = info.scale!;
  const meta: KubeObject['metadata'] = {
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    uid: obj.metadata.uid,
    resourceVersion: obj.metadata.resourceVersion,
    creationTimestamp: obj.metadata.creationTimestamp,
  };
  const status: Scale['status'] = { replicas: Number(at(obj, paths.statusReplicasPath) ?? 0) };
  const selector = selectorString(info, obj);
  if (selector !== undefined) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: meta,
    spec: { replicas: Number(at(obj, paths.specReplicasPath) ?? 0) },
    status,
  };
}

const scaleGK = { group: 'autoscaling', kind: 'Scale' };

/**
 * Writes a Scale (from PUT, or a patched Scale) back into its parent; 409 on a stale
 * resourceVersion. managedFields record the write on the parent under subresource `scale`.
 */
async function writeScale(
  reg: ResourceRegistry,
  ns: string | undefined,
  name: string,
  next: Scale,
  opts: WriteOptions,
): Promise<WriteResult> {
  const replicas = next.spec?.replicas;
  if (replicas === undefined || !Number.isInteger(replicas) || replicas < 0)
    throw invalid(scaleGK, name, [
      invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'),
    ]);
  const wantRV = next.metadata?.resourceVersion;
  // Without a resourceVersion in the Scale, a lost race is retried on the new state.
  return retryOnConflict(
    async () => {
      const cur = await reg.get(ns, name);
      if (wantRV && wantRV !== cur.metadata.resourceVersion) throw conflict(reg.gr, name);
      const body = structuredClone(cur) as Record<string, unknown> & KubeObject;
      setAt(body, reg.info.scale!.specReplicasPath, replicas);
      const res = await reg.update(ns, name, body, { ...opts, fieldValidation: 'Ignore' }, 'scale');
      return { ...res, object: scaleOf(reg.info, res.object) };
    },
    (e) => !wantRV && isConflict(e),
  );
}

export async function getScale(
  reg: ResourceRegistry,
  ns: string | undefined,
  name: string,
): Promise<Scale> {
  return scaleOf(reg.info, await reg.get(ns, name));
}

export async function updateScale(
  reg: ResourceRegistry,
  ns: string | undefined,
  name: string,
  body: unknown,
  opts: WriteOptions,
) {
  return writeScale(reg, ns, name, body as Scale, opts);
}

export async function patchScale(
  reg: ResourceRegistry,
  ns: string | undefined,
  name: string,
  type: PatchType,
  patch: unknown,
  opts: WriteOptions,
) {
  const cur = scaleOf(reg.info, await reg.get(ns, name));
  const patched = applyPatch(type, cur, patch) as Scale;
  return writeScale(reg, ns, name, patched, opts);
}
