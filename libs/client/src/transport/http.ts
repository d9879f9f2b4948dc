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
  PatchType,
  Query,
  Transport,
  WatchEvent,
  WatchRequest,
  WatchStream,
} from './types';
import { timeout } from '@kubeling/api';
import { asStatusError, errorFromResponse, unreachable } from './status';

export interface HttpTransportOptions {
  /** The api-server's URL, e.g. `http://127.0.0.1:6443` (a kubeconfig's cluster.server). */
  server: string;
  /** Extra headers on every request (Authorization, User-Agent...). */
  headers?: Record<string, string>;
  /** Per-request time limit for every verb but watch (default 60 s, client-go's default). */
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

  async request(req: ApiRequest): Promise<ApiResponse> {
    const url = this.server + restPath(req) + queryString(req.query);
    const headers: Record<string, string> = { ...this.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['Content-Type'] =
        req.verb === 'patch' ? patchContentTypes[req.patchType ?? 'merge'] : 'application/json';
    }
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: methods[req.verb],
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      // A DOMException, not necessarily an Error of this realm (jest's vm, workers).
      if ((e as { name?: unknown } | null)?.name === 'TimeoutError')
        throw timeout(`${methods[req.verb]} ${url}: no response within ${this.timeoutMs}ms`);
      throw unreachable(`${methods[req.verb]} ${url}`, e);
    }
    const parsed = await readBody(res).catch((e: unknown) => {
      throw asStatusError(e, `reading the response of ${methods[req.verb]} ${url}`);
    });
    if (res.status >= 400) throw errorFromResponse(res.status, parsed);
    const warnings = parseWarnings(res.headers.get('warning'));
    const out: ApiResponse = { code: res.status, body: parsed };
    if (warnings.length) out.warnings = warnings;
    return out;
  }

  async watch(req: WatchRequest): Promise<WatchStream> {
    const url = this.server + restPath(req) + queryString({ ...req.query, watch: 'true' });
    const abort = new AbortController();
    let res: Response;
    try {
      res = await this.fetch(url, { headers: this.headers, signal: abort.signal });
    } catch (e) {
      throw unreachable(`GET ${url}`, e);
    }
    if (res.status !== 200 || !res.body) {
      const parsed = await readBody(res).catch(() => undefined);
      throw errorFromResponse(res.status, parsed);
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
