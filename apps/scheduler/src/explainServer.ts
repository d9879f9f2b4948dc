/**
 * GET /debug/decisions/<namespace>/<pod> on the scheduler's port: the last decision about the
 * pod as JSON (DecisionView), or 404 when this replica has none (it is not the leader, or the
 * pod is older than the ring). `kubeling explain pod` reads it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DecisionLog } from './decisions';
import { viewOf } from './decisions';

const path = /^\/debug\/decisions\/([^/]+)\/([^/]+)\/?$/;

export function decisionsHandler(log: DecisionLog) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = req.method === 'GET' ? path.exec(url.pathname) : null;
    if (!m) return false;
    const key = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`;
    const d = log.get(key);
    res.setHeader('Content-Type', 'application/json');
    if (!d) {
      res.statusCode = 404;
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: `no scheduling decision recorded for pod ${key}`,
          reason: 'NotFound',
          code: 404,
        }),
      );
      return true;
    }
    res.statusCode = 200;
    res.end(JSON.stringify(viewOf(d)));
    return true;
  };
}
