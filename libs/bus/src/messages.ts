/**
 * The messages of protocol v1, as TypeScript types, and the checks a server applies to what it
 * receives. Objects inside (`body`, `object`) are exactly what the REST API sends and accepts.
 */
import { z } from 'zod';
import type {
  ApiRequest,
  ApiResponse,
  Query,
  RequestVerb,
  ResourceRef,
  Status,
} from '@kubeling/api';
import { badRequest } from '@kubeling/api';
import { PROTOCOL_VERSION, isPublishableSubject } from './subjects';

export type { PatchType, Query, RequestVerb, ResourceRef } from '@kubeling/api';

/** To `<p>api.v1.request`. */
export interface ApiRequestMessage extends ApiRequest<RequestVerb> {
  v: typeof PROTOCOL_VERSION;
}

/**
 * Every reply has a `code` (the HTTP status code the REST API would answer). A code >= 400 means
 * `body` is a failure Status; the client helpers throw it as a StatusError.
 */
export type ApiReplyMessage<T = unknown> = ApiResponse<T>;

/** An error reply: what any request (request, watch, keepalive, cancel) may get back. */
export interface StatusReplyMessage {
  code: number;
  body: Status;
}

/** To `<p>api.v1.watch`. Query: labelSelector, fieldSelector, resourceVersion, timeoutSeconds. */
export interface WatchRequestMessage extends Omit<ResourceRef, 'subresource'> {
  v: typeof PROTOCOL_VERSION;
  query?: Query;
  /** Where the events go; the client subscribes to it before sending the request. */
  inbox: string;
}

/** The reply to a watch request: the watch runs, its events follow on the inbox. */
export interface WatchAckMessage {
  code: 200;
  watchId: string;
  /** The replica serving the watch: keepalive and cancel go to its subjects. */
  replica: string;
  /** BOOKMARKs come at least this often: they are the watch's heartbeat. */
  bookmarkIntervalMs: number;
  /** The replica ends a watch not kept alive for this long. */
  expiryMs: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One event on the inbox. `seq` is 1, 2, 3 ... per watch, over every message including END. */
export interface WatchEventMessage {
  seq: number;
  type: WatchEventType;
  /** The object; for BOOKMARK only kind, apiVersion and metadata.resourceVersion; for ERROR a Status. */
  object: unknown;
}

/** Why a replica ended a watch. */
export type WatchEndReason = 'timeout' | 'cancelled' | 'expired' | 'shutdown' | 'error';

/** The last message of a watch: the client re-watches from the last resourceVersion it saw. */
export interface WatchEndMessage {
  seq: number;
  type: 'END';
  reason: WatchEndReason;
}

export type WatchMessage = WatchEventMessage | WatchEndMessage;

/** To `<p>api.v1.replica.<replica>.keepalive`; a request, or a plain publish. */
export interface KeepaliveMessage {
  v: typeof PROTOCOL_VERSION;
  watchIds: string[];
}

/** Ids the replica does not (or no longer) serve: their clients must re-watch. */
export interface KeepaliveReplyMessage {
  code: 200;
  unknown: string[];
}

/** To `<p>api.v1.replica.<replica>.cancel`; a request, or a plain publish. */
export interface CancelMessage {
  v: typeof PROTOCOL_VERSION;
  watchId: string;
}

export interface CancelReplyMessage {
  code: 200;
  /** False when the replica did not serve that watch (any more). */
  found: boolean;
}

/**
 * The version rule: a request without `v`, or with a version this side does not speak, is a
 * 400. Compatible additions (new optional fields) keep v 1 and are ignored by older peers; an
 * incompatible change moves to `api.v2` subjects.
 */
export function checkVersion(msg: unknown): void {
  const v = typeof msg === 'object' && msg !== null ? (msg as { v?: unknown }).v : undefined;
  if (v === PROTOCOL_VERSION) return;
  if (v === undefined)
    throw badRequest(`missing protocol version "v" (this server speaks ${PROTOCOL_VERSION})`);
  throw badRequest(
    `unsupported protocol version ${JSON.stringify(v)} (this server speaks ${PROTOCOL_VERSION})`,
  );
}

const query = z.record(z.union([z.string(), z.array(z.string())]));
const optionalName = z.string().min(1).optional();

const requestSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  verb: z.enum(['get', 'list', 'create', 'update', 'patch', 'delete', 'deletecollection']),
  group: z.string(),
  version: z.string().min(1),
  resource: z.string().min(1),
  subresource: optionalName,
  namespace: optionalName,
  name: optionalName,
  query: query.optional(),
  body: z.unknown().optional(),
  patchType: z.enum(['json', 'merge', 'strategic', 'apply']).optional(),
  userAgent: z.string().optional(),
});

const watchSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  group: z.string(),
  version: z.string().min(1),
  resource: z.string().min(1),
  namespace: optionalName,
  name: optionalName,
  query: query.optional(),
  inbox: z.string().refine(isPublishableSubject, 'must be a subject without wildcards'),
});

const keepaliveSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  watchIds: z.array(z.string()),
});

const cancelSchema = z.object({ v: z.literal(PROTOCOL_VERSION), watchId: z.string() });

function parseWith<T>(schema: z.ZodType<T>, what: string, msg: unknown): T {
  checkVersion(msg);
  const r = schema.safeParse(msg);
  if (r.success) return r.data;
  const issues = r.error.issues
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw badRequest(`invalid ${what}: ${issues}`);
}

/** A request as the server receives it: version rule, then shape (400 on either). */
export function parseApiRequest(msg: unknown): ApiRequestMessage {
  return parseWith(requestSchema, 'request', msg) as ApiRequestMessage;
}

export function parseWatchRequest(msg: unknown): WatchRequestMessage {
  return parseWith(watchSchema, 'watch request', msg) as WatchRequestMessage;
}

export function parseKeepalive(msg: unknown): KeepaliveMessage {
  return parseWith(keepaliveSchema, 'keepalive', msg) as KeepaliveMessage;
}

export function parseCancel(msg: unknown): CancelMessage {
  return parseWith(cancelSchema, 'cancel', msg) as CancelMessage;
}
