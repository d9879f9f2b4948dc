import { counter, createRegistry } from './metrics';
import { HealthChecks } from './healthz';
import type { EndpointsServer } from './server';
import { serveEndpoints } from './server';

let server: EndpointsServer;
const health = new HealthChecks();
const registry = createRegistry();
let storeUp = true;

beforeAll(async () => {
  health.addReadyz('store', () => storeUp);
  health.addLivez('loop', async () => true);
  counter(registry, { name: 'demo_total', help: 'demo', labelNames: ['code'] }).inc({
    code: '200',
  });
  server = await serveEndpoints({ bindAddress: '127.0.0.1', port: 0, registry, health });
});
afterAll(() => server.close());

async function get(path: string): Promise<{ code: number; text: string; type: string | null }> {
  const res = await fetch(server.url + path);
  return { code: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

describe('serveEndpoints', () => {
  it('listens on a free port when given 0', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('serves Prometheus text with the default process and nodejs metrics', async () => {
    const r = await get('/metrics');
    expect(r.code).toBe(200);
    expect(r.type).toContain('text/plain');
    expect(r.text).toContain('demo_total{code="200"} 1');
    expect(r.text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(r.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('answers ok, and lists checks with ?verbose as upstream does', async () => {
    expect(await get('/healthz')).toMatchObject({ code: 200, text: 'ok' });
    expect(await get('/livez?verbose')).toMatchObject({
      code: 200,
      text: '[+]ping ok\n[+]loop ok\nlivez check passed\n',
    });
    expect((await get('/readyz?verbose')).text).toBe(
      '[+]ping ok\n[+]loop ok\n[+]shutdown ok\n[+]store ok\nreadyz check passed\n',
    );
    expect(await get('/readyz/store')).toMatchObject({ code: 200, text: 'ok' });
    expect((await get('/readyz/nope')).code).toBe(404);
    expect((await get('/nope')).code).toBe(404);
  });

  it('fails readiness (not liveness) when a readiness check fails; ?exclude skips it', async () => {
    storeUp = false;
    try {
      expect(await get('/readyz')).toEqual({
        code: 500,
        type: 'text/plain; charset=utf-8',
        text: '[+]ping ok\n[+]loop ok\n[+]shutdown ok\n[-]store failed: reason withheld\nreadyz check failed\n',
      });
      expect((await get('/livez')).code).toBe(200);
      expect((await get('/readyz?exclude=store&verbose')).text).toContain('[+]store excluded: ok');
      expect((await get('/readyz/store')).code).toBe(500);
    } finally {
      storeUp = true;
    }
  });

  it('fails readiness once shutting down', async () => {
    const h = new HealthChecks();
    const s = await serveEndpoints({
      bindAddress: '127.0.0.1',
      port: 0,
      registry: createRegistry({ defaultMetrics: false }),
      health: h,
    });
    try {
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      h.shutdown();
      const res = await fetch(`${s.url}/readyz?verbose`);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('[-]shutdown failed: reason withheld');
      expect((await fetch(`${s.url}/livez`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('rejects when the port is taken', async () => {
    await expect(
      serveEndpoints({ bindAddress: '127.0.0.1', port: server.port, registry, health }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
