/**
 * The promise optimistic concurrency makes to a user, tested where the user meets it: 100
 * clients each add 1 to a counter in one ConfigMap 20 times by read-modify-write (GET, change,
 * PUT with the resourceVersion read, again on 409), against two api-server PROCESSES on one
 * Redis. Every increment must survive: the counter ends at exactly 2,000, over HTTP (each
 * client's GET and PUT go to different replicas, as behind a load balancer) and over NATS (the
 * queue group picks the replica of every request).
 */
import type { NatsConnection } from 'nats';
import { connect } from 'nats';
import type { ApiRequestMessage, ApiSubjects } from '@kubeling/bus';
import { apiRequest, apiSubjects } from '@kubeling/bus';
import { isStatusError } from '@kubeling/api';
import { clusterPrefix } from '@kubeling/store';
import { deleteRedisPrefix, testServices, uniqueName } from '@kubeling/testing';
import type { ApiServerProcess } from './nats-support';
import { spawnApiServer } from './nats-support';

const CLIENTS = 100;
const INCREMENTS = 20;

const cluster = uniqueName('lostupd');
let a: ApiServerProcess;
let b: ApiServerProcess;
let nc: NatsConnection;
let subjects: ApiSubjects;

beforeAll(async () => {
  [a, b] = await Promise.all([spawnApiServer(cluster, 'api-a'), spawnApiServer(cluster, 'api-b')]);
  nc = await connect({ servers: testServices().natsUrl, name: 'e2e-lost-update' });
  subjects = apiSubjects(cluster);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await nc?.close();
  await deleteRedisPrefix(testServices().redisUrl, clusterPrefix(cluster));
}, 30_000);

interface ConfigMap {
  metadata: { name: string; resourceVersion: string };
  data: { n: string };
}
interface Reply {
  code: number;
  body: unknown;
}

/** The three calls a read-modify-write client makes; `replica` picks where each goes. */
interface Transport {
  create(cm: unknown): Promise<Reply>;
  get(name: string, replica: number): Promise<Reply>;
  put(cm: ConfigMap, replica: number): Promise<Reply>;
}

function httpTransport(): Transport {
  const urls = [a.url, b.url];
  const at = (replica: number) => `${urls[replica % 2]}/api/v1/namespaces/default/configmaps`;
  const send = async (url: string, method: string, body?: unknown): Promise<Reply> => {
    const r = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { code: r.status, body: await r.json() };
  };
  return {
    create: (cm) => send(at(0), 'POST', cm),
    get: (name, replica) => send(`${at(replica)}/${name}`, 'GET'),
    put: (cm, replica) => send(`${at(replica)}/${cm.metadata.name}`, 'PUT', cm),
  };
}

function natsTransport(): Transport {
  const ref = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };
  // apiRequest throws failures as StatusErrors; give them back as replies like HTTP's.
  const call = (req: Omit<ApiRequestMessage, 'v' | keyof typeof ref>): Promise<Reply> =>
    apiRequest(nc, subjects, { ...ref, ...req }, { timeoutMs: 10_000 }).catch((e: unknown) => {
      if (isStatusError(e)) return { code: e.status.code ?? 500, body: e.status };
      throw e;
    });
  return {
    create: (cm) => call({ verb: 'create', body: cm }),
    get: (name) => call({ verb: 'get', name }),
    put: (cm) => call({ verb: 'update', name: cm.metadata.name, body: cm }),
  };
}

/**
 * Runs the clients and returns the final counter and how many PUTs answered 409. After each
 * conflict in a row a client backs off for a random time up to a doubling bound, as real clients
 * do (client-go's RetryOnConflict jitters its backoff): 100 clients retrying at once would mostly
 * measure contention on one key, not correctness.
 */
async function runCounter(t: Transport, name: string) {
  const created = await t.create({ metadata: { name }, data: { n: '0' } });
  expect(created.code).toBe(201);
  let conflicts = 0;
  const client = async (id: number) => {
    for (let done = 0, inARow = 0; done < INCREMENTS;) {
      const got = await t.get(name, id);
      expect(got.code).toBe(200);
      const cm = got.body as ConfigMap;
      const next = { ...cm, data: { n: String(Number(cm.data.n) + 1) } };
      const put = await t.put(next, id + 1);
      if (put.code === 200) {
        done++;
        inARow = 0;
        continue;
      }
      expect(put.code).toBe(409);
      conflicts++;
      inARow++;
      const bound = Math.min(500, 5 * 2 ** inARow);
      await new Promise((r) => setTimeout(r, Math.random() * bound));
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  const final = await t.get(name, 0);
  process.stdout.write(`${name}: ${conflicts} conflicts for ${CLIENTS * INCREMENTS} increments\n`);
  return { counter: Number((final.body as ConfigMap).data.n), conflicts };
}

it('keeps all 2,000 increments over HTTP through two api-servers', async () => {
  const { counter, conflicts } = await runCounter(httpTransport(), 'counter-http');
  expect(counter).toBe(CLIENTS * INCREMENTS);
  // The test is only meaningful if the clients really raced.
  expect(conflicts).toBeGreaterThan(0);
}, 240_000);

it('keeps all 2,000 increments over NATS through two api-servers', async () => {
  const { counter, conflicts } = await runCounter(natsTransport(), 'counter-nats');
  expect(counter).toBe(CLIENTS * INCREMENTS);
  expect(conflicts).toBeGreaterThan(0);
}, 240_000);
