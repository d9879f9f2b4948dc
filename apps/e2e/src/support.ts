/**
 * What every kubectl acceptance test needs: one cluster per test file, started by the real
 * `kubeling up` before the tests and brought down after, and the real kubectl against it.
 *
 *   const c = useCluster();
 *   it('...', async () => {
 *     expect(await c.ok(['get', 'ns', '-o', 'name'])).toContain('namespace/default');
 *     const r = await c.kubectl(['get', 'pod', 'missing']); // r.code, r.stdout, r.stderr
 *   });
 */
import type { RunResult, StartClusterOptions, TestCluster } from '@kubeling/testing';
import { kubectl, startCluster } from '@kubeling/testing';

export interface KubectlRun {
  stdin?: string;
  timeoutMs?: number;
}

export interface ClusterSession {
  /** The running cluster (available inside tests, after beforeAll). */
  readonly cluster: TestCluster;
  kubectl(args: string[], opts?: KubectlRun): Promise<RunResult>;
  /** kubectl that must succeed; returns stdout. */
  ok(args: string[], opts?: KubectlRun): Promise<string>;
}

/**
 * The default is an API-only cluster (no nodes, scheduler or controller-manager), for tests of
 * what the api-server itself shows: nothing else writes to it behind the test's back. Tests of
 * the components ask for them (`{ nodes: 2 }`, `{ controllerManagers: 2 }` ...).
 */
export const API_ONLY: StartClusterOptions = { nodes: 0, controllerManagers: 0, schedulers: 0 };

export function useCluster(opts: StartClusterOptions = API_ONLY): ClusterSession {
  let cluster: TestCluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(opts);
  }, 90_000);
  afterAll(async () => {
    await cluster?.down();
  }, 60_000);
  const current = (): TestCluster => {
    if (!cluster) throw new Error('the cluster is not up (used outside a test?)');
    return cluster;
  };
  const run = (args: string[], o: KubectlRun = {}) =>
    kubectl(args, { kubeconfig: current().kubeconfig, ...o });
  return {
    get cluster() {
      return current();
    },
    kubectl: run,
    async ok(args, o) {
      const r = await run(args, o);
      if (r.code !== 0)
        throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
  };
}
