/**
 * Subject names of the kubeling API over NATS (protocol v1). Every subject lives under the
 * cluster's prefix `kubeling.<cluster>.`, so clusters sharing one NATS server never meet, and
 * under `api.v1.`, so an incompatible protocol (v2) can be served beside this one.
 */

/** The protocol version every request carries as `v`. */
export const PROTOCOL_VERSION = 1;

/** The queue group every api-server replica joins: one replica answers each request. */
export const API_SERVER_QUEUE = 'api-server';

/** The subjects of one cluster's API. */
export interface ApiSubjects {
  /** `kubeling.<cluster>.` */
  prefix: string;
  /** Every verb but watch (queue group `api-server`). */
  request: string;
  /** Starts a watch (queue group `api-server`). */
  watch: string;
  /** Keeps a replica's watches alive (that replica only). */
  keepalive(replica: string): string;
  /** Ends one watch at once (that replica only). */
  cancel(replica: string): string;
}

const clusterName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A cluster name is a DNS-1123 label, hence one subject token. */
export function clusterSubjectPrefix(cluster: string): string {
  if (!clusterName.test(cluster))
    throw new Error(`cluster name ${JSON.stringify(cluster)} must be a DNS-1123 label`);
  return `kubeling.${cluster}.`;
}

export function apiSubjects(cluster: string): ApiSubjects {
  const prefix = clusterSubjectPrefix(cluster);
  const api = `${prefix}api.v${PROTOCOL_VERSION}.`;
  return {
    prefix,
    request: `${api}request`,
    watch: `${api}watch`,
    keepalive: (replica) => `${api}replica.${subjectToken(replica)}.keepalive`,
    cancel: (replica) => `${api}replica.${subjectToken(replica)}.cancel`,
  };
}

/**
 * Any string as one subject token: NATS splits subjects on `.`, treats `*` and `>` as wildcards
 * and forbids whitespace, so those become `_` (a hostname-pid replica id has dots).
 */
export function subjectToken(s: string): string {
  const t = s.replace(/[.*>\s]/g, '_');
  if (!t) throw new Error('a subject token cannot be empty');
  return t;
}

/** A subject a client may ask events to be published to: tokens without wildcards. */
export function isPublishableSubject(s: string): boolean {
  return /^[^.*>\s]+(\.[^.*>\s]+)*$/.test(s) && s.length <= 512;
}
