/**
 * How deep a request body may nest objects and lists. Every step of a write walks the body
 * recursively (decoding, defaulting, patching, field sets, JSON.stringify), so a body nested
 * tens of thousands of levels deep would overflow the stack somewhere in the middle of the work
 * and answer 500. Upstream's decoders stop at 10000 levels; kubeling stops at 100: no built-in
 * kind nests beyond about 20 (a CronJob's node affinity expression, managedFields mirroring it,
 * is the deepest), so 100 refuses no real object, and it keeps every recursive walk, including
 * the store's cjson (1000), far from its limit. Checked before any other work, without
 * recursion, for HTTP and NATS bodies alike (YAML text is estimated before it is even parsed,
 * see ../http/yamlDepth.ts).
 */
import { badRequest } from '@kubeling/api';

export const maxBodyDepth = 100;

export function tooDeep(max = maxBodyDepth) {
  return badRequest(
    `exceeded max depth: the request body nests objects and lists more than ${max} levels deep`,
  );
}

/** Throws 400 BadRequest when `body` nests objects and lists more than `max` levels deep. */
export function checkBodyDepth(body: unknown, max = maxBodyDepth): void {
  const stack: Array<[unknown, number]> = [[body, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) throw tooDeep(max);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}
