/**
 * The HTTP transport: the Kubernetes REST API through `fetch`, for tools and for talking to an
 * api-server from outside the bus. Components use the NATS transport; this one exists so that a
 * tool (or a test) needs nothing but the server's URL, and so both paths are exercised by the
 * same client code.
 *
 * Watches are `?watch=true` GETs answered with a chunked stream of JSON lines, one event per line.
 */
import type {
  ApiRequest,
  ApiResponse,
  AttemptOptions,
  PatchType,
  Query,
  Transport,
  WatchEvent,
  WatchRequest,
  WatchStream,
} from './types';
import { timeout } from '@kubeling/api';
import {
  abortedError,
  asStatusError,
  errorFromResponse,
  markTransportFailure,
  unreachable,
} from './status';

export interface HttpTransportOptions {
  /** The api-server's URL, e.g. `http://127.0.0.1:6443` (a kubeconfig's cluster.server). */
  server: string;
  /** Extra headers on every request (Authorization, User-Agent...). */
  headers?: Record<string, string>;
  /** Time limit of a request (every verb; for a watch, until its headers) when the caller gives none (default 60 s). */
  timeoutMs?: number;
  /** Injectable for tests; default the global fetch. */
  fetch?: typeof fetch;
}

const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

const methods = {
  get: 'GET',
  list: 'GET',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
} as const;

/**
 * The REST path of a request, as the api-server's RequestInfoFactory parses it:
 * `/api/v1/namespaces/{ns}/pods/{name}/status`, `/apis/apps/v1/deployments`, and the
 * namespace object's own `/api/v1/namespaces/{name}/finalize`.
 */
export function restPath(r: {
  group: string;
  version: string;
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
}): string {
  const parts = r.group ? ['apis', r.group, r.version] : ['api', r.version];
  if (r.namespace !== undefined && r.namespace !== '' && r.resource !== 'namespaces')
    parts.push('namespaces', r.namespace);
  parts.push(r.resource);
  if (r.name !== undefined) parts.push(r.name);
  if (r.subresource !== undefined) parts.push(r.subresource);
  return '/' + parts.map(encodeURIComponent).join('/');
}

function queryString(q: Query | undefined): string {
  const s = new URLSearchParams(q ?? {}).toString();
  return s ? `?${s}` : '';
}

/** Warning headers are `299 - "<text>"` (one header, or several joined by commas). */
export function parseWarnings(header: string | null): string[] {
  if (!header) return [];
  const out: string[] = [];
  const re = /\d{3} \S+ ("(?:[^"\\]|\\.)*")/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    try {
      out.push(JSON.parse(m[1] as string) as string);
    } catch {
      out.push(m[1] as string);
    }
  }
  return out;
}

/** Retry-After in seconds (the delta-seconds form; an HTTP date is not used by api-servers). */
export function parseRetryAfter(header: string | null): number | undefined {
  if (!header || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header);
}

/** The code of a network error (`ECONNREFUSED`...), which fetch keeps in `cause`. */
function networkCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * A failed fetch as a StatusError: our own abort (deadline, cancellation) as its reason, our
 * time limit as 504, a refused connection as `not-delivered` (nothing reached a server) and any
 * other network failure as `lost` (the server may have got the request).
 */
function fetchError(e: unknown, what: string, signal: AbortSignal, timeoutMs: number) {
  // A DOMException, not necessarily an Error of this realm (jest's vm, workers).
  if ((e as { name?: unknown } | null)?.name === 'TimeoutError')
    return timeout(`${what}: no response within ${timeoutMs}ms`);
  if (signal.aborted) return abortedError(signal, what);
  const err = unreachable(what, e);
  const code = networkCode(e);
  return markTransportFailure(
    err,
    code === 'ECONNREFUSED' || code === 'ENOTFOUND' ? 'not-delivered' : 'lost',
  );
}

function attemptSignal(opts: AttemptOptions, timeoutMs: number): AbortSignal {
  const t = AbortSignal.timeout(timeoutMs);
  return opts.signal ? AbortSignal.any([opts.signal, t]) : t;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class HttpTransport implements Transport {
  private readonly server: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly watches = new Set<WatchStream>();

  constructor(opts: HttpTransportOptions) {
    this.server = opts.server.replace(/\/+$/, '');
    this.headers = { Accept: 'application/json', ...opts.headers };
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.fetch = opts.fetch ?? fetch;
  }

  async request(req: ApiRequest, opts: AttemptOptions = {}): Promise<ApiResponse> {
    const url = this.server + restPath(req) + queryString(req.query);
    const what = `${methods[req.verb]} ${url}`;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const signal = attemptSignal(opts, timeoutMs);
    const headers: Record<string, string> = { ...this.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['Content-Type'] =
        req.verb === 'patch' ? patchContentTypes[req.patchType ?? 'merge'] : 'application/json';
    }
    let res: Response;
    try {
      res = await this.fetch(url, { method: methods[req.verb], headers, body, signal });
    } catch (e) {
      throw fetchError(e, what, signal, timeoutMs);
    }
    const parsed = await readBody(res).catch((e: unknown) => {
      if (signal.aborted) throw fetchError(e, what, signal, timeoutMs);
      throw markTransportFailure(asStatusError(e, `reading the response of ${what}`), 'lost');
    });
    if (res.status >= 400)
      throw errorFromResponse(res.status, parsed, parseRetryAfter(res.headers.get('retry-after')));
    const warnings = parseWarnings(res.headers.get('warning'));
    const out: ApiResponse = { code: res.status, body: parsed };
    if (warnings.length) out.warnings = warnings;
    return out;
  }

  async watch(req: WatchRequest, opts: AttemptOptions = {}): Promise<WatchStream> {
    const url = this.server + restPath(req) + queryString({ ...req.query, watch: 'true' });
    const abort = new AbortController();
    // The time limit and the caller's signal bound the wait for the headers, not the stream.
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const starting = attemptSignal(opts, timeoutMs);
    const onStartAbort = () => abort.abort(starting.reason);
    starting.addEventListener('abort', onStartAbort, { once: true });
    let res: Response;
    try {
      res = await this.fetch(url, { headers: this.headers, signal: abort.signal });
    } catch (e) {
      throw fetchError(e, `GET ${url}`, starting, timeoutMs);
    } finally {
      starting.removeEventListener('abort', onStartAbort);
    }
    if (res.status !== 200 || !res.body) {
      const parsed = await readBody(res).catch(() => undefined);
      throw errorFromResponse(res.status, parsed, parseRetryAfter(res.headers.get('retry-after')));
    }
    const reader = res.body.getReader();
    const watches = this.watches;
    let stopped = false;
    const stream: WatchStream = {
      stop() {
        if (stopped) return;
        stopped = true;
        watches.delete(stream);
        abort.abort();
      },
      [Symbol.asyncIterator]: () => lines(reader, () => stopped, url),
    };
    this.watches.add(stream);
    return stream;
  }

  async close(): Promise<void> {
    for (const w of [...this.watches]) w.stop();
  }
}

/** The events of a JSON-lines body; ends quietly once stopped, throws if the stream breaks. */
async function* lines(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  stopped: () => boolean,
  url: string,
): AsyncGenerator<WatchEvent> {
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (stopped()) return;
        throw unreachable(`watch ${url}`, e);
      }
      if (chunk.done) break;
      buf += decoder.decode(chunk.value, { stream: true });
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        yield JSON.parse(line) as WatchEvent;
        if (stopped()) return;
      }
    }
    const rest = buf.trim();
    if (rest && !stopped()) yield JSON.parse(rest) as WatchEvent;
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
