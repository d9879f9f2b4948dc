/**
 * `application/vnd.kubernetes.protobuf` bodies: the magic `k8s\0`, then a runtime.Unknown whose
 * typeMeta names the kind and whose `raw` is the typed message (the protobuf serializer of
 * apimachinery, runtime/serializer/protobuf). kubectl's `create <kind>` generators send these.
 *
 *   const obj = decodeProtobufObject(body, { group: '', version: 'v1', kind: 'ConfigMap' });
 *   // { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }
 *
 * Errors are 400 BadRequest Statuses worded as the api-server's create/update handlers word a
 * decode failure (transformDecodeError), never an exception of another kind.
 */
import type { StatusError } from '@kubeling/api';
import { badRequest } from '@kubeling/api';
import { decodableKinds, messageForKind, protoType } from './kinds';
import { messageToJson } from './toJson';
import { jsonToMessage } from './fromJson';
import { checkWireTypes } from './wire';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

/** `k8s\0`: what every protobuf-encoded Kubernetes object starts with. */
export const protobufMagic: Readonly<Uint8Array> = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);

/** The kind an endpoint decodes into, when the caller knows it (the route's kind). */
export interface ExpectedKind {
  group: string;
  version: string;
  kind: string;
}

/** The scheme name kube-apiserver's errors carry (runtime.NewScheme's call site). */
const schemeName = 'k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30';

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function apiVersionOf(gvk: { group: string; version: string }): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/** summarizeData: the first 30 bytes of the body, hex unless it looks like JSON. */
function summarize(data: Uint8Array): string {
  if (!data.length) return '<empty>';
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const head = b.subarray(0, 30);
  const text = b[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return b.length > 30 ? `${text} ...` : text;
}

/** Go's %q, close enough for the ASCII that type names are made of. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * transformDecodeError: with a kind from the data, "X in version "v" cannot be handled as a Y";
 * without one, "the object provided is unrecognized (must be of type Y)". Without an expected
 * kind (the caller does not know the route's), the bare decoder error.
 */
function decodeError(
  cause: string,
  data: Uint8Array,
  gvk: Gvk | undefined,
  expected: ExpectedKind | undefined,
): StatusError {
  if (!expected) return badRequest(cause);
  if (gvk?.kind)
    return badRequest(
      `${gvk.kind} in version ${goQuote(gvk.version)} cannot be handled as a ${expected.kind}: ${cause}`,
    );
  return badRequest(
    `the object provided is unrecognized (must be of type ${expected.kind}): ${cause} (${summarize(data)})`,
  );
}

/** A protobufjs failure in Go's words: running off the end is gogo's io.ErrUnexpectedEOF. */
function wireError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && /index out of range/.test(text)) return 'unexpected EOF';
  return text.startsWith('proto: ') ? text : `proto: ${text}`;
}

const servedVersions = new Set([...decodableKinds().map((k) => k.apiVersion), 'meta.k8s.io/v1']);

/**
 * Decodes a protobuf body into the JSON object a JSON client would have sent for it, with
 * `apiVersion` and `kind` from the envelope. A kind kubeling has no message for comes back as
 * just its TypeMeta when no `expected` kind is given, so that the router still answers 404 for
 * resources it does not serve and the kind check answers for those it does.
 */
export function decodeProtobufObject(
  data: Uint8Array,
  expected?: ExpectedKind,
): Record<string, unknown> {
  // Serializer.Decode: the prefix checks come first, with errors that carry no kind.
  if (!data.length) throw decodeError('empty data', data, undefined, expected);
  const prefixOk =
    data.length >= protobufMagic.length && protobufMagic.every((byte, i) => data[i] === byte);
  if (!prefixOk)
    throw decodeError(
      `provided data does not appear to be a protobuf message, expected prefix [${Array.from(protobufMagic).join(' ')}]`,
      data,
      undefined,
      expected,
    );
  if (data.length === protobufMagic.length)
    throw decodeError('empty body', data, undefined, expected);

  let unknown: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  try {
    const envelope = data.subarray(protobufMagic.length);
    checkWireTypes(envelope, 'runtime.Unknown');
    unknown = protoType('runtime.Unknown').decode(envelope) as typeof unknown;
  } catch (e) {
    throw decodeError(wireError(e), data, undefined, expected);
  }
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const gvk: Gvk = { ...parseApiVersion(apiVersion), kind: unknown.typeMeta?.kind ?? '' };
  // copyKindDefaults: a missing kind or version is taken from the endpoint's.
  if (expected) {
    if (!gvk.kind) gvk.kind = expected.kind;
    if (!gvk.version && expected.version) {
      gvk.group = expected.group;
      gvk.version = expected.version;
    }
  }
  const typeMetaText = `runtime.TypeMeta{APIVersion:${goQuote(apiVersion)}, Kind:${goQuote(unknown.typeMeta?.kind ?? '')}}`;
  if (!gvk.kind)
    throw decodeError(`Object 'Kind' is missing in '${typeMetaText}'`, data, gvk, expected);
  if (!gvk.version)
    throw decodeError(`Object 'apiVersion' is missing in '${typeMetaText}'`, data, gvk, expected);

  const gv = apiVersionOf(gvk);
  const message = messageForKind(gv, gvk.kind);
  if (!message) {
    if (!expected) return { apiVersion: gv, kind: gvk.kind };
    const cause = servedVersions.has(gv)
      ? `no kind ${goQuote(gvk.kind)} is registered for version ${goQuote(gv)} in scheme ${goQuote(schemeName)}`
      : `no version ${goQuote(gv)} has been registered in scheme ${goQuote(schemeName)}`;
    throw decodeError(cause, data, gvk, expected);
  }
  let decoded: Record<string, unknown>;
  try {
    const raw = unknown.raw ?? new Uint8Array();
    checkWireTypes(raw, message);
    decoded = protoType(message).decode(raw) as unknown as Record<string, unknown>;
  } catch (e) {
    throw decodeError(wireError(e), data, gvk, expected);
  }
  let body: unknown;
  try {
    body = messageToJson(message, decoded);
  } catch (e) {
    // A value Go's JSON encoder would refuse (a year past 9999, an IntOrString of type 7).
    throw decodeError(e instanceof Error ? e.message : String(e), data, gvk, expected);
  }
  return { apiVersion: gv, kind: gvk.kind, ...(body as Record<string, unknown>) };
}

/**
 * Encodes a JSON object (with apiVersion and kind) as a protobuf body, as a typed client would
 * send it. Fields without a message field are dropped, as protobuf has nowhere to put them.
 */
export function encodeProtobufObject(obj: { apiVersion: string; kind: string }): Buffer {
  const message = messageForKind(obj.apiVersion, obj.kind);
  if (!message) throw new Error(`protobuf: no message for ${obj.apiVersion}/${obj.kind}`);
  const type = protoType(message);
  const raw = type
    .encode(type.fromObject(jsonToMessage(message, obj) as Record<string, unknown>))
    .finish();
  const envelope = protoType('runtime.Unknown');
  const body = envelope
    .encode(
      envelope.fromObject({
        typeMeta: { apiVersion: obj.apiVersion, kind: obj.kind },
        raw,
        contentEncoding: '',
        contentType: '',
      }),
    )
    .finish();
  return Buffer.concat([protobufMagic, body]);
}
