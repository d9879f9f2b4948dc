/**
 * A pod's volumes on this machine, under `<root>/pods/<uid>/volumes/<name>/`:
 *   emptyDir            an empty directory shared by the pod's containers (medium: Memory is
 *                       a tmpfs when the kubelet may mount, else a directory too)
 *   configMap, secret   one file per key (or per `items` entry), mode from defaultMode/mode
 *   downwardAPI         one file per item (fieldRef / resourceFieldRef)
 *   projected           all of its sources in one directory (serviceAccountToken: a token file
 *                       with an unsigned placeholder: kubeling has no token signer yet)
 *   hostPath            the host's directory itself (DirectoryOrCreate/FileOrCreate create it)
 * A missing ConfigMap or Secret fails the mount with upstream's message (event FailedMount)
 * until it exists, unless `optional`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { KeyToPath, Pod, Volume } from '@kubeling/api';
import { configMapKind, hasReason, secretKind } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import { ContainerStartError } from '../runtime';
import { fieldValue, resourceValue } from './env';

async function writeFiles(
  dir: string,
  data: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
  mode: number,
  what: string,
  optional: boolean,
): Promise<void> {
  const entries: [string, Buffer, number][] = [];
  if (items?.length) {
    for (const it of items) {
      const v = data[it.key ?? ''];
      if (v === undefined) {
        if (optional) continue;
        throw new ContainerStartError(
          'FailedMount',
          `configmap references non-existent config key: ${it.key ?? ''} (${what})`,
        );
      }
      entries.push([it.path ?? it.key ?? '', v, it.mode ?? mode]);
    }
  } else for (const [k, v] of Object.entries(data)) entries.push([k, v, mode]);
  for (const [rel, v, m] of entries) {
    const file = path.join(dir, rel);
    if (!file.startsWith(dir)) continue;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, v, { mode: m });
    await fs.chmod(file, m);
  }
}

async function get<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (hasReason(e, 'NotFound')) return undefined;
    throw e;
  }
}

export interface VolumeContext {
  client: Client;
  pod: Pod;
  podIP: string;
  nodeName: string;
  nodeIP: string;
}

/** Sets up every volume of the pod; returns volume name -> host path. */
export async function setUpVolumes(
  ctx: VolumeContext,
  podDir: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ns = ctx.pod.metadata.namespace ?? 'default';
  const cmData = async (
    name: string,
    optional: boolean,
    vol: string,
  ): Promise<Record<string, Buffer> | undefined> => {
    const m = await get(() => ctx.client.resource(configMapKind).namespace(ns).get(name));
    if (!m) {
      if (optional) return {};
      throw new ContainerStartError(
        'FailedMount',
        `MountVolume.SetUp failed for volume "${vol}" : configmap "${name}" not found`,
      );
    }
    const d: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(m.data ?? {})) d[k] = Buffer.from(v);
    for (const [k, v] of Object.entries(m.binaryData ?? {})) d[k] = Buffer.from(v, 'base64');
    return d;
  };
  const secretData = async (
    name: string,
    optional: boolean,
    vol: string,
  ): Promise<Record<string, Buffer> | undefined> => {
    const s = await get(() => ctx.client.resource(secretKind).namespace(ns).get(name));
    if (!s) {
      if (optional) return {};
      throw new ContainerStartError(
        'FailedMount',
        `MountVolume.SetUp failed for volume "${vol}" : secret "${name}" not found`,
      );
    }
    const d: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(s.data ?? {})) d[k] = Buffer.from(v, 'base64');
    return d;
  };
  const downward = (
    items: {
      path?: string;
      fieldRef?: { fieldPath?: string };
      resourceFieldRef?: { containerName?: string; resource?: string; divisor?: unknown };
    }[],
  ) => {
    const d: Record<string, Buffer> = {};
    for (const it of items) {
      const v = it.fieldRef
        ? fieldValue(ctx.pod, it.fieldRef.fieldPath ?? '', ctx.podIP, ctx.nodeName, ctx.nodeIP)
        : it.resourceFieldRef
          ? resourceValue(
              ctx.pod,
              it.resourceFieldRef.containerName ?? '',
              it.resourceFieldRef.resource ?? '',
              it.resourceFieldRef.divisor ? String(it.resourceFieldRef.divisor) : '1',
            )
          : '';
      d[it.path ?? ''] = Buffer.from(v);
    }
    return d;
  };
  for (const v of ctx.pod.spec.volumes ?? []) {
    const dir = path.join(podDir, 'volumes', v.name);
    const mode = (vol: Volume) =>
      vol.configMap?.defaultMode ??
      vol.secret?.defaultMode ??
      vol.downwardAPI?.defaultMode ??
      vol.projected?.defaultMode ??
      0o644;
    if (v.hostPath) {
      const p = v.hostPath.path ?? '';
      if (v.hostPath.type === 'DirectoryOrCreate') await fs.mkdir(p, { recursive: true });
      else if (v.hostPath.type === 'FileOrCreate') await (await fs.open(p, 'a')).close();
      else if (v.hostPath.type === 'Directory' || v.hostPath.type === 'File') {
        const st = await fs.stat(p).catch(() => undefined);
        if (!st || (v.hostPath.type === 'Directory' ? !st.isDirectory() : !st.isFile()))
          throw new ContainerStartError(
            'FailedMount',
            `MountVolume.SetUp failed for volume "${v.name}" : hostPath type check failed: ${p} is not a ${v.hostPath.type.toLowerCase()}`,
          );
      }
      out.set(v.name, p);
      continue;
    }
    await fs.mkdir(dir, { recursive: true });
    out.set(v.name, dir);
    if (v.configMap) {
      const d = await cmData(v.configMap.name ?? '', !!v.configMap.optional, v.name);
      await writeFiles(dir, d ?? {}, v.configMap.items, mode(v), v.name, !!v.configMap.optional);
    } else if (v.secret) {
      const d = await secretData(v.secret.secretName ?? '', !!v.secret.optional, v.name);
      await writeFiles(
        dir,
        d ?? {},
        v.secret.items,
        v.secret.defaultMode ?? 0o644,
        v.name,
        !!v.secret.optional,
      );
    } else if (v.downwardAPI) {
      await writeFiles(dir, downward(v.downwardAPI.items ?? []), undefined, mode(v), v.name, false);
    } else if (v.projected) {
      for (const src of v.projected.sources ?? []) {
        if (src.configMap) {
          const d = await cmData(src.configMap.name ?? '', !!src.configMap.optional, v.name);
          await writeFiles(
            dir,
            d ?? {},
            src.configMap.items,
            mode(v),
            v.name,
            !!src.configMap.optional,
          );
        } else if (src.secret) {
          const d = await secretData(src.secret.name ?? '', !!src.secret.optional, v.name);
          await writeFiles(dir, d ?? {}, src.secret.items, mode(v), v.name, !!src.secret.optional);
        } else if (src.downwardAPI) {
          await writeFiles(
            dir,
            downward(src.downwardAPI.items ?? []),
            undefined,
            mode(v),
            v.name,
            false,
          );
        } else if (src.serviceAccountToken) {
          await writeFiles(
            dir,
            { [src.serviceAccountToken.path ?? 'token']: Buffer.from('') },
            undefined,
            mode(v),
            v.name,
            false,
          );
        }
      }
    }
  }
  return out;
}
