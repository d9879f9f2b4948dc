/**
 * core/v1 Event, and ObjectReference (which Endpoints and others reuse).
 *
 * Validation is the "legacy" one the api-server applies to events written through core/v1
 * (pkg/apis/core/validation/events.go legacyValidateEvent): old-style events (no eventTime)
 * must live in their object's namespace, new-style ones need the reporting fields. Upstream
 * checks nothing else for core/v1 (not even `type`), for backwards compatibility.
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { invalidValue, path, required } from '../../meta/fieldErrors';
import { isQualifiedName } from '../../meta/names';
import { ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';

/** core/v1 ObjectReference, fields in Go order. */
export const ObjectReference = z
  .object({
    kind: z.string().optional(),
    namespace: z.string().optional(),
    name: z.string().optional(),
    uid: z.string().optional(),
    apiVersion: z.string().optional(),
    resourceVersion: z.string().optional(),
    fieldPath: z.string().optional(),
  })
  .strict();
export type ObjectReference = z.infer<typeof ObjectReference>;

export const EventSource = z
  .object({
    component: z.string().optional(),
    host: z.string().optional(),
  })
  .strict();
export type EventSource = z.infer<typeof EventSource>;

export const EventSeries = z
  .object({
    count: z.number().int().optional(),
    /** metav1.MicroTime */
    lastObservedTime: z.string().optional(),
  })
  .strict();
export type EventSeries = z.infer<typeof EventSeries>;

export const EventTypes = ['Normal', 'Warning'] as const;
export type EventType = (typeof EventTypes)[number];

export const Event = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    involvedObject: ObjectReference.default({}),
    reason: z.string().optional(),
    message: z.string().optional(),
    source: EventSource.optional(),
    /** metav1.Time: when this event was first recorded. */
    firstTimestamp: z.string().optional(),
    lastTimestamp: z.string().optional(),
    count: z.number().int().optional(),
    /** Normal | Warning (not enforced for core/v1, as upstream). */
    type: z.string().optional(),
    /** metav1.MicroTime: set by new-style (events.k8s.io) recorders. */
    eventTime: z.string().optional(),
    series: EventSeries.optional(),
    action: z.string().optional(),
    related: ObjectReference.optional(),
    reportingComponent: z.string().optional(),
    reportingInstance: z.string().optional(),
  })
  .strict();
export type Event = z.infer<typeof Event>;

/** Length limits of events.go. */
export const ReportingInstanceLengthLimit = 128;
export const ActionLengthLimit = 128;
export const ReasonLengthLimit = 128;
export const NoteLengthLimit = 1024;

function validateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const involvedNs = ev.involvedObject.namespace ?? '';
  const nsPath = path('involvedObject', 'namespace');
  const mismatch = 'does not match event.namespace';
  if (!ev.eventTime) {
    // An event about a cluster-scoped object (a Node) lives in "default" (or nowhere).
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(invalidValue(nsPath, involvedNs, mismatch));
    } else if (ns !== involvedNs) {
      errs.push(invalidValue(nsPath, involvedNs, mismatch));
    }
    return errs;
  }
  if (!involvedNs && ns !== 'default' && ns !== 'kube-system')
    errs.push(invalidValue(nsPath, involvedNs, mismatch));
  // core/v1 calls reportingController `reportingComponent`; so do the field paths.
  const rc = ev.reportingComponent ?? '';
  if (!rc) errs.push(required(path('reportingComponent')));
  for (const m of isQualifiedName(rc)) errs.push(invalidValue(path('reportingComponent'), rc, m));
  const instance = ev.reportingInstance ?? '';
  if (!instance) errs.push(required(path('reportingInstance')));
  if (instance.length > ReportingInstanceLengthLimit)
    errs.push(
      invalidValue(
        path('reportingInstance'),
        '',
        `can have at most ${ReportingInstanceLengthLimit} characters`,
      ),
    );
  const action = ev.action ?? '';
  if (!action) errs.push(required(path('action')));
  if (action.length > ActionLengthLimit)
    errs.push(invalidValue(path('action'), '', `can have at most ${ActionLengthLimit} characters`));
  const reason = ev.reason ?? '';
  if (!reason) errs.push(required(path('reason')));
  if (reason.length > ReasonLengthLimit)
    errs.push(invalidValue(path('reason'), '', `can have at most ${ReasonLengthLimit} characters`));
  if ((ev.message ?? '').length > NoteLengthLimit)
    errs.push(invalidValue(path('message'), '', `can have at most ${NoteLengthLimit} characters`));
  return errs;
}

/** The event strategy's ToSelectableFields (pkg/registry/core/event). */
function eventFieldLabels(ev: Event): Record<string, string> {
  const o: Partial<Event['involvedObject']> = ev.involvedObject ?? {};
  return {
    'involvedObject.kind': o.kind ?? '',
    'involvedObject.namespace': o.namespace ?? '',
    'involvedObject.name': o.name ?? '',
    'involvedObject.uid': o.uid ?? '',
    'involvedObject.apiVersion': o.apiVersion ?? '',
    'involvedObject.resourceVersion': o.resourceVersion ?? '',
    'involvedObject.fieldPath': o.fieldPath ?? '',
    reason: ev.reason ?? '',
    reportingComponent: ev.reportingComponent ?? '',
    // `source` falls back to the reporting controller for new-style events.
    source: ev.source?.component || ev.reportingComponent || '',
    type: ev.type ?? '',
  };
}

export const eventKind: KindInfo<Event> = {
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  categories: [],
  schema: Event,
  validate: validateEvent,
  fieldLabels: eventFieldLabels,
  subresources: [],
  tracksGeneration: false,
};
