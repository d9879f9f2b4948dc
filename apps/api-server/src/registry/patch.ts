/**
 * JSON Patch (RFC 6902) on plain JSON values (JSON Merge Patch, RFC 7386, is @kubeling/api's
 * mergePatch).
 * Errors are Status errors shaped as the api-server's patch handler shapes them: an undecodable
 * patch is 400 BadRequest, a patch that does not apply is 422 with the patcher's message as cause.
 */
import { badRequest, deepEqual, isStatusError, statusFailure } from '@kubeling/api';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Runs a patch function over a stored object and a client's patch. The stored object was decoded
 * and validated when written, so when a patch function throws something other than a Status,
 * the patch is what it could not handle (a shape its checks missed): that is a 400 naming the
 * failure, not a 500 blaming the server. Only the patch step is covered; anywhere else an
 * unexpected exception stays a 500, as a server bug should.
 */
export function patching<T>(apply: () => T): T {
  try {
    return apply();
  } catch (e) {
    if (isStatusError(e)) throw e;
    throw badRequest(`error applying patch: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The 422 the api-server answers when a patch cannot be applied to the object. */
export function patchDoesNotApply(why: string) {
  return statusFailure(
    'Invalid',
    'the server rejected our request due to an error in our request',
    {
      causes: [{ reason: 'UnexpectedServerResponse', message: why }],
    },
  );
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Resolves the parent container of `tokens` and the last token; throws when a step is missing. */
function parentOf(doc: unknown, tokens: string[], op: string, pointer: string): [unknown, string] {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false, op, pointer)];
    else if (isObject(cur) && t in cur) cur = cur[t];
    else
      throw patchDoesNotApply(
        `${op} operation does not apply: doc is missing path: "${pointer}": missing value`,
      );
  }
  return [cur, tokens[tokens.length - 1] as string];
}

function arrayIndex(
  arr: unknown[],
  token: string,
  forAdd: boolean,
  op: string,
  pointer: string,
): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token))
    throw patchDoesNotApply(
      `${op} operation does not apply: invalid array index ${JSON.stringify(token)} in "${pointer}"`,
    );
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length))
    throw patchDoesNotApply(
      `${op} operation does not apply: doc is missing path: "${pointer}": index out of range`,
    );
  return i;
}

function get(doc: unknown, pointer: string, op: string): unknown {
  const tokens = decodePointer(pointer);
  if (!tokens.length) return doc;
  const [parent, last] = parentOf(doc, tokens, op, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false, op, pointer)];
  if (isObject(parent) && last in parent) return parent[last];
  throw patchDoesNotApply(
    `${op} operation does not apply: doc is missing key: ${pointer}: missing value`,
  );
}

function add(doc: unknown, pointer: string, value: unknown, op = 'add'): unknown {
  const tokens = decodePointer(pointer);
  if (!tokens.length) return value;
  const [parent, last] = parentOf(doc, tokens, op, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true, op, pointer), 0, value);
  else if (isObject(parent)) parent[last] = value as Json;
  else
    throw patchDoesNotApply(
      `${op} operation does not apply: doc is missing path: "${pointer}": missing value`,
    );
  return doc;
}

function remove(doc: unknown, pointer: string, op = 'remove'): unknown {
  const tokens = decodePointer(pointer);
  if (!tokens.length) return null;
  const [parent, last] = parentOf(doc, tokens, op, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false, op, pointer), 1);
  else if (isObject(parent) && last in parent) delete parent[last];
  else
    throw patchDoesNotApply(
      `${op} operation does not apply: doc is missing key: ${pointer}: missing value`,
    );
  return doc;
}

/** RFC 6902 over a deep copy of `doc`. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out: unknown = structuredClone(doc);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string')
      throw badRequest(`invalid JSON patch operation: ${JSON.stringify(raw)}`);
    const o = raw as unknown as Operation;
    switch (o.op) {
      case 'add':
        if (!('value' in o))
          throw badRequest(`add operation missing value: ${JSON.stringify(raw)}`);
        out = add(out, o.path, structuredClone(o.value));
        break;
      case 'remove':
        out = remove(out, o.path);
        break;
      case 'replace':
        if (!('value' in o))
          throw badRequest(`replace operation missing value: ${JSON.stringify(raw)}`);
        get(out, o.path, 'replace');
        out = remove(out, o.path, 'replace');
        out = add(out, o.path, structuredClone(o.value), 'replace');
        break;
      case 'move': {
        if (typeof o.from !== 'string') throw badRequest('move operation missing from');
        const v = get(out, o.from, 'move');
        out = remove(out, o.from, 'move');
        out = add(out, o.path, v, 'move');
        break;
      }
      case 'copy': {
        if (typeof o.from !== 'string') throw badRequest('copy operation missing from');
        out = add(out, o.path, structuredClone(get(out, o.from, 'copy')), 'copy');
        break;
      }
      case 'test':
        if (!deepEqual(get(out, o.path, 'test'), o.value))
          throw patchDoesNotApply(`testing value ${o.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${o.op}`);
    }
  }
  return out;
}
