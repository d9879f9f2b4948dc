/**
 * `kubeling up --api-servers 2`: both replicas serve the API over NATS in the queue group
 * (each answers some of the watch requests), with the same answers as over HTTP.
 */
import type { NatsConnection } from 'nats';
import { connect } from 'nats';
import type { WatchStream } from '@kubeling/bus';
import { apiRequest, apiSubjects, openWatch } from '@kubeling/bus';
import type { TestCluster } from '@kubeling/testing';
import { startCluster, testServices } from '@kubeling/testing';

let cluster: TestCluster;
let nc: NatsConnection;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 0, apiServers: 2 });
  nc = await connect({ servers: testServices().natsUrl });
}, 90_000);

afterAll(async () => {
  await nc?.close();
  await cluster?.down();
}, 60_000);

it('both replicas serve NATS requests and watches', async () => {
  const subjects = apiSubjects(cluster.name);
  const streams: WatchStream[] = [];
  const replicas = new Set<string>();
  while (replicas.size < 2) {
    expect(streams.length).toBeLessThan(40);
    const s = await openWatch(nc, {
      subjects,
      request: { group: '', version: 'v1', resource: 'namespaces' },
      onEvent: () => undefined,
    });
    streams.push(s);
    replicas.add(s.replica.replace(/-[0-9a-f]{6}$/, ''));
  }
  for (const s of streams) s.stop();
  expect([...replicas].sort()).toEqual(['api-server-0', 'api-server-1']);

  const viaNats = await apiRequest<{ spec: { clusterIP: string } }>(nc, subjects, {
    verb: 'get',
    group: '',
    version: 'v1',
    resource: 'services',
    namespace: 'default',
    name: 'kubernetes',
  });
  const viaHttp = (await (
    await fetch(`${cluster.server}/api/v1/namespaces/default/services/kubernetes`)
  ).json()) as unknown;
  expect(viaNats.body).toEqual(viaHttp);
});
