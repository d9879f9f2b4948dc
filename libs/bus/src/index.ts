/**
 * @kubeling/bus — the kubeling API over NATS (protocol v1, see docs/protocol.md): subject names,
 * message types, the JSON codec, the version rule, chunked messages both ways, and the helpers
 * both sides need. Depends on @kubeling/api only (for Status / StatusError).
 *
 * Client (what @kubeling/client builds on):
 *
 *   import { connect } from 'nats';
 *   import { apiSubjects, apiRequest, openWatch } from '@kubeling/bus';
 *   const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
 *   const subjects = apiSubjects('dev');                        // kubeling.dev.api.v1.*
 *   const { body: pod } = await apiRequest(nc, subjects, {
 *     verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web',
 *   });                                                         // 404 → throws StatusError
 *   const w = await openWatch(nc, {
 *     subjects,
 *     request: { group: '', version: 'v1', resource: 'pods',
 *                query: { fieldSelector: 'spec.nodeName=node-7', resourceVersion: '1234' } },
 *     onEvent: (ev) => console.log(ev.seq, ev.type),             // ADDED/MODIFIED/DELETED/BOOKMARK/ERROR
 *   });
 *   const end = await w.done;   // { reason: 'end' | 'gap' | 'stale' | 'replica-gone' | ... }
 *   // → re-watch from the last resourceVersion processed (relist after an ERROR 410)
 *
 * Server (what the api-server does):
 *
 *   const svc = await serve(nc, subjects.request, API_SERVER_QUEUE, async (msg) => {
 *     const req = parseApiRequest(msg);                          // 400 on version or shape
 *     return { code: 200, body: await handle(req) };             // a throw becomes a Status reply
 *   });
 *   await svc.drain();
 */
export {
  PROTOCOL_VERSION,
  API_SERVER_QUEUE,
  apiSubjects,
  clusterSubjectPrefix,
  subjectToken,
  isPublishableSubject,
} from './subjects';
export type { ApiSubjects } from './subjects';
export {
  checkVersion,
  parseApiRequest,
  parseWatchRequest,
  parseKeepalive,
  parseCancel,
} from './messages';
export type {
  RequestVerb,
  PatchType,
  Query,
  ResourceRef,
  ApiRequestMessage,
  ApiReplyMessage,
  StatusReplyMessage,
  WatchRequestMessage,
  WatchAckMessage,
  WatchEventType,
  WatchEventMessage,
  WatchEndReason,
  WatchEndMessage,
  WatchMessage,
  KeepaliveMessage,
  KeepaliveReplyMessage,
  CancelMessage,
  CancelReplyMessage,
} from './messages';
export { encode, decode } from './codec';
export {
  CHUNK_HEADER,
  CHUNKS_HEADER,
  UPLOAD_HEADER,
  HEARTBEAT_HEADER,
  DEFAULT_MAX_PAYLOAD,
  maxPayloadOf,
  chunkSize,
  splitPayload,
  publishChunked,
  chunkOf,
  Reassembler,
} from './chunking';
export type { PublishOptions, ChunkInfo } from './chunking';
export {
  request,
  requestRaw,
  apiRequest,
  requestFailureOf,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_MS,
  HEARTBEAT_MISSES,
} from './request';
export type { RequestOptions, RequestFailure } from './request';
export { serve, DEFAULT_MAX_REQUEST_BYTES } from './serve';
export type { Service, ServeContext, ServeHandler, ServeOptions } from './serve';
export { openWatch } from './watch';
export type { OpenWatchOptions, WatchStream, WatchClose, WatchCloseReason } from './watch';
