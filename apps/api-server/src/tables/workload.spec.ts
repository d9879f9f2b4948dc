import type { Deployment, ReplicaSet, ReplicationController } from '@kubeling/api';
import {
  deploymentColumns,
  deploymentPrinter,
  formatLabelSelector,
  replicaSetColumns,
  replicaSetPrinter,
  replicationControllerPrinter,
  scalePrinter,
} from './workload';

const now = Date.parse('2024-05-01T10:00:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T09:58:00Z' };
const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx:1.25' },
      { name: 'log', image: 'busybox' },
    ],
  },
};

describe('deployment table', () => {
  it('has NAME READY UP-TO-DATE AVAILABLE AGE, and wide CONTAINERS IMAGES SELECTOR', () => {
    expect(deploymentColumns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0',
      'Ready:string:0',
      'Up-to-date:integer:0',
      'Available:integer:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
  });

  it('prints ready/desired, counts, containers, images and the selector', () => {
    const d = {
      metadata: meta,
      spec: {
        replicas: 3,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
        },
        template,
      },
      status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    } as unknown as Deployment;
    expect(deploymentPrinter.print(d, now).cells).toEqual([
      'web',
      '2/3',
      3,
      2,
      '2m',
      'nginx,log',
      'nginx:1.25,busybox',
      'app=web,tier in (a,b)',
    ]);
  });

  it('prints 0 for counts a controller has not reported yet', () => {
    const d = {
      metadata: meta,
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
      status: {},
    } as unknown as Deployment;
    expect(deploymentPrinter.print(d, now).cells.slice(1, 4)).toEqual(['0/2', 0, 0]);
  });
});

describe('replica set and replication controller tables', () => {
  it('have NAME DESIRED CURRENT READY AGE, and wide CONTAINERS IMAGES SELECTOR', () => {
    expect(replicaSetColumns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0',
      'Desired:integer:0',
      'Current:integer:0',
      'Ready:integer:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
  });

  it('print desired, current and ready replicas', () => {
    const rs = {
      metadata: { ...meta, name: 'web-7c5ddbdf54' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': '7c5ddbdf54' } },
        template,
      },
      status: { replicas: 3, readyReplicas: 1 },
    } as unknown as ReplicaSet;
    expect(replicaSetPrinter.print(rs, now).cells).toEqual([
      'web-7c5ddbdf54',
      3,
      3,
      1,
      '2m',
      'nginx,log',
      'nginx:1.25,busybox',
      'app=web,pod-template-hash=7c5ddbdf54',
    ]);
    const rc = {
      metadata: meta,
      spec: { replicas: 2, selector: { app: 'web' }, template },
      status: { replicas: 0 },
    } as unknown as ReplicationController;
    expect(replicationControllerPrinter.print(rc, now).cells).toEqual([
      'web',
      2,
      0,
      0,
      '2m',
      'nginx,log',
      'nginx:1.25,busybox',
      'app=web',
    ]);
  });

  it('format selectors as FormatLabelSelector does', () => {
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }] })).toBe('a');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBe(
      '<error>',
    );
  });
});

describe('scale subresource table', () => {
  it('prints desired and available replicas', () => {
    expect(scalePrinter.columns.map((c) => c.name)).toEqual(['Name', 'Desired', 'Available']);
    const scale = {
      kind: 'Scale',
      metadata: { name: 'web' },
      spec: { replicas: 5 },
      status: { replicas: 3 },
    };
    expect(scalePrinter.print(scale, now).cells).toEqual(['web', 5, 3]);
  });
});
