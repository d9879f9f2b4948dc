import { applyDefaults, decode, validateCreate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Event } from './event';
import { ObjectReference, eventKind } from './event';

function create(raw: Record<string, unknown>): Event {
  const { object } = decode(eventKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(eventKind, object);
  eventKind.prepareForCreate?.(object);
  validateCreate(eventKind, object);
  return object;
}

function failure(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

/** An event as the scheduler records one through core/v1. */
const scheduled = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17c0ffee00000001', namespace: 'default' },
  involvedObject: {
    kind: 'Pod',
    namespace: 'default',
    name: 'web-1',
    uid: '0b4c4f3e-0000-4000-8000-000000000001',
    apiVersion: 'v1',
    resourceVersion: '42',
  },
  reason: 'Scheduled',
  message: 'Successfully assigned default/web-1 to node-1',
  source: { component: 'default-scheduler' },
  firstTimestamp: '2024-05-01T10:00:00Z',
  lastTimestamp: '2024-05-01T10:00:00Z',
  count: 1,
  type: 'Normal',
  reportingComponent: 'default-scheduler',
  reportingInstance: '',
};

describe('Event', () => {
  it('is registered as kubectl shows it', () => {
    expect(eventKind).toMatchObject({
      group: '',
      version: 'v1',
      kind: 'Event',
      resource: 'events',
      singular: 'event',
      namespaced: true,
      shortNames: ['ev'],
      subresources: [],
    });
  });

  it("round-trips an event and exposes upstream's field labels", () => {
    const ev = create(structuredClone(scheduled));
    expect(ev).toEqual(scheduled);
    expect(eventKind.fieldLabels?.(ev)).toEqual({
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': 'default',
      'involvedObject.name': 'web-1',
      'involvedObject.uid': '0b4c4f3e-0000-4000-8000-000000000001',
      'involvedObject.apiVersion': 'v1',
      'involvedObject.resourceVersion': '42',
      'involvedObject.fieldPath': '',
      reason: 'Scheduled',
      reportingComponent: 'default-scheduler',
      source: 'default-scheduler',
      type: 'Normal',
    });
  });

  it('involvedObject.namespace must match the event namespace', () => {
    const st = failure(() =>
      create({ ...structuredClone(scheduled), metadata: { name: 'e', namespace: 'other' } }),
    );
    expect(st.message).toBe(
      'Event "e" is invalid: involvedObject.namespace: Invalid value: "default": does not match event.namespace',
    );
  });

  it('events about cluster-scoped objects live in default', () => {
    const node = { kind: 'Node', name: 'node-1', uid: 'node-1' };
    expect(() =>
      create({
        metadata: { name: 'node-1.1', namespace: 'default' },
        involvedObject: node,
        reason: 'Starting',
      }),
    ).not.toThrow();
    const st = failure(() =>
      create({ metadata: { name: 'node-1.2', namespace: 'kube-system' }, involvedObject: node }),
    );
    expect(st.message).toBe(
      'Event "node-1.2" is invalid: involvedObject.namespace: Invalid value: "": does not match event.namespace',
    );
  });

  it('new-style events (with eventTime) need the reporting fields, under core/v1 names', () => {
    const st = failure(() =>
      create({
        metadata: { name: 'e', namespace: 'default' },
        involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
        eventTime: '2024-05-01T10:00:00.000000Z',
      }),
    );
    // An empty reportingComponent also fails the qualified-name check (worded by meta/names).
    expect(st.message).toMatch(
      /^Event "e" is invalid: \[reportingComponent: Required value, reportingComponent: Invalid value: "": name part must be non-empty/,
    );
    expect(st.message).toMatch(
      /reportingInstance: Required value, action: Required value, reason: Required value\]$/,
    );
    expect(st.details?.causes?.map((c) => c.field)).toEqual([
      'reportingComponent',
      ...(st.details?.causes
        ?.filter((c) => c.field === 'reportingComponent')
        .slice(1)
        .map(() => 'reportingComponent') ?? []),
      'reportingInstance',
      'action',
      'reason',
    ]);
  });

  it('like upstream, does not constrain type through core/v1', () => {
    expect(() => create({ ...structuredClone(scheduled), type: 'Info' })).not.toThrow();
  });

  it('fills the Go zero-value involvedObject when absent', () => {
    const ev = create({ metadata: { name: 'e' } });
    expect(ev.involvedObject).toEqual({});
  });

  it('exports ObjectReference for reuse (strict)', () => {
    expect(ObjectReference.safeParse({ kind: 'Pod', name: 'p' }).success).toBe(true);
    expect(ObjectReference.safeParse({ kind: 'Pod', nmae: 'p' }).success).toBe(false);
  });
});
