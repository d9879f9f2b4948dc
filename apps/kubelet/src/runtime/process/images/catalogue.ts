/**
 * The process runtime's images: an image name stands for a way to run it on this machine.
 * kubeling pulls nothing; what an image would contain comes from the host (sh, bash, curl,
 * wget, sleep ...) or from the small servers beside this file. An image not in the catalogue
 * fails to pull the way Kubernetes shows it (ErrImagePull, then ImagePullBackOff).
 *
 * An entry gives the image's ENTRYPOINT and CMD (Kubernetes' command/args replace them as
 * they replace Docker's), extra env, and per-tag overrides. `${images}` in them is this
 * directory; `${node}` is the Node.js binary. Users add images with `--image-catalogue FILE`
 * (JSON or YAML, a list of entries; theirs win):
 *
 *   - name: mycompany/api
 *     entrypoint: ["python3", "/home/me/api/server.py"]
 *     env: { PORT: "8080" }
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FlagValueError } from '@kubeling/runtime';

export interface ImageRun {
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  workingDir?: string;
}

export interface ImageEntry extends ImageRun {
  /** The repository without registry, `library/` or tag: `busybox`, `nginxdemos/hello`. */
  name: string;
  tags?: Record<string, ImageRun>;
}

const shell = (entrypoint: string[] = [], cmd: string[] = ['sh']): ImageRun => ({
  entrypoint,
  cmd,
});

export const builtinImages: ImageEntry[] = [
  {
    name: 'nginxdemos/hello',
    entrypoint: ['${node}', '${images}/hello.mjs'],
    env: { HELLO_FORMAT: 'html', PORT: '80' },
    tags: { 'plain-text': { env: { HELLO_FORMAT: 'plain-text', PORT: '80' } } },
  },
  { name: 'nginx', entrypoint: ['${node}', '${images}/nginx.mjs'], env: { PORT: '80' } },
  { name: 'pause', entrypoint: ['sleep', 'infinity'] },
  { name: 'registry.k8s.io/pause', entrypoint: ['sleep', 'infinity'] },
  { name: 'busybox', ...shell() },
  { name: 'alpine', ...shell([], ['/bin/sh']) },
  { name: 'ubuntu', ...shell([], ['/bin/bash']) },
  { name: 'debian', ...shell([], ['bash']) },
  // A debugging image that stays up (the seeds run it as a sidecar without a command).
  { name: 'posquit0/doraemon', ...shell([], ['sleep', 'infinity']) },
  { name: 'curlimages/curl', ...shell(['curl'], []) },
  { name: 'nicolaka/netshoot', ...shell([], ['bash']) },
];

/** `docker.io/library/nginx:1.27@sha256:..` -> { name: 'nginx', tag: '1.27' }. */
export function parseImage(ref: string): { name: string; tag: string } {
  let r = ref.trim();
  const at = r.indexOf('@');
  if (at >= 0) r = r.slice(0, at);
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  let tag = 'latest';
  if (colon > slash) {
    tag = r.slice(colon + 1);
    r = r.slice(0, colon);
  }
  r = r
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
  return { name: r, tag };
}

export class ImageCatalogue {
  constructor(
    private readonly entries: ImageEntry[],
    private readonly imagesDir: string,
  ) {}

  /** How to run the image, or undefined when the catalogue has no such image. */
  resolve(ref: string): ImageRun | undefined {
    const { name, tag } = parseImage(ref);
    const e = this.entries.find((x) => x.name === name);
    if (!e) return undefined;
    const t = e.tags?.[tag];
    const run: ImageRun = {
      ...((t?.entrypoint ?? e.entrypoint) ? { entrypoint: t?.entrypoint ?? e.entrypoint } : {}),
      ...((t?.cmd ?? e.cmd) ? { cmd: t?.cmd ?? e.cmd } : {}),
      env: { ...(e.env ?? {}), ...(t?.env ?? {}) },
      ...((t?.workingDir ?? e.workingDir) ? { workingDir: t?.workingDir ?? e.workingDir } : {}),
    };
    const sub = (s: string) =>
      s.replaceAll('${images}', this.imagesDir).replaceAll('${node}', process.execPath);
    if (run.entrypoint) run.entrypoint = run.entrypoint.map(sub);
    if (run.cmd) run.cmd = run.cmd.map(sub);
    return run;
  }

  /** Every image name (status.images of a node lists those it ran). */
  names(): string[] {
    return this.entries.map((e) => e.name);
  }
}

export function loadCatalogue(file: string | undefined): ImageCatalogue {
  let user: ImageEntry[] = [];
  if (file) {
    try {
      const data = parseYaml(fs.readFileSync(file, 'utf8')) as unknown;
      if (!Array.isArray(data)) throw new Error('want a list of images');
      user = data as ImageEntry[];
    } catch (e) {
      throw new FlagValueError(`failed to read image catalogue "${file}": ${(e as Error).message}`);
    }
  }
  return new ImageCatalogue([...user, ...builtinImages], path.resolve(__dirname));
}
