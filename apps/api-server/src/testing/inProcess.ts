/**
 * For the api-server's own specs: an api-server in the test's process on the shared Redis and
 * NATS, on a cluster (key prefix, NATS subjects) of its own so specs never see each other's
 * objects, and a plain HTTP call against it.
 *
 *   const cluster = testClusterName('tables');
 *   beforeAll(async () => { server = await startTestApiServer(cluster); });
 *   afterAll(() => stopTestApiServer(server));
 *   const r = await httpCall(server.url, 'GET', '/api/v1/namespaces');
 */
import { uniquePrefix } from '@kubeling/testing';
import type { RunningApiServer } from '../app';
import { startApiServer } from '../app';
import type { Config } from '../config';
import { parseConfig } from '../config';
import { createLogger } from '../log';

/** A cluster name unique to this run: a DNS label, as --cluster-name requires. */
export function testClusterName(label: string): string {
  return uniquePrefix(label)
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 40);
}

/** Starts an api-server on a free port; `flags` as on the command line, `overrides` after. */
export function startTestApiServer(
  cluster: string,
  flags: string[] = [],
  overrides: Partial<Config> = {},
): Promise<RunningApiServer> {
  const config = parseConfig(['--cluster-name', cluster, '--port', '0', ...flags]);
  return startApiServer({ ...config, ...overrides }, createLogger('api-server', 'error'));
}

/** Deletes the cluster's keys and stops the server (a no-op when it never started). */
export async function stopTestApiServer(server: RunningApiServer | undefined): Promise<void> {
  if (!server) return;
  await server.store.deleteAll();
  await server.stop();
}

export interface HttpResult {
  code: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

/** One request; `body` is sent as JSON unless it is already a string or a Buffer. */
export async function httpCall(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<HttpResult> {
  const init: RequestInit = { method, headers: { 'Content-Type': contentType } };
  if (body !== undefined)
    init.body =
      typeof body === 'string' || Buffer.isBuffer(body) ? (body as string) : JSON.stringify(body);
  const r = await fetch(base + path, init);
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* plain text */
  }
  return { code: r.status, body: parsed, text, headers: r.headers };
}
