/**
 * ImageLocality: prefer nodes that already have the pod's images (node.status.images, as the
 * kubelet reports them), weighted by image size and by how many nodes have it, so that one
 * popular image does not pull every pod to the same node.
 */
import type { Pod } from '@kubeling/api';
import type { CycleState, Handle, PluginFactory, ScorePlugin } from '../../framework/interface';
import { MaxNodeScore } from '../../framework/interface';
import type { NodeInfo } from '../../framework/nodeInfo';

export const Name = 'ImageLocality';
const mb = 1024 * 1024;
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;

/** Image references as the kubelet lists them: `nginx` is also `docker.io/library/nginx:latest`. */
export function normalizedImageName(name: string): string {
  let n = name;
  if (!/[:@]/.test(n.split('/').pop() ?? '')) n += ':latest';
  return n;
}

export class ImageLocality implements ScorePlugin {
  readonly name = Name;
  constructor(private readonly handle: Handle) {}

  score(_s: CycleState, pod: Pod, node: NodeInfo): number {
    const images = node.node!.status.images;
    if (!images || images.length === 0) return 0;
    const total = this.handle.snapshot().nodes.length || 1;
    let sum = 0;
    for (const c of pod.spec.containers) {
      const want = normalizedImageName(c.image ?? '');
      const img = images.find((i) =>
        (i.names ?? []).some((n) => normalizedImageName(n).endsWith(want)),
      );
      if (!img) continue;
      // How widely the image is spread scales its weight down (upstream's scaledImageScore).
      let have = 0;
      for (const n of this.handle.snapshot().nodes)
        if (
          (n.node!.status.images ?? []).some((i) =>
            (i.names ?? []).some((x) => normalizedImageName(x).endsWith(want)),
          )
        )
          have++;
      sum += (img.sizeBytes ?? 0) * (have / total);
    }
    const maxThreshold = maxContainerThreshold * pod.spec.containers.length;
    if (sum < minThreshold) sum = minThreshold;
    else if (sum > maxThreshold) sum = maxThreshold;
    return Math.floor((MaxNodeScore * (sum - minThreshold)) / (maxThreshold - minThreshold));
  }
}

export const factory: PluginFactory = (_args, handle) => new ImageLocality(handle);
