/**
 * The typed client: the REST verbs of one resource (client-go's typed clientsets, generic over
 * the kind instead of generated per kind), over any `Transport`.
 *
 *   const client = new Client({ transport });
 *   const pods = client.resource(podKind).namespace('default');   // ResourceClient<Pod>
 *   const pod = await pods.get('web');
 *   await pods.patch('web', 'merge', { metadata: { labels: { tier: 'db' } } });
 *
 * Every failure is a thrown `StatusError` (`hasReason(e, 'NotFound')`, `e.code === 409`).
 *
 * Every call has a deadline (`timeoutMs`, default the client's, 30 s) and may take an
 * AbortSignal; within it the client waits for its QPS/burst token bucket (client-go's
 * defaults: 5 per second, bursts of 10; `qps <= 0`: no limit), then tries, and retries what
 * retry.ts allows (429 after Retry-After, requests no server received, reads and
 * precondition-guarded writes lost with a dead replica), at most `maxRetries` times.
 */
import type { Clock, KubeObject, Namespace, ObjectMeta, Scheme, Status } from '@kubeling/api';
import {
  badRequest,
  realClock,
  scheme as defaultScheme,
  sleep,
  statusFailure,
} from '@kubeling/api';
import { TokenBucket } from './flowcontrol/tokenBucket';
import type { ResourceInfo, ResourceName } from './resources';
import { apiVersionOfResource, resourceInfo } from './resources';
import type { RetriedRequest } from './retry';
import { DEFAULT_MAX_RETRIES, retryDelayMs } from './retry';
import { abortedError } from './transport/status';
import type {
  ApiRequest,
  AttemptOptions,
  PatchType,
  Query,
  Transport,
  WatchRequest,
  WatchStream,
} from './transport/types';

/** A list as the API returns it. */
export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** autoscaling/v1 Scale. */
export interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

/** core/v1 Binding: assigns a pod to a node (the scheduler's write). */
export interface Binding {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  target: { kind?: string; apiVersion?: string; name: string; namespace?: string };
}

/** The limits of one call, on every verb. */
export interface CallOptions {
  /**
   * Time limit of the whole call — waiting for a QPS token, every attempt, every wait before a
   * retry — after which it fails with 504 Timeout (default the client's `timeoutMs`).
   */
  timeoutMs?: number;
  /** Ends the call at once: it fails with the signal's reason if a StatusError, else 504. */
  signal?: AbortSignal;
}

export interface GetOptions extends CallOptions {
  resourceVersion?: string;
}

export interface ListOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  timeoutSeconds?: number;
}

/** `timeoutMs` bounds starting the watch; `signal` also stops the running watch. */
export interface WatchOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Changes after this one; '' or '0' starts with synthetic ADDED events for the current state. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions extends CallOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface DeleteOptions extends CallOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** A running watch of one resource; see WatchStream for its lifecycle. */
export type Watch<T> = WatchStream<T>;

export interface ClientOptions {
  transport: Transport;
  /** Where kinds are looked up by resource name; default libs/api's scheme. */
  scheme?: Scheme;
  /** Called with the server's warnings (deprecations, unknown fields under fieldValidation=Warn). */
  onWarning?: (warning: string, req: ApiRequest) => void;
  /** Default time limit of a call (default 30 s). */
  timeoutMs?: number;
  /** Requests per second this client may start (default 5, client-go's; <= 0: no limit). */
  qps?: number;
  /** Requests it may start at once after a quiet period (default 10, client-go's). */
  burst?: number;
  /** Retries of one call (default 10, client-go's maxRetries). */
  maxRetries?: number;
  /** For deadlines, throttling and retry waits; default the real clock. */
  clock?: Clock;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_QPS = 5;
export const DEFAULT_BURST = 10;

/** The CallOptions of an options object that also holds query parameters. */
function callOf(o: CallOptions): CallOptions {
  const c: CallOptions = {};
  if (o.timeoutMs !== undefined) c.timeoutMs = o.timeoutMs;
  if (o.signal) c.signal = o.signal;
  return c;
}

/**
 * `p`, or the signal's abort: a transport that does not honour the signal (a test fake) cannot
 * hold a call past its deadline.
 */
function untilAborted<R>(p: Promise<R>, signal: AbortSignal): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function describe(req: { verb: string; resource: string; namespace?: string; name?: string }) {
  const where = [req.namespace, req.name].filter((x) => x !== undefined).join('/');
  return `${req.verb} ${req.resource}${where ? ` ${where}` : ''}`;
}

function setIf(q: Query, key: string, v: string | number | boolean | undefined): void {
  if (v !== undefined && v !== '') q[key] = String(v);
}

function listQuery(o: ListOptions = {}): Query {
  const q: Query = {};
  setIf(q, 'labelSelector', o.labelSelector);
  setIf(q, 'fieldSelector', o.fieldSelector);
  if (o.limit) q.limit = String(o.limit);
  setIf(q, 'continue', o.continue);
  if (o.resourceVersion !== undefined) q.resourceVersion = o.resourceVersion;
  setIf(q, 'resourceVersionMatch', o.resourceVersionMatch);
  setIf(q, 'timeoutSeconds', o.timeoutSeconds);
  return q;
}

function writeQuery(o: WriteOptions = {}): Query {
  const q: Query = {};
  if (o.dryRun) q.dryRun = 'All';
  setIf(q, 'fieldManager', o.fieldManager);
  setIf(q, 'fieldValidation', o.fieldValidation);
  return q;
}

function deleteBody(o: DeleteOptions = {}): Record<string, unknown> | undefined {
  const b: Record<string, unknown> = {};
  if (o.gracePeriodSeconds !== undefined) b.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.propagationPolicy) b.propagationPolicy = o.propagationPolicy;
  if (o.preconditions) b.preconditions = o.preconditions;
  if (o.dryRun) b.dryRun = ['All'];
  return Object.keys(b).length ? { kind: 'DeleteOptions', apiVersion: 'v1', ...b } : undefined;
}

export class Client {
  readonly transport: Transport;
  readonly scheme: Scheme;
  /** The QPS/burst limiter; undefined when unlimited. */
  readonly rateLimiter: TokenBucket | undefined;
  private readonly onWarning: ((w: string, req: ApiRequest) => void) | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly clock: Clock;

  constructor(opts: ClientOptions) {
    this.transport = opts.transport;
    this.scheme = opts.scheme ?? defaultScheme;
    this.onWarning = opts.onWarning;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.clock = opts.clock ?? realClock;
    const qps = opts.qps ?? DEFAULT_QPS;
    this.rateLimiter =
      qps > 0
        ? new TokenBucket({ qps, burst: opts.burst ?? DEFAULT_BURST, clock: this.clock })
        : undefined;
  }

  /** The verbs of one resource, all namespaces (narrow with `.namespace(ns)`). */
  resource<T extends KubeObject = KubeObject>(name: ResourceName<T>): ResourceClient<T> {
    return new ResourceClient<T>(this, resourceInfo(name as ResourceName, this.scheme), undefined);
  }

  /** One call through the transport (throttled, retried, bounded), warnings reported; throws StatusError. */
  async request(req: ApiRequest, opts: CallOptions = {}): Promise<unknown> {
    const res = await this.call(req, describe(req), opts, (o) => this.transport.request(req, o));
    for (const w of res.warnings ?? []) this.onWarning?.(w, req);
    return res.body;
  }

  /** Starts a watch the same way: throttled, retried, bounded; `opts.signal` also stops it. */
  async watch(req: WatchRequest, opts: CallOptions = {}): Promise<WatchStream> {
    const stream = await this.call(
      { verb: 'watch' },
      describe({ verb: 'watch', ...req }),
      opts,
      (o) => this.transport.watch(req, o),
    );
    const signal = opts.signal;
    if (signal) {
      if (signal.aborted) stream.stop();
      else signal.addEventListener('abort', () => stream.stop(), { once: true });
    }
    return stream;
  }

  /**
   * The deadline, the caller's signal, the token bucket and the retry rules around attempts of
   * one call. Each attempt gets the time left and one signal that aborts with the reason
   * (deadline: 504 Timeout; the caller's reason when it aborts).
   */
  private async call<R>(
    req: RetriedRequest,
    what: string,
    opts: CallOptions,
    attempt: (o: AttemptOptions) => Promise<R>,
  ): Promise<R> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const deadline = this.clock.now() + timeoutMs;
    const ac = new AbortController();
    const cancelTimer = this.clock.setTimer(
      () => ac.abort(statusFailure('Timeout', `${what}: no answer within ${timeoutMs}ms`)),
      timeoutMs,
    );
    const caller = opts.signal;
    const onAbort = () => ac.abort(abortedError(caller!, what));
    if (caller?.aborted) onAbort();
    else caller?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let n = 0; ; n++) {
        if (ac.signal.aborted) throw abortedError(ac.signal, what);
        await this.rateLimiter?.wait({ deadline, signal: ac.signal });
        try {
          return await untilAborted(
            attempt({ timeoutMs: deadline - this.clock.now(), signal: ac.signal }),
            ac.signal,
          );
        } catch (e) {
          if (ac.signal.aborted) throw abortedError(ac.signal, what);
          const delay = retryDelayMs(req, e, n, this.maxRetries);
          if (delay === undefined || this.clock.now() + delay >= deadline) throw e;
          await sleep(this.clock, delay, ac.signal);
        }
      }
    } finally {
      cancelTimer();
      caller?.removeEventListener('abort', onAbort);
    }
  }

  /** POST pods/{name}/binding: assigns the pod named by binding.metadata to binding.target. */
  async bind(binding: Binding, opts: WriteOptions = {}): Promise<Status> {
    const { name, namespace } = binding.metadata;
    if (!name || !namespace)
      throw badRequest('a Binding needs metadata.name and metadata.namespace');
    return (await this.request(
      {
        verb: 'create',
        group: '',
        version: 'v1',
        resource: 'pods',
        namespace,
        name,
        subresource: 'binding',
        query: writeQuery(opts),
        body: { apiVersion: 'v1', kind: 'Binding', ...binding },
      },
      callOf(opts),
    )) as Status;
  }

  /** PUT namespaces/{name}/finalize: replaces spec.finalizers (the namespace controller's last step). */
  async finalizeNamespace(ns: Namespace, opts: WriteOptions = {}): Promise<Namespace> {
    const name = ns.metadata.name;
    if (!name) throw badRequest('a Namespace needs metadata.name');
    return (await this.request(
      {
        verb: 'update',
        group: '',
        version: 'v1',
        resource: 'namespaces',
        name,
        subresource: 'finalize',
        query: writeQuery(opts),
        body: { apiVersion: 'v1', kind: 'Namespace', ...ns },
      },
      callOf(opts),
    )) as Namespace;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}

export class ResourceClient<T extends KubeObject> {
  constructor(
    private readonly client: Client,
    readonly info: ResourceInfo,
    /** The namespace this client is scoped to; undefined: all namespaces. */
    readonly ns: string | undefined,
  ) {}

  /** The same verbs scoped to one namespace ('' or undefined: all namespaces). */
  namespace(ns: string | undefined): ResourceClient<T> {
    return new ResourceClient<T>(this.client, this.info, ns || undefined);
  }

  async get(name: string, opts: GetOptions = {}): Promise<T> {
    const query: Query = {};
    setIf(query, 'resourceVersion', opts.resourceVersion);
    return (await this.call('get', { name, query }, opts)) as T;
  }

  async list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    return (await this.call('list', { query: listQuery(opts) }, opts)) as ObjectList<T>;
  }

  async watch(opts: WatchOptions = {}): Promise<Watch<T>> {
    const query = listQuery(opts);
    if (opts.allowWatchBookmarks) query.allowWatchBookmarks = 'true';
    const req: ApiRequest = { verb: 'list', ...this.address(undefined, undefined), query };
    const { verb: _verb, ...watchReq } = req;
    return (await this.client.watch(watchReq, callOf(opts))) as WatchStream<unknown> as Watch<T>;
  }

  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return (await this.call(
      'create',
      {
        namespace: obj.metadata.namespace,
        query: writeQuery(opts),
        body: this.withTypeMeta(obj),
      },
      opts,
    )) as T;
  }

  /** PUT: optimistic concurrency on obj.metadata.resourceVersion (409 Conflict when stale). */
  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return (await this.call(
      'update',
      {
        namespace: obj.metadata.namespace,
        name: this.nameOf(obj),
        query: writeQuery(opts),
        body: this.withTypeMeta(obj),
      },
      opts,
    )) as T;
  }

  async patch(name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): Promise<T> {
    return (await this.call(
      'patch',
      {
        name,
        query: writeQuery(opts),
        body: patch,
        patchType: type,
      },
      opts,
    )) as T;
  }

  /** The deleted object's last state (or, with finalizers or a grace period, its current one), or a Status. */
  async delete(name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return (await this.call('delete', { name, body: deleteBody(opts) }, opts)) as T | Status;
  }

  async deleteCollection(
    list: ListOptions = {},
    opts: DeleteOptions = {},
  ): Promise<ObjectList<T> | Status> {
    return (await this.call(
      'deletecollection',
      {
        query: listQuery(list),
        body: deleteBody(opts),
      },
      { ...callOf(list), ...callOf(opts) },
    )) as ObjectList<T> | Status;
  }

  /** PUT {name}/status: only status changes are kept. */
  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return (await this.call(
      'update',
      {
        namespace: obj.metadata.namespace,
        name: this.nameOf(obj),
        subresource: 'status',
        query: writeQuery(opts),
        body: this.withTypeMeta(obj),
      },
      opts,
    )) as T;
  }

  async patchStatus(
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
  ): Promise<T> {
    return (await this.call(
      'patch',
      {
        name,
        subresource: 'status',
        query: writeQuery(opts),
        body: patch,
        patchType: type,
      },
      opts,
    )) as T;
  }

  async getScale(name: string, opts: CallOptions = {}): Promise<Scale> {
    return (await this.call('get', { name, subresource: 'scale' }, opts)) as Scale;
  }

  async updateScale(name: string, scale: Scale, opts: WriteOptions = {}): Promise<Scale> {
    return (await this.call(
      'update',
      {
        name,
        subresource: 'scale',
        query: writeQuery(opts),
        body: { apiVersion: 'autoscaling/v1', kind: 'Scale', ...scale },
      },
      opts,
    )) as Scale;
  }

  async patchScale(
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
  ): Promise<Scale> {
    return (await this.call(
      'patch',
      {
        name,
        subresource: 'scale',
        query: writeQuery(opts),
        body: patch,
        patchType: type,
      },
      opts,
    )) as Scale;
  }

  private nameOf(obj: T): string {
    const name = obj.metadata.name;
    if (!name) throw badRequest(`resource name may not be empty`);
    return name;
  }

  private withTypeMeta(obj: T): T {
    if (obj.apiVersion && obj.kind) return obj;
    return { ...obj, apiVersion: apiVersionOfResource(this.info), kind: this.info.kind };
  }

  /** group/version/resource/namespace, checking a namespaced name has a namespace to live in. */
  private address(
    objNamespace: string | undefined,
    /** Set when the verb addresses one object, which must then have a namespace. */
    one: { name: string } | undefined,
  ): Omit<ApiRequest, 'verb'> {
    const r: Omit<ApiRequest, 'verb'> = {
      group: this.info.group,
      version: this.info.version,
      resource: this.info.resource,
    };
    if (this.info.namespaced) {
      if (this.ns && objNamespace && objNamespace !== this.ns)
        throw badRequest(
          `the namespace of the provided object does not match the namespace sent on the request`,
        );
      const ns = this.ns ?? objNamespace;
      if (ns) r.namespace = ns;
      else if (one)
        throw badRequest(
          `a namespace is required for ${this.info.resource}${one.name ? ` "${one.name}"` : ''}`,
        );
    }
    return r;
  }

  private call(
    verb: ApiRequest['verb'],
    p: {
      namespace?: string | undefined;
      name?: string;
      subresource?: string;
      query?: Query;
      body?: unknown;
      patchType?: PatchType;
    },
    opts: CallOptions = {},
  ): Promise<unknown> {
    const one = verb === 'list' || verb === 'deletecollection' ? undefined : { name: p.name ?? '' };
    const req: ApiRequest = { verb, ...this.address(p.namespace, one) };
    if (p.name !== undefined) req.name = p.name;
    if (p.subresource !== undefined) req.subresource = p.subresource;
    if (p.query && Object.keys(p.query).length) req.query = p.query;
    if (p.body !== undefined) req.body = p.body;
    if (p.patchType !== undefined) req.patchType = p.patchType;
    return this.client.request(req, callOf(opts));
  }
}
