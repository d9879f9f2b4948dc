/**
 * core/v1 Volume with the sources kubeling supports (emptyDir, hostPath, secret, nfs,
 * persistentVolumeClaim, downwardAPI, configMap, projected, csi), their SetDefaults_* and
 * ValidateVolumes with upstream's messages.
 *
 *   const { volumes, errs } = validateVolumes(spec.volumes ?? [], path('spec', 'volumes'));
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import {
  duplicate,
  forbiddenField,
  invalidValue,
  notSupported,
  required,
} from '../../meta/fieldErrors';
import { nameIsDNSSubdomain } from '../../meta/objectMeta';
import { parseQuantity, Quantity } from '../../meta/quantity';
import {
  defaultObjectFieldSelector,
  defaultResourceFieldSelector,
  fileModeErrorMsg,
  ObjectFieldSelector,
  ResourceFieldSelector,
  validateDNS1123Label,
  validateLocalNonReservedPath,
  validateObjectFieldSelector,
  validatePathNoBacksteps,
  validateResourceFieldSelector,
  volumeFieldPaths,
} from './container';

const int = () => z.number().int();

export const KeyToPath = z
  .object({ key: z.string().optional(), path: z.string().optional(), mode: int().optional() })
  .strict();
export type KeyToPath = z.infer<typeof KeyToPath>;

export const HostPathVolumeSource = z
  .object({
    path: z.string().optional(),
    /** "" | DirectoryOrCreate | Directory | FileOrCreate | File | Socket | CharDevice | BlockDevice */
    type: z.string().optional(),
  })
  .strict();

export const EmptyDirVolumeSource = z
  .object({ medium: z.string().optional(), sizeLimit: Quantity.optional() })
  .strict();

export const SecretVolumeSource = z
  .object({
    secretName: z.string().optional(),
    items: z.array(KeyToPath).optional(),
    defaultMode: int().optional(),
    optional: z.boolean().optional(),
  })
  .strict();

export const NFSVolumeSource = z
  .object({
    server: z.string().optional(),
    path: z.string().optional(),
    readOnly: z.boolean().optional(),
  })
  .strict();

export const PersistentVolumeClaimVolumeSource = z
  .object({ claimName: z.string().optional(), readOnly: z.boolean().optional() })
  .strict();

export const DownwardAPIVolumeFile = z
  .object({
    path: z.string().optional(),
    fieldRef: ObjectFieldSelector.optional(),
    resourceFieldRef: ResourceFieldSelector.optional(),
    mode: int().optional(),
  })
  .strict();
export type DownwardAPIVolumeFile = z.infer<typeof DownwardAPIVolumeFile>;

export const DownwardAPIVolumeSource = z
  .object({ items: z.array(DownwardAPIVolumeFile).optional(), defaultMode: int().optional() })
  .strict();

export const ConfigMapVolumeSource = z
  .object({
    name: z.string().optional(),
    items: z.array(KeyToPath).optional(),
    defaultMode: int().optional(),
    optional: z.boolean().optional(),
  })
  .strict();

const ProjectionRef = z
  .object({
    name: z.string().optional(),
    items: z.array(KeyToPath).optional(),
    optional: z.boolean().optional(),
  })
  .strict();

export const ServiceAccountTokenProjection = z
  .object({
    audience: z.string().optional(),
    expirationSeconds: int().optional(),
    path: z.string().optional(),
  })
  .strict();

export const VolumeProjection = z
  .object({
    secret: ProjectionRef.optional(),
    downwardAPI: z
      .object({ items: z.array(DownwardAPIVolumeFile).optional() })
      .strict()
      .optional(),
    configMap: ProjectionRef.optional(),
    serviceAccountToken: ServiceAccountTokenProjection.optional(),
  })
  .strict();
export type VolumeProjection = z.infer<typeof VolumeProjection>;

export const ProjectedVolumeSource = z
  .object({ sources: z.array(VolumeProjection).optional(), defaultMode: int().optional() })
  .strict();

export const CSIVolumeSource = z
  .object({
    driver: z.string().optional(),
    readOnly: z.boolean().optional(),
    fsType: z.string().optional(),
    volumeAttributes: z.record(z.string()).optional(),
    nodePublishSecretRef: z.object({ name: z.string().optional() }).strict().optional(),
  })
  .strict();

/** A Volume: a name and exactly one source (VolumeSource is inlined, in Go field order). */
export const Volume = z
  .object({
    name: z.string(),
    hostPath: HostPathVolumeSource.optional(),
    emptyDir: EmptyDirVolumeSource.optional(),
    secret: SecretVolumeSource.optional(),
    nfs: NFSVolumeSource.optional(),
    persistentVolumeClaim: PersistentVolumeClaimVolumeSource.optional(),
    downwardAPI: DownwardAPIVolumeSource.optional(),
    configMap: ConfigMapVolumeSource.optional(),
    projected: ProjectedVolumeSource.optional(),
    csi: CSIVolumeSource.optional(),
  })
  .strict();
export type Volume = z.infer<typeof Volume>;

const sourceKeys = [
  'hostPath',
  'emptyDir',
  'secret',
  'nfs',
  'persistentVolumeClaim',
  'downwardAPI',
  'configMap',
  'projected',
  'csi',
] as const;

/** DefaultMode for secret, configMap, downwardAPI and projected volumes: 0644. */
export const DefaultVolumeMode = 0o644;

function defaultDownwardAPIFiles(items: DownwardAPIVolumeFile[] | undefined): void {
  for (const f of items ?? []) {
    defaultObjectFieldSelector(f.fieldRef);
    defaultResourceFieldSelector(f.resourceFieldRef);
  }
}

/** SetDefaults_Volume and the per-source defaults. */
export function defaultVolume(v: Volume): void {
  // A volume without a source is an emptyDir.
  if (sourceKeys.every((k) => v[k] === undefined)) v.emptyDir = {};
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
  if (v.secret && v.secret.defaultMode === undefined) v.secret.defaultMode = DefaultVolumeMode;
  if (v.configMap && v.configMap.defaultMode === undefined)
    v.configMap.defaultMode = DefaultVolumeMode;
  if (v.downwardAPI) {
    if (v.downwardAPI.defaultMode === undefined) v.downwardAPI.defaultMode = DefaultVolumeMode;
    defaultDownwardAPIFiles(v.downwardAPI.items);
  }
  if (v.projected) {
    if (v.projected.defaultMode === undefined) v.projected.defaultMode = DefaultVolumeMode;
    for (const s of v.projected.sources ?? []) {
      defaultDownwardAPIFiles(s.downwardAPI?.items);
      // SetDefaults_ServiceAccountTokenProjection: one hour.
      if (s.serviceAccountToken && s.serviceAccountToken.expirationSeconds === undefined)
        s.serviceAccountToken.expirationSeconds = 3600;
    }
  }
}

function validateMode(mode: number | undefined, p: FieldPath): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0)
    ? [invalidValue(p, mode, fileModeErrorMsg)]
    : [];
}

function validateKeyToPath(kp: KeyToPath, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(required(p.child('key')));
  if (!kp.path) errs.push(required(p.child('path')));
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', p.child('path')));
  errs.push(...validateMode(kp.mode, p.child('mode')));
  return errs;
}

function validateDownwardAPIFile(f: DownwardAPIVolumeFile, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!f.path) errs.push(required(p.child('path')));
  errs.push(...validateLocalNonReservedPath(f.path ?? '', p.child('path')));
  if (f.fieldRef) {
    errs.push(...validateObjectFieldSelector(f.fieldRef, volumeFieldPaths, p.child('fieldRef')));
    if (f.resourceFieldRef)
      errs.push(
        invalidValue(
          p,
          'resource',
          'fieldRef and resourceFieldRef can not be specified simultaneously',
        ),
      );
  } else if (f.resourceFieldRef) {
    errs.push(
      ...validateResourceFieldSelector(f.resourceFieldRef, p.child('resourceFieldRef'), true),
    );
  } else {
    errs.push(required(p, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateMode(f.mode, p.child('mode')));
  return errs;
}

const hostPathTypes = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

function validateProjected(src: z.infer<typeof ProjectedVolumeSource>, p: FieldPath): FieldError[] {
  const errs = validateMode(src.defaultMode, p.child('defaultMode'));
  const paths = new Set<string>();
  const claim = (path: string | undefined, name: string): void => {
    if (!path) return;
    if (paths.has(path)) errs.push(invalidValue(p, name, 'conflicting duplicate paths'));
    else paths.add(path);
  };
  (src.sources ?? []).forEach((s, i) => {
    const sp = p.child('sources').index(i);
    let n = 0;
    for (const key of ['secret', 'configMap'] as const) {
      const ref = s[key];
      if (!ref) continue;
      n++;
      const rp = sp.child(key);
      if (!ref.name) errs.push(required(rp.child('name')));
      (ref.items ?? []).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, rp.child('items').index(j)));
        claim(kp.path, ref.name ?? '');
      });
    }
    if (s.downwardAPI) {
      n++;
      (s.downwardAPI.items ?? []).forEach((f, j) => {
        errs.push(...validateDownwardAPIFile(f, sp.child('downwardAPI', 'items').index(j)));
        claim(f.path, '');
      });
    }
    if (s.serviceAccountToken) {
      n++;
      const t = s.serviceAccountToken;
      const tp = sp.child('serviceAccountToken');
      const exp = t.expirationSeconds ?? 0;
      if (exp < 600)
        errs.push(
          invalidValue(
            tp.child('expirationSeconds'),
            exp,
            'may not specify a duration less than 10 minutes',
          ),
        );
      if (exp > 2 ** 32)
        errs.push(
          invalidValue(
            tp.child('expirationSeconds'),
            exp,
            'may not specify a duration larger than 2^32 seconds',
          ),
        );
      // Upstream reports the token path under the volume's path, not the source's.
      if (!t.path) errs.push(required(p.child('path')));
      else errs.push(...validateLocalNonReservedPath(t.path, p.child('path')));
    }
    if (n > 1) errs.push(forbiddenField(sp, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

/** validateVolumeSource: exactly one source, each checked (in upstream's order). */
function validateVolumeSource(v: Volume, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const one = (key: string, check: () => FieldError[]): void => {
    if (n > 0) errs.push(forbiddenField(p.child(key), 'may not specify more than 1 volume type'));
    else {
      n++;
      errs.push(...check());
    }
  };
  const {
    emptyDir,
    hostPath,
    secret,
    nfs,
    persistentVolumeClaim,
    downwardAPI,
    configMap,
    projected,
    csi,
  } = v;
  if (emptyDir)
    one('emptyDir', () => {
      const q = emptyDir.sizeLimit === undefined ? undefined : parseQuantity(emptyDir.sizeLimit);
      return q && q.milli < 0n
        ? [
            forbiddenField(
              p.child('emptyDir', 'sizeLimit'),
              'SizeLimit field must be a valid resource quantity',
            ),
          ]
        : [];
    });
  if (hostPath)
    one('hostPath', () => {
      const hp = p.child('hostPath');
      const out: FieldError[] = [];
      if (!hostPath.path) out.push(required(hp.child('path')));
      out.push(...validatePathNoBacksteps(hostPath.path ?? '', hp.child('path')));
      const t = hostPath.type ?? '';
      if (!hostPathTypes.includes(t)) out.push(notSupported(hp.child('type'), t, hostPathTypes));
      return out;
    });
  if (secret)
    one('secret', () => {
      const sp = p.child('secret');
      const out: FieldError[] = [];
      if (!secret.secretName) out.push(required(sp.child('secretName')));
      out.push(...validateMode(secret.defaultMode, sp.child('defaultMode')));
      (secret.items ?? []).forEach((kp, i) =>
        out.push(...validateKeyToPath(kp, sp.child('items').index(i))),
      );
      return out;
    });
  if (nfs)
    one('nfs', () => {
      const np = p.child('nfs');
      const out: FieldError[] = [];
      if (!nfs.server) out.push(required(np.child('server')));
      if (!nfs.path) out.push(required(np.child('path')));
      else if (!nfs.path.startsWith('/'))
        out.push(invalidValue(np.child('path'), nfs.path, 'must be an absolute path'));
      return out;
    });
  if (persistentVolumeClaim)
    one('persistentVolumeClaim', () =>
      persistentVolumeClaim.claimName
        ? []
        : [required(p.child('persistentVolumeClaim', 'claimName'))],
    );
  if (downwardAPI)
    one('downwardAPI', () => {
      const dp = p.child('downwardAPI');
      const out = validateMode(downwardAPI.defaultMode, dp.child('defaultMode'));
      (downwardAPI.items ?? []).forEach((f, i) =>
        out.push(...validateDownwardAPIFile(f, dp.child('items').index(i))),
      );
      return out;
    });
  if (configMap)
    one('configMap', () => {
      const cp = p.child('configMap');
      const out: FieldError[] = [];
      if (!configMap.name) out.push(required(cp.child('name')));
      else
        for (const m of nameIsDNSSubdomain(configMap.name, false))
          out.push(invalidValue(cp.child('name'), configMap.name, m));
      out.push(...validateMode(configMap.defaultMode, cp.child('defaultMode')));
      (configMap.items ?? []).forEach((kp, i) =>
        out.push(...validateKeyToPath(kp, cp.child('items').index(i))),
      );
      return out;
    });
  if (projected) one('projected', () => validateProjected(projected, p.child('projected')));
  if (csi) one('csi', () => (csi.driver ? [] : [required(p.child('csi', 'driver'))]));
  if (n === 0) errs.push(required(p, 'must specify a volume type'));
  return errs;
}

/**
 * ValidateVolumes: names are unique DNS-1123 labels, sources valid. Returns the volumes that
 * passed, by name, which is what a container's volumeMounts may refer to.
 */
export function validateVolumes(
  volumes: readonly Volume[],
  p: FieldPath,
): { volumes: Map<string, Volume>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const ok = new Map<string, Volume>();
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const ip = p.index(i);
    const np = ip.child('name');
    const el = validateVolumeSource(v, ip);
    if (!v.name) el.push(required(np));
    else el.push(...validateDNS1123Label(v.name, np));
    if (names.has(v.name)) el.push(duplicate(np, v.name));
    if (el.length === 0) {
      names.add(v.name);
      ok.set(v.name, v);
    } else errs.push(...el);
  });
  return { volumes: ok, errs };
}
