/**
 * The kubelet's own flags, with upstream's names where upstream has one (`--node-labels`,
 * `--register-with-taints`, `--max-pods`, `--root-dir`, `--pod-cidr`, `--node-ip`, `--config`,
 * `--node-status-update-frequency`, `--port`), and kubeling's additions for running many nodes
 * in one process (`--nodes`) and choosing the runtime (`--runtime`).
 */
import os from 'node:os';
import path from 'node:path';
import { flag, flagGroup, ipAddress } from '@kubeling/runtime';

export const RUNTIMES = ['process', 'sim'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

export const kubeletFlags = {
  ...flagGroup('Node', {
    'node-name': flag.string({
      default: () => os.hostname().toLowerCase(),
      defaultText: '<hostname>',
      description:
        'The name of the Node (upstream --hostname-override). With --nodes N > 1 it is a pattern: {n} is replaced by the node number (--node-index + 1, + 1 ...); without {n} the nodes are <name>-<number>.',
    }),
    nodes: flag.int({
      default: 1,
      min: 1,
      description:
        'How many nodes this process hosts. More than one is meant for --runtime sim (hollow nodes sharing one connection and one pod informer).',
    }),
    'node-index': flag.int({
      default: -1,
      min: -1,
      defaultText: 'the trailing number of --node-name minus 1, else 0',
      description:
        "The node's number in the cluster, from 0; it picks the default --node-ip (127.0.1.<index+1>) and --pod-cidr (127.244.<index>.0/24). With --nodes N the nodes are numbered from it.",
    }),
    'node-ip': flag.string({
      schema: ipAddress,
      description: "The node's InternalIP address (default from --node-index, in 127.0.1.0/24).",
    }),
    'pod-cidr': flag.string({
      description:
        'The CIDR pod IPs are taken from (default from --node-index, 127.244.<index>.0/24).',
    }),
    'node-labels': flag.string({
      default: '',
      description:
        'Labels to add when registering the node, key=value pairs separated by commas (kubernetes.io/hostname, os and arch are always set).',
    }),
    'register-with-taints': flag.string({
      default: '',
      description: 'Taints to register the node with: key=value:Effect pairs separated by commas.',
    }),
    'max-pods': flag.int({
      default: 110,
      min: 0,
      description: 'Number of pods that can run on this node.',
    }),
    'node-cpu': flag.string({
      default: () => String(os.cpus().length || 1),
      defaultText: '<the host CPUs>',
      description: 'The cpu capacity the node reports.',
    }),
    'node-memory': flag.string({
      default: () => `${Math.floor(os.totalmem() / 1024 / 1024)}Mi`,
      defaultText: '<the host memory>',
      description: 'The memory capacity the node reports.',
    }),
    'node-ephemeral-storage': flag.string({
      default: '100Gi',
      description: 'The ephemeral-storage capacity the node reports.',
    }),
    config: flag.string({
      description:
        'A KubeletConfiguration file (YAML or JSON). Its maxPods, podCIDR, port, rootDir, nodeStatusUpdateFrequency, nodeStatusReportFrequency and nodeLeaseDurationSeconds replace the flags; --node-labels are merged over its nodeLabels; --register-with-taints, when given, replaces its registerWithTaints.',
    }),
  }),
  ...flagGroup('Kubelet', {
    runtime: flag.enum(RUNTIMES, {
      default: 'process',
      description:
        'The container runtime: process (containers are local processes) or sim (nothing runs; pods follow simulated stages).',
    }),
    'root-dir': flag.string({
      default: () => path.join(os.tmpdir(), 'kubeling-kubelet'),
      defaultText: '$TMPDIR/kubeling-kubelet',
      description:
        'Where the kubelet keeps pod state, volumes and container logs (a directory per node below it).',
    }),
    port: flag.int({
      default: 10250,
      min: 0,
      max: 65535,
      description:
        "The port of the kubelet's server (logs, exec, attach, port-forward), published in the Node's status.daemonEndpoints.kubeletEndpoint.",
    }),
    'node-status-update-frequency': flag.duration({
      default: '10s',
      description: 'How often the kubelet computes node status (and renews its Lease).',
    }),
    'node-status-report-frequency': flag.duration({
      default: '5m',
      description: 'How often node status is posted when nothing changed.',
    }),
    'node-lease-duration-seconds': flag.int({
      default: 40,
      min: 1,
      description: 'The duration of the node Lease.',
    }),
    'container-namespaces': flag.bool({
      default: true,
      description:
        'Give each container of the process runtime its own mount and UTS namespace when the kubelet may (root, unshare and nsenter present and permitted); false runs them without (volumes then appear under $KUBELING_ROOT, not at their mountPath).',
    }),
    'image-catalogue': flag.string({
      description:
        'A JSON or YAML file adding images to the process runtime catalogue (see docs/kubelet.md).',
    }),
    'sim-stages': flag.string({
      description: 'A JSON or YAML file with the sim runtime stage timings (see docs/kubelet.md).',
    }),
  }),
};
