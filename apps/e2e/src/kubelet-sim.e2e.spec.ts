/**
 * One sim kubelet hosting many hollow nodes (`kubeling up --runtime sim --nodes N`; N is
 * KUBELET_SIM_NODES, default 1,000): every node registers Ready and every Lease stays fresh;
 * pods on hollow nodes go through the statuses a real node shows, driven by annotations.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useCluster } from './support';

const N = Number(process.env.KUBELET_SIM_NODES ?? 1000);
const c = useCluster({ nodes: N, runtime: 'sim' });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe(`a sim kubelet with ${N} nodes`, () => {
  it('registers every node Ready and keeps every Lease renewed within its 10 s interval', async () => {
    const nodes = (await c.ok(['get', 'nodes', '--no-headers'])).trim().split('\n');
    expect(nodes).toHaveLength(N);
    expect(nodes.every((l) => / Ready /.test(l))).toBe(true);
    // Two full renewal intervals later, no Lease is older than one interval (plus slack).
    await new Promise((r) => setTimeout(r, 21_000));
    const leases = JSON.parse(
      await c.ok(['get', 'leases', '-n', 'kube-node-lease', '-o', 'json']),
    ) as Doc;
    expect(leases.items).toHaveLength(N);
    const now = Date.now();
    const oldest = Math.max(
      ...(leases.items as Doc[]).map((l) => now - Date.parse(l.spec.renewTime as string)),
    );
    expect(oldest).toBeLessThan(15_000);
  }, 90_000);

  it('runs pods through Running, Completed, CrashLoopBackOff and ErrImagePull by annotation', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-sim-e2e-'));
    const last = `node-${N}`;
    fs.writeFileSync(
      path.join(dir, 'pods.yaml'),
      `apiVersion: v1
kind: Pod
metadata: {name: runs}
spec: {nodeName: node-1, containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: completes, annotations: {sim.kubeling.io/run-ms: "200"}}
spec:
  nodeName: ${last}
  restartPolicy: Never
  initContainers: [{name: i, image: busybox}]
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: crashes, annotations: {sim.kubeling.io/run-ms: "200", sim.kubeling.io/exit-code: "2"}}
spec: {nodeName: ${last}, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: nopull, annotations: {sim.kubeling.io/fail-pull: "true"}}
spec: {nodeName: node-2, containers: [{name: c, image: busybox}]}
`,
    );
    try {
      await c.ok(['apply', '-f', path.join(dir, 'pods.yaml')]);
      const want: Record<string, RegExp> = {
        runs: /1\/1\s+Running/,
        completes: /0\/1\s+Completed/,
        crashes: /0\/1\s+CrashLoopBackOff\s+1 /,
        nopull: /0\/1\s+(ErrImagePull|ImagePullBackOff)/,
      };
      await until('every pod in its state', async () => {
        const out = await c.ok(['get', 'pods', '--no-headers']);
        return Object.entries(want).every(([name, re]) =>
          new RegExp(`^${name}\\s+${re.source}`, 'm').test(out),
        )
          ? true
          : undefined;
      });
      await c.ok(['delete', 'pod', 'runs', '--timeout=20s']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
