/**
 * kube-apiserver's max-in-flight limit (k8s.io/apiserver pkg/server/filters/maxinflight.go):
 * two pools, one for read-only requests (`--max-requests-inflight`, default 400) and one for
 * mutating ones (`--max-mutating-requests-inflight`, default 200). A request that finds its pool
 * full is not queued: it is answered at once with 429 TooManyRequests, "Too many requests,
 * please try again later.", and Retry-After 1 s (the HTTP header, and `details.retryAfterSeconds`
 * in the Status, which is what a NATS reply carries), so the client backs off and — over NATS —
 * may land on a less busy replica. Long-running requests (watch; exec, logs and proxy when they
 * arrive) are exempt, as upstream: they would hold a slot for their whole life. A limit of 0
 * means no limit. One limiter serves a replica's HTTP and NATS transports alike.
 */
import { tooManyRequests } from '@kubeling/api';
import type { StatusError } from '@kubeling/api';
import type { Verb } from '../registry/api';

export const DEFAULT_MAX_REQUESTS_INFLIGHT = 400;
export const DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT = 200;

/** apiserver_current_inflight_requests's request_kind label values. */
export type RequestKind = 'readOnly' | 'mutating';

export interface MaxInFlightOptions {
  maxRequestsInflight?: number;
  maxMutatingRequestsInflight?: number;
  /** Told of every change of a pool's count (the apiserver_current_inflight_requests gauge). */
  onChange?(kind: RequestKind, delta: number): void;
}

/** Upstream's long-running check: requests that stream for as long as the client wants. */
export function isLongRunning(verb: Verb): boolean {
  return verb === 'watch';
}

export function kindOf(verb: Verb): RequestKind {
  return verb === 'get' || verb === 'list' || verb === 'watch' ? 'readOnly' : 'mutating';
}

/** The answer to a request its pool had no room for. */
export function tooManyRequestsError(): StatusError {
  return tooManyRequests('Too many requests, please try again later.', 1);
}

export class MaxInFlight {
  private readonly limits: Record<RequestKind, number>;
  private readonly inFlight: Record<RequestKind, number> = { readOnly: 0, mutating: 0 };

  constructor(private readonly opts: MaxInFlightOptions = {}) {
    this.limits = {
      readOnly: opts.maxRequestsInflight ?? DEFAULT_MAX_REQUESTS_INFLIGHT,
      mutating: opts.maxMutatingRequestsInflight ?? DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT,
    };
    for (const [k, v] of Object.entries(this.limits))
      if (!Number.isInteger(v) || v < 0)
        throw new Error(`max ${k} requests in flight must be a non-negative integer, got ${v}`);
  }

  /** Requests of that kind being served now. */
  current(kind: RequestKind): number {
    return this.inFlight[kind];
  }

  /**
   * Takes a slot for a request with this verb and returns its release (call it once, when the
   * request is answered); throws the 429 when the pool is full. Long-running requests take none.
   */
  acquire(verb: Verb): () => void {
    if (isLongRunning(verb)) return () => undefined;
    const kind = kindOf(verb);
    const limit = this.limits[kind];
    if (limit > 0 && this.inFlight[kind] >= limit) throw tooManyRequestsError();
    this.inFlight[kind]++;
    this.opts.onChange?.(kind, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight[kind]--;
      this.opts.onChange?.(kind, -1);
    };
  }
}
