/**
 * The Lua scripts: each mutation checks its preconditions, INCRs the global resourceVersion,
 * writes the hash field and XADDs the change-log entry in ONE script, so an object and its log
 * entry always share one resourceVersion and no committed write can miss the log (etcd gives the
 * same guarantee: a watch is a read of the revision history, not an in-process notification).
 *
 * Invariant the watch fan-out relies on: every INCR of `rv` is paired with exactly one XADD of id
 * `<rv>-1`, so log ids are consecutive and a hole can only mean compaction.
 *
 * Scripts answer `{status, ...}` tables instead of raising errors, so the caller can build the
 * right Status error with the details it knows.
 */
import type { Redis } from 'ioredis';

const CREATE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {'exists'} end
local rv = string.format('%d', redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[1], ARGV[1], rv .. '|' .. ARGV[2])
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('XADD', KEYS[3], rv .. '-1', 't', 'ADDED', 'r', ARGV[3], 'k', ARGV[1], 'o', ARGV[2])
return {'ok', rv}
`;

// A write whose bytes equal what is stored is skipped: no new resourceVersion, no event (etcd3
// store's GuaranteedUpdate does the same), so no-op status updates do not wake every watcher.
const UPDATE = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return {'notfound'} end
local bar = string.find(cur, '|', 1, true)
local curRv = string.sub(cur, 1, bar - 1)
if ARGV[4] ~= '' and ARGV[4] ~= curRv then return {'conflict', curRv} end
local prev = string.sub(cur, bar + 1)
if prev == ARGV[2] then return {'unchanged', curRv} end
local rv = string.format('%d', redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[1], ARGV[1], rv .. '|' .. ARGV[2])
redis.call('XADD', KEYS[3], rv .. '-1', 't', 'MODIFIED', 'r', ARGV[3], 'k', ARGV[1],
  'o', ARGV[2], 'p', prev, 'pv', curRv)
return {'ok', rv}
`;

// Preconditions in upstream's order (storage.Preconditions.Check): UID, then resourceVersion.
// The UID is read with cjson; only read, never re-encoded, so cjson cannot mangle anything.
const DELETE = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return {'notfound'} end
local bar = string.find(cur, '|', 1, true)
local curRv = string.sub(cur, 1, bar - 1)
local prev = string.sub(cur, bar + 1)
if ARGV[4] ~= '' then
  local ok, obj = pcall(cjson.decode, prev)
  local uid = ''
  if ok and type(obj) == 'table' and type(obj.metadata) == 'table' and type(obj.metadata.uid) == 'string' then
    uid = obj.metadata.uid
  end
  if uid ~= ARGV[4] then return {'uid', uid} end
end
if ARGV[3] ~= '' and ARGV[3] ~= curRv then return {'rv', curRv} end
local rv = string.format('%d', redis.call('INCR', KEYS[2]))
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[4], ARGV[5]) end
redis.call('XADD', KEYS[3], rv .. '-1', 't', 'DELETED', 'r', ARGV[2], 'k', ARGV[1],
  'o', prev, 'p', prev, 'pv', curRv)
return {'ok', rv, prev}
`;

// A consistent snapshot: the objects and the resourceVersion they are current at, read in one
// script. A namespaced list reads its namespace's hash only (KEYS[1]); a list across namespaces
// reads every namespace hash named in the index set (KEYS[1]), whose keys are ARGV[1] .. ns:
// keys computed in the script, which a single Redis (not Redis Cluster) allows.
const LIST = `
local rv = redis.call('GET', KEYS[2]) or '0'
if ARGV[1] == '' then return {rv, redis.call('HGETALL', KEYS[1])} end
local out = {}
for _, ns in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local all = redis.call('HGETALL', ARGV[1] .. ns)
  for i = 1, #all do out[#out + 1] = all[i] end
end
return {rv, out}
`;

// One page of the log after ARGV[1], checked against 'compacted' in the same script: compaction
// trims and raises 'compacted' atomically, so if after >= compacted here, every entry after it
// is still in the log and the page has no hole.
const READ_LOG = `
local c = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < c then return {'expired', string.format('%d', c)} end
return {'ok', redis.call('XRANGE', KEYS[1], '(' .. ARGV[1] .. '-1', '+', 'COUNT', ARGV[2])}
`;

// Keeps the newest ARGV[1] entries and records the highest trimmed rv, atomically. Running it
// from several api-server replicas at once is harmless: each run trims to the same length and
// 'compacted' only moves forward.
const COMPACT = `
local keep = tonumber(ARGV[1])
local old = tonumber(redis.call('GET', KEYS[2]) or '0')
if redis.call('XLEN', KEYS[1]) <= keep then return string.format('%d', old) end
redis.call('XTRIM', KEYS[1], 'MAXLEN', keep)
local c
if keep == 0 then
  c = tonumber(redis.call('GET', KEYS[3]) or '0')
else
  local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
  c = tonumber(string.sub(first, 1, string.find(first, '-', 1, true) - 1)) - 1
end
if c > old then
  redis.call('SET', KEYS[2], string.format('%d', c))
  return string.format('%d', c)
end
return string.format('%d', old)
`;

type ScriptArg = string | number;
type ScriptFn = (...args: ScriptArg[]) => Promise<unknown>;

/** Registers a script with ioredis (EVALSHA, reloaded by EVAL on NOSCRIPT) and returns its caller. */
function defineScript(redis: Redis, name: string, numberOfKeys: number, lua: string): ScriptFn {
  redis.defineCommand(name, { numberOfKeys, lua });
  const fn = (redis as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`ioredis did not define ${name}`);
  return (...args) => (fn as ScriptFn).apply(redis, args);
}

export interface Scripts {
  create(
    objects: string,
    rv: string,
    log: string,
    namespaces: string,
    field: string,
    json: string,
    resource: string,
    namespace: string,
  ): Promise<unknown>;
  update(
    objects: string,
    rv: string,
    log: string,
    field: string,
    json: string,
    resource: string,
    expectedRv: string,
  ): Promise<unknown>;
  delete(
    objects: string,
    rv: string,
    log: string,
    namespaces: string,
    field: string,
    resource: string,
    expectedRv: string,
    expectedUid: string,
    namespace: string,
  ): Promise<unknown>;
  /** `objectsOrIndex` is one namespace's hash (objectsPrefix '') or the namespace index set. */
  list(objectsOrIndex: string, rv: string, objectsPrefix: string): Promise<unknown>;
  readLog(log: string, compacted: string, after: string, count: number): Promise<unknown>;
  compact(log: string, compacted: string, rv: string, keep: number): Promise<unknown>;
}

export function defineScripts(redis: Redis): Scripts {
  return {
    create: defineScript(redis, 'kubelingStoreCreate', 4, CREATE),
    update: defineScript(redis, 'kubelingStoreUpdate', 3, UPDATE),
    delete: defineScript(redis, 'kubelingStoreDelete', 4, DELETE),
    list: defineScript(redis, 'kubelingStoreList', 2, LIST),
    readLog: defineScript(redis, 'kubelingStoreReadLog', 2, READ_LOG),
    compact: defineScript(redis, 'kubelingStoreCompact', 3, COMPACT),
  };
}

// Narrowing helpers for script replies (ioredis gives strings, numbers and nested arrays).

export function replyArray(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error(`unexpected script reply: ${JSON.stringify(v)}`);
  return v;
}

export function replyString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new Error(`unexpected script reply: ${JSON.stringify(v)}`);
}
