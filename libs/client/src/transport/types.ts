/**
 * What a client asks of the API, independent of how it travels: the `Transport` seam between
 * the typed client (client.ts) and the wire (HTTP in http.ts, NATS in nats.ts). A request names
 * group/version/resource[/subresource], namespace, name, verb, query and body — the same fields
 * the api-server's transport-neutral `Api` takes, and the NATS protocol's request (docs/protocol.md).
 */
import type { Status } from '@kubeling/api';

import type { ApiRequest as ApiRequestOf, ApiResponse, RequestVerb } from '@kubeling/api';

export type { ApiResponse, PatchType } from '@kubeling/api';

/** Every verb but watch, which has its own call. */
export type Verb = RequestVerb;

/** Query parameters as this client sends them: one string value each. */
export type Query = Record<string, string>;

/** A request of any verb but watch: @kubeling/api's shape (the api-server's), with single-valued query. */
export interface ApiRequest extends Omit<ApiRequestOf<RequestVerb>, 'query'> {
  query?: Query;
}

export interface WatchRequest {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  /** Watch one object (a `metadata.name=` field selector, as the api-server treats it). */
  name?: string;
  /** resourceVersion, labelSelector, fieldSelector, allowWatchBookmarks, timeoutSeconds. */
  query?: Query;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One event of a watch; an ERROR event carries a Status (410 Expired: relist). */
export type WatchEvent<T = unknown> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/**
 * A running watch: iterate its events. Iteration ends when the server ends the watch (timeout,
 * replica shutdown) and throws when the connection fails; either way the caller watches again
 * from the last resourceVersion it processed. `stop()` ends it from this side (iteration then
 * ends normally); it is idempotent.
 */
export interface WatchStream<T = unknown> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
}

/** The limits of one attempt, as the Client hands them to a transport. */
export interface AttemptOptions {
  /** Time left for this attempt (the transport's own default when absent). */
  timeoutMs?: number;
  /**
   * Ends the attempt at once: it rejects with `signal.reason` when that is a StatusError (the
   * Client's deadline or its caller's cancellation), else with a 504 Timeout.
   */
  signal?: AbortSignal;
}

/**
 * How requests reach an api-server. Implementations throw `StatusError` for every failure —
 * Status replies from the server as they are, and transport failures as Statuses too
 * (unreachable server: 503 ServiceUnavailable; no reply in time: 504 Timeout), marked with
 * `markTransportFailure` (transport/status.ts) when the Client may retry them — so callers
 * handle one error type. A transport makes one attempt; retries are the Client's (retry.ts).
 */
export interface Transport {
  request(req: ApiRequest, opts?: AttemptOptions): Promise<ApiResponse>;
  /** Resolves once the server accepted the watch; rejects with its Status otherwise. */
  watch(req: WatchRequest, opts?: AttemptOptions): Promise<WatchStream>;
  /** Ends every watch and releases connections the transport owns. */
  close(): Promise<void>;
}
