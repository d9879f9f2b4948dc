/**
 * The API, independent of transport: a request names group/version/resource[/subresource],
 * namespace, name, verb, query and body; the answer is a code and a body, or a watch stream.
 * HTTP (and, later, NATS) only translate to and from these, so both share one code path for
 * validation, defaulting, admission and errors.
 */
import type {
  ApiRequest as ApiRequestShape,
  ApiResponse as ApiResponseShape,
  ApiVerb,
  Clock,
  KindInfo,
  Scheme,
} from '@kubeling/api';
import { badRequest, methodNotSupported, parseFieldSelector, statusFailure } from '@kubeling/api';
import type { StorageInterface } from '@kubeling/store';
import type { CacherOptions, Indexers } from '../cacher';
import { Cacher } from '../cacher';
import {
  ensureDefaultNamespaces,
  finalizeNamespace,
  NamespaceLifecycle,
  namespaceHooks,
} from './namespaces';
import type { WriteOptions } from './options';
import {
  parseDeleteOptions,
  parseListOptions,
  parseWatchOptions,
  parseWriteOptions,
} from './options';
import { unsupportedPatch } from './patchTypes';
import { bindPod, podHooks, podIndexers } from './pods';
import { admissionChain } from './admission';
import { ServiceAccountAdmission } from './serviceAccount';
import { ensureSystemPriorityClasses, PriorityAdmission, priorityClassHooks } from './priority';
import type { KindHooks } from './resource';
import type { DefaultTolerationSecondsOptions } from './defaultTolerationSeconds';
import { DefaultTolerationSeconds } from './defaultTolerationSeconds';
import { ResourceRegistry } from './resource';
import { getScale, patchScale, updateScale } from './scale';
import type { Cidr } from './services';
import { firstServiceIP, ServiceAllocator, serviceHooks } from './services';
import type { ActiveWatch, WatchSink } from './watch';
import { startWatch } from './watch';
import { checkBodyDepth } from './bodyDepth';

export type Verb = ApiVerb;

/** A request as every transport hands it over (@kubeling/api's shape, shared with bus and client). */
export type ApiRequest = ApiRequestShape;

/** Write options from the query, plus the User-Agent the field manager falls back to. */
function writeOptionsOf(req: ApiRequest): WriteOptions {
  const opts = parseWriteOptions(req.query ?? {});
  if (req.userAgent) opts.userAgent = req.userAgent;
  return opts;
}

export type ApiResponse = ApiResponseShape;

export interface ApiOptions {
  store: StorageInterface;
  /**
   * The watch cache in front of the store (lists and watches from memory): its options, or
   * false to read the store directly. Default: on, with cacherDefaults.
   */
  watchCache?: CacherOptions | false;
  scheme: Scheme;
  clock: Clock;
  serviceCidr: Cidr;
  nodePortRange: { min: number; max: number };
  minRequestTimeoutSeconds: number;
  bookmarkIntervalMs?: number;
  /** --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds (300 each). */
  defaultTolerationSeconds?: DefaultTolerationSecondsOptions;
}

/** What upstream answers for a path it does not serve. */
export function resourceNotFound() {
  return statusFailure('NotFound', 'the server could not find the requested resource', {});
}

export class Api {
  private readonly registries = new Map<string, ResourceRegistry>();
  private readonly namespaceLifecycle: NamespaceLifecycle;
  private readonly cacher: Cacher | undefined;
  /** What the registries read and write through: the watch cache, or the store itself. */
  readonly storage: StorageInterface;

  constructor(private readonly opts: ApiOptions) {
    // Fields each resource is indexed by in the watch cache (upstream: the registry's Indexers).
    const indexers: Record<string, Indexers> = { '/pods': podIndexers };
    if (opts.watchCache === false) this.storage = opts.store;
    else {
      this.cacher = new Cacher(opts.store, { indexers, ...opts.watchCache });
      this.storage = this.cacher;
    }
    const lifecycle = new NamespaceLifecycle(this.storage);
    this.namespaceLifecycle = lifecycle;
    // Upstream's order: NamespaceLifecycle, ServiceAccount, Priority, DefaultTolerationSeconds.
    const priority = new PriorityAdmission(this.storage);
    const admission = admissionChain(
      lifecycle,
      new ServiceAccountAdmission(),
      priority,
      new DefaultTolerationSeconds(opts.defaultTolerationSeconds),
    );
    const allocator = new ServiceAllocator({
      store: this.storage,
      serviceCidr: opts.serviceCidr,
      nodePortRange: opts.nodePortRange,
    });
    const hooks: Record<string, KindHooks> = {
      '/pods': podHooks,
      '/services': serviceHooks(allocator),
      '/namespaces': namespaceHooks(opts.clock, lifecycle),
      'scheduling.k8s.io/priorityclasses': priorityClassHooks(priority),
    };
    for (const info of opts.scheme.all()) {
      const k = `${info.group}/${info.resource}`;
      this.registries.set(
        k,
        new ResourceRegistry(info, {
          store: this.storage,
          clock: opts.clock,
          admission,
          hooks: hooks[k],
        }),
      );
    }
  }

  /** The registry serving group/version/resource, if any. */
  registry(group: string, version: string, resource: string): ResourceRegistry | undefined {
    const reg = this.registries.get(`${group}/${resource}`);
    return reg && reg.info.version === version ? reg : undefined;
  }

  kinds(): KindInfo[] {
    return [...this.registries.values()].map((r) => r.info);
  }

  /** Creates what a fresh cluster has: the initial namespaces and the `kubernetes` Service. */
  async bootstrap(apiPort: number): Promise<void> {
    await ensureDefaultNamespaces(this.registry('', 'v1', 'namespaces')!);
    await this.namespaceLifecycle.start();
    await ensureSystemPriorityClasses(this.registry('scheduling.k8s.io', 'v1', 'priorityclasses')!);
    const services = this.registry('', 'v1', 'services')!;
    const exists = async () =>
      (await this.storage.get(services.gr, 'default', 'kubernetes')) !== undefined;
    if (await exists()) return;
    try {
      await services.create(
        'default',
        {
          metadata: {
            name: 'kubernetes',
            labels: { component: 'apiserver', provider: 'kubernetes' },
          },
          spec: {
            clusterIP: firstServiceIP(this.opts.serviceCidr),
            ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort }],
          },
        },
        { dryRun: false, fieldValidation: 'Strict', fieldManager: 'kube-apiserver' },
      );
    } catch (e) {
      // Another replica bootstrapping at the same moment won the name or the IP: it is about to
      // create the Service. Wait for it rather than fail (a replica that died in between leaves
      // the IP claimed, and then this replica does fail, loudly).
      for (let i = 0; i < 50; i++) {
        if (await exists()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw e;
    }
  }

  /** Stops the caches (namespace lifecycle, watch cache); their watchers end. */
  close(): void {
    this.namespaceLifecycle.close();
    this.cacher?.close();
  }

  private lookup(req: ApiRequest): ResourceRegistry {
    const reg = this.registry(req.group, req.version, req.resource);
    if (!reg) throw resourceNotFound();
    if (
      reg.info.namespaced &&
      req.name !== undefined &&
      !req.namespace &&
      req.resource !== 'namespaces'
    )
      throw resourceNotFound();
    if (req.subresource && !reg.info.subresources.includes(req.subresource as never))
      throw resourceNotFound();
    return reg;
  }

  /** Every verb but watch. */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    const reg = this.lookup(req);
    checkBodyDepth(req.body);
    const ns = reg.info.namespaced ? req.namespace : undefined;
    const name = req.name;
    const sub = req.subresource;
    const q = req.query ?? {};
    if (sub) return this.subresource(reg, req, ns, name ?? '', sub);
    switch (req.verb) {
      case 'get':
        return { code: 200, body: await reg.get(ns, name!) };
      case 'list':
        return { code: 200, body: await reg.list(ns, parseListOptions(q)) };
      case 'create': {
        if (name !== undefined) throw methodNotSupported(reg.gr, 'create');
        const r = await reg.create(ns, req.body, writeOptionsOf(req));
        return { code: r.code, body: r.object, warnings: r.warnings };
      }
      case 'update': {
        const r = await reg.update(ns, name!, req.body, writeOptionsOf(req));
        return { code: r.code, body: r.object, warnings: r.warnings };
      }
      case 'patch': {
        if (!req.patchType) throw unsupportedPatch();
        const r = await reg.patch(ns, name!, req.patchType, req.body, writeOptionsOf(req));
        return { code: r.code, body: r.object, warnings: r.warnings };
      }
      case 'delete': {
        const r = await reg.delete(ns, name!, parseDeleteOptions(q, req.body));
        return { code: r.code, body: r.body };
      }
      case 'deletecollection':
        return {
          code: 200,
          body: await reg.deleteCollection(
            ns,
            parseListOptions(q),
            parseDeleteOptions(q, req.body),
          ),
        };
      default:
        throw badRequest(`unsupported verb ${req.verb}`);
    }
  }

  private async subresource(
    reg: ResourceRegistry,
    req: ApiRequest,
    ns: string | undefined,
    name: string,
    sub: string,
  ): Promise<ApiResponse> {
    const gr = { group: reg.gr.group, resource: `${reg.gr.resource}/${sub}` };
    const dryRun = parseWriteOptions(req.query ?? {}).dryRun;
    switch (`${sub}:${req.verb}`) {
      case 'status:get':
        return { code: 200, body: await reg.get(ns, name) };
      case 'status:update': {
        const r = await reg.update(ns, name, req.body, writeOptionsOf(req), 'status');
        return { code: r.code, body: r.object, warnings: r.warnings };
      }
      case 'status:patch': {
        if (!req.patchType) throw unsupportedPatch();
        const r = await reg.patch(ns, name, req.patchType, req.body, writeOptionsOf(req), 'status');
        return { code: r.code, body: r.object, warnings: r.warnings };
      }
      case 'scale:get':
        return { code: 200, body: await getScale(reg, ns, name) };
      case 'scale:update': {
        const r = await updateScale(reg, ns, name, req.body, writeOptionsOf(req));
        return { code: r.code, body: r.object };
      }
      case 'scale:patch': {
        if (!req.patchType) throw unsupportedPatch();
        const r = await patchScale(reg, ns, name, req.patchType, req.body, writeOptionsOf(req));
        return { code: r.code, body: r.object };
      }
      case 'binding:create':
        return {
          code: 201,
          body: await bindPod(reg, ns ?? '', name, req.body, this.opts.clock.now(), dryRun),
        };
      case 'finalize:update':
        return { code: 200, body: await finalizeNamespace(reg, name, req.body, dryRun) };
      default:
        if (['log', 'exec', 'attach', 'portforward', 'proxy', 'eviction'].includes(sub))
          throw resourceNotFound();
        throw methodNotSupported(gr, req.verb);
    }
  }

  /**
   * Starts a watch; see watch.ts for its guarantees. A transport may set its own bookmark
   * interval (NATS watches use bookmarks as their heartbeat, so they come more often).
   */
  async watch(
    req: ApiRequest,
    sink: WatchSink,
    overrides: { bookmarkIntervalMs?: number } = {},
  ): Promise<ActiveWatch> {
    const reg = this.lookup(req);
    if (req.subresource) throw methodNotSupported(reg.gr, 'watch');
    const opts = parseWatchOptions(req.query ?? {});
    if (req.name !== undefined) {
      // GET .../pods/<name>?watch=1 (and the legacy /watch/ paths) watch one object.
      const byName = `metadata.name=${req.name}`;
      const fs = opts.fieldSelector.toString();
      opts.fieldSelector = parseFieldSelector(fs ? `${fs},${byName}` : byName);
    }
    return startWatch(reg, reg.info.namespaced ? req.namespace : undefined, opts, sink, {
      store: this.storage,
      clock: this.opts.clock,
      minRequestTimeoutSeconds: this.opts.minRequestTimeoutSeconds,
      bookmarkIntervalMs: overrides.bookmarkIntervalMs ?? this.opts.bookmarkIntervalMs ?? 60_000,
    });
  }
}
