/**
 * The skeleton every component's main.ts shares (kube-scheduler's and kube-controller-manager's
 * app/server.go, in small): flags for the connection and leader election, a client and an
 * informer factory, leader election on a Lease, the `ready` line `kubeling up` waits for, and a
 * clean stop on SIGTERM/SIGINT that releases the Lease so a standby takes over at once.
 *
 *   await runComponent({
 *     name: 'pods-per-node',
 *     options: { namespace: { type: 'string', default: 'kube-system' } },
 *     run: async ({ client, factory, flags, signal }) => { ... until signal aborts ... },
 *   });
 *
 * `run` is called once this replica leads (at once with --leader-elect=false), after the
 * factory was started. A replica that loses its Lease exits with status 1 — its caches may be
 * behind the new leader's writes, and a restart rebuilds them from list + watch.
 */
import { parseArgs } from 'node:util';
import type { Client } from './client';
import { clientFlagOptions, clientFlagsUsage, connectFromFlags } from './connect';
import { SharedInformerFactory } from './informer/factory';
import {
  leaderElectionFlagOptions,
  leaderElectionFromFlags,
  leaderElectionOptionsOf,
  leaderElectionUsage,
  normalizeBoolFlags,
} from './leaderelection/flags';
import { defaultIdentity, LeaderElector } from './leaderelection/leaderElector';

export type FlagSpec =
  { type: 'string'; default?: string } | { type: 'boolean'; default?: boolean };
export type FlagValues = Record<string, string | boolean | undefined>;

export interface ComponentContext {
  client: Client;
  factory: SharedInformerFactory;
  /** Every flag's value, the component's own and the common ones (`cluster-name`, `id`...). */
  flags: FlagValues;
  identity: string;
  /** Aborts when the component stops or loses leadership. */
  signal: AbortSignal;
}

export interface ComponentOptions {
  /** The component's name: default Lease name, log prefix. */
  name: string;
  /** Default process.argv.slice(2). */
  argv?: string[];
  /** The component's own flags (node:util parseArgs specs). */
  options?: Record<string, FlagSpec>;
  /** Usage text of the component's own flags, for --help. */
  usage?: string;
  run(ctx: ComponentContext): Promise<void>;
}

export async function runComponent(opts: ComponentOptions): Promise<void> {
  const { values } = parseArgs({
    args: normalizeBoolFlags(opts.argv ?? process.argv.slice(2), ['leader-elect']),
    options: {
      ...clientFlagOptions,
      ...leaderElectionFlagOptions,
      id: { type: 'string', default: defaultIdentity() },
      help: { type: 'boolean', default: false },
      ...opts.options,
    },
    allowNegative: true,
  });
  const flags = values as FlagValues;
  if (flags.help) {
    process.stdout.write(
      `Usage: ${opts.name} [flags]\n\n${opts.usage ?? ''}${clientFlagsUsage}${leaderElectionUsage}  --id ID                                  identity of this replica (default hostname_uuid)\n`,
    );
    process.exit(0);
  }
  const identity = String(flags.id);
  const le = leaderElectionFromFlags(values, { resourceName: opts.name });
  const client = await connectFromFlags({ ...values, name: `${opts.name}-${identity}` });
  const factory = new SharedInformerFactory({ client });
  const stop = new AbortController();
  const lead = async (signal: AbortSignal) => {
    process.stdout.write(`leading as ${identity}\n`);
    factory.start();
    await opts.run({ client, factory, flags, identity, signal });
  };
  const elector = new LeaderElector({
    client,
    identity,
    ...leaderElectionOptionsOf(le),
    onStartedLeading: lead,
    onNewLeader: (who) => process.stdout.write(`leader is ${who}\n`),
    onStoppedLeading: () => {
      if (stop.signal.aborted) return;
      process.stderr.write(`${opts.name}: lost leadership\n`);
      process.exit(1);
    },
  });
  if (le.enabled) void elector.run(stop.signal);
  else lead(stop.signal).catch((e: unknown) => fail(opts.name, e));
  process.stdout.write('ready\n');

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stop.abort();
    void Promise.all([elector.stop(), factory.shutdown()])
      .then(() => client.close())
      .then(
        () => process.exit(0),
        (e: unknown) => fail(opts.name, e),
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

function fail(name: string, e: unknown): never {
  process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
