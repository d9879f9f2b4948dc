/**
 * apps/kubelet's surface for the rest of the app (the kubelet server, main.ts):
 *
 *   runComponent({ name: 'kubelet', flags: kubeletFlags, run: (ctx) =>
 *     runKubelet(ctx, { onStarted: (k) => serve(k.streamingRuntime(node)) }) })
 *
 * `Kubelet.streamingRuntime(nodeName)` is the StreamingRuntime of a node (server/streamingRuntime.ts);
 * the node's kubelet port (`--port`) is in its Node's status.daemonEndpoints.kubeletEndpoint.Port.
 */
export { runKubelet, NAME } from './agent';
export type { RunKubeletOptions, KubeletFlagValues } from './agent';
export { kubeletFlags } from './flags';
export { Kubelet } from './kubelet';
export type { KubeletOptions, AdmitResult } from './kubelet';
export type { ContainerRuntime } from './runtime/runtime';
