/**
 * The skeleton every component's main.ts shares (kube-scheduler's and kube-controller-manager's
 * app/server.go, in small), built on libs/runtime: flags declared once (the connection, leader
 * election, `--id`, `-v`, `--logging-format`, `--bind-address`/`--secure-port`, and the
 * component's own), a logger, a metrics registry and `/metrics` `/healthz` `/livez` `/readyz`
 * on the component's port, a client and an informer factory, leader election on a Lease, and a
 * clean stop that releases the Lease so a standby takes over at once.
 *
 *   // main.ts
 *   runMain('pods-per-node', (signal) =>
 *     runComponent({
 *       name: 'pods-per-node',
 *       signal,
 *       flags: { namespace: flag.string({ default: 'kube-system', description: '...' }) },
 *       run: async ({ client, factory, flags, log, signal }) => { ... until signal aborts ... },
 *     }),
 *   );
 *
 * `run` is called once this replica leads (at once with --leader-elect=false), after the
 * factory was started. runComponent never exits the process: it resolves once `signal` aborted
 * and everything stopped (or `run` returned), and rejects on `--help` (HelpRequested), a flag
 * mistake (FlagError), a failure, or a lost Lease (LeadershipLost) — a replica that lost its
 * Lease must stop, as its caches may be behind the new leader's writes; a restart rebuilds them.
 */
import type {
  EndpointsServer,
  Env,
  Flag,
  FlagSet,
  FlagValues,
  HealthChecks,
  Logger,
  LoggerOptions,
  Registry,
  ServingOptions,
} from '@kubeling/runtime';
import {
  createObservability,
  flag,
  flagGroup,
  gauge,
  loggingFlags,
  parseComponentFlags,
  serveEndpoints,
  servingFlags,
} from '@kubeling/runtime';
import type { Client } from './client';
import { clientFlags, connectFromFlags } from './connect';
import { SharedInformerFactory } from './informer/factory';
import {
  leaderElectionFlags,
  leaderElectionFromFlags,
  leaderElectionOptionsOf,
} from './leaderelection/flags';
import { defaultIdentity, LeaderElector } from './leaderelection/leaderElector';

/** The flags every component has, whatever its own. */
export function componentFlags(port: number) {
  return {
    ...clientFlags(),
    ...leaderElectionFlags,
    ...flagGroup('Misc', {
      id: flag.string({
        default: () => defaultIdentity(),
        defaultText: '<hostname>_<uuid>',
        description: 'identity of this replica in leader election and logs',
      }),
    }),
    ...servingFlags(port),
    ...loggingFlags,
  };
}

export type ComponentFlags = ReturnType<typeof componentFlags>;

/** node:util-style flag of the first runComponent API; still accepted (no description). */
export type FlagSpec =
  { type: 'string'; default?: string } | { type: 'boolean'; default?: boolean };

export interface ComponentContext<S extends FlagSet = FlagSet> {
  client: Client;
  factory: SharedInformerFactory;
  /** Every flag's value, camelCased: the component's own and the common ones (`clusterName`, `id`...). */
  flags: FlagValues<ComponentFlags & S>;
  identity: string;
  /** Aborts when the component stops or loses leadership. */
  signal: AbortSignal;
  log: Logger;
  /** The component's metrics registry, served on /metrics. */
  registry: Registry;
  /** Add readiness/liveness checks here; served on /readyz, /livez, /healthz. */
  health: HealthChecks;
}

export interface ComponentOptions<S extends FlagSet = FlagSet> {
  /** The component's name: default Lease name, logger name, --help's command. */
  name: string;
  /** Default process.argv.slice(2). */
  argv?: readonly string[];
  /** Where computed flag defaults ($NATS_URL) are read; default process.env. */
  env?: Env;
  /** The component's own flags. */
  flags?: S;
  /** @deprecated the first API's flags (node:util specs); use `flags`. */
  options?: Record<string, FlagSpec>;
  /** @deprecated --help is generated from the flags' descriptions. */
  usage?: string;
  /** Default of --secure-port, the metrics/health port; default 0 (a free port). */
  port?: number;
  /**
   * Stops the component when it aborts (the entry point's runMain passes SIGTERM/SIGINT here).
   * Without it runComponent stops on SIGTERM/SIGINT itself.
   */
  signal?: AbortSignal;
  /** Where log lines go; default stderr. */
  logDestination?: LoggerOptions['destination'];
  /** Extra routes on the metrics/health port, asked first; true when answered (see serveEndpoints). */
  routes?: ServingOptions['routes'];
  /** Called once the metrics/health server listens (tests read its URL). */
  onServing?(server: EndpointsServer): void;
  run(ctx: ComponentContext<S>): Promise<void>;
}

/** This replica lost its Lease: the process must stop (exit 1), another replica leads. */
export class LeadershipLost extends Error {
  override readonly name = 'LeadershipLost';
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function legacyFlags(options: Record<string, FlagSpec>): FlagSet {
  const out: FlagSet = {};
  for (const [name, spec] of Object.entries(options)) {
    const f: Flag<unknown> =
      spec.type === 'boolean'
        ? flag.bool({ default: spec.default ?? false, description: '' })
        : spec.default === undefined
          ? flag.string({ description: '' })
          : flag.string({ default: spec.default, description: '' });
    out[name] = f;
  }
  return out;
}

/** Runs a component until `signal` aborts; see the top of this file. */
export async function runComponent<S extends FlagSet = FlagSet>(
  opts: ComponentOptions<S>,
): Promise<void> {
  const declared = {
    ...componentFlags(opts.port ?? 0),
    ...(opts.options ? legacyFlags(opts.options) : {}),
    ...opts.flags,
  } as ComponentFlags & S;
  const flags = parseComponentFlags(opts.name, declared, opts.argv ?? process.argv.slice(2), {
    ...(opts.env ? { env: opts.env } : {}),
  });
  // The common flags, typed without the component's own (whose keys are not known here).
  const common = flags as unknown as FlagValues<ComponentFlags>;
  const { log, registry, health } = createObservability(
    opts.name,
    common,
    opts.logDestination ? { destination: opts.logDestination } : {},
  );
  const identity = common.id;
  const le = leaderElectionFromFlags(common, { resourceName: opts.name });

  const stop = new AbortController();
  let stopSignal = opts.signal;
  if (!stopSignal) {
    const own = new AbortController();
    const onSignal = () => own.abort();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    stop.signal.addEventListener('abort', () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    });
    stopSignal = own.signal;
  }

  const server = await serveEndpoints({
    bindAddress: common.bindAddress,
    port: common.securePort,
    registry,
    health,
    log,
    ...(opts.routes ? { routes: opts.routes } : {}),
  });
  opts.onServing?.(server);
  let client: Client;
  try {
    client = await connectFromFlags({
      ...common,
      qps: common.kubeApiQps,
      burst: common.kubeApiBurst,
      name: `${opts.name}-${identity}`,
      registry,
      logger: log,
    });
  } catch (e) {
    stop.abort();
    await server.close();
    throw e;
  }
  const factory = new SharedInformerFactory({ client, logger: log });

  // Readiness as kube-scheduler's: a standby is ready; a leader once its caches synced.
  let leading = false;
  let synced = false;
  health.addReadyz('informer-sync', () => !leading || synced);
  // upstream's leader_election_master_status: 1 while this replica leads the Lease, 0 otherwise.
  const master = gauge(registry, {
    name: 'leader_election_master_status',
    help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
    labelNames: ['name'] as const,
  });
  master.set({ name: le.leaseName }, 0);

  // Settles runComponent: the first of a clean stop, `run` ending, a failure or a lost Lease.
  let finish!: (outcome: Error | undefined) => void;
  const finished = new Promise<Error | undefined>((resolve) => (finish = resolve));
  const lost = () => new LeadershipLost(`${opts.name}: lost leadership`);
  const lead = async (signal: AbortSignal) => {
    leading = true;
    master.set({ name: le.leaseName }, 1);
    log.info(`leading as ${identity}`, { lease: `${le.leaseNamespace}/${le.leaseName}` });
    factory.start();
    void factory.waitForCacheSync(signal).then((ok) => (synced = ok));
    await opts.run({ client, factory, flags, identity, signal, log, registry, health });
  };
  const elector = new LeaderElector({
    client,
    identity,
    ...leaderElectionOptionsOf(le),
    logger: log,
    // `run` ending because its leading signal aborted while we were not stopping means the
    // Lease was lost, whichever of run's return and onStoppedLeading comes first.
    onStartedLeading: (signal) =>
      lead(signal).then(
        () => finish(signal.aborted && !stop.signal.aborted ? lost() : undefined),
        (e: unknown) => finish(asError(e)),
      ),
    onNewLeader: (who) =>
      log.info(`leader is ${who}`, { lease: `${le.leaseNamespace}/${le.leaseName}` }),
    onStoppedLeading: () => {
      master.set({ name: le.leaseName }, 0);
      if (!stop.signal.aborted) finish(lost());
    },
  });
  if (le.enabled) elector.run(stop.signal).catch((e: unknown) => finish(asError(e)));
  else
    void lead(stop.signal).then(
      () => finish(undefined),
      (e: unknown) => finish(asError(e)),
    );
  const onStop = () => finish(undefined);
  if (stopSignal.aborted) onStop();
  else stopSignal.addEventListener('abort', onStop, { once: true });
  log.info('ready');

  const outcome = await finished;
  stopSignal.removeEventListener('abort', onStop);
  log.info('stopping', outcome ? { err: outcome } : {});
  health.shutdown();
  stop.abort();
  try {
    await Promise.all([elector.stop(), factory.shutdown()]);
    await client.close();
  } finally {
    await server.close();
  }
  if (outcome) throw outcome;
}
