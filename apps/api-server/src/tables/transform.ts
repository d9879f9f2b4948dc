/**
 * Turning an API answer into what the client negotiated (the handlers' transformObject and
 * the watch's embedded encoder): a Table, a PartialObjectMetadata or a
 * PartialObjectMetadataList. Status objects (errors, deletion results) pass through untouched.
 *
 *   const conv = prepareConversion(negotiated, { group: '', resource: 'pods', verb: 'list', ... });
 *   res.send(conv ? convertBody(body, conv) : body);
 *   const toEvent = watchConverter(conv, clock.now);  // per watch: headers on the first event
 */
import { statusFailure } from '@kubeling/api';
import type { KubeObject, StatusError } from '@kubeling/api';
import type { Query } from '../registry/options';
import type { WatchEvent } from '../registry/watch';
import type { ConversionTarget, OutputMediaType } from './mediaType';
import { partialObjectMetadata, partialObjectMetadataList } from './partialObjectMetadata';
import { printerFor } from './printers';
import type { TableContext, TablePrinter } from './table';
import { bookmarkTable, listTable, objectTable, parseTableOptions } from './table';

export interface ConversionRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  query: Query;
  /** apiVersion/kind of the resource's objects, for full objects in Table rows. */
  typeMeta: { apiVersion: string; kind: string };
  now: number;
}

export interface Conversion {
  target: ConversionTarget;
  printer: TablePrinter;
  table: TableContext;
}

function notAcceptableConversion(message: string): StatusError {
  return statusFailure('NotAcceptable', message);
}

/**
 * What the response must become, or undefined for the object as is. Throws 400 for a bad
 * includeObject and 406 for a conversion that cannot apply to this verb (metadata of a single
 * object asked of a list, or the reverse), before the request does anything.
 */
export function prepareConversion(
  out: OutputMediaType,
  req: ConversionRequest,
): Conversion | undefined {
  const target = out.target;
  if (!target) return undefined;
  if (target.kind === 'PartialObjectMetadata' && req.verb === 'list')
    throw notAcceptableConversion(
      `you requested PartialObjectMetadata, but the requested object is a list (${req.resource})`,
    );
  if (
    target.kind === 'PartialObjectMetadataList' &&
    req.verb !== 'list' &&
    req.verb !== 'watch' &&
    req.verb !== 'deletecollection'
  )
    throw notAcceptableConversion(
      `you requested PartialObjectMetadataList, but the requested object is not a list (${req.resource})`,
    );
  const options =
    target.kind === 'Table'
      ? parseTableOptions(req.query)
      : { includeObject: 'Metadata' as const, noHeaders: false };
  return {
    target,
    printer: printerFor(req.group, req.resource, req.subresource),
    table: { ...options, version: target.version, now: req.now, typeMeta: req.typeMeta },
  };
}

function isStatus(body: unknown): boolean {
  const b = body as { kind?: unknown; apiVersion?: unknown } | null;
  return b?.kind === 'Status' && b.apiVersion === 'v1';
}

function isList(body: unknown): body is { metadata?: object; items: KubeObject[] } {
  return Array.isArray((body as { items?: unknown } | null)?.items);
}

/** A get/list/create/update/patch/delete answer in the negotiated form. */
export function convertBody(body: unknown, conv: Conversion): unknown {
  if (body === null || typeof body !== 'object' || isStatus(body)) return body;
  const list = isList(body);
  switch (conv.target.kind) {
    case 'Table':
      return list
        ? listTable(conv.printer, body, conv.table)
        : objectTable(conv.printer, body as KubeObject, conv.table);
    case 'PartialObjectMetadata':
      if (list)
        throw notAcceptableConversion(
          'you requested PartialObjectMetadata, but the requested object is a list',
        );
      return partialObjectMetadata(body as KubeObject, conv.target.version);
    case 'PartialObjectMetadataList':
      if (!list)
        throw notAcceptableConversion(
          'you requested PartialObjectMetadataList, but the requested object is not a list',
        );
      return partialObjectMetadataList(body, conv.target.version);
  }
}

/**
 * The converter of one watch: each event's object becomes a one-row Table (column definitions
 * on the first event only, as upstream's watch encoder sets NoHeaders after it) or a
 * PartialObjectMetadata. ERROR events keep their Status; a BOOKMARK keeps only its
 * resourceVersion (an empty Table, or metadata).
 */
export function watchConverter(
  conv: Conversion,
  now: () => number,
): (ev: WatchEvent) => WatchEvent {
  let headersSent = false;
  return (ev) => {
    if (ev.type === 'ERROR' || isStatus(ev.object)) return ev;
    const obj = ev.object as KubeObject;
    if (conv.target.kind !== 'Table')
      return { type: ev.type, object: partialObjectMetadata(obj, conv.target.version) };
    // Ages are those at the moment the event goes out, not when the watch began.
    const ctx = { ...conv.table, noHeaders: headersSent, now: now() };
    headersSent = true;
    const object =
      ev.type === 'BOOKMARK'
        ? bookmarkTable(conv.printer, obj.metadata?.resourceVersion ?? '', ctx)
        : objectTable(conv.printer, obj, ctx);
    return { type: ev.type, object };
  };
}
