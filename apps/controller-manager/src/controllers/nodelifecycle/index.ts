/**
 * `nodelifecycle`: node health from Leases, Unknown conditions, NotReady pods and the
 * not-ready / unreachable taints (./nodeLifecycleController.ts). Eviction by those taints is
 * the `taint-eviction-controller` (../tainteviction).
 * Flags: --node-monitor-period (5s), --node-monitor-grace-period (50s),
 * --node-startup-grace-period (1m0s), --unhealthy-zone-threshold (0.55),
 * --large-cluster-size-threshold (50), as kube-controller-manager's.
 */
import { flag } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';
import { NodeLifecycleController } from './nodeLifecycleController';

export const flags = {
  'node-monitor-period': flag.duration({
    default: '5s',
    group: 'Node lifecycle controller',
    description: 'The period for syncing NodeStatus in cloud-node-lifecycle-controller.',
  }),
  'node-monitor-grace-period': flag.duration({
    default: '50s',
    group: 'Node lifecycle controller',
    description:
      "Amount of time which we allow running Node to be unresponsive before marking it unhealthy. Must be N times more than kubelet's nodeStatusUpdateFrequency, where N means number of retries allowed for kubelet to post node status. This value should also be greater than the sum of HTTP2_PING_TIMEOUT_SECONDS and HTTP2_READ_IDLE_TIMEOUT_SECONDS",
  }),
  'node-startup-grace-period': flag.duration({
    default: '1m0s',
    group: 'Node lifecycle controller',
    description:
      'Amount of time which we allow starting Node to be unresponsive before marking it unhealthy.',
  }),
  'unhealthy-zone-threshold': flag.float({
    default: 0.55,
    min: 0,
    group: 'Node lifecycle controller',
    description:
      'Fraction of Nodes in a zone which needs to be not Ready (minimum 3) for zone to be treated as unhealthy. ',
  }),
  'large-cluster-size-threshold': flag.int({
    default: 50,
    min: 0,
    group: 'Node lifecycle controller',
    description:
      'Number of nodes from which node-lifecycle-controller treats the cluster as large for the eviction logic purposes. --secondary-node-eviction-rate is implicitly overridden to 0 for clusters this size or smaller.',
  }),
};

export const nodeLifecycleControllerDescriptor: ControllerDescriptor = {
  name: 'nodelifecycle',
  enabledByDefault: true,
  flags,
  run: (ctx) =>
    new NodeLifecycleController({
      client: ctx.client,
      factory: ctx.informers,
      recorder: ctx.recorder('node-controller'),
      clock: ctx.clock,
      nodeMonitorPeriodMs: ctx.flags['nodeMonitorPeriod'] as number,
      nodeMonitorGracePeriodMs: ctx.flags['nodeMonitorGracePeriod'] as number,
      nodeStartupGracePeriodMs: ctx.flags['nodeStartupGracePeriod'] as number,
      unhealthyZoneThreshold: ctx.flags['unhealthyZoneThreshold'] as number,
      largeClusterSizeThreshold: ctx.flags['largeClusterSizeThreshold'] as number,
      onError: (key, err) => ctx.log.error(`node lifecycle ${key}`, { err: String(err) }),
    }).run(ctx.signal),
};
