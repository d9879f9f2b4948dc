/**
 * GET /containerLogs/{namespace}/{pod}/{container}: the container's log as text/plain, streamed
 * chunk by chunk (follow keeps the response open until the container exits or the client goes).
 * The query is PodLogOptions as the api-server passes it on: follow, previous, timestamps,
 * tailLines, sinceSeconds, sinceTime, limitBytes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStatusError } from '@kubeling/api';
import type { LogOptions, PodRef, StreamingRuntime } from './streamingRuntime';

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1' || v === 'True';
}

function intParam(q: URLSearchParams, name: string, min: number): number | undefined | string {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) return `invalid value for ${name}: ${JSON.stringify(v)}`;
  const n = Number(v);
  if (n < min)
    return `${name}: must be ${min === 0 ? 'greater than or equal to 0' : 'greater than 0'}`;
  return n;
}

/** PodLogOptions from the query, or the reason it is bad. */
export function parseLogQuery(container: string, q: URLSearchParams): LogOptions | string {
  const opts: LogOptions = {
    container,
    follow: flag(q, 'follow'),
    previous: flag(q, 'previous'),
    timestamps: flag(q, 'timestamps'),
  };
  const tailLines = intParam(q, 'tailLines', 0);
  const sinceSeconds = intParam(q, 'sinceSeconds', 1);
  const limitBytes = intParam(q, 'limitBytes', 1);
  for (const v of [tailLines, sinceSeconds, limitBytes]) if (typeof v === 'string') return v;
  if (typeof tailLines === 'number') opts.tailLines = tailLines;
  if (typeof sinceSeconds === 'number') opts.sinceSeconds = sinceSeconds;
  if (typeof limitBytes === 'number') opts.limitBytes = limitBytes;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    if (Number.isNaN(Date.parse(sinceTime)))
      return `invalid sinceTime: ${JSON.stringify(sinceTime)}`;
    if (opts.sinceSeconds !== undefined)
      return 'at most one of `sinceTime` or `sinceSeconds` may be specified';
    opts.sinceTime = sinceTime;
  }
  return opts;
}

/** Plain-text errors, as the kubelet writes them; the api-server turns them into a Status. */
export function writeTextError(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}

export async function serveContainerLogs(
  runtime: StreamingRuntime,
  pod: PodRef,
  container: string,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  const opts = parseLogQuery(container, query);
  if (typeof opts === 'string') return writeTextError(res, 400, opts);
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  req.on('aborted', () => abort.abort());
  const iterator = runtime.logs(pod, opts, abort.signal)[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    // The first chunk decides between an error answer and a 200 stream.
    first = await iterator.next();
  } catch (e) {
    return writeTextError(res, isStatusError(e) ? e.code : 500, (e as Error).message);
  }
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  try {
    for (let r = first; !r.done; r = await iterator.next()) {
      if (abort.signal.aborted) break;
      if (!res.write(r.value))
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go);
            res.off('close', go);
            resolve();
          };
          res.on('drain', go);
          res.on('close', go);
        });
    }
  } catch {
    // Mid-stream failures cannot change the status any more: the stream just ends.
  } finally {
    await iterator.return?.();
    res.end();
  }
}
