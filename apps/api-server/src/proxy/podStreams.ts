/**
 * The pods/log, pods/exec, pods/attach and pods/portforward subresources: the api-server finds
 * the kubelet of the pod's node (./location) and relays the request to it, as upstream's
 * LocationStreamer (logs) and UpgradeAwareHandler (the upgrades) do.
 *
 * - log: an HTTP GET to the kubelet; its text/plain body is streamed back chunk by chunk. A
 *   kubelet error answer becomes a Status (400 → BadRequest with the kubelet's text, as
 *   upstream's GenericHttpResponseChecker).
 * - exec, attach, portforward: only as upgrades (WebSocket, or SPDY/3.1 for old clients). The
 *   request line and headers go to the kubelet unchanged but for the path and Host, then bytes
 *   flow both ways untouched: the kubelet's 101 (and its Sec-WebSocket-Accept, computed from
 *   the client's key) reaches the client as is. A plain request gets upstream's 400
 *   `Upgrade request required`.
 *
 * A kubelet that cannot be reached answers as upstream does: a 500 Status whose message names
 * the dial error (`error dialing backend: dial tcp 10.0.0.1:10250: connect: connection refused`).
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Status } from '@kubeling/api';
import { badRequest, fromStatus, isStatusError, statusFailure, toStatus } from '@kubeling/api';
import type { Logger } from '../log';
import type { Api } from '../registry/api';
import type { Query } from '../registry/options';
import type { KubeletLocation, StreamKind } from './location';
import { kubeletLocation } from './location';

const streamPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|exec|attach|portforward)$/;

export interface PodStreamTarget {
  namespace: string;
  name: string;
  kind: StreamKind;
}

export function parsePodStreamPath(pathname: string): PodStreamTarget | undefined {
  const m = streamPath.exec(pathname);
  if (!m) return undefined;
  try {
    return {
      namespace: decodeURIComponent(m[1] as string),
      name: decodeURIComponent(m[2] as string),
      kind: m[3] as StreamKind,
    };
  } catch {
    return undefined;
  }
}

function queryOf(url: URL): Query {
  const q: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    q[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return q as Query;
}

/** How Go prints a failed dial; kubectl users know these messages. */
export function dialErrorMessage(host: string, port: number, err: NodeJS.ErrnoException): string {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${target}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${target}: connect: no route to host`;
    case 'ETIMEDOUT':
      return `dial tcp ${target}: i/o timeout`;
    default:
      return `dial tcp ${target}: ${err.message}`;
  }
}

/** Status for an error that is not an API error: 500 with no reason, as ErrorToAPIStatus. */
function unknownError(message: string): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    code: 500,
  };
}

/** A kubelet's non-2xx answer as a Status (upstream's GenericHttpResponseChecker). */
export function kubeletErrorStatus(code: number, body: string, name: string): Status {
  const text = body.trim();
  if (code === 400) return badRequest(text).status;
  if (code === 404)
    return statusFailure('NotFound', text || 'the server could not find the requested resource', {
      name,
      kind: 'pods/log',
    }).status;
  if (code === 500) return statusFailure('InternalError', text).status;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      text ||
      `the server responded with the status code ${code} but did not return more information`,
    code,
  };
}

function writeStatusToSocket(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${status.code} ${http.STATUS_CODES[status.code] ?? ''}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** Headers never passed on to the kubelet: the client's credentials are the api-server's. */
const dropHeaders = new Set([
  'host',
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-kubeling-node',
]);

export class PodStreams {
  /** Upgraded connections: the HTTP server no longer tracks them, stop() must end them. */
  private readonly sockets = new Set<Duplex>();

  constructor(private readonly deps: { api: Api; log: Logger }) {}

  /** Ends every relayed stream (the api-server is stopping). */
  close(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Express middleware: pods/log, and plain (non-upgrade) exec/attach/portforward requests. */
  readonly handleRequest = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    next: (err?: unknown) => void,
  ): void => {
    const url = new URL(req.url ?? '/', 'http://api-server');
    const target = parsePodStreamPath(url.pathname);
    if (!target) return next();
    if (target.kind !== 'log') {
      if (req.method !== 'GET' && req.method !== 'POST') return next();
      return next(badRequest('Upgrade request required'));
    }
    if (req.method !== 'GET') return next();
    this.relayLog(target, url, req, res).catch(next);
  };

  private async relayLog(
    target: PodStreamTarget,
    url: URL,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const loc = await kubeletLocation(
      this.deps.api,
      'log',
      target.namespace,
      target.name,
      queryOf(url),
    );
    if (!loc) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const upstream = http.request(
        {
          host: loc.host,
          port: loc.port,
          path: loc.path,
          method: 'GET',
          headers: { 'X-Kubeling-Node': loc.nodeName },
        },
        (kres) => {
          const code = kres.statusCode ?? 500;
          if (code < 200 || code > 206) {
            const chunks: Buffer[] = [];
            kres.on('data', (c: Buffer) => chunks.push(c));
            kres.on('end', () =>
              reject(
                fromStatus(
                  kubeletErrorStatus(code, Buffer.concat(chunks).toString('utf8'), target.name),
                ),
              ),
            );
            kres.on('error', reject);
            return;
          }
          res.writeHead(200, {
            'Content-Type': 'text/plain',
            'Transfer-Encoding': 'chunked',
            'Cache-Control': 'no-cache, private',
          });
          res.flushHeaders();
          kres.pipe(res);
          kres.on('end', resolve);
          kres.on('error', () => {
            res.end();
            resolve();
          });
        },
      );
      // The client went away (kubectl logs -f interrupted): stop reading from the kubelet.
      res.on('close', () => upstream.destroy());
      req.on('aborted', () => upstream.destroy());
      upstream.on('error', (err: NodeJS.ErrnoException) => {
        if (res.headersSent) {
          res.end();
          resolve();
          return;
        }
        const u = `http://${loc.host}:${loc.port}${loc.path}`;
        reject(
          fromStatus(unknownError(`Get "${u}": ${dialErrorMessage(loc.host, loc.port, err)}`)),
        );
      });
      upstream.end();
    });
  }

  /**
   * The server's 'upgrade' event. Pod streams are relayed to the kubelet; any other upgrade
   * request is answered by `fallback` (the express app) as a plain request.
   */
  readonly handleUpgrade = (
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    fallback: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  ): void => {
    socket.on('error', () => socket.destroy());
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    const url = new URL(req.url ?? '/', 'http://api-server');
    const target = parsePodStreamPath(url.pathname);
    if (!target || target.kind === 'log') {
      const res = new http.ServerResponse(req);
      res.assignSocket(socket as net.Socket);
      res.on('finish', () => socket.end());
      fallback(req, res);
      return;
    }
    kubeletLocation(this.deps.api, target.kind, target.namespace, target.name, queryOf(url)).then(
      (loc) => this.relayUpgrade(loc as KubeletLocation, req, socket, head),
      (e: unknown) => {
        if (!isStatusError(e))
          this.deps.log.error('pod stream failed', {
            error: e instanceof Error ? e.stack : String(e),
          });
        writeStatusToSocket(socket, toStatus(e));
      },
    );
  };

  private relayUpgrade(
    loc: KubeletLocation,
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): void {
    if (socket.destroyed) return;
    const upstream = net.connect({ host: loc.host, port: loc.port });
    let connected = false;
    upstream.on('connect', () => {
      connected = true;
      let request = `${req.method ?? 'GET'} ${loc.path} HTTP/1.1\r\n`;
      request += `Host: ${loc.host.includes(':') ? `[${loc.host}]` : loc.host}:${loc.port}\r\n`;
      request += `X-Kubeling-Node: ${loc.nodeName}\r\n`;
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i] as string;
        if (dropHeaders.has(name.toLowerCase())) continue;
        request += `${name}: ${req.rawHeaders[i + 1] as string}\r\n`;
      }
      upstream.write(request + '\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) {
        writeStatusToSocket(
          socket,
          unknownError(`error dialing backend: ${dialErrorMessage(loc.host, loc.port, err)}`),
        );
        return;
      }
      socket.destroy();
    });
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  }
}
