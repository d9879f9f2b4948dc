/**
 * runComponent in-process against a real cluster (`kubeling up`), as a component's main.ts runs
 * it but without a process to exit: its metrics/health server on a free port, answering real
 * HTTP; leader election reported in leader_election_master_status; the client's requests in
 * rest_client_*; a clean stop when its signal aborts; flag mistakes and --help as errors the
 * entry point turns into exit codes.
 */
import type { ConfigMap, Lease } from '@kubeling/api';
import { configMapKind, isStatusError, leaseKind } from '@kubeling/api';
import type { ComponentContext } from '@kubeling/client';
import { LeadershipLost, runComponent } from '@kubeling/client';
import type { EndpointsServer } from '@kubeling/runtime';
import { flag, FlagError, HelpRequested } from '@kubeling/runtime';
import type { TestCluster } from '@kubeling/testing';
import { startCluster, testServices } from '@kubeling/testing';
import { natsClient } from './support';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 0 });
}, 120_000);

afterAll(async () => {
  await cluster?.down();
}, 60_000);

const ownFlags = {
  'config-map': flag.string({ default: 'component-e2e', description: 'ConfigMap to write' }),
};

function argv(extra: string[] = []): string[] {
  // prettier-ignore
  return [
    '--cluster-name', cluster.name, '--nats-url', testServices().natsUrl, '--id', 'one',
    '--leader-elect-lease-duration=3s', '--leader-elect-renew-deadline=2s',
    '--leader-elect-retry-period=500ms', '--secure-port=0', ...extra,
  ];
}

it('serves /metrics, /healthz, /livez and /readyz on its own port and stops on its signal', async () => {
  const stop = new AbortController();
  const lines: string[] = [];
  let server: EndpointsServer | undefined;
  let ran: ComponentContext<typeof ownFlags> | undefined;
  let written = false;
  let wroteIt!: () => void;
  const wrote = new Promise<void>((resolve) => (wroteIt = resolve));
  const finished = runComponent({
    name: 'component-e2e',
    argv: argv(['-v', '2']),
    flags: ownFlags,
    signal: stop.signal,
    logDestination: { write: (l: string) => lines.push(l) },
    onServing: (s) => (server = s),
    run: async (ctx) => {
      ran = ctx;
      ctx.health.addReadyz('wrote-config-map', () => written);
      await ctx.client
        .resource(configMapKind)
        .namespace('kube-system')
        .create({
          metadata: { name: ctx.flags.configMap },
          data: { by: ctx.identity },
        } as ConfigMap);
      written = true;
      wroteIt();
      await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r()));
    },
  });
  try {
    await Promise.race([wrote, finished]);
    expect(written).toBe(true);
    expect(ran!.flags).toMatchObject({
      clusterName: cluster.name,
      configMap: 'component-e2e',
      v: 2,
    });
    expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const get = async (p: string) => {
      const r = await fetch(server!.url + p);
      return { code: r.status, text: await r.text() };
    };
    expect(await get('/healthz')).toEqual({ code: 200, text: 'ok' });
    expect(await get('/livez')).toEqual({ code: 200, text: 'ok' });
    // The leader's informers may still be syncing (none were asked for here: synced at once).
    let ready = await get('/readyz?verbose');
    for (let i = 0; i < 50 && ready.code !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await get('/readyz?verbose');
    }
    expect(ready.code).toBe(200);
    expect(ready.text).toContain('[+]informer-sync ok\n');
    expect(ready.text).toContain('[+]wrote-config-map ok\n');
    expect(ready.text).toMatch(/readyz check passed\n$/);

    // The leader renews its Lease (a PUT) every retry period (500 ms here): wait for the first.
    const renewed = /rest_client_request_duration_seconds_count\{verb="PUT",host="nats\//;
    let metrics = (await get('/metrics')).text;
    for (let i = 0; i < 50 && !renewed.test(metrics); i++) {
      await new Promise((r) => setTimeout(r, 100));
      metrics = (await get('/metrics')).text;
    }
    // Two creates: the Lease (leader election) and the ConfigMap.
    expect(metrics).toContain('leader_election_master_status{name="component-e2e"} 1');
    expect(metrics).toMatch(
      new RegExp(
        `rest_client_requests_total\\{code="201",method="POST",host="nats/${cluster.name}"\\} 2`,
      ),
    );
    expect(metrics).toMatch(renewed);
    expect(metrics).toContain('# TYPE process_cpu_seconds_total counter');

    // klog text lines: the leader message the e2e tests look for, its lease as a field.
    expect(lines.join('')).toMatch(
      /^I\d{4} [\d:.]+ +\d+ component-e2e\] "leading as one" lease="kube-system\/component-e2e"$/m,
    );
  } finally {
    stop.abort();
    await finished.catch(() => undefined);
  }
  await expect(finished).resolves.toBeUndefined();
  await expect(fetch(`${server!.url}/healthz`)).rejects.toThrow();
  expect(lines.join('')).toContain('"stopping"');
}, 60_000);

it('reports --help and flag mistakes to the entry point without starting anything', async () => {
  const run = () => Promise.reject(new Error('must not run'));
  const help = runComponent({ name: 'c', argv: ['--help'], flags: ownFlags, run });
  await expect(help).rejects.toBeInstanceOf(HelpRequested);
  await expect(help).rejects.toMatchObject({
    usage: expect.stringContaining('--config-map string'),
  });
  await expect(runComponent({ name: 'c', argv: ['--kube-api-qps=fast'], run })).rejects.toThrow(
    new FlagError('invalid argument "fast" for "--kube-api-qps" flag: must be a number'),
  );
});

it('rejects with LeadershipLost when another holder takes its Lease', async () => {
  const thief = await natsClient(cluster);
  const stop = new AbortController();
  let leading!: () => void;
  const led = new Promise<void>((r) => (leading = r));
  const finished = runComponent({
    name: 'component-e2e-lost',
    argv: argv(['--id', 'victim']),
    signal: stop.signal,
    logDestination: { write: () => undefined },
    run: async (ctx) => {
      leading();
      await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r()));
    },
  });
  try {
    await Promise.race([led, finished]);
    const leases = thief.resource(leaseKind).namespace('kube-system');
    // The leader renews every 500 ms: retry the steal on conflict, as any writer would.
    for (let attempt = 0; ; attempt++) {
      const lease = await leases.get('component-e2e-lost');
      try {
        await leases.update({
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: 'thief',
            leaseDurationSeconds: 60,
            renewTime: new Date().toISOString().replace('Z', '000Z'),
          },
        } as Lease);
        break;
      } catch (e) {
        if (!isStatusError(e) || e.code !== 409 || attempt > 20) throw e;
      }
    }
    await expect(finished).rejects.toBeInstanceOf(LeadershipLost);
  } finally {
    stop.abort();
    await finished.catch(() => undefined);
    await thief.close();
  }
}, 60_000);
