import { createRegistry, HealthChecks, serveEndpoints } from '@kubeling/runtime';
import { DecisionLog } from './decisions';
import { decisionsHandler } from './explainServer';
import { unresolvable } from './framework/status';

describe('GET /debug/decisions/<ns>/<pod>', () => {
  it('serves the last decision beside /metrics, 404 Status for an unknown pod', async () => {
    const log = new DecisionLog(2);
    log.record({
      pod: 'default/web',
      profile: 'default-scheduler',
      time: '2026-01-01T00:00:00Z',
      attempt: 1,
      numAllNodes: 2,
      filtered: new Map([
        [
          'n1',
          {
            ...unresolvable("node(s) didn't match Pod's node affinity/selector"),
            plugin: 'NodeAffinity',
          },
        ],
      ]),
      feasible: ['n2'],
      scores: new Map([['NodeResourcesFit', new Map([['n2', 80]])]]),
      totals: new Map([['n2', 80]]),
      selected: 'n2',
    });
    const server = await serveEndpoints({
      bindAddress: '127.0.0.1',
      port: 0,
      registry: createRegistry(),
      health: new HealthChecks(),
      routes: decisionsHandler(log),
    });
    try {
      const r = await fetch(`${server.url}/debug/decisions/default/web`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({
        pod: 'default/web',
        selected: 'n2',
        nodes: [
          { name: 'n1', filter: { plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable' } },
          { name: 'n2', scores: { NodeResourcesFit: 80 }, total: 80 },
        ],
      });
      const missing = await fetch(`${server.url}/debug/decisions/default/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('the ring keeps only the newest pods', () => {
    const log = new DecisionLog(2);
    const d = (pod: string) => ({
      pod,
      profile: 'p',
      time: '',
      attempt: 1,
      numAllNodes: 0,
      filtered: new Map(),
      feasible: [],
      scores: new Map(),
      totals: new Map(),
    });
    log.record(d('a'));
    log.record(d('b'));
    log.record(d('a'));
    log.record(d('c'));
    expect([log.get('a'), log.get('b'), log.get('c')].map((x) => x?.pod)).toEqual([
      'a',
      undefined,
      'c',
    ]);
  });
});
