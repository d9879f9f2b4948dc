/**
 * The kubelet: the node agent. Against a running cluster (`npx kubeling up --name dev --nodes 0`):
 *   node --import tsx apps/kubelet/src/main.ts --cluster-name dev --node-name node-1
 *   node --import tsx apps/kubelet/src/main.ts --cluster-name dev --runtime sim --nodes 100 --node-name hollow
 * Each kubelet is its own node: no leader election. `--help` lists every flag; /metrics and
 * /healthz are on --secure-port (a free port unless given). See docs/kubelet.md.
 */
import { runComponent } from '@kubeling/client';
import { runMain } from '@kubeling/runtime';
import { NAME, runKubelet } from './agent';
import { kubeletFlags } from './flags';

/** Each hollow node has a kubelet's API budget (50 qps, burst 100), as kubemark's hollow nodes. */
function defaultArgs(argv: readonly string[]): string[] {
  let nodes = 1;
  argv.forEach((a, i) => {
    const m = /^--nodes(?:=(\d+))?$/.exec(a);
    if (m) nodes = Number(m[1] ?? argv[i + 1]) || 1;
  });
  const qps = 50 * nodes;
  return ['--leader-elect=false', `--kube-api-qps=${qps}`, `--kube-api-burst=${qps * 2}`];
}

runMain(NAME, (signal) => {
  const argv = process.argv.slice(2);
  return runComponent({
    name: NAME,
    signal,
    argv: [...defaultArgs(argv), ...argv],
    flags: kubeletFlags,
    run: (ctx) => runKubelet(ctx),
  });
});
