/**
 * The vocabulary of an API request, independent of transport: what the api-server's `Api`
 * handles, what the NATS protocol carries (libs/bus adds its version field) and what the client
 * library's transports send. One definition, so the three cannot drift apart.
 */

/** The verbs of the API, as upstream's request info names them. */
export type ApiVerb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** Every verb but watch, which travels differently (a stream, not a reply). */
export type RequestVerb = Exclude<ApiVerb, 'watch'>;

/** json: RFC 6902, merge: RFC 7386, strategic and apply: as Kubernetes defines them. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** The REST query parameters, as strings (a repeated parameter as an array). */
export type Query = Record<string, string | string[] | undefined>;

/** What a request is about: the REST path's parts. */
export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: `pods`, `deployments`. */
  resource: string;
  /** `status`, `scale`, `binding`, `finalize`. */
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface ApiRequest<V extends ApiVerb = ApiVerb> extends ResourceRef {
  verb: V;
  query?: Query;
  /** The object (create, update), DeleteOptions (delete, deletecollection) or patch document. */
  body?: unknown;
  /** Verb `patch` only. */
  patchType?: PatchType;
  /** The client's User-Agent: names the field manager of writes without `query.fieldManager`. */
  userAgent?: string;
}

/** `code` is the HTTP status the REST API answers; a code >= 400 means `body` is a Status. */
export interface ApiResponse<T = unknown> {
  code: number;
  body: T;
  /** What the REST API sends as `Warning` headers. */
  warnings?: string[];
}
