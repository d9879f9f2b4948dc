/**
 * Builds a Kubelet from its parsed flags: the node configs (flags + --config file), the
 * runtime, the event recorder. main.ts calls `runKubelet`; the lead's server wiring calls
 * `kubelet.streamingRuntime(node)` on the object `onStarted` hands out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Pod } from '@kubeling/api';
import type { ComponentContext } from '@kubeling/client';
import { Client, EventBroadcaster } from '@kubeling/client';
import { FlagValueError } from '@kubeling/runtime';
import type { FlagValues } from '@kubeling/runtime';
import type { kubeletFlags } from './flags';
import { Kubelet } from './kubelet';
import { serveKubelet } from './server/server';
import type { KubeletOptions } from './kubelet';
import type { KubeletConfigFile } from './node/config';
import { nodeConfigs, readConfigFile } from './node/config';
import { ProcessRuntime } from './runtime/process/processRuntime';
import type { ContainerRuntime } from './runtime/runtime';
import { SimRuntime } from './runtime/sim/simRuntime';
import type { SimStages } from './runtime/sim/stages';
import { loadCatalogue } from './runtime/process/images/catalogue';

export const NAME = 'kubelet';

export type KubeletFlagValues = FlagValues<typeof kubeletFlags>;

function readData<T>(file: string | undefined, what: string): T | undefined {
  if (!file) return undefined;
  try {
    return parseYaml(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new FlagValueError(`failed to read ${what} "${file}": ${(e as Error).message}`);
  }
}

export interface RunKubeletOptions {
  /** Called once the Kubelet exists (before registration): the server wiring takes it here. */
  onStarted?(kubelet: Kubelet): void;
  admitPod?: KubeletOptions['admitPod'];
}

/** runComponent's `run` for the kubelet. */
export async function runKubelet(
  ctx: ComponentContext<typeof kubeletFlags>,
  opts: RunKubeletOptions = {},
): Promise<void> {
  const { client, factory, flags, log, signal } = ctx;
  const file: KubeletConfigFile = flags.config ? readConfigFile(flags.config) : {};
  const nodes = nodeConfigs(flags, file);
  const rootDir = file.rootDir ?? flags.rootDir;
  // As upstream, events and heartbeats have clients of their own over the same connection, so
  // that a burst of pod events never delays a status write or a Lease renewal: events at
  // --event-qps 50 / burst 100 (per node for hollow nodes), heartbeats unthrottled.
  const eventClient = new Client({
    transport: client.transport,
    qps: 50 * nodes.length,
    burst: 100 * nodes.length,
  });
  const heartbeatClient = new Client({ transport: client.transport, qps: 0 });
  const events = new EventBroadcaster({ client: eventClient });
  const recorder = events.newRecorder({
    component: NAME,
    host: nodes.length === 1 ? nodes[0]!.name : 'hollow',
  });
  const parseMs = (s: string | undefined) => {
    if (!s) return undefined;
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(s);
    if (!m) return undefined;
    return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  };
  let shared: SimRuntime | undefined;
  const catalogue = flags.runtime === 'process' ? loadCatalogue(flags.imageCatalogue) : undefined;
  const kubelet: Kubelet = new Kubelet({
    client,
    heartbeatClient,
    factory,
    log,
    recorder,
    nodes,
    nodeStatusUpdateFrequencyMs:
      parseMs(file.nodeStatusUpdateFrequency) ?? flags.nodeStatusUpdateFrequency,
    nodeStatusReportFrequencyMs:
      parseMs(file.nodeStatusReportFrequency) ?? flags.nodeStatusReportFrequency,
    nodeLeaseDurationSeconds: file.nodeLeaseDurationSeconds ?? flags.nodeLeaseDurationSeconds,
    ...(opts.admitPod ? { admitPod: opts.admitPod } : {}),
    runtimeFor: (node, lookupPod): ContainerRuntime => {
      if (flags.runtime === 'sim') {
        shared ??= new SimRuntime({
          stages: readData<Partial<SimStages>>(flags.simStages, 'sim stages file') ?? {},
          // Streaming looks pods up across all nodes of the process.
          lookupPod: (ns: string, name: string): Pod | undefined => kubelet.findPod(ns, name),
        });
        return shared;
      }
      return new ProcessRuntime({
        client,
        log,
        rootDir: path.join(rootDir, node.name),
        catalogue: catalogue!,
        ...(flags.containerNamespaces ? {} : { namespaces: false }),
        lookupPod,
      });
    },
  });
  opts.onStarted?.(kubelet);
  // The kubelet's server (logs, exec, attach, port-forward), on the node's InternalIP and
  // --port: the api-server relays to InternalIP:daemonEndpoints.kubeletEndpoint.Port. Hollow
  // nodes share one process and one server, on the first node's address; the relay names the
  // node in X-Kubeling-Node.
  const server = await serveKubelet({
    runtime: (nodeName) => kubelet.streamingRuntime(nodeName),
    bindAddress: nodes[0]!.nodeIP,
    port: flags.port,
    log,
  });
  log.info('kubelet server listening', { url: server.url });
  try {
    await kubelet.run(signal);
  } finally {
    await server.close();
    await events.shutdown();
  }
}
