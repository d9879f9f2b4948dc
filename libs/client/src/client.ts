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
 */
import type { KubeObject, Namespace, ObjectMeta, Scheme, Status } from '@kubeling/api';
import { badRequest, scheme as defaultScheme } from '@kubeling/api';
import type { ResourceInfo, ResourceName } from './resources';
import { apiVersionOfResource, resourceInfo } from './resources';
import type { ApiRequest, PatchType, Query, Transport, WatchStream } from './transport/types';

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

export interface GetOptions {
  resourceVersion?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  timeoutSeconds?: number;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Changes after this one; '' or '0' starts with synthetic ADDED events for the current state. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface DeleteOptions {
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
  /** Sustained requests per second (`--kube-api-qps`), for the client's rate limiter. */
  qps?: number;
  /** Requests allowed above qps in a burst (`--kube-api-burst`), for the client's rate limiter. */
  burst?: number;
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
  private readonly onWarning: ((w: string, req: ApiRequest) => void) | undefined;

  constructor(opts: ClientOptions) {
    this.transport = opts.transport;
    this.scheme = opts.scheme ?? defaultScheme;
    this.onWarning = opts.onWarning;
  }

  /** The verbs of one resource, all namespaces (narrow with `.namespace(ns)`). */
  resource<T extends KubeObject = KubeObject>(name: ResourceName<T>): ResourceClient<T> {
    return new ResourceClient<T>(this, resourceInfo(name as ResourceName, this.scheme), undefined);
  }

  /** One request through the transport, warnings reported; throws StatusError. */
  async request(req: ApiRequest): Promise<unknown> {
    const res = await this.transport.request(req);
    for (const w of res.warnings ?? []) this.onWarning?.(w, req);
    return res.body;
  }

  /** POST pods/{name}/binding: assigns the pod named by binding.metadata to binding.target. */
  async bind(binding: Binding, opts: WriteOptions = {}): Promise<Status> {
    const { name, namespace } = binding.metadata;
    if (!name || !namespace)
      throw badRequest('a Binding needs metadata.name and metadata.namespace');
    return (await this.request({
      verb: 'create',
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace,
      name,
      subresource: 'binding',
      query: writeQuery(opts),
      body: { apiVersion: 'v1', kind: 'Binding', ...binding },
    })) as Status;
  }

  /** PUT namespaces/{name}/finalize: replaces spec.finalizers (the namespace controller's last step). */
  async finalizeNamespace(ns: Namespace, opts: WriteOptions = {}): Promise<Namespace> {
    const name = ns.metadata.name;
    if (!name) throw badRequest('a Namespace needs metadata.name');
    return (await this.request({
      verb: 'update',
      group: '',
      version: 'v1',
      resource: 'namespaces',
      name,
      subresource: 'finalize',
      query: writeQuery(opts),
      body: { apiVersion: 'v1', kind: 'Namespace', ...ns },
    })) as Namespace;
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
    return (await this.call('get', { name, query })) as T;
  }

  async list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    return (await this.call('list', { query: listQuery(opts) })) as ObjectList<T>;
  }

  async watch(opts: WatchOptions = {}): Promise<Watch<T>> {
    const query = listQuery(opts);
    if (opts.allowWatchBookmarks) query.allowWatchBookmarks = 'true';
    const req: ApiRequest = { verb: 'list', ...this.address(undefined, undefined), query };
    const { verb: _verb, ...watchReq } = req;
    return (await this.client.transport.watch(watchReq)) as WatchStream<unknown> as Watch<T>;
  }

  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return (await this.call('create', {
      namespace: obj.metadata.namespace,
      query: writeQuery(opts),
      body: this.withTypeMeta(obj),
    })) as T;
  }

  /** PUT: optimistic concurrency on obj.metadata.resourceVersion (409 Conflict when stale). */
  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return (await this.call('update', {
      namespace: obj.metadata.namespace,
      name: this.nameOf(obj),
      query: writeQuery(opts),
      body: this.withTypeMeta(obj),
    })) as T;
  }

  async patch(name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): Promise<T> {
    return (await this.call('patch', {
      name,
      query: writeQuery(opts),
      body: patch,
      patchType: type,
    })) as T;
  }

  /** The deleted object's last state (or, with finalizers or a grace period, its current one), or a Status. */
  async delete(name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return (await this.call('delete', { name, body: deleteBody(opts) })) as T | Status;
  }

  async deleteCollection(
    list: ListOptions = {},
    opts: DeleteOptions = {},
  ): Promise<ObjectList<T> | Status> {
    return (await this.call('deletecollection', {
      query: listQuery(list),
      body: deleteBody(opts),
    })) as ObjectList<T> | Status;
  }

  /** PUT {name}/status: only status changes are kept. */
  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return (await this.call('update', {
      namespace: obj.metadata.namespace,
      name: this.nameOf(obj),
      subresource: 'status',
      query: writeQuery(opts),
      body: this.withTypeMeta(obj),
    })) as T;
  }

  async patchStatus(
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
  ): Promise<T> {
    return (await this.call('patch', {
      name,
      subresource: 'status',
      query: writeQuery(opts),
      body: patch,
      patchType: type,
    })) as T;
  }

  async getScale(name: string): Promise<Scale> {
    return (await this.call('get', { name, subresource: 'scale' })) as Scale;
  }

  async updateScale(name: string, scale: Scale, opts: WriteOptions = {}): Promise<Scale> {
    return (await this.call('update', {
      name,
      subresource: 'scale',
      query: writeQuery(opts),
      body: { apiVersion: 'autoscaling/v1', kind: 'Scale', ...scale },
    })) as Scale;
  }

  async patchScale(
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
  ): Promise<Scale> {
    return (await this.call('patch', {
      name,
      subresource: 'scale',
      query: writeQuery(opts),
      body: patch,
      patchType: type,
    })) as Scale;
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
  ): Promise<unknown> {
    const one = verb === 'list' || verb === 'deletecollection' ? undefined : { name: p.name ?? '' };
    const req: ApiRequest = { verb, ...this.address(p.namespace, one) };
    if (p.name !== undefined) req.name = p.name;
    if (p.subresource !== undefined) req.subresource = p.subresource;
    if (p.query && Object.keys(p.query).length) req.query = p.query;
    if (p.body !== undefined) req.body = p.body;
    if (p.patchType !== undefined) req.patchType = p.patchType;
    return this.client.request(req);
  }
}
