/**
 * The real thing: `kubeling` through its bin (a separate node process, exactly as a user runs
 * it) starting the real api-server against the shared Redis and NATS, then kubectl against it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { parse } from 'yaml';
import { kubectl, processAlive, runKubeling, testServices, uniqueName } from '@kubeling/testing';
import { httpJson, httpStatus } from './readiness';
import type { ClusterState } from './state';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-cli-'));
const services = testServices();
const redis = new Redis(services.redisUrl, { lazyConnect: true });
const clusters: string[] = [];

const kubeling = (...args: string[]) => runKubeling(args, { home });

function state(name: string): ClusterState {
  return JSON.parse(fs.readFileSync(path.join(home, name, 'cluster.json'), 'utf8')) as ClusterState;
}

beforeAll(() => redis.connect());

afterAll(async () => {
  // Whatever a failed test left running is stopped here.
  for (const name of clusters) await kubeling('down', '--name', name);
  redis.disconnect();
  fs.rmSync(home, { recursive: true, force: true });
}, 60_000);

describe('kubeling with the real api-server', () => {
  const name = uniqueName('cli');
  clusters.push(name);
  let pids: number[] = [];
  let server = '';

  it('up starts the api-server, the controller-manager and the scheduler and writes a kubeconfig', async () => {
    const r = await kubeling('up', '--name', name, '--nodes', '0');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const kubeconfigPath = path.join(home, name, 'kubeconfig');
    expect(r.stdout).toContain(`export KUBECONFIG=${kubeconfigPath}\nkubectl get ns\n`);
    const s = state(name);
    expect(s.phase).toBe('running');
    expect(s.components.map((c) => c.id)).toEqual([
      'api-server',
      'controller-manager',
      'scheduler',
    ]);
    expect(s.components[0]?.entry).toBe(path.resolve(__dirname, '../../api-server/src/main.ts'));
    pids = s.components.map((c) => c.pid);
    for (const pid of pids) expect(processAlive(pid)).toBe(true);
  }, 60_000);

  it('status shows it running and healthy', async () => {
    const r = await kubeling('status', '--name', name);
    expect(r.code).toBe(0);
    const [header, row, cm] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^COMPONENT\s+PID\s+STATUS\s+HEALTH\s+PORT$/);
    expect(row).toMatch(new RegExp(`^api-server\\s+${pids[0]}\\s+running\\s+ok\\s+\\d+$`));
    expect(cm).toMatch(new RegExp(`^controller-manager\\s+${pids[1]}\\s+running\\s+ok\\s+\\d+$`));
  }, 20_000);

  it('kubeconfig prints a config whose server answers /readyz and /version', async () => {
    const r = await kubeling('kubeconfig', '--name', name);
    expect(r.code).toBe(0);
    const config = parse(r.stdout) as {
      'current-context': string;
      clusters: { cluster: { server: string } }[];
    };
    expect(config['current-context']).toBe(`kubeling-${name}`);
    server = config.clusters[0]?.cluster.server ?? '';
    expect(server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await httpStatus(`${server}/readyz`, 5000)).toBe(200);
    expect(await httpJson(`${server}/version`, 5000)).toMatchObject({ major: '1', minor: '32' });
  }, 20_000);

  it('kubectl talks to it through that kubeconfig', async () => {
    const r = await kubectl(['version', '-o', 'json'], {
      kubeconfig: path.join(home, name, 'kubeconfig'),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ serverVersion: { major: '1', minor: '32' } });
  }, 40_000);

  it('down stops the processes and deletes the Redis keys', async () => {
    await redis.set(`kubeling:${name}:test-marker`, '1');
    const r = await kubeling('down', '--name', name);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/api-server \(pid \d+\) stopped/);
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
    expect(await redis.keys(`kubeling:${name}:*`)).toEqual([]);
    expect(fs.existsSync(path.join(home, name))).toBe(false);
    expect(await httpStatus(`${server}/readyz`, 1000)).toBeUndefined();

    const again = await kubeling('down', '--name', name);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`No cluster named "${name}" found`);
  }, 30_000);
});

describe('kubeling with two api-server replicas', () => {
  it('starts both on distinct ports, each ready', async () => {
    const name = uniqueName('ha');
    clusters.push(name);
    const r = await kubeling(
      'up',
      '--name',
      name,
      '--api-servers',
      '2',
      '--controller-managers',
      '0',
      '--nodes',
      '0',
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const comps = state(name).components;
    expect(comps.map((c) => c.id)).toEqual(['api-server-0', 'api-server-1', 'scheduler']);
    expect(new Set(comps.map((c) => c.port)).size).toBe(3);
    for (const c of comps)
      expect(await httpStatus(`http://127.0.0.1:${c.port}/readyz`, 5000)).toBe(200);
    const down = await kubeling('down', '--name', name);
    expect(down.code).toBe(0);
    for (const c of comps) expect(processAlive(c.pid)).toBe(false);
  }, 60_000);
});

describe('kubeling errors', () => {
  it('prints ERROR and exits 1', async () => {
    const r = await kubeling('up', '--nodes', 'many');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'ERROR: invalid argument "many" for "--nodes" flag: must be a whole number\nRun \'kubeling up --help\' for usage.\n',
    );
  }, 20_000);

  it('prints help', async () => {
    const r = await kubeling('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kubeling runs a Kubernetes-compatible control plane/);
    for (const cmd of ['up', 'down', 'status', 'kubeconfig'])
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\s`, 'm'));
  }, 20_000);
});
