/**
 * The kubelet's server: the streaming endpoints the api-server relays kubectl's logs, exec,
 * attach, cp and port-forward to, on upstream's paths (pkg/kubelet/server/server.go):
 *
 *   GET  /healthz
 *   GET  /containerLogs/{namespace}/{pod}/{container}?follow&tailLines&timestamps&...
 *   GET|POST /exec/{namespace}/{pod}[/{uid}]/{container}?command=..&stdin=1&stdout=1&tty=1
 *   GET|POST /attach/{namespace}/{pod}[/{uid}]/{container}?stdin=1&stdout=1...
 *   GET|POST /portForward/{namespace}/{pod}[/{uid}]
 *
 * exec and attach are WebSocket upgrades with `v5.channel.k8s.io` (or v4); port-forward is a
 * WebSocket upgrade with `SPDY/3.1+portforward.k8s.io` (SPDY frames tunnelled in binary
 * messages: kubectl) or `v4.channel.k8s.io` (channels, ports in the query: client libraries).
 * A plain `Upgrade: SPDY/3.1` request (kubectl's fallback) is served too, for all three. Errors before an upgrade are plain text with an HTTP code, as the kubelet writes
 * them; the api-server turns them into Status objects.
 *
 *   const kubelet = await serveKubelet({ runtime, bindAddress: '127.0.0.1', port: 10250, log });
 *   ...
 *   await kubelet.close();
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { negotiateProtocol, remoteCommandProtocols } from './channels';
import { serveContainerLogs, writeTextError } from './containerLogs';
import { SpdyPortForwardSession } from './portForward';
import {
  parsePorts,
  portForwardChannelProtocols,
  servePortForwardChannels,
} from './portForwardChannels';
import { parseRemoteCommandQuery, serveRemoteCommand } from './remoteCommand';
import { SpdyRemoteCommandSession, spdyRemoteCommandProtocols } from './remoteCommandSpdy';
import type { PodRef, StreamingRuntime } from './streamingRuntime';

export const portForwardProtocols = ['SPDY/3.1+portforward.k8s.io'] as const;

export interface KubeletServerLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  debug?(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface KubeletServerOptions {
  /**
   * The node's runtime; or, for a process hosting several (hollow) nodes behind one port, a
   * function of the node name, which the api-server's relay names in the `X-Kubeling-Node`
   * header (upstream has one kubelet per address and no such header).
   */
  runtime: StreamingRuntime | ((nodeName: string) => StreamingRuntime | undefined);
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  log: KubeletServerLog;
}

export interface KubeletServer {
  /** e.g. http://127.0.0.1:10250 */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Route {
  kind: 'containerLogs' | 'exec' | 'attach' | 'portForward';
  pod: PodRef;
  container: string;
}

/** Upstream's paths; the optional uid segment pins the pod instance. */
export function parseKubeletPath(pathname: string): Route | undefined {
  const parts = pathname.split('/').filter(Boolean);
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [kind, namespace, name, ...rest] = decoded;
  if (!namespace || !name) return undefined;
  const pod: PodRef = { namespace, name };
  switch (kind) {
    case 'containerLogs':
      if (rest.length !== 1) return undefined;
      return { kind, pod, container: rest[0] as string };
    case 'exec':
    case 'attach':
      if (rest.length === 2) pod.uid = rest[0] as string;
      else if (rest.length !== 1) return undefined;
      return { kind, pod, container: rest[rest.length - 1] as string };
    case 'portForward':
      if (rest.length === 1) pod.uid = rest[0] as string;
      else if (rest.length !== 0) return undefined;
      return { kind, pod, container: '' };
    default:
      return undefined;
  }
}

export async function serveKubelet(opts: KubeletServerOptions): Promise<KubeletServer> {
  const { log } = opts;
  const runtimeFor = (req: http.IncomingMessage): StreamingRuntime | undefined => {
    if (typeof opts.runtime !== 'function') return opts.runtime;
    const node = String(req.headers['x-kubeling-node'] ?? '');
    return opts.runtime(node);
  };
  const wss = new WebSocketServer({
    noServer: true,
    // Protocol choice happens in handleProtocols below; no compression (kubectl offers none).
    perMessageDeflate: false,
    handleProtocols: (_offered, req) => chosen.get(req) ?? false,
  });
  const sockets = new Set<Duplex>();
  const tunnelled = new WeakSet<http.IncomingMessage>();
  /** The subprotocol picked for a request (per endpoint), answered by handleProtocols. */
  const chosen = new WeakMap<http.IncomingMessage, string>();
  wss.on('headers', (headers: string[], req: http.IncomingMessage) => {
    if (tunnelled.has(req)) headers.push(`Sec-WebSocket-Protocol: ${portForwardProtocols[0]}`);
  });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    const route = parseKubeletPath(url.pathname);
    if (!route) return writeTextError(res, 404, '404 page not found');
    const runtime = runtimeFor(req);
    if (!runtime) return writeTextError(res, 404, 'node not found');
    if (route.kind === 'containerLogs') {
      if (req.method !== 'GET') return writeTextError(res, 405, 'method not allowed');
      serveContainerLogs(runtime, route.pod, route.container, req, res, url.searchParams).catch(
        (e: unknown) => {
          log.error('containerLogs failed', { error: String(e) });
          writeTextError(res, 500, String(e));
        },
      );
      return;
    }
    // exec, attach and port-forward only work as upgrades.
    writeTextError(res, 400, 'Upgrade request required');
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const route = parseKubeletPath(url.pathname);
    const reject = (code: number, message: string) => {
      socket.end(
        `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`,
      );
    };
    if (!route || route.kind === 'containerLogs') return reject(404, '404 page not found');
    const runtime = runtimeFor(req);
    if (!runtime) return reject(404, 'node not found');
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'spdy/3.1')
      return serveSpdyUpgrade(req, socket, head, route, runtime, url, reject, log);
    if (upgrade !== 'websocket')
      return reject(400, `unsupported upgrade: ${String(req.headers.upgrade ?? '')}`);
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (route.kind === 'portForward') {
      const channels = negotiateProtocol(offered, portForwardChannelProtocols);
      if (!negotiateProtocol(offered, portForwardProtocols) && channels) {
        const ports = parsePorts(url.searchParams);
        if (typeof ports === 'string') return reject(400, ports);
        chosen.set(req, channels);
        wss.handleUpgrade(req, socket, head, (ws) =>
          servePortForwardChannels(ws, runtime, route.pod, ports),
        );
        return;
      }
      if (!negotiateProtocol(offered, portForwardProtocols))
        return reject(
          400,
          `unable to upgrade: unsupported protocol(s) ${JSON.stringify(offered)}, expected one of ${JSON.stringify([...portForwardProtocols, ...portForwardChannelProtocols])}`,
        );
      // `SPDY/3.1+portforward.k8s.io` is not an RFC 7230 token ('/'), which ws refuses to parse:
      // take the header out of its sight and answer it ourselves (the 'headers' hook above).
      delete req.headers['sec-websocket-protocol'];
      tunnelled.add(req);
      wss.handleUpgrade(req, socket, head, (ws) => servePortForward(ws, runtime, route.pod, log));
      return;
    }
    const protocol = negotiateProtocol(offered, remoteCommandProtocols);
    if (!protocol)
      return reject(
        400,
        `unable to upgrade: unsupported protocol(s) ${JSON.stringify(offered)}, expected one of ${JSON.stringify(remoteCommandProtocols)}`,
      );
    const parsed = parseRemoteCommandQuery(route.kind, route.container, url.searchParams);
    if (typeof parsed === 'string') return reject(400, parsed);
    chosen.set(req, protocol);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const run =
        parsed.kind === 'exec'
          ? (io: Parameters<StreamingRuntime['exec']>[2]) => runtime.exec(route.pod, parsed, io)
          : (io: Parameters<StreamingRuntime['exec']>[2]) =>
              runtime.attach(
                route.pod,
                {
                  container: parsed.container,
                  tty: parsed.tty,
                  stdin: parsed.stdin,
                  stdout: parsed.stdout,
                  stderr: parsed.stderr,
                },
                io,
              );
      serveRemoteCommand(ws, protocol, parsed, run).catch((e: unknown) => {
        log.error(`${parsed.kind} failed`, { error: String(e) });
        ws.terminate();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Streams are long-lived: no request timeout.
  server.requestTimeout = 0;
  const port = (server.address() as AddressInfo).port;
  const host = opts.bindAddress.includes(':') ? `[${opts.bindAddress}]` : opts.bindAddress;
  log.info('kubelet server listening', { address: `${host}:${port}` });
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A plain `Upgrade: SPDY/3.1` request (kubectl's fallback when WebSockets fail, and older
 * clients): 101 naming the chosen `X-Stream-Protocol-Version`, then SPDY on the socket itself.
 */
function serveSpdyUpgrade(
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  route: Route,
  runtime: StreamingRuntime,
  url: URL,
  reject: (code: number, message: string) => void,
  log: KubeletServerLog,
): void {
  const offered = String(req.headers['x-stream-protocol-version'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const supported: readonly string[] =
    route.kind === 'portForward' ? ['portforward.k8s.io'] : spdyRemoteCommandProtocols;
  const protocol = negotiateProtocol(offered, supported);
  if (!protocol)
    return reject(
      403,
      `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ${JSON.stringify(supported)}`,
    );
  let parsed: ReturnType<typeof parseRemoteCommandQuery> | undefined;
  if (route.kind === 'exec' || route.kind === 'attach') {
    parsed = parseRemoteCommandQuery(route.kind, route.container, url.searchParams);
    if (typeof parsed === 'string') return reject(400, parsed);
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  const transport = {
    send: (data: Buffer, done?: (err?: Error) => void) => {
      if (socket.destroyed || !socket.writable) return done?.(new Error('closed'));
      socket.write(data, (err) => done?.(err ?? undefined));
    },
    close: () => socket.end(),
  };
  let session: { receive(chunk: Buffer): void; close(): void };
  if (parsed && typeof parsed !== 'string') {
    const opts = parsed;
    const run = (io: Parameters<StreamingRuntime['exec']>[2]) =>
      opts.kind === 'exec'
        ? runtime.exec(route.pod, opts, io)
        : runtime.attach(
            route.pod,
            {
              container: opts.container,
              tty: opts.tty,
              stdin: opts.stdin,
              stdout: opts.stdout,
              stderr: opts.stderr,
            },
            io,
          );
    session = new SpdyRemoteCommandSession(opts, run, transport);
  } else {
    session = new SpdyPortForwardSession({
      runtime,
      pod: route.pod,
      transport,
      log: (msg, fields) => log.debug?.(msg, fields),
    });
  }
  socket.on('data', (chunk: Buffer) => session.receive(chunk));
  socket.on('close', () => session.close());
  socket.on('error', () => session.close());
  if (head.length) session.receive(head);
}

function servePortForward(
  ws: WebSocket,
  runtime: StreamingRuntime,
  pod: PodRef,
  log: KubeletServerLog,
): void {
  const session = new SpdyPortForwardSession({
    runtime,
    pod,
    transport: {
      send: (data, done) => {
        if (ws.readyState !== ws.OPEN) return done?.(new Error('closed'));
        ws.send(data, { binary: true }, (err) => done?.(err ?? undefined));
      },
      close: () => ws.close(1000),
    },
    log: (msg, fields) => log.debug?.(msg, fields),
  });
  ws.on('message', (data: Buffer) => session.receive(data));
  ws.on('close', () => session.close());
  ws.on('error', () => session.close());
}
