import type { Event } from '@kubeling/api';
import { eventColumns, eventPrinter, eventSource } from './event';

const now = Date.parse('2024-05-01T10:00:00Z');

function event(e: Partial<Event>): Event {
  return {
    metadata: { name: 'web.17c', namespace: 'default' },
    involvedObject: {
      kind: 'Pod',
      name: 'web',
      namespace: 'default',
      fieldPath: 'spec.containers{nginx}',
    },
    reason: 'Pulled',
    message: '  Successfully pulled image "nginx"\n',
    type: 'Normal',
    ...e,
  } as Event;
}

describe('event columns', () => {
  it('are LAST SEEN TYPE REASON OBJECT MESSAGE, with SUBOBJECT SOURCE FIRST SEEN COUNT NAME wide', () => {
    expect(eventColumns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Last Seen:0',
      'Type:0',
      'Reason:0',
      'Object:0',
      'Subobject:1',
      'Source:1',
      'Message:0',
      'First Seen:1',
      'Count:1',
      'Name:1',
    ]);
    expect(eventColumns[9]?.format).toBe('name');
  });
});

describe('event row', () => {
  it('prints an old-style event (first/last timestamps, count, source)', () => {
    const e = event({
      firstTimestamp: '2024-05-01T09:50:00Z',
      lastTimestamp: '2024-05-01T09:59:00Z',
      count: 4,
      source: { component: 'kubelet', host: 'node-1' },
    });
    expect(eventPrinter.print(e, now).cells).toEqual([
      '60s',
      'Normal',
      'Pulled',
      'pod/web',
      'spec.containers{nginx}',
      'kubelet, node-1',
      'Successfully pulled image "nginx"',
      '10m',
      4,
      'web.17c',
    ]);
  });

  it('uses eventTime, series and the reporting controller of a new-style event', () => {
    const e = event({
      eventTime: '2024-05-01T09:30:00.000000Z',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'sched-1',
      series: { count: 7, lastObservedTime: '2024-05-01T09:58:00.000000Z' },
    });
    const cells = eventPrinter.print(e, now).cells;
    expect([cells[0], cells[5], cells[7], cells[8]]).toEqual([
      '2m',
      'default-scheduler, sched-1',
      '30m',
      7,
    ]);
  });

  it('counts a singleton event once, and shows <unknown> without any time', () => {
    const cells = eventPrinter.print(event({ involvedObject: { kind: 'Node' } }), now).cells;
    expect([cells[0], cells[3], cells[7], cells[8]]).toEqual(['<unknown>', 'node', '<unknown>', 1]);
  });

  it('formats the source without a host', () => {
    expect(eventSource(event({ source: { component: 'deployment-controller' } }))).toBe(
      'deployment-controller',
    );
    expect(eventSource(event({}))).toBe('');
  });
});
