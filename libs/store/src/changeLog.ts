/**
 * Entries of the change log stream (`<prefix>log`), one per write, id `<rv>-1`, fields:
 *   t  ADDED | MODIFIED | DELETED
 *   r  `group/resource`
 *   k  `namespace/name`
 *   o  the object's JSON without resourceVersion (for DELETED its last state)
 *   p  the previous JSON (MODIFIED, DELETED), pv its resourceVersion
 * The previous state is kept because a watcher with a selector turns a MODIFIED that leaves its
 * selection into a DELETED and one that enters it into an ADDED (the watch cache rule), and it
 * can only tell with both states at hand.
 */
import { decodeObject, rvOfLogId } from './codec';
import type { EventType, StoreEvent } from './types';

/** An entry as XRANGE / XREAD return it. */
export type LogEntry = [id: string, fields: string[]];

const eventTypes = new Set<string>(['ADDED', 'MODIFIED', 'DELETED']);

export function parseLogEntry([id, fields]: LogEntry): StoreEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
  const type = f.t;
  if (type === undefined || !eventTypes.has(type) || f.r === undefined || f.o === undefined) {
    throw new Error(`malformed change-log entry ${id}`);
  }
  const rv = String(rvOfLogId(id));
  const ev: StoreEvent = {
    type: type as EventType,
    resource: f.r,
    object: decodeObject(f.o, rv),
    resourceVersion: rv,
  };
  if (f.p !== undefined && f.pv !== undefined) ev.prevObject = decodeObject(f.p, f.pv);
  return ev;
}
