/**
 * Kubernetes protobuf bodies (`application/vnd.kubernetes.protobuf`): the runtime.Unknown
 * envelope, the typed messages of every kind kubeling serves, and their JSON conventions.
 *
 *   const obj = decodeProtobufObject(req.body);           // the object a JSON body would carry
 *   const body = encodeProtobufObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
 */
export type { ExpectedKind } from './unknown';
export {
  decodeProtobufObject,
  encodeProtobufObject,
  protobufMagic,
  protobufMediaType,
} from './unknown';
export { decodableKinds, messageForKind } from './kinds';
