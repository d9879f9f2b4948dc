import * as fs from 'node:fs';
import { startCluster } from './cluster';
import type { TestCluster } from './cluster';
import { kubectl } from './kubectl';
import { processAlive } from './processes';

describe('startCluster', () => {
  let cluster: TestCluster | undefined;
  afterAll(async () => {
    await cluster?.down();
  }, 30_000);

  it('runs the real kubeling up, serves kubectl, and down() removes everything', async () => {
    cluster = await startCluster({ nodes: 0 });
    expect(cluster.name).toMatch(/^t-cluster-/);
    expect(cluster.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(cluster.kubeconfig)).toBe(true);

    const r = await kubectl(['get', '--raw', '/readyz'], { kubeconfig: cluster.kubeconfig });
    expect(r.code).toBe(0);

    const state = JSON.parse(
      fs.readFileSync(`${cluster.home}/${cluster.name}/cluster.json`, 'utf8'),
    ) as {
      components: { pid: number }[];
    };
    const pids = state.components.map((c) => c.pid);
    expect(pids.length).toBeGreaterThan(0);

    await cluster.down();
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
    expect(fs.existsSync(cluster.home)).toBe(false);
    await cluster.down(); // idempotent
  }, 90_000);

  it('throws with the output of a failed up', async () => {
    await expect(startCluster({ name: 'Not_A_Name' })).rejects.toThrow(
      /invalid argument "Not_A_Name" for "--name" flag/,
    );
  }, 30_000);
});
