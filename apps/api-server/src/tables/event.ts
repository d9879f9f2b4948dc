/**
 * core/v1 Events as `kubectl get events` shows them (printEvent): LAST SEEN TYPE REASON OBJECT
 * MESSAGE, and with -o wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME. New-style events
 * (eventTime, series, reportingController) fill in what old-style fields leave empty.
 */
import type { Event } from '@kubeling/api';
import { since } from './duration';
import { column, nameColumn, printer } from './table';

export const eventColumns = [
  column(
    'Last Seen',
    'string',
    'The time at which the most recent occurrence of this event was recorded.',
  ),
  column(
    'Type',
    'string',
    'Type of this event (Normal, Warning), new types could be added in the future',
  ),
  column(
    'Reason',
    'string',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'string', 'The object that this event is about.'),
  column(
    'Subobject',
    'string',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
    { priority: 1 },
  ),
  column(
    'Source',
    'string',
    'The component reporting this event. Should be a short machine understandable string.',
    {
      priority: 1,
    },
  ),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  column(
    'First Seen',
    'string',
    'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    { priority: 1 },
  ),
  column('Count', 'string', 'The number of times this event has occurred.', { priority: 1 }),
  { ...nameColumn, priority: 1 },
];

/** formatEventSource: component (or reportingController), then ", host" (or reportingInstance). */
export function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter = printer<Event>(eventColumns, (e, now) => {
  const firstSeen = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let lastSeen = e.lastTimestamp ? since(e.lastTimestamp, now) : firstSeen;
  let count = e.count ?? 0;
  if (e.series) {
    lastSeen = since(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  const involved = e.involvedObject ?? {};
  const kind = (involved.kind ?? '').toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  return [
    lastSeen,
    e.type ?? '',
    e.reason ?? '',
    target,
    involved.fieldPath ?? '',
    eventSource(e),
    (e.message ?? '').trim(),
    firstSeen,
    count,
    e.metadata.name ?? '',
  ];
});
