/**
 * What every controller in the controller-manager is given, and how it is registered
 * (kube-controller-manager's ControllerContext and ControllerDescriptor, in small).
 *
 * Each controller lives in `controllers/<upstream name>/` and exports one ControllerDescriptor
 * from its index.ts; main.ts starts those that `--controllers` enables, once this replica
 * leads, all sharing one client, one informer factory and one event broadcaster.
 */
import type { Clock } from '@kubeling/api';
import type { Client, EventRecorder, SharedInformerFactory } from '@kubeling/client';
import type { FlagSet, Logger, Registry } from '@kubeling/runtime';

export interface ControllerContext {
  client: Client;
  /** Shared by every controller: one informer per kind for the whole process. */
  informers: SharedInformerFactory;
  /** Real time in main.ts; a FakeClock in unit tests (no sleeps). */
  clock: Clock;
  log: Logger;
  /** The process's metrics registry (served on /metrics). */
  registry: Registry;
  /** A recorder whose events carry `source.component` = component (e.g. "replicaset-controller"). */
  recorder(component: string): EventRecorder;
  /**
   * Every flag's value, camelCased (`concurrentReplicasetSyncs`, `nodeMonitorGracePeriod` ...).
   * A controller reads the flags it declared in its descriptor's `flags`.
   */
  flags: Readonly<Record<string, unknown>>;
  /** Aborts when the controller-manager stops or loses leadership. */
  signal: AbortSignal;
}

export interface ControllerDescriptor {
  /** Upstream's name, as `--controllers` spells it: "replicaset", "deployment", "garbagecollector"... */
  name: string;
  /** Upstream disables a few by default (e.g. "bootstrapsigner"); `*` enables only these. */
  enabledByDefault: boolean;
  /**
   * The controller's own flags (declared with @kubeling/runtime's `flag`), merged into the
   * controller-manager's flag set, e.g. `{ concurrentReplicasetSyncs: flag.int({ default: 5, ... }) }`.
   */
  flags?: FlagSet;
  /** Runs the controller until ctx.signal aborts; resolves once it stopped. */
  run(ctx: ControllerContext): Promise<void>;
}
