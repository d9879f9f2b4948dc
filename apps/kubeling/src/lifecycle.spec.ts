/**
 * up / status / kubeconfig / down end to end, in-process, with stand-in components
 * (testdata/fake-component.mjs) in place of the real ones: real detached processes, real
 * ports, real Redis and NATS, but no dependency on the api-server being finished.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { parse } from 'yaml';
import { processAlive, testServices, uniqueName } from '@kubeling/testing';
import { runCli } from './cli';
import type { ComponentSpec } from './components';
import type { CommandContext } from './context';
import { findWorkspaceRoot, tsxRunner } from './context';
import { httpStatus } from './readiness';
import type { ClusterState } from './state';

const root = findWorkspaceRoot(__dirname);
const FAKE = path.join(__dirname, 'testdata', 'fake-component.mjs');
const services = testServices();

type Mode = 'http' | 'stdout' | 'crash' | 'silent' | 'stubborn' | 'child';

function fake(name: string, mode: Mode, extra: Partial<ComponentSpec> = {}): ComponentSpec {
  const serves = mode === 'http';
  return {
    name,
    entry: FAKE,
    after: [],
    replicas: () => 1,
    args: (c) => [
      '--mode',
      mode,
      '--cluster-name',
      c.cluster,
      '--id',
      c.id,
      ...(c.port === undefined ? [] : ['--port', String(c.port)]),
    ],
    readiness: serves ? { kind: 'http', path: '/readyz' } : { kind: 'stdout', line: '^ready$' },
    ...(serves ? { listens: { basePort: (o) => o.port }, servesApi: true } : {}),
    ...extra,
  };
}

const apiServers = (): ComponentSpec =>
  fake('api-server', 'http', { replicas: (o) => o.apiServers });

// Created at load time: describe blocks build their contexts before any beforeAll runs.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-lifecycle-'));
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function cli(components: readonly ComponentSpec[], over: Partial<CommandContext> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    env: { ...process.env, REDIS_URL: services.redisUrl, NATS_URL: services.natsUrl },
    home,
    root,
    components,
    runner: tsxRunner(root),
    readyTimeoutMs: 10_000,
    stopGraceMs: 2_000,
    ...over,
  };
  return {
    out,
    err,
    run: async (...argv: string[]) => {
      out.length = 0;
      err.length = 0;
      return runCli(argv, ctx);
    },
  };
}

function readState(name: string): ClusterState {
  return JSON.parse(fs.readFileSync(path.join(home, name, 'cluster.json'), 'utf8')) as ClusterState;
}

/** Clusters a failing test may leave behind are still stopped. */
const started: string[] = [];
afterAll(async () => {
  const { run } = cli([]);
  for (const name of started) await run('down', '--name', name);
}, 60_000);

function track(name: string): string {
  started.push(name);
  return name;
}

describe('a cluster of stand-in components', () => {
  const name = track(uniqueName('life'));
  const neighbour = `kubeling:${name}-other:key`;
  const redis = new Redis(services.redisUrl, { lazyConnect: true });
  const table = [apiServers(), fake('scheduler', 'stdout', { after: ['api-server'] })];
  const c = cli(table);

  afterAll(async () => {
    await redis.del(neighbour);
    redis.disconnect();
  });

  it('comes up: processes running, cluster.json and kubeconfig written', async () => {
    expect(
      await c.run('up', '--name', name, '--nodes', '3', '--runtime', 'sim', '--api-servers', '2'),
    ).toBe(0);
    expect(c.err).toEqual([]);
    const state = readState(name);
    expect(state.phase).toBe('running');
    expect(state.options).toMatchObject({ nodes: 3, runtime: 'sim', apiServers: 2 });
    expect(state.components.map((x) => x.id)).toEqual([
      'api-server-0',
      'api-server-1',
      'scheduler',
    ]);
    for (const comp of state.components) {
      expect(processAlive(comp.pid)).toBe(true);
      expect(comp.log).toBe(path.join(home, name, 'logs', `${comp.id}.log`));
      expect(comp.command).toEqual(
        expect.arrayContaining(['--import', FAKE, '--cluster-name', name, '--id', comp.id]),
      );
    }
    const [a0, a1] = state.components;
    expect(a0?.port).toBeDefined();
    expect(a1?.port).toBeDefined();
    expect(a0?.port).not.toBe(a1?.port);
    expect(state.server).toBe(`http://127.0.0.1:${a0?.port}`);
    expect(await httpStatus(`${state.server}/readyz`, 2000)).toBe(200);

    const kubeconfig = parse(
      fs.readFileSync(path.join(home, name, 'kubeconfig'), 'utf8'),
    ) as Record<string, unknown>;
    expect(kubeconfig['current-context']).toBe(`kubeling-${name}`);
    expect(c.out).toContain(`export KUBECONFIG=${path.join(home, name, 'kubeconfig')}`);
    expect(c.out).toContain('kubectl get ns');
    expect(c.out.join('\n')).toMatch(
      /3 node\(s\) requested \(runtime sim\): nodes come with the kubelet/,
    );
  }, 30_000);

  it('refuses a second up with the same name', async () => {
    expect(await c.run('up', '--name', name)).toBe(1);
    expect(c.err[0]).toBe(
      `ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`,
    );
    expect(readState(name).phase).toBe('running');
  });

  it('reports status and prints the kubeconfig', async () => {
    expect(await c.run('status', '--name', name)).toBe(0);
    expect(c.out[0]).toMatch(/^COMPONENT\s+PID\s+STATUS\s+HEALTH\s+PORT$/);
    const rows = c.out.slice(1).map((l) => l.split(/\s+/));
    expect(rows.map((r) => [r[0], r[2], r[3]])).toEqual([
      ['api-server-0', 'running', 'ok'],
      ['api-server-1', 'running', 'ok'],
      ['scheduler', 'running', 'ok'],
    ]);
    expect(rows[2]?.[4]).toBe('-');

    expect(await c.run('kubeconfig', '--name', name)).toBe(0);
    expect(`${c.out.join('\n')}\n`).toBe(
      fs.readFileSync(path.join(home, name, 'kubeconfig'), 'utf8'),
    );
  });

  it('shows a dead process as exited and failing', async () => {
    const victim = readState(name).components[1];
    if (!victim) throw new Error('no second api-server');
    process.kill(-victim.pid, 'SIGKILL');
    for (let i = 0; i < 50 && processAlive(victim.pid); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await c.run('status', '--name', name)).toBe(0);
    expect(c.out.find((l) => l.startsWith('api-server-1'))).toMatch(/exited\s+failing/);

    // Someone runs the component by hand on the same port (the debugging recipe): HEALTH follows the port.
    const byHand = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => byHand.listen(victim.port, '127.0.0.1', r));
    try {
      expect(await c.run('status', '--name', name)).toBe(0);
      expect(c.out.find((l) => l.startsWith('api-server-1'))).toMatch(/exited\s+ok/);
    } finally {
      byHand.closeAllConnections();
      await new Promise((r) => byHand.close(r));
    }
  });

  it('goes down: processes stopped, only its Redis keys deleted, state removed', async () => {
    await redis.connect();
    await redis.set(`kubeling:${name}:registry/namespaces/default`, '{}');
    await redis.set(`kubeling:${name}:rv`, '7');
    await redis.set(neighbour, 'must survive');
    const pids = readState(name).components.map((x) => x.pid);

    expect(await c.run('down', '--name', name)).toBe(0);
    expect(c.out[0]).toBe(`Deleting cluster "${name}" ...`);
    expect(c.out.join('\n')).toMatch(/api-server-1 \(pid \d+\) was not running/);
    expect(c.out.join('\n')).toMatch(/scheduler \(pid \d+\) stopped/);
    expect(c.out.at(-1)).toMatch(/\(2 Redis key\(s\) removed/);
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
    expect(await redis.keys(`kubeling:${name}:*`)).toEqual([]);
    expect(await redis.get(neighbour)).toBe('must survive');
    expect(fs.existsSync(path.join(home, name))).toBe(false);
  }, 30_000);

  it('is idempotent', async () => {
    expect(await c.run('down', '--name', name)).toBe(0);
    expect(c.out).toEqual([`No cluster named "${name}" found; nothing to delete.`]);
  });
});

describe('up that fails', () => {
  it('stops what it started when a component exits, and shows its log', async () => {
    const name = track(uniqueName('crash'));
    const c = cli([apiServers(), fake('controller-manager', 'crash', { after: ['api-server'] })]);
    expect(await c.run('up', '--name', name)).toBe(1);
    expect(c.err[0]).toMatch(
      /^ERROR: failed to create cluster: controller-manager \(pid \d+\) exited before it was ready$/,
    );
    expect(c.err).toContain('fake: cannot start: boom');
    expect(c.err.join('\n')).toMatch(/logs are kept in/);
    expect(fs.existsSync(path.join(home, name, 'cluster.json'))).toBe(false);
    expect(fs.existsSync(path.join(home, name, 'logs', 'api-server.log'))).toBe(true);
    // The api-server it had started is gone too.
    const log = fs.readFileSync(path.join(home, name, 'logs', 'api-server.log'), 'utf8');
    expect(log).toMatch(/fake: SIGTERM, exiting/);
    // The name is free again.
    const ok = cli([apiServers()]);
    expect(await ok.run('up', '--name', name, '--nodes', '0')).toBe(0);
    expect(ok.out.join('\n')).not.toMatch(/node\(s\) requested/);
    expect(await ok.run('down', '--name', name)).toBe(0);
  }, 40_000);

  it('gives up after the readiness timeout', async () => {
    const name = track(uniqueName('slow'));
    // 4 s, not 1: on a loaded machine node + tsx may take over a second to start, and a
    // SIGTERM before the fake has installed its handler kills it without the line checked below.
    const c = cli([fake('kubelet', 'silent')], { readyTimeoutMs: 4000 });
    expect(await c.run('up', '--name', name)).toBe(1);
    expect(c.err[0]).toMatch(/kubelet \(pid (\d+)\) was not ready within 4s$/);
    const pid = Number(/pid (\d+)/.exec(c.err[0] ?? '')?.[1]);
    expect(processAlive(pid)).toBe(false);
    expect(fs.readFileSync(path.join(home, name, 'logs', 'kubelet.log'), 'utf8')).toMatch(
      /fake: SIGTERM, exiting/,
    );
  }, 30_000);

  it('refuses a --port that is taken, before starting anything', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const name = uniqueName('port');
      const c = cli([apiServers()]);
      expect(await c.run('up', '--name', name, '--port', String(port))).toBe(1);
      expect(c.err[0]).toBe(`ERROR: port ${port} on 127.0.0.1 is already in use`);
      expect(fs.existsSync(path.join(home, name))).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('says when Redis or NATS cannot be reached', async () => {
    const c = cli([apiServers()]);
    expect(
      await c.run('up', '--name', uniqueName('noredis'), '--redis-url', 'redis://127.0.0.1:1'),
    ).toBe(1);
    expect(c.err[0]).toMatch(/^ERROR: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: /);
    expect(
      await c.run('up', '--name', uniqueName('nonats'), '--nats-url', 'nats://127.0.0.1:1'),
    ).toBe(1);
    expect(c.err[0]).toMatch(/^ERROR: cannot reach NATS at nats:\/\/127\.0\.0\.1:1: /);
  });
});

describe('down', () => {
  it('SIGKILLs a component that ignores SIGTERM after the grace period', async () => {
    const name = track(uniqueName('stubborn'));
    const c = cli([fake('kube-proxy', 'stubborn')], { stopGraceMs: 500 });
    expect(await c.run('up', '--name', name)).toBe(0);
    const pid = readState(name).components[0]?.pid ?? 0;
    expect(await c.run('down', '--name', name)).toBe(0);
    expect(c.out.join('\n')).toMatch(
      /kube-proxy \(pid \d+\) killed \(still running 1s after SIGTERM\)/,
    );
    expect(processAlive(pid)).toBe(false);
  }, 30_000);

  it('stops the whole process group, grandchildren included', async () => {
    const name = track(uniqueName('group'));
    const c = cli([fake('kubelet', 'child')]);
    expect(await c.run('up', '--name', name)).toBe(0);
    const log = fs.readFileSync(readState(name).components[0]?.log ?? '', 'utf8');
    const grandchild = Number(/grandchild (\d+)/.exec(log)?.[1]);
    expect(processAlive(grandchild)).toBe(true);
    expect(await c.run('down', '--name', name)).toBe(0);
    expect(processAlive(grandchild)).toBe(false);
  }, 30_000);

  it('cleans up after processes that died on their own, and up then says so', async () => {
    const name = track(uniqueName('stale'));
    const c = cli([apiServers()]);
    expect(await c.run('up', '--name', name)).toBe(0);
    const pid = readState(name).components[0]?.pid ?? 0;
    process.kill(-pid, 'SIGKILL');
    for (let i = 0; i < 50 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await c.run('up', '--name', name)).toBe(1);
    expect(c.err[0]).toMatch(/is recorded in .* but none of its processes is running$/);
    expect(c.err[1]).toBe(
      `Run 'kubeling down --name ${name}' first (with --keep-data to start it again on its data).`,
    );
    expect(await c.run('down', '--name', name)).toBe(0);
    expect(c.out.join('\n')).toMatch(/api-server \(pid \d+\) was not running/);
  }, 30_000);
});

describe('several clusters', () => {
  it('coexist on one Redis and NATS, and status lists them all', async () => {
    const a = track(uniqueName('multi-a'));
    const b = track(uniqueName('multi-b'));
    const c = cli([apiServers()]);
    expect(await c.run('up', '--name', a)).toBe(0);
    expect(await c.run('up', '--name', b)).toBe(0);
    expect(readState(a).server).not.toBe(readState(b).server);

    expect(await c.run('status')).toBe(0);
    expect(c.out[0]).toMatch(/^CLUSTER\s+COMPONENT\s+PID\s+STATUS\s+HEALTH\s+PORT$/);
    expect(
      c.out.some((l) =>
        new RegExp(`^${a}\\s+api-server\\s+\\d+\\s+running\\s+ok\\s+\\d+$`).test(l),
      ),
    ).toBe(true);
    expect(
      c.out.some((l) =>
        new RegExp(`^${b}\\s+api-server\\s+\\d+\\s+running\\s+ok\\s+\\d+$`).test(l),
      ),
    ).toBe(true);

    expect(await c.run('down', '--name', a)).toBe(0);
    expect(await httpStatus(`${readState(b).server}/readyz`, 2000)).toBe(200);
    expect(await c.run('down', '--name', b)).toBe(0);
  }, 40_000);

  it('status and kubeconfig name a missing cluster', async () => {
    const c = cli([]);
    expect(await c.run('status', '--name', 'absent')).toBe(1);
    expect(c.err[0]).toMatch(/^ERROR: no cluster named "absent"/);
    expect(await c.run('kubeconfig', '--name', 'absent')).toBe(1);
    expect(c.err[0]).toMatch(/^ERROR: could not locate a running cluster named "absent"/);
  });
});
