/**
 * Request bodies: JSON, YAML or Kubernetes protobuf objects for create/update/delete, patch
 * documents by patch media type. Anything undecodable is a 400, an unknown media type a 415, as
 * the api-server's serializers answer them.
 */
import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from '@kubeling/api';
import type { ExpectedKind } from '../protobuf';
import { decodeProtobufObject, protobufMediaType } from '../protobuf';
import { yamlDepthEstimate } from './yamlDepth';
import { maxBodyDepth, tooDeep } from '../registry/bodyDepth';
import type { PatchType } from '../registry/patchTypes';
import { patchMediaTypes, supportedPatchTypes, unsupportedPatch } from '../registry/patchTypes';

/** The largest request body the api-server reads (upstream's MaxRequestBodyBytes: 3 MiB). */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

/** What a create/update/delete body may be, in the order upstream's 415 lists them. */
const objectMediaTypes = ['application/json', 'application/yaml', protobufMediaType];

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** What a client's YAML may not do: print process warnings (a complex key would, per request). */
const yamlOptions = { logLevel: 'error' } as const;

/** Refuses YAML nested beyond the body depth limit before the parser spends time on it. */
function checkYamlDepth(text: string): void {
  if (yamlDepthEstimate(text) > maxBodyDepth) throw tooDeep();
}

function parseYamlDoc(text: string): unknown {
  checkYamlDepth(text);
  try {
    return parseYaml(text, yamlOptions);
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}

/**
 * A create/update/delete body; empty bodies are `undefined` (DELETE without options).
 * Protobuf bodies become the JSON object a JSON client would have sent (kubectl's `create <kind>`
 * generators send protobuf). `expected`, the kind the endpoint decodes into, is optional: with
 * it, protobuf decode errors carry upstream's full wording and a body without a kind takes the
 * endpoint's; without it, a protobuf kind kubeling has no message for comes back as its bare
 * TypeMeta, so the router's 404 or the kind check still answers first.
 */
export function decodeObjectBody(
  contentType: string | undefined,
  raw: Buffer,
  expected?: ExpectedKind,
): unknown {
  if (!raw.length) return undefined;
  const mt = mediaType(contentType) || 'application/json';
  if (mt === 'application/json' || mt === 'text/plain' || mt === '*/*')
    return parseJson(raw.toString('utf8'));
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml')
    return parseYamlDoc(raw.toString('utf8'));
  if (mt === protobufMediaType) return decodeProtobufObject(raw, expected);
  throw unsupportedMediaType(mt, objectMediaTypes);
}

export function decodePatchBody(
  contentType: string | undefined,
  raw: Buffer,
): { type: PatchType; patch: unknown } {
  const mt = mediaType(contentType);
  const type = patchMediaTypes[mt];
  if (!type || !supportedPatchTypes.includes(mt)) throw unsupportedPatch(mt);
  const text = raw.toString('utf8');
  if (!text.trim()) throw badRequest('empty patch');
  if (type === 'apply') checkYamlDepth(text);
  try {
    return { type, patch: type === 'apply' ? parseYaml(text, yamlOptions) : JSON.parse(text) };
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}
