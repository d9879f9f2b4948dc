/**
 * A small vocabulary for writing Kubernetes protobuf messages down as data: field numbers from
 * upstream's `generated.proto`, plus what the Go struct behind each field says about JSON
 * (go-to-protobuf derives both from the same struct, so one table can drive the wire decoder
 * and the JSON conventions).
 *
 *   const ServicePort: MessageDef = {
 *     name: string(1),
 *     port: int32(3, 'req'),                          // `json:"port"`: 0 is still written
 *     targetPort: msg(4, 'intstr.IntOrString'),
 *     appProtocol: string(6, 'ptr'),                  // *string: "" is a value, not absence
 *   };
 *
 * Message names are `<package>.<Message>` with short packages: `meta` (apimachinery meta/v1),
 * `runtime`, `intstr`, `resource`, `core`, `apps`, `discovery`, `coordination`, `autoscaling`.
 */

export type Scalar = 'string' | 'bool' | 'int32' | 'int64' | 'bytes';

/**
 * How a field's Go type and JSON tag shape the JSON object:
 * - `omitempty`: a value field tagged `omitempty`; the zero value is left out.
 * - `ptr`: a pointer field; anything on the wire (zero included) is a value.
 * - `req`: a value field without `omitempty`; Go's encoder writes the zero value too.
 */
export type Presence = 'omitempty' | 'ptr' | 'req';

export interface FieldDef {
  /** The protobuf field number. */
  id: number;
  /** A scalar, or a message name such as `core.Container`. */
  type: string;
  /**
   * `one` a single value, `list` a repeated field, `map` a `map<string, type>`, `inline` an
   * embedded Go struct whose fields JSON flattens into the parent (`json:",inline"`).
   */
  rule: 'one' | 'list' | 'map' | 'inline';
  presence: Presence;
}

/** A message: JSON field name (the same as the proto field name upstream) → field. */
export type MessageDef = Readonly<Record<string, FieldDef>>;
export type MessageDefs = Readonly<Record<string, MessageDef>>;

const scalars: ReadonlySet<string> = new Set<Scalar>(['string', 'bool', 'int32', 'int64', 'bytes']);

export function isScalar(type: string): type is Scalar {
  return scalars.has(type);
}

const scalar =
  (type: Scalar) =>
  (id: number, presence: Presence = 'omitempty'): FieldDef => ({ id, type, rule: 'one', presence });

export const string = scalar('string');
export const bool = scalar('bool');
export const int32 = scalar('int32');
export const int64 = scalar('int64');
export const bytes = scalar('bytes');

/** A nested message. Present on the wire means present in JSON (gogo writes value structs always). */
export function msg(id: number, type: string, presence: Presence = 'omitempty'): FieldDef {
  return { id, type, rule: 'one', presence };
}

export function list(id: number, type: string): FieldDef {
  return { id, type, rule: 'list', presence: 'omitempty' };
}

/** `map<string, type>`; protobuf writes it as repeated key (1) / value (2) entries. */
export function map(id: number, valueType: string): FieldDef {
  return { id, type: valueType, rule: 'map', presence: 'omitempty' };
}

export function inline(id: number, type: string): FieldDef {
  return { id, type, rule: 'inline', presence: 'omitempty' };
}
