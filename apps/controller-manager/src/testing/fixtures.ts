/** Objects the controller specs share: a Service selecting app=web and its pods. */
import type { Pod, Service } from '@kubeling/api';

export const service = (name: string, spec: Partial<Service['spec']> = {}): Service =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { team: 'a' },
    },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }],
      ...spec,
    },
  }) as unknown as Service;

export const pod = (
  name: string,
  ip: string,
  opts: { ready?: boolean; port?: number; node?: string; labels?: Record<string, string> } = {},
): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: opts.labels ?? { app: 'web' },
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      nodeName: opts.node ?? 'node-1',
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ports: [{ name: 'web', containerPort: opts.port ?? 8080, protocol: 'TCP' }],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: ip,
      conditions: [
        {
          type: 'Ready',
          status: opts.ready === false ? 'False' : 'True',
          lastTransitionTime: '2026-01-02T00:00:00Z',
        },
      ],
    },
  }) as Pod;
