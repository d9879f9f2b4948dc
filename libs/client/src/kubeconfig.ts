/**
 * A kubeconfig as HTTP transport options. The file is read by @kubernetes/client-node's
 * KubeConfig, so it follows kubectl's rules rather than ours: the current context (or the one
 * named), certificate and key files relative to the kubeconfig or inline `*-data`, the CA,
 * `insecure-skip-tls-verify`, `tls-server-name`, bearer tokens and token files, basic auth, and
 * exec / auth-provider plugins. What it yields:
 *
 *   server   the cluster's URL
 *   headers  Authorization (Bearer or Basic), when the user has credentials
 *   fetch    for an https server with TLS material: a fetch whose agent presents the client
 *            certificate and trusts the CA (the global fetch takes no agent)
 *
 * Credentials are read once, when the options are built. client-node is ESM-only and large,
 * so it is loaded on first use only: components on NATS never load it.
 *
 *   const client = new Client({ transport: new HttpTransport(await kubeconfigHttpOptions(file)) });
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import type { HttpTransportOptions } from './transport/http';

export interface KubeconfigOptions {
  /** A context of the file other than its current one. */
  context?: string;
}

export async function kubeconfigHttpOptions(
  file: string,
  opts: KubeconfigOptions = {},
): Promise<HttpTransportOptions> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  if (opts.context !== undefined) {
    if (!kc.getContextObject(opts.context))
      throw new Error(`${file}: context "${opts.context}" does not exist`);
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  const server = cluster?.server;
  if (!cluster || !server) throw new Error(`${file}: no server for the current context`);

  // client-node refuses an http:// server unless skip-TLS-verify is set; kubectl does not (and
  // kubeling's own kubeconfig is plain HTTP on loopback). Without TLS there is nothing to verify,
  // so the current cluster and user are handed over with the flag set.
  let source = kc;
  if (new URL(server).protocol === 'http:' && !cluster.skipTLSVerify) {
    source = new KubeConfig();
    source.loadFromClusterAndUser(
      { ...cluster, skipTLSVerify: true },
      kc.getCurrentUser() ?? { name: 'anonymous' },
    );
  }
  const tls: https.RequestOptions = {};
  await source.applyToHTTPSOptions(tls);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(tls.headers ?? {})) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  if (tls.auth) headers['Authorization'] = `Basic ${Buffer.from(tls.auth).toString('base64')}`;

  const out: HttpTransportOptions = { server };
  if (Object.keys(headers).length > 0) out.headers = headers;
  const agentOptions: https.AgentOptions = {
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
  };
  if (new URL(server).protocol === 'https:' && Object.keys(agentOptions).length > 0)
    out.fetch = agentFetch(new https.Agent({ keepAlive: true, ...agentOptions }));
  return out;
}

/**
 * The part of fetch HttpTransport uses (a URL string, method, headers, string body, signal;
 * status, headers and a streaming body back), over node:https with our own agent.
 */
export function agentFetch(agent: https.Agent): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const signal = init?.signal ?? undefined;
      const req = (url.protocol === 'https:' ? https : http).request(
        url,
        {
          method: init?.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init?.headers)),
          ...(url.protocol === 'https:' ? { agent } : {}),
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const one of v) headers.append(k, one);
            else if (v !== undefined) headers.set(k, v);
          }
          const status = res.statusCode ?? 500;
          const empty = status === 204 || status === 304 || init?.method === 'HEAD';
          if (empty) res.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
              status,
              statusText: res.statusMessage ?? '',
              headers,
            }),
          );
        },
      );
      // An aborted request rejects with the signal's reason (a TimeoutError for
      // AbortSignal.timeout), as the global fetch does.
      req.once('error', (err) => reject(signal?.aborted ? signal.reason : err));
      const body = init?.body;
      if (body === undefined || body === null) req.end();
      else if (typeof body === 'string') req.end(body);
      else {
        req.destroy();
        reject(new TypeError('agentFetch sends string bodies only'));
      }
    });
}
