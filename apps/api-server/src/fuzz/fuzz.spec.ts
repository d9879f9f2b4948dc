/**
 * Bad input is never a 500: a seeded stream of malformed creates, updates, patches (JSON, merge,
 * strategic, apply) and queries (malformed.ts) goes over real HTTP to a real api-server on the
 * shared Redis (its own cluster prefix). Every answer must be a 2xx (the input happened to be
 * valid) or a Kubernetes Status with a code below 500 (a LIST at a resourceVersion no write has
 * reached is a 400, where upstream waits and answers 504); a rejected write must change nothing
 * (the target's resourceVersion stays, a rejected create stores nothing); the server stays up.
 *
 * FUZZ_SEED and FUZZ_REQUESTS replay another stream or a longer one.
 */
import type { RunningApiServer } from '../app';
import { startTestApiServer, stopTestApiServer, testClusterName } from '../testing/inProcess';
import type { FuzzRequest, Target } from './malformed';
import { deepText, deepYaml, MalformedRequests } from './malformed';

const seed = Number(process.env.FUZZ_SEED ?? 20260612);
const requests = Number(process.env.FUZZ_REQUESTS ?? 1500);

let server: RunningApiServer;
let base: string;
const cluster = testClusterName('fuzz');

const NS = '/api/v1/namespaces/fuzz';
const APPS = '/apis/apps/v1/namespaces/fuzz';

const labels = { app: 'web' };
const podSpec = {
  containers: [
    {
      name: 'c',
      image: 'nginx:1.27',
      args: ['-g', 'daemon off;'],
      ports: [{ containerPort: 80, name: 'http' }],
      env: [{ name: 'A', value: '1' }],
    },
  ],
  tolerations: [{ key: 'k', operator: 'Exists' }],
};
const objects = {
  configmap: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'target-cm', labels, finalizers: ['example.com/f'] },
    data: { k: 'v' },
  },
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'target-deploy', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec },
    },
  },
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'target-pod', labels },
    spec: podSpec,
  },
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'target-svc' },
    spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  },
};
const collections = [
  { path: `${NS}/configmaps`, object: objects.configmap },
  { path: `${APPS}/deployments`, object: objects.deployment },
  { path: `${NS}/pods`, object: objects.pod },
  { path: `${NS}/services`, object: objects.service },
];
const targets: Target[] = collections.map((c) => ({
  key: `${c.path}/${c.object.metadata.name}`,
  collection: c.path,
  name: c.object.metadata.name,
  object: c.object,
}));

// Long enough for the watch cache's wait for a resourceVersion (3 s) on a loaded machine.
const answerWithinMs = 10_000;

interface Answer {
  code: number;
  text: string;
}

async function send(r: FuzzRequest): Promise<Answer> {
  const ac = new AbortController();
  // A request the server never answers is a failure too (a hung handler), not a hung test.
  const timer = setTimeout(() => ac.abort(), answerWithinMs);
  try {
    return await exchange(r, ac);
  } catch (e) {
    if (ac.signal.aborted) return { code: 0, text: `no answer within ${answerWithinMs} ms` };
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function exchange(r: FuzzRequest, ac: AbortController): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (r.contentType !== undefined) headers['Content-Type'] = r.contentType;
  const init: RequestInit = { method: r.method, headers, signal: ac.signal };
  if (r.body !== undefined) init.body = r.body;
  const res = await fetch(base + r.path, init);
  if (r.watch && res.status === 200) {
    // A watch that started: the status line is the answer; hang up.
    ac.abort();
    return { code: 200, text: '' };
  }
  return { code: res.status, text: await res.text() };
}

async function resourceVersion(path: string): Promise<string> {
  const r = await fetch(base + path);
  const body = (await r.json()) as { metadata?: { resourceVersion?: string } };
  return body.metadata?.resourceVersion ?? `missing (${r.status})`;
}

/** What is wrong with an answer, or undefined. */
function problem(a: Answer): string | undefined {
  if (a.code === 0) return a.text;
  if (a.code >= 500) return `answered ${a.code}: ${a.text.slice(0, 300)}`;
  if (a.code < 400) return undefined;
  let s: { kind?: string; status?: string; code?: number; message?: string };
  try {
    s = JSON.parse(a.text) as typeof s;
  } catch {
    return `answered ${a.code} with a body that is not JSON: ${a.text.slice(0, 200)}`;
  }
  if (s.kind !== 'Status' || s.status !== 'Failure' || s.code !== a.code || !s.message)
    return `answered ${a.code} with no proper Status: ${a.text.slice(0, 300)}`;
  return undefined;
}

beforeAll(async () => {
  server = await startTestApiServer(cluster);
  base = server.url;
  const ns = await fetch(`${base}/api/v1/namespaces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz' } }),
  });
  expect(ns.status).toBe(201);
  for (const c of collections) {
    const r = await fetch(base + c.path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(c.object),
    });
    expect(r.status).toBe(201);
  }
}, 30_000);

afterAll(() => stopTestApiServer(server));

it(`answers ${requests} malformed requests (seed ${seed}) with Status errors below 500, changing nothing`, async () => {
  const gen = new MalformedRequests(seed, targets, collections, [
    `${NS}/pods`,
    '/api/v1/pods',
    `${APPS}/deployments`,
    `${NS}/configmaps/target-cm`,
    `${NS}/services`,
    '/api/v1/nodes',
    '/api/v1/namespaces',
    '/apis/coordination.k8s.io/v1/leases',
  ]);
  const expectedRV = new Map<string, string>();
  for (const t of targets) expectedRV.set(t.key, await resourceVersion(t.key));
  const created = new Set(targets.map((t) => t.key));
  const failures: string[] = [];
  const codes = new Map<string, number>();

  for (let i = 0; i < requests; i++) {
    const r = gen.next();
    const a = await send(r);
    const tally = `${r.category} ${a.code}`;
    codes.set(tally, (codes.get(tally) ?? 0) + 1);
    const why = problem(a);
    if (why) failures.push(`#${i} ${r.category} ${r.method} ${r.path} (${r.what}): ${why}`);
    if (r.target) {
      const now = await resourceVersion(r.target);
      if (a.code < 300) expectedRV.set(r.target, now);
      else if (now !== expectedRV.get(r.target)) {
        failures.push(
          `#${i} ${r.category} (${r.what}) answered ${a.code} but moved ${r.target} from ${expectedRV.get(r.target)} to ${now}`,
        );
        expectedRV.set(r.target, now);
      }
    }
    if (r.method === 'POST' && a.code < 300) {
      const name = (JSON.parse(a.text) as { metadata: { name: string } }).metadata.name;
      created.add(`${r.path.split('?')[0]}/${name}`);
    }
  }

  // A rejected create stored nothing: every object in the namespace was answered 2xx.
  for (const c of collections) {
    const list = (await (await fetch(base + c.path)).json()) as {
      items: { metadata: { name: string } }[];
    };
    for (const item of list.items) {
      const key = `${c.path}/${item.metadata.name}`;
      if (!created.has(key)) failures.push(`${key} exists though its create was rejected`);
    }
  }
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);

  const summary = [...codes.entries()].sort().map(([k, n]) => `${k}: ${n}`);
  expect({ failures: failures.slice(0, 30), count: failures.length }).toEqual({
    failures: [],
    count: 0,
  });
  // The stream really exercises rejection in every category (a generator that only produced
  // valid input would pass the checks above vacuously).
  for (const category of ['create', 'update', 'json', 'merge', 'strategic', 'apply', 'query'])
    expect({
      category,
      rejected: summary.some((s) => s.startsWith(`${category} 4`)),
    }).toEqual({ category, rejected: true });
}, 120_000);

describe('each kind of input the fuzzing once answered 500', () => {
  const deploy = `${APPS}/deployments/target-deploy`;

  /** Sends one request; expects the given code and message, and the target unchanged. */
  async function rejected(
    method: string,
    path: string,
    contentType: string,
    body: string,
    code: number,
    message: string | RegExp,
  ) {
    const target = path.split('?')[0] as string;
    const before = await resourceVersion(target.startsWith(deploy) ? deploy : target);
    const a = await send({ category: 'strategic', what: '', method, path, contentType, body });
    expect(problem(a)).toBeUndefined();
    const s = JSON.parse(a.text) as { code: number; message: string };
    expect(s.code).toBe(code);
    if (typeof message === 'string') expect(s.message).toBe(message);
    else expect(s.message).toMatch(message);
    if (method !== 'POST') expect(await resourceVersion(deploy)).toBe(before);
  }
  const smp = 'application/strategic-merge-patch+json';
  const containers = (items: unknown[]) =>
    JSON.stringify({ spec: { template: { spec: { containers: items } } } });

  it('a strategic-merge list item without its merge key: 400', async () => {
    await rejected(
      'PATCH',
      deploy,
      smp,
      containers([{ image: 'x' }]),
      400,
      'map: map[image:x] does not contain declared merge key: name',
    );
  });

  it('an unknown $patch directive: 400', async () => {
    await rejected(
      'PATCH',
      deploy,
      smp,
      containers([{ name: 'c', $patch: 'frob' }]),
      400,
      'unknown patch type: frob in map: map[$patch:frob name:c]',
    );
    await rejected(
      'PATCH',
      deploy,
      smp,
      JSON.stringify({ metadata: { labels: { $patch: 'merge' } } }),
      400,
      'unknown patch type: merge in map: map[$patch:merge]',
    );
  });

  it('list items of mixed types: 400', async () => {
    await rejected(
      'PATCH',
      deploy,
      smp,
      containers([{ name: 'c' }, 'sidecar']),
      400,
      /^list element types are not identical: /,
    );
  });

  it('an apply configuration with a field the schema does not declare: 400', async () => {
    const config = structuredClone(objects.deployment) as typeof objects.deployment & {
      spec: { replicas: number; frob?: number };
    };
    config.spec.frob = 1;
    await rejected(
      'PATCH',
      `${deploy}?fieldManager=fuzz`,
      'application/apply-patch+yaml',
      JSON.stringify(config),
      400,
      'failed to create typed patch object (/target-deploy; apps/v1, Kind=Deployment): .spec.frob: field not declared in schema',
    );
  });

  it('an apply configuration with null metadata: applies to the object the URL names', async () => {
    // Created by apply, so the applier alone owns its labels: pruning them once left no metadata.
    const apply = (body: unknown) =>
      send({
        category: 'apply',
        what: '',
        method: 'PATCH',
        path: `${APPS}/deployments/applied?fieldManager=kubectl`,
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify(body),
      });
    const config = {
      ...structuredClone(objects.deployment),
      metadata: { name: 'applied', labels: { mine: 'x' } },
    };
    expect((await apply(config)).code).toBe(201);
    const a = await apply({ ...config, metadata: null });
    expect([a.code, problem(a)]).toEqual([200, undefined]);
    const applied = JSON.parse(a.text) as { metadata: { name: string; labels?: object } };
    expect([applied.metadata.name, applied.metadata.labels]).toEqual(['applied', undefined]);
  });

  it('a body nested 200 deep, in every body format: 400', async () => {
    const tooDeep =
      /^exceeded max depth: the request body nests objects and lists more than 100 levels deep$/;
    const deep = deepText(200, 'mixed');
    await rejected('PATCH', deploy, smp, `{"spec":{"template":${deep}}}`, 400, tooDeep);
    await rejected(
      'PATCH',
      deploy,
      'application/merge-patch+json',
      `{"metadata":{"annotations":${deep}}}`,
      400,
      tooDeep,
    );
    await rejected(
      'PATCH',
      deploy,
      'application/json-patch+json',
      `[{"op":"add","path":"/metadata/annotations","value":${deep}}]`,
      400,
      tooDeep,
    );
    await rejected(
      'PATCH',
      `${deploy}?fieldManager=fuzz`,
      'application/apply-patch+yaml',
      deepYaml(200, true),
      400,
      tooDeep,
    );
    await rejected(
      'POST',
      `${NS}/configmaps`,
      'application/json',
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep","labels":${deep}}}`,
      400,
      tooDeep,
    );
    await rejected(
      'POST',
      `${NS}/configmaps`,
      'application/yaml',
      deepYaml(200, false),
      400,
      tooDeep,
    );
    // The same limit holds for a body that arrives already decoded (NATS requests).
    await expect(
      server.api.handle({
        verb: 'create',
        group: '',
        version: 'v1',
        resource: 'configmaps',
        namespace: 'fuzz',
        body: JSON.parse(deep) as unknown,
      }),
    ).rejects.toMatchObject({ code: 400, message: expect.stringMatching(tooDeep) as unknown });
  });

  it('a warning naming a field in any script: 200, the warning escaped to ASCII', async () => {
    const res = await fetch(`${base}${NS}/configmaps/target-cm`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ '😀': 1 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('warning')).toBe('299 - "unknown field \\"\\ud83d\\ude00\\""');
  });

  it('a bracketed query key is an unknown parameter, as Go reads query strings', async () => {
    const a = await send({
      category: 'query',
      what: '',
      method: 'GET',
      path: `${NS}/pods?labelSelector[a]=b&fieldSelector[x][y]=1`,
    });
    expect(a.code).toBe(200);
    const bad = await send({
      category: 'query',
      what: '',
      method: 'GET',
      path: `${NS}/pods?labelSelector=a%20in%20(`,
    });
    expect([bad.code, problem(bad)]).toEqual([400, undefined]);
  });
});
