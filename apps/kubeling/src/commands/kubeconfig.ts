/** `kubeling kubeconfig`: print a cluster's kubeconfig, as `kind get kubeconfig` does. */
import * as fs from 'node:fs';
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import { renderKubeconfig } from '../kubeconfig';
import { clusterPaths, readClusterState } from '../state';

export function kubeconfig(name: string, ctx: CommandContext): number {
  const paths = clusterPaths(ctx.home, name);
  const state = readClusterState(paths);
  if (!state?.server)
    throw new CliError(
      `could not locate a running cluster named "${name}" (looked in ${ctx.home})`,
    );
  let text: string;
  try {
    text = fs.readFileSync(paths.kubeconfig, 'utf8');
  } catch {
    text = renderKubeconfig({ cluster: name, server: state.server });
  }
  ctx.io.out(text.trimEnd());
  return 0;
}
