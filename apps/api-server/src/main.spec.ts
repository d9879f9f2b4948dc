/**
 * The api-server as a real process through its entry point: exit codes decided by main.ts,
 * JSON logs with -v, /metrics and the health endpoints on its API port, a clean stop on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { runProcess, testServices, uniquePrefix, workspaceRoot } from '@kubeling/testing';
import { deleteRedisPrefix } from '@kubeling/testing';

const main = path.join(workspaceRoot(), 'apps/api-server/src/main.ts');
const run = (args: string[]) =>
  runProcess(process.execPath, ['--import', 'tsx', main, ...args], {
    env: process.env,
    cwd: workspaceRoot(),
    timeoutMs: 30_000,
  });

describe('api-server entry point', () => {
  it('prints --help on stdout and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--max-mutating-requests-inflight int');
    expect(r.stderr).toBe('');
  }, 30_000);

  it('rejects an unknown flag with exit 1 and a hint', async () => {
    const r = await run(['--port=abc']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error: invalid argument "abc" for "--port" flag: must be a whole number\n' +
        "Run 'api-server --help' for usage.\n",
    );
  }, 30_000);

  describe('serving', () => {
    const cluster = uniquePrefix('main')
      .replace(/[^a-z0-9-]/g, '')
      .slice(0, 40);
    let child: ChildProcess;
    let output = '';
    let exited: Promise<number | null>;

    afterAll(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      await deleteRedisPrefix(testServices().redisUrl, `kubeling:${cluster}:`);
    });

    it('logs JSON at -v 4, serves metrics and health, stops cleanly on SIGTERM', async () => {
      const { redisUrl, natsUrl } = testServices();
      // prettier-ignore
      child = spawn(process.execPath, [
        '--import', 'tsx', main, '--cluster-name', cluster, '--port', '0', '--redis-url', redisUrl,
        '--nats-url', natsUrl, '--id', 'main-test', '-v', '4', '--logging-format=json',
      ], { cwd: workspaceRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
      exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));

      let url: string | undefined;
      for (let i = 0; i < 300 && !url; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const line = output.split('\n').find((l) => l.includes('"msg":"serving"'));
        if (line) url = (JSON.parse(line) as { url: string }).url;
      }
      expect(url).toBeDefined();
      const serving = JSON.parse(output.split('\n').find((l) => l.includes('"msg":"serving"'))!);
      expect(serving).toMatchObject({ logger: 'api-server', v: 0, cluster, id: 'main-test' });

      expect((await fetch(`${url}/api/v1/namespaces/default/configmaps`)).status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(
        /apiserver_request_total\{code="200",component="apiserver",dry_run="",group="",resource="configmaps",scope="namespace",subresource="",verb="LIST",version="v1"\} 1\n/,
      );
      expect(metrics).toContain('# TYPE process_cpu_seconds_total counter');
      expect(metrics).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
      // -v 4 logs every request (V(4) is debug), as JSON lines with "v":4.
      const request = output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((r) => r.msg === 'request' && r.path === '/api/v1/namespaces/default/configmaps');
      expect(request).toMatchObject({ v: 4, method: 'GET', code: 200 });

      expect(await (await fetch(`${url}/livez`)).text()).toBe('ok');
      const ready = await fetch(`${url}/readyz?verbose`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe(
        '[+]ping ok\n[+]shutdown ok\n[+]redis ok\n[+]nats ok\n[+]nats-api ok\nreadyz check passed\n',
      );

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"stopping"');
    }, 60_000);
  });
});
