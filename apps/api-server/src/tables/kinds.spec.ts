/**
 * The smaller kinds (namespaces, config maps, secrets, resource quotas, leases), and the rules
 * every printer keeps: each served kind has its own columns, one name column, and a cell per
 * column even for the emptiest object.
 */
import type { ConfigMap, KubeObject, Lease, Namespace, ResourceQuota, Secret } from '@kubeling/api';
import { scheme } from '@kubeling/api';
import { configMapPrinter, secretPrinter } from './config';
import { leasePrinter } from './lease';
import { namespacePrinter } from './namespace';
import { hasPrinter, printerFor } from './printers';
import { quotaColumns, resourceQuotaPrinter } from './resourceQuota';
import { defaultPrinter } from './table';

const now = Date.parse('2024-05-01T10:00:00Z');
const meta = { name: 'x', namespace: 'default', creationTimestamp: '2024-04-01T10:00:00Z' };

describe('every kind kubeling serves', () => {
  const kinds = scheme.all();

  it.each(kinds.map((k) => [`${k.group || 'core'}/${k.resource}`, k]))(
    '%s has its own columns',
    (_n, k) => {
      expect(hasPrinter(k.group, k.resource)).toBe(true);
    },
  );

  it.each(kinds.map((k) => [`${k.group || 'core'}/${k.resource}`, k]))(
    '%s prints a cell per column, one name column, even for a bare object',
    (_n, k) => {
      const p = printerFor(k.group, k.resource);
      const bare: KubeObject = { metadata: { name: 'bare' } };
      const cells = p.print(bare, now).cells;
      expect(cells).toHaveLength(p.columns.length);
      expect(p.columns.filter((c) => c.format === 'name')).toHaveLength(1);
      expect(cells[p.columns.findIndex((c) => c.format === 'name')]).toBe('bare');
      for (const c of p.columns) {
        expect(['string', 'integer', 'number', 'boolean', 'date']).toContain(c.type);
        expect([0, 1]).toContain(c.priority);
        expect(c.description).not.toBe('');
      }
    },
  );

  it('prints /status as the resource and /scale as a Scale; unknown resources get Name and Created At', () => {
    expect(printerFor('', 'pods', 'status')).toBe(printerFor('', 'pods'));
    expect(printerFor('apps', 'deployments', 'scale').columns.map((c) => c.name)).toEqual([
      'Name',
      'Desired',
      'Available',
    ]);
    expect(printerFor('example.com', 'widgets')).toBe(defaultPrinter);
    expect(defaultPrinter.print({ metadata: meta }, now).cells).toEqual([
      'x',
      '2024-04-01T10:00:00Z',
    ]);
    expect(defaultPrinter.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Name:string',
      'Created At:date',
    ]);
  });
});

describe('namespaces, config maps, secrets, leases', () => {
  it('namespace: NAME STATUS AGE', () => {
    const ns: Namespace = { metadata: meta, spec: {}, status: { phase: 'Terminating' } };
    expect(namespacePrinter.print(ns, now).cells).toEqual(['x', 'Terminating', '30d']);
  });

  it('config map: NAME DATA AGE, counting binary data too', () => {
    const cm: ConfigMap = { metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    expect(configMapPrinter.print(cm, now).cells).toEqual(['x', 3, '30d']);
  });

  it('secret: NAME TYPE DATA AGE', () => {
    const s: Secret = {
      metadata: meta,
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'AA==', 'tls.key': 'AA==' },
    };
    expect(secretPrinter.print(s, now).cells).toEqual(['x', 'kubernetes.io/tls', 2, '30d']);
    expect(secretPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Type', 'Data', 'Age']);
  });

  it('lease: NAME HOLDER AGE', () => {
    const l: Lease = { metadata: meta, spec: { holderIdentity: 'node-1' } };
    expect(leasePrinter.print(l, now).cells).toEqual(['x', 'node-1', '30d']);
    expect(leasePrinter.print({ metadata: meta, spec: {} } as Lease, now).cells[1]).toBe('');
  });
});

describe('resource quotas', () => {
  it('are NAME AGE REQUEST LIMIT', () => {
    expect(resourceQuotaPrinter.columns.map((c) => c.name)).toEqual([
      'Name',
      'Age',
      'Request',
      'Limit',
    ]);
  });

  it('split limits.* from the rest, sorted, as used/hard in canonical form', () => {
    const rq = {
      metadata: meta,
      spec: {},
      status: {
        hard: {
          pods: '10',
          'limits.cpu': '2',
          'requests.memory': '1Gi',
          'limits.memory': '2048Mi',
          'requests.cpu': '1',
        },
        used: {
          pods: '3',
          'limits.cpu': '500m',
          'requests.memory': '512Mi',
          'requests.cpu': '0.5',
        },
      },
    } as ResourceQuota;
    expect(quotaColumns(rq)).toEqual({
      request: 'pods: 3/10, requests.cpu: 500m/1, requests.memory: 512Mi/1Gi',
      limit: 'limits.cpu: 500m/2, limits.memory: 0/2Gi',
    });
    expect(resourceQuotaPrinter.print(rq, now).cells.slice(0, 2)).toEqual(['x', '30d']);
  });
});
