/**
 * `npm start` on a machine where redis-server and nats-server are installed but not running.
 * This machine runs a Redis and a NATS on the default ports, so KUBELING_DEFAULT_REDIS_URL /
 * KUBELING_DEFAULT_NATS_URL point `up`'s probe at unused loopback ports instead, and
 * REDIS_URL / NATS_URL are removed: from there on it is the real path — the `kubeling` bin,
 * the real redis-server and nats-server, the real api-server and kubectl.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubectl, processAlive, runKubeling, uniqueName } from '@kubeling/testing';
import { runCli } from './cli';
import { findWorkspaceRoot, tsxRunner } from './context';
import { INSTALL_HINT } from './localServers';
import { freePort } from './ports';
import type { ClusterState } from './state';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-fresh-'));
const clusters: string[] = [];
let freshEnv: NodeJS.ProcessEnv = {};

const kubeling = (...args: string[]) => runKubeling(args, { home, env: freshEnv });

function state(name: string): ClusterState {
  return JSON.parse(fs.readFileSync(path.join(home, name, 'cluster.json'), 'utf8')) as ClusterState;
}

/** Live processes whose working directory is under `dir` (the servers run in their data dirs). */
function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cwd: string;
    try {
      cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
    } catch {
      continue; // gone, or a zombie
    }
    if (cwd.startsWith(dir) && processAlive(Number(entry))) found.push(Number(entry));
  }
  return found;
}

beforeAll(async () => {
  freshEnv = {
    REDIS_URL: undefined,
    NATS_URL: undefined,
    KUBELING_DEFAULT_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    KUBELING_DEFAULT_NATS_URL: `nats://127.0.0.1:${await freePort()}`,
  };
});

afterAll(async () => {
  for (const name of clusters) await kubeling('down', '--name', name);
  fs.rmSync(home, { recursive: true, force: true });
}, 60_000);

describe('a cluster on a machine where Redis and NATS are installed but not running', () => {
  const name = uniqueName('fresh');
  clusters.push(name);
  const kubeconfig = path.join(home, name, 'kubeconfig');
  let first: ClusterState;

  it('up starts its own redis-server and nats-server and hands their URLs to the api-server', async () => {
    const r = await kubeling('up', '--name', name, '--nodes', '0');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    first = state(name);
    expect(first.servers.map((s) => s.name)).toEqual(['redis-server', 'nats-server']);
    const [redis, nats] = first.servers;
    expect(redis?.url).toBe(`redis://127.0.0.1:${redis?.port}`);
    expect(nats?.url).toBe(`nats://127.0.0.1:${nats?.port}`);
    expect(first.options).toMatchObject({ redisUrl: redis?.url, natsUrl: nats?.url });
    for (const s of first.servers) {
      expect(processAlive(s.pid)).toBe(true);
      expect(s.dataDir.startsWith(path.join(home, name, 'data'))).toBe(true);
      expect(r.stdout).toContain(`Started ${s.name} (pid ${s.pid}, ${s.url}`);
    }
    expect(first.components[0]?.command).toEqual(
      expect.arrayContaining(['--redis-url', redis?.url, '--nats-url', nats?.url]),
    );
  }, 90_000);

  it('serves kubectl, and status shows the servers', async () => {
    const create = await kubectl(['create', 'configmap', 'kept', '--from-literal=answer=42'], {
      kubeconfig,
    });
    expect({ code: create.code, stderr: create.stderr }).toEqual({ code: 0, stderr: '' });
    const st = await kubeling('status', '--name', name);
    expect(st.code).toBe(0);
    for (const s of first.servers)
      expect(st.stdout).toMatch(
        new RegExp(`^${s.name}\\s+${s.pid}\\s+running\\s+ok\\s+${s.port}$`, 'm'),
      );
  }, 60_000);

  it('gives a second cluster servers of its own', async () => {
    const lab = uniqueName('fresh-lab');
    clusters.push(lab);
    const r = await kubeling('up', '--name', lab, '--nodes', '0');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const second = state(lab);
    expect(second.servers.map((s) => s.port)).not.toContain(first.servers[0]?.port);
    expect(second.servers.map((s) => s.port)).not.toContain(first.servers[1]?.port);
    const down = await kubeling('down', '--name', lab);
    expect(down.code).toBe(0);
    for (const s of second.servers) expect(processAlive(s.pid)).toBe(false);
    // The first cluster's servers are untouched.
    const get = await kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.answer}'], {
      kubeconfig,
    });
    expect(get.stdout).toBe('42');
  }, 120_000);

  it('down --keep-data stops every process and keeps the append-only file', async () => {
    const r = await kubeling('down', '--name', name, '--keep-data');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    for (const p of [...first.components, ...first.servers])
      expect(processAlive(p.pid)).toBe(false);
    expect(processesIn(home)).toEqual([]);
    expect(state(name).phase).toBe('stopped');
    const redisDir = first.servers[0]?.dataDir ?? '';
    expect(fs.readdirSync(path.join(redisDir, 'appendonlydir')).length).toBeGreaterThan(0);
    const st = await kubeling('status', '--name', name);
    expect(st.stdout).toContain(`(cluster "${name}" is stopped with its data`);
  }, 60_000);

  it('up starts it again on that data', async () => {
    const r = await kubeling('up', '--name', name, '--nodes', '0');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`Starting cluster "${name}" again on its kept data`);
    const again = state(name);
    expect(again.phase).toBe('running');
    expect(again.servers.map((s) => s.dataDir)).toEqual(first.servers.map((s) => s.dataDir));
    const get = await kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.answer}'], {
      kubeconfig,
    });
    expect({ code: get.code, stdout: get.stdout }).toEqual({ code: 0, stdout: '42' });
  }, 90_000);

  it('down leaves no redis-server or nats-server behind', async () => {
    const pids = [...state(name).components, ...state(name).servers].map((p) => p.pid);
    const r = await kubeling('down', '--name', name);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain('its own Redis files removed');
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
    expect(processesIn(home)).toEqual([]);
    expect(fs.existsSync(path.join(home, name))).toBe(false);
  }, 60_000);
});

describe('a machine without them', () => {
  const root = findWorkspaceRoot(__dirname);

  function cli(env: NodeJS.ProcessEnv) {
    const out: string[] = [];
    const err: string[] = [];
    const run = (...argv: string[]) =>
      runCli(argv, {
        io: { out: (l) => out.push(l), err: (l) => err.push(l) },
        env,
        home,
        root,
        components: [],
        runner: tsxRunner(root),
        readyTimeoutMs: 10_000,
        stopGraceMs: 2_000,
        sbinDirs: [],
      });
    return { out, err, run };
  }

  it('says how to install redis-server and nats-server, and claims nothing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-no-bin-'));
    try {
      const c = cli({ ...freshEnv, PATH: empty });
      expect(await c.run('up', '--name', 'nobin')).toBe(1);
      expect(c.err).toEqual([
        expect.stringMatching(
          /^ERROR: no Redis or NATS to use: .* redis-server and nats-server are not installed/,
        ),
        INSTALL_HINT,
      ]);
      expect(fs.existsSync(path.join(home, 'nobin'))).toBe(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('never starts a server when REDIS_URL names one, even one that does not answer', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const c = cli({ ...process.env, ...freshEnv, REDIS_URL: url });
    expect(await c.run('up', '--name', 'explicit')).toBe(1);
    expect(c.err[0]).toMatch(new RegExp(`^ERROR: cannot reach Redis at ${url}: `));
    expect(fs.existsSync(path.join(home, 'explicit'))).toBe(false);
  });
});
