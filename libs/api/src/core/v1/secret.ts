/**
 * core/v1 Secret: schema, the v1→internal conversion of `stringData`, SetDefaults_Secret, and
 * ValidateSecret / ValidateSecretUpdate with upstream's messages.
 *
 * `data` values are base64 on the wire (Go decodes them into []byte); `stringData` is a
 * write-only convenience that the server folds into `data` and never stores or returns.
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { forbiddenField, invalidValue, path, required, tooLong } from '../../meta/fieldErrors';
import { ObjectMeta, StringMap } from '../../meta/objectMeta';
import { badRequest } from '../../meta/status';
import type { KindInfo } from '../../scheme';
import { isConfigMapKey } from './configMap';

export const Secret = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    immutable: z.boolean().optional(),
    /** Base64 of each value, as Go marshals []byte. */
    data: StringMap.optional(),
    /** Write-only: merged into `data` on write, never stored. */
    stringData: StringMap.optional(),
    type: z.string().optional(),
  })
  .strict();
export type Secret = z.infer<typeof Secret>;

/** MaxSecretSize: 1 MiB of decoded data. */
export const MaxSecretSize = 1024 * 1024;

export const SecretTypes = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;

const b64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The offset Go's base64.StdEncoding reports for malformed input (`illegal base64 data at input
 * byte N`), or -1 when `text` decodes. Newlines are skipped, padding is required, as Go does.
 */
export function base64ErrorOffset(text: string): number {
  const isNl = (c: string | undefined): boolean => c === '\n' || c === '\r';
  let si = 0;
  for (;;) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === text.length) {
        if (j === 0) return -1;
        return si - j;
      }
      const c = text[si] as string;
      si++;
      if (b64Alphabet.includes(c)) continue;
      if (isNl(c)) {
        j--;
        continue;
      }
      if (c !== '=') return si - 1;
      // Padding: only after two or three data characters, and it ends the input.
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < text.length && isNl(text[si])) si++;
        if (si === text.length) return text.length;
        if (text[si] !== '=') return si - 1;
        si++;
      }
      while (si < text.length && isNl(text[si])) si++;
      return si < text.length ? si : -1;
    }
  }
}

function decodedLength(b64: string): number {
  return Buffer.byteLength(b64.replace(/[\r\n]/g, ''), 'base64');
}

/**
 * What decoding a Secret does beyond the schema, done here because defaulting runs right after
 * decoding: reject data that is not base64 (a 400, as Go's decoder gives), fold `stringData`
 * into `data` (Convert_v1_Secret_To_core_Secret: stringData wins on conflicts) and drop it, so
 * it is never stored or returned; then SetDefaults_Secret (type Opaque).
 */
function defaultSecret(s: Secret): void {
  for (const v of Object.values(s.data ?? {})) {
    const at = base64ErrorOffset(v);
    if (at >= 0)
      throw badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`,
      );
  }
  if (s.stringData) {
    const data = { ...s.data };
    for (const [k, v] of Object.entries(s.stringData))
      data[k] = Buffer.from(v, 'utf8').toString('base64');
    s.data = data;
  }
  delete s.stringData;
  if (!s.type) s.type = SecretTypes.opaque;
}

function decoded(s: Secret, key: string): Buffer | undefined {
  const v = s.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64');
}

/** Go's json.Unmarshal into map[string]interface{}: the error text, or undefined when it is an object. */
function jsonObjectError(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    // JSON.parse's wording differs from Go's; these are Go's two common messages.
    return text.trim() === ''
      ? 'unexpected end of JSON input'
      : 'invalid character looking for beginning of value';
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return undefined;
  const goType = Array.isArray(v)
    ? 'array'
    : v === null
      ? 'null'
      : typeof v === 'boolean'
        ? 'bool'
        : typeof v;
  if (goType === 'null') return undefined; // Go leaves the map nil: no error.
  return `json: cannot unmarshal ${goType} into Go value of type map[string]interface {}`;
}

function validateSecret(s: Secret): FieldError[] {
  const errs: FieldError[] = [];
  const dataPath = path('data');
  let size = 0;
  for (const [k, v] of Object.entries(s.data ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalidValue(dataPath.key(k), k, m));
    size += decodedLength(v);
  }
  if (size > MaxSecretSize) errs.push(tooLong(dataPath, MaxSecretSize));

  const has = (k: string): boolean => s.data !== undefined && k in s.data;
  const redacted = '<secret contents redacted>';
  switch (s.type) {
    case SecretTypes.serviceAccountToken: {
      const key = 'kubernetes.io/service-account.name';
      if (!s.metadata.annotations?.[key])
        errs.push(required(path('metadata', 'annotations').key(key)));
      break;
    }
    case SecretTypes.dockercfg:
    case SecretTypes.dockerConfigJson: {
      const key = s.type === SecretTypes.dockercfg ? '.dockercfg' : '.dockerconfigjson';
      const bytes = decoded(s, key);
      if (!bytes) {
        errs.push(required(dataPath.key(key)));
        break;
      }
      const e = jsonObjectError(bytes);
      if (e) errs.push(invalidValue(dataPath.key(key), redacted, e));
      break;
    }
    case SecretTypes.basicAuth:
      // Either may be empty, but at least one must be present.
      if (!has('username') && !has('password')) {
        errs.push(required(dataPath.key('username')));
        errs.push(required(dataPath.key('password')));
      }
      break;
    case SecretTypes.sshAuth:
      if (!decoded(s, 'ssh-privatekey')?.length)
        errs.push(required(dataPath.key('ssh-privatekey')));
      break;
    case SecretTypes.tls:
      if (!has('tls.crt')) errs.push(required(dataPath.key('tls.crt')));
      if (!has('tls.key')) errs.push(required(dataPath.key('tls.key')));
      break;
    default:
      break;
  }
  return errs;
}

function sameMap(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => b !== undefined && k in b && b[k] === a?.[k]);
}

const immutableWhenSet = 'field is immutable when `immutable` is set';

function validateSecretUpdate(s: Secret, old: Secret): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type !== old.type)
    errs.push(invalidValue(path('type'), s.type ?? '', 'field is immutable'));
  if (old.immutable) {
    if (!s.immutable) errs.push(forbiddenField(path('immutable'), immutableWhenSet));
    // stringData was already folded into data by defaulting, so data covers both.
    if (!sameMap(s.data, old.data)) errs.push(forbiddenField(path('data'), immutableWhenSet));
  }
  return errs;
}

export const secretKind: KindInfo<Secret> = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  singular: 'secret',
  namespaced: true,
  shortNames: [],
  categories: [],
  schema: Secret,
  defaults: defaultSecret,
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
  fieldLabels: (s) => ({ type: s.type ?? '' }),
  subresources: [],
  tracksGeneration: false,
};
