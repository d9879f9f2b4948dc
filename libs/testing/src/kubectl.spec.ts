import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { kubectl } from './kubectl';

/** A fake api-server: /version for the kubectl dispatcher, echo of PUT bodies, a hanging path. */
let server: http.Server;
let url: string;
const seen: { method?: string; url?: string; body: string }[] = [];
const hanging = new Set<http.ServerResponse>();
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body });
      if (req.url?.startsWith('/version')) {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            major: '1',
            minor: '32',
            gitVersion: 'v1.32.0',
            platform: 'linux/amd64',
          }),
        );
      } else if (req.url?.startsWith('/hang')) {
        hanging.add(res);
      } else if (req.method === 'PUT') {
        res.setHeader('content-type', 'application/json');
        res.end(body);
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-spec-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: fake, cluster: {server: "' + url + '"}}]',
      'users: [{name: fake, user: {}}]',
      'contexts: [{name: fake-ctx, context: {cluster: fake, user: fake}}]',
      'current-context: fake-ctx',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('kubectl', () => {
  it('uses the given kubeconfig, never the inherited KUBECONFIG', async () => {
    const saved = process.env['KUBECONFIG'];
    process.env['KUBECONFIG'] = path.join(dir, 'does-not-exist');
    try {
      const r = await kubectl(['config', 'current-context'], { kubeconfig });
      expect(r).toMatchObject({ code: 0, stdout: 'fake-ctx\n', timedOut: false });
    } finally {
      if (saved === undefined) delete process.env['KUBECONFIG'];
      else process.env['KUBECONFIG'] = saved;
    }
  });

  it('reaches the server', async () => {
    const r = await kubectl(['get', '--raw', '/version'], { kubeconfig });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ major: '1', minor: '32' });
  });

  it('feeds stdin', async () => {
    seen.length = 0;
    const body = '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x"}}';
    const r = await kubectl(
      ['replace', '--raw', '/api/v1/namespaces/default/configmaps/x', '-f', '-'],
      {
        kubeconfig,
        stdin: body,
      },
    );
    expect(r.code).toBe(0);
    expect(seen.find((s) => s.method === 'PUT')).toMatchObject({
      url: '/api/v1/namespaces/default/configmaps/x',
      body,
    });
  });

  it('reports failures with the exit code and stderr', async () => {
    const r = await kubectl(['get', '--raw', '/nothing-here'], { kubeconfig });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NotFound|not found|404/i);
  });

  it('kills kubectl at the timeout', async () => {
    const t0 = Date.now();
    const r = await kubectl(['get', '--raw', '/hang', '--request-timeout=0'], {
      kubeconfig,
      timeoutMs: 1500,
    });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBe(128 + 9);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('leaves no discovery cache behind', async () => {
    const before = fs
      .readdirSync(os.tmpdir())
      .filter((f) => f.startsWith('kubeling-kubectl-cache-')).length;
    await kubectl(['get', '--raw', '/version'], { kubeconfig });
    const after = fs
      .readdirSync(os.tmpdir())
      .filter((f) => f.startsWith('kubeling-kubectl-cache-')).length;
    expect(after).toBeLessThanOrEqual(before);
  });
});
