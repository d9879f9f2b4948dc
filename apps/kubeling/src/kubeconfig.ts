/**
 * The kubeconfig `up` writes for a cluster. Like kind, every name in it (cluster, user,
 * context) is `<tool>-<cluster name>`, and current-context is set so a bare `kubectl` works
 * once KUBECONFIG points at the file. No credentials: the api-server serves plain HTTP on
 * loopback.
 */
import { stringify } from 'yaml';

export function contextName(cluster: string): string {
  return `kubeling-${cluster}`;
}

export function renderKubeconfig(opts: { cluster: string; server: string }): string {
  const name = contextName(opts.cluster);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server } }],
    users: [{ name, user: {} }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  });
}
