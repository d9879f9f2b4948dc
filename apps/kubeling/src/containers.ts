/**
 * The containers of a cluster's kubelets (process runtime). They are process groups of their
 * own, so that they outlive a kubelet restart as upstream's containers do; `down` therefore
 * stops them itself, from what each kubelet recorded in
 * <cluster dir>/data/kubelet/<node>/pods/<uid>/pod.json (a pid is only signalled while its
 * command line still names the container, so a reused pid is never hit).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function kubeletContainerGroups(kubeletDir: string): number[] {
  const out: number[] = [];
  const dirs = (p: string) => {
    try {
      return fs.readdirSync(p);
    } catch {
      return [];
    }
  };
  for (const node of dirs(kubeletDir))
    for (const uid of dirs(path.join(kubeletDir, node, 'pods'))) {
      let rec: { containers?: Record<string, { id?: string; pid?: number }> };
      try {
        rec = JSON.parse(
          fs.readFileSync(path.join(kubeletDir, node, 'pods', uid, 'pod.json'), 'utf8'),
        ) as typeof rec;
      } catch {
        continue;
      }
      for (const c of Object.values(rec.containers ?? {})) {
        if (!c.pid || !c.id) continue;
        try {
          if (fs.readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').includes(c.id)) out.push(c.pid);
        } catch {
          // gone
        }
      }
    }
  return out;
}

/** SIGKILLs every container group a cluster's kubelets left; returns how many. */
export function stopKubeletContainers(kubeletDir: string): number {
  const groups = kubeletContainerGroups(kubeletDir);
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return groups.length;
}
