/**
 * The relay's answers before any byte reaches a kubelet (upstream's Status errors), and the
 * relay itself against a stand-in kubelet: a plain HTTP server for logs, a raw socket that
 * records the upgrade request it receives and answers 101.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RunningApiServer } from '../app';
import {
  httpCall,
  startTestApiServer,
  stopTestApiServer,
  testClusterName,
} from '../testing/inProcess';

let server: RunningApiServer;
let kubelet: http.Server;
let kubeletPort: number;
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
const upgraded = new Set<net.Socket>();

beforeAll(async () => {
  server = await startTestApiServer(testClusterName('podstreams'));
  kubelet = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url?.includes('/containerLogs/default/web/b')) {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('container "b" in pod "web" is waiting to start: ContainerCreating');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('one\n');
    setTimeout(() => res.end('two\n'), 50);
  });
  kubelet.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    upgraded.add(socket);
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    );
    socket.on('data', (d: Buffer) => socket.write(d)); // echo, as a stand-in for frames
  });
  await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', r));
  kubeletPort = (kubelet.address() as AddressInfo).port;
  const api = (method: string, path: string, body?: unknown, type?: string) =>
    httpCall(server.url, method, path, body, type);
  await api('POST', '/api/v1/nodes', { metadata: { name: 'n1' } });
  await api(
    'PATCH',
    '/api/v1/nodes/n1/status',
    {
      status: {
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      },
    },
    'application/merge-patch+json',
  );
  await api('POST', '/api/v1/nodes', { metadata: { name: 'bare' } });
  const pod = (name: string, containers: string[], nodeName?: string, init?: string[]) =>
    api('POST', '/api/v1/namespaces/default/pods', {
      metadata: { name },
      spec: {
        ...(nodeName ? { nodeName } : {}),
        containers: containers.map((c) => ({ name: c, image: 'busybox' })),
        ...(init ? { initContainers: init.map((c) => ({ name: c, image: 'busybox' })) } : {}),
      },
    });
  await pod('web', ['a', 'b'], 'n1');
  await pod('one', ['only'], 'n1');
  await pod('withinit', ['a', 'b'], 'n1', ['setup']);
  await pod('unscheduled', ['c']);
  await pod('ghost', ['c'], 'no-such-node');
  await pod('noaddr', ['c'], 'bare');
});

afterAll(async () => {
  await stopTestApiServer(server);
  for (const s of upgraded) s.destroy();
  kubelet.closeAllConnections();
  await new Promise<void>((r) => kubelet.close(() => r()));
});

const call = (path: string, method = 'GET') => httpCall(server.url, method, path);

describe('pods/log', () => {
  it('relays the kubelet log, defaulting the only container and passing the options on', async () => {
    const r = await call(
      '/api/v1/namespaces/default/pods/one/log?tailLines=5&timestamps=true&follow=1',
    );
    expect(r).toMatchObject({ code: 200, text: 'one\ntwo\n' });
    expect(r.headers.get('content-type')).toBe('text/plain');
    const req = seen.at(-1);
    expect(req?.url).toBe(
      '/containerLogs/default/one/only?follow=true&timestamps=true&tailLines=5',
    );
    expect(req?.headers['x-kubeling-node']).toBe('n1');
  });

  it("turns the kubelet's 400 into a BadRequest Status with its text", async () => {
    const r = await call('/api/v1/namespaces/default/pods/web/log?container=b');
    expect(r.code).toBe(400);
    expect(r.body).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'container "b" in pod "web" is waiting to start: ContainerCreating',
    });
  });

  it('answers the container and option errors as upstream', async () => {
    const multi = await call('/api/v1/namespaces/default/pods/web/log');
    expect(multi.body).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'a container name must be specified for pod web, choose one of: [a b]',
    });
    // Logs name init containers in the same list (validateContainer visits them all).
    expect((await call('/api/v1/namespaces/default/pods/withinit/log')).body.message).toBe(
      'a container name must be specified for pod withinit, choose one of: [setup a b]',
    );
    expect((await call('/api/v1/namespaces/default/pods/web/log?container=x')).body).toMatchObject({
      code: 400,
      message: 'container x is not valid for pod web',
    });
    const bad = await call('/api/v1/namespaces/default/pods/one/log?tailLines=-1');
    expect(bad.body).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        'PodLogOptions "one" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
    expect((await call('/api/v1/namespaces/default/pods/one/log?tailLines=x')).code).toBe(400);
    expect((await call('/api/v1/namespaces/default/pods/missing/log')).body).toMatchObject({
      code: 404,
      message: 'pods "missing" not found',
    });
  });

  it('an unscheduled pod has an empty log; a missing node or address is an error', async () => {
    expect(await call('/api/v1/namespaces/default/pods/unscheduled/log')).toMatchObject({
      code: 200,
      text: '',
    });
    expect((await call('/api/v1/namespaces/default/pods/ghost/log')).body).toMatchObject({
      code: 404,
      message: 'nodes "no-such-node" not found',
    });
    expect((await call('/api/v1/namespaces/default/pods/noaddr/log')).body).toMatchObject({
      code: 500,
      message: 'no preferred addresses found; known addresses: []',
    });
  });
});

/** Sends a raw upgrade request; resolves with the whole answer once the socket goes quiet. */
function rawUpgrade(path: string, method = 'GET', extra = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const s = net.connect(Number(url.port), url.hostname);
    let got = '';
    s.on('connect', () =>
      s.write(
        `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: a2V5a2V5a2V5a2V5a2V5a2V5\r\n` +
          `Sec-WebSocket-Protocol: v5.channel.k8s.io\r\nAuthorization: Bearer secret\r\n${extra}\r\n`,
      ),
    );
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\r\n\r\n') && got.startsWith('HTTP/1.1 101')) {
        s.write('ping-through');
        if (got.endsWith('ping-through')) {
          s.destroy();
          resolve(got);
        }
      }
    });
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
}

describe('pods/exec, attach, portforward', () => {
  it('relays the upgrade to the kubelet path, without the client credentials, then bytes', async () => {
    const answer = await rawUpgrade(
      '/api/v1/namespaces/default/pods/web/exec?container=a&command=sh&command=-c&command=echo%20hi&stdin=true&stdout=true&tty=false',
    );
    expect(answer.startsWith('HTTP/1.1 101 Switching Protocols')).toBe(true);
    expect(answer.endsWith('ping-through')).toBe(true);
    const req = seen.at(-1);
    expect(req?.url).toBe(
      '/exec/default/web/a?command=sh&command=-c&command=echo+hi&stdin=1&stdout=1',
    );
    expect(req?.headers['sec-websocket-protocol']).toBe('v5.channel.k8s.io');
    expect(req?.headers['sec-websocket-key']).toBe('a2V5a2V5a2V5a2V5a2V5a2V5');
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.headers.host).toBe(`127.0.0.1:${kubeletPort}`);
    await rawUpgrade('/api/v1/namespaces/default/pods/one/portforward?ports=80');
    expect(seen.at(-1)?.url).toBe('/portForward/default/one?ports=80');
    await rawUpgrade('/api/v1/namespaces/default/pods/one/attach?stdin=1&stdout=1', 'POST');
    expect(seen.at(-1)?.url).toBe('/attach/default/one/only?stdin=1&stdout=1');
  });

  it('answers errors as Status responses before upgrading', async () => {
    const multi = await rawUpgrade(
      '/api/v1/namespaces/default/pods/withinit/exec?command=true&stdout=1',
    );
    expect(multi).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(multi).toContain(
      '"message":"a container name must be specified for pod withinit, choose one of: [a b] or one of the init containers: [setup]"',
    );
    const unscheduled = await rawUpgrade(
      '/api/v1/namespaces/default/pods/unscheduled/exec?command=true',
    );
    expect(unscheduled).toContain('"message":"pod unscheduled does not have a host assigned"');
    expect(await rawUpgrade('/api/v1/namespaces/default/pods/unscheduled/portforward')).toContain(
      'pod unscheduled does not have a host assigned',
    );
    expect(await rawUpgrade('/api/v1/namespaces/default/pods/nope/attach')).toMatch(
      /^HTTP\/1\.1 404[\s\S]*pods \\"nope\\" not found/,
    );
  });

  it('a plain request is refused: upgrade required', async () => {
    const r = await call('/api/v1/namespaces/default/pods/web/exec?container=a&command=true');
    expect(r.body).toMatchObject({ code: 400, message: 'Upgrade request required' });
    expect((await call('/api/v1/namespaces/default/pods/web/portforward', 'POST')).code).toBe(400);
  });

  it('a dead kubelet is a 500 naming the dial error, as upstream', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await httpCall(server.url, 'POST', '/api/v1/nodes', { metadata: { name: 'dead' } });
    await httpCall(
      server.url,
      'PATCH',
      '/api/v1/nodes/dead/status',
      {
        status: {
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
          daemonEndpoints: { kubeletEndpoint: { Port: port } },
        },
      },
      'application/merge-patch+json',
    );
    await httpCall(server.url, 'POST', '/api/v1/namespaces/default/pods', {
      metadata: { name: 'orphan' },
      spec: { nodeName: 'dead', containers: [{ name: 'c', image: 'busybox' }] },
    });
    const answer = await rawUpgrade(
      '/api/v1/namespaces/default/pods/orphan/exec?command=true&stdout=1',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 500/);
    expect(answer).toContain(
      `"message":"error dialing backend: dial tcp 127.0.0.1:${port}: connect: connection refused"`,
    );
    const log = await call('/api/v1/namespaces/default/pods/orphan/log');
    expect(log.body).toMatchObject({
      code: 500,
      message: `Get "http://127.0.0.1:${port}/containerLogs/default/orphan/c": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it('other upgrade requests are served as plain requests', async () => {
    const answer = await rawUpgrade('/api/v1/namespaces/default/pods/one');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('"name":"one"');
  });
});
