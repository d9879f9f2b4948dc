/**
 * A deterministic generator of malformed API requests, for the fuzz test beside it: creates,
 * updates, patches of every type (JSON patch, merge patch, strategic merge patch, server-side
 * apply) and queries. Most cases mutate a valid request a little, so they reach deep into
 * decoding, patching and validation; the rest are bytes no decoder should accept, bodies nested
 * far too deep, and query strings of every wrong shape. The same seed gives the same requests,
 * so a failure seen once replays.
 *
 *   const gen = new MalformedRequests(seed, targets, '/api/v1/namespaces/fuzz');
 *   for (let i = 0; i < 2000; i++) await send(gen.next());
 */
import { stringify as toYaml } from 'yaml';

/** mulberry32: small, fast, and enough for picking cases. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  float(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
}

export type Category = 'create' | 'update' | 'json' | 'merge' | 'strategic' | 'apply' | 'query';

export interface FuzzRequest {
  category: Category;
  /** What the case tries, for failure reports. */
  what: string;
  method: string;
  /** Path and query string. */
  path: string;
  contentType?: string;
  body?: string | Buffer;
  /** The target object a write aims at: its resourceVersion must not move when rejected. */
  target?: string;
  /** A watch: the runner reads the status line and hangs up. */
  watch?: boolean;
}

/** An object the patches and updates aim at: its collection path, name and valid content. */
export interface Target {
  key: string;
  /** e.g. /apis/apps/v1/namespaces/fuzz/deployments */
  collection: string;
  name: string;
  object: Record<string, unknown>;
}

type Json = unknown;
type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Keys that mean something to some layer: SMP directives, prototype names, metadata. */
const oddKeys = [
  '$patch',
  '$retainKeys',
  '$setElementOrder/containers',
  '$setElementOrder/ports',
  '$setElementOrder/finalizers',
  '$deleteFromPrimitiveList/finalizers',
  '$deleteFromPrimitiveList/args',
  '$deleteFromPrimitiveList',
  '$setElementOrder',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
  'a.b',
  'a/b',
  '😀',
  'metadata',
  'spec',
  'status',
  'managedFields',
  'resourceVersion',
  'name',
  'containerPort',
  'apiVersion',
  'kind',
];

const directiveValues: Json[] = ['replace', 'delete', 'merge', 'Replace', 'frob', '', 1, null, []];

const scalars: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  'x',
  '1',
  'true',
  'null',
  '😀',
  '\u0000',
  'a\nb',
  'x'.repeat(300),
  '-',
  '..',
  'UPPER',
  'Exists',
];

/** A document `depth` levels deep, as text (building it as a value would be as deep a walk). */
export function deepText(depth: number, shape: 'object' | 'array' | 'mixed'): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const arr = shape === 'array' || (shape === 'mixed' && i % 2 === 1);
    open += arr ? '[' : '{"a":';
    close = (arr ? ']' : '}') + close;
  }
  return `${open}1${close}`;
}

/** The same as YAML in flow style, and in block style (indentation carries the depth). */
export function deepYaml(depth: number, block: boolean): string {
  if (!block) return deepText(depth, 'mixed');
  let out = '';
  for (let i = 0; i < depth; i++) out += `${' '.repeat(i)}a:\n`;
  return `${out}${' '.repeat(depth)}1\n`;
}

export class MalformedRequests {
  private readonly rng: Rng;
  private n = 0;

  constructor(
    seed: number,
    private readonly targets: readonly Target[],
    /** Collections creates go to, in a namespace of their own. */
    private readonly collections: readonly { path: string; object: JsonObject }[],
    /** Paths queries go to. */
    private readonly queryPaths: readonly string[],
  ) {
    this.rng = new Rng(seed);
  }

  next(): FuzzRequest {
    this.n++;
    const r = this.rng;
    const roll = r.int(100);
    if (roll < 12) return this.create();
    if (roll < 17) return this.update();
    if (roll < 30) return this.jsonPatch();
    if (roll < 42) return this.mergePatch();
    if (roll < 62) return this.strategicPatch();
    if (roll < 78) return this.apply();
    if (roll < 84) return this.deepBody();
    return this.query();
  }

  // ---- values ----

  junk(depth = 0): Json {
    const r = this.rng;
    const roll = r.int(depth > 2 ? 6 : 10);
    if (roll < 5) return structuredClone(r.pick(scalars));
    if (roll === 5) return r.chance(0.5) ? [] : {};
    if (roll === 6) return [this.junk(depth + 1), this.junk(depth + 1)];
    if (roll === 7) return { [r.pick(oddKeys)]: this.junk(depth + 1) };
    if (roll === 8) return [1, 'a', {}, [], null];
    return { $patch: r.pick(directiveValues), name: r.pick(scalars) };
  }

  /** Every place in `v` a mutation can reach, as parent + key. */
  private places(v: Json): { parent: JsonObject | Json[]; key: string | number }[] {
    const out: { parent: JsonObject | Json[]; key: string | number }[] = [];
    const stack: Json[] = [v];
    while (stack.length && out.length < 500) {
      const cur = stack.pop();
      if (Array.isArray(cur))
        cur.forEach((c, i) => {
          out.push({ parent: cur, key: i });
          stack.push(c);
        });
      else if (isObject(cur))
        for (const [k, c] of Object.entries(cur)) {
          out.push({ parent: cur, key: k });
          stack.push(c);
        }
    }
    return out;
  }

  /** One small change somewhere in `v` (in place); returns what it did. */
  mutate(v: Json, strategic: boolean): string {
    const r = this.rng;
    const places = this.places(v);
    if (!places.length) return 'none';
    const { parent, key } = r.pick(places);
    const get = () => (parent as Record<string | number, Json>)[key];
    const set = (x: Json) => {
      (parent as Record<string | number, Json>)[key] = x;
    };
    const cur = get();
    const ops = strategic ? 12 : 8;
    switch (r.int(ops)) {
      case 0:
        set(this.junk());
        return `replace ${String(key)}`;
      case 1:
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key as string];
        return `delete ${String(key)}`;
      case 2: {
        const k = r.pick(oddKeys);
        if (isObject(cur)) cur[k] = this.junk();
        else set({ [k]: this.junk() });
        return `add key ${k}`;
      }
      case 3:
        set([cur]);
        return `wrap ${String(key)} in a list`;
      case 4:
        set({ [r.pick(oddKeys)]: cur });
        return `wrap ${String(key)} in an object`;
      case 5:
        set(typeof cur === 'string' ? Number(cur.length) : String(JSON.stringify(cur)));
        return `retype ${String(key)}`;
      case 6:
        set(null);
        return `null ${String(key)}`;
      case 7:
        if (Array.isArray(cur)) cur.push(this.junk());
        else set([cur, this.junk()]);
        return `mixed list at ${String(key)}`;
      // Strategic merge patch directives and merge keys.
      case 8: {
        const list = Array.isArray(cur) ? cur : Array.isArray(parent) ? parent : undefined;
        const item = list?.find(isObject);
        if (isObject(item)) {
          for (const mk of ['name', 'containerPort', 'port', 'ip', 'type', 'key']) delete item[mk];
          return `drop merge key near ${String(key)}`;
        }
        set([{ image: 'x' }]);
        return `list without merge key at ${String(key)}`;
      }
      case 9: {
        const d = r.pick(directiveValues);
        if (isObject(cur)) cur.$patch = d;
        else if (Array.isArray(cur)) cur.push({ $patch: d, name: 'c' });
        else set({ $patch: d });
        return `directive $patch ${JSON.stringify(d)} at ${String(key)}`;
      }
      case 10: {
        const k = r.pick(oddKeys.slice(1, 9));
        const x = r.chance(0.5) ? this.junk() : [this.junk(), { name: 'c' }, 'c'];
        if (isObject(cur)) cur[k] = x;
        else set({ [k]: x });
        return `directive ${k} at ${String(key)}`;
      }
      default:
        set([[cur]]);
        return `list of lists at ${String(key)}`;
    }
  }

  /** A random subtree of `obj`, rooted like it: `{spec: {template: ...}}`. */
  private subPatch(obj: JsonObject): JsonObject {
    const r = this.rng;
    const out: JsonObject = {};
    let src: Json = obj;
    let dst: JsonObject = out;
    for (let depth = 0; isObject(src) && depth < 6; depth++) {
      const keys = Object.keys(src).filter((k) => k !== 'apiVersion' && k !== 'kind');
      if (!keys.length) break;
      const k = r.pick(keys);
      const v: Json = src[k];
      if (!isObject(v) || r.chance(0.3)) {
        dst[k] = structuredClone(v);
        break;
      }
      dst[k] = {};
      dst = dst[k] as JsonObject;
      src = v;
    }
    return out;
  }

  private mutated(base: Json, strategic: boolean): { value: Json; what: string } {
    const value = structuredClone(base);
    const whats: string[] = [];
    const times = 1 + this.rng.int(3);
    for (let i = 0; i < times; i++) whats.push(this.mutate(value, strategic));
    return { value, what: whats.join('; ') };
  }

  /** JSON text with a syntax error, a wrong encoding, or something JSON does not have. */
  private brokenJson(valid: string): string {
    const r = this.rng;
    switch (r.int(10)) {
      case 0:
        return valid.slice(0, r.int(valid.length));
      case 1:
        return `\uFEFF${valid}`;
      case 2:
        return valid.replace(/:/, ': NaN,');
      case 3:
        return `${valid.slice(0, -1)},}`;
      case 4:
        return `// comment\n${valid}`;
      case 5:
        return `${valid}${valid}`;
      case 6:
        return r.pick(['null', '[]', '1', '"x"', 'true', '{}', '[{}]', '', ' ']);
      case 7:
        return valid.replace(/"/, "'");
      case 8:
        return `{"a":"\\ud800","b":"\\x"}`;
      default:
        return valid.replace(/\{/, '{"a":1,"a":');
    }
  }

  private fieldQuery(): string {
    const r = this.rng;
    const parts: string[] = [];
    if (r.chance(0.3))
      parts.push(`fieldValidation=${r.pick(['Strict', 'Warn', 'Ignore', 'strict', 'Frob', ''])}`);
    if (r.chance(0.15)) parts.push(`dryRun=${r.pick(['All', 'all', 'Frob', ''])}`);
    if (r.chance(0.1)) parts.push(r.pick(['fieldManager=' + 'm'.repeat(200), 'fieldManager=%01x']));
    if (r.chance(0.05)) parts.push(r.pick(['dryRun[a]=All', 'fieldValidation[]=Strict', 'x=1']));
    return parts.length ? `?${parts.join('&')}` : '';
  }

  // ---- requests ----

  create(): FuzzRequest {
    const r = this.rng;
    const c = r.pick(this.collections);
    const base = structuredClone(c.object);
    (base.metadata as JsonObject).name = `fz-${this.n}`;
    const { value, what } = this.mutated(base, false);
    const valid = JSON.stringify(value);
    const roll = r.int(10);
    const req: FuzzRequest = {
      category: 'create',
      what,
      method: 'POST',
      path: c.path + this.fieldQuery(),
      contentType: 'application/json',
      body: valid,
    };
    if (roll === 0) {
      req.body = this.brokenJson(JSON.stringify(base));
      req.what = 'broken JSON';
    } else if (roll === 1) {
      req.contentType = 'application/yaml';
      req.body = r.chance(0.5) ? toYaml(value) : this.brokenYaml();
      req.what = `yaml: ${what}`;
    } else if (roll === 2) {
      req.contentType = 'application/vnd.kubernetes.protobuf';
      const bytes = Buffer.alloc(4 + r.int(64));
      for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(256);
      if (r.chance(0.7)) Buffer.from('k8s\0').copy(bytes);
      req.body = bytes;
      req.what = 'protobuf garbage';
    } else if (roll === 3) {
      req.contentType = r.pick([
        'application/json; charset=utf-16',
        'text/plain',
        'application/merge-patch+json',
        'application/x-frob',
        '',
      ]);
      req.what = `content type ${req.contentType}`;
    }
    return req;
  }

  update(): FuzzRequest {
    const t = this.rng.pick(this.targets);
    const { value, what } = this.mutated(t.object, false);
    return {
      category: 'update',
      what,
      method: 'PUT',
      path: `${t.collection}/${t.name}${this.fieldQuery()}`,
      contentType: 'application/json',
      body: JSON.stringify(value),
      target: t.key,
    };
  }

  jsonPatch(): FuzzRequest {
    const r = this.rng;
    const t = r.pick(this.targets);
    const paths: Json[] = [
      '/metadata/labels/x',
      '/metadata/labels',
      '/metadata/labels/a~1b',
      '/metadata/annotations/~2',
      '/metadata/name',
      '/metadata/resourceVersion',
      '/metadata/managedFields',
      '/metadata/managedFields/0/fieldsV1',
      '/spec/template/spec/containers/-',
      '/spec/template/spec/containers/01',
      '/spec/template/spec/containers/99999999999999999999',
      '/spec/containers/0/image',
      '/spec/replicas',
      '/data/k',
      '/kind',
      '/apiVersion',
      '/status',
      '',
      '/',
      'noslash',
      1,
      null,
    ];
    const ops: Json[] = [];
    const count = r.int(4);
    for (let i = 0; i < count; i++) {
      const op: JsonObject = {
        op: r.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'frob', '', 1, null]),
        path: r.pick(paths),
      };
      if (r.chance(0.7)) op.value = this.junk();
      if (r.chance(0.3)) op.from = r.pick(paths);
      if (r.chance(0.1)) delete op.op;
      ops.push(op);
    }
    const body = r.chance(0.1) ? this.junk() : ops;
    return {
      category: 'json',
      what: JSON.stringify(body).slice(0, 200),
      method: 'PATCH',
      path: `${t.collection}/${t.name}${this.fieldQuery()}`,
      contentType: 'application/json-patch+json',
      body: r.chance(0.05) ? this.brokenJson(JSON.stringify(ops)) : JSON.stringify(body),
      target: t.key,
    };
  }

  mergePatch(): FuzzRequest {
    return this.objectPatch('merge', 'application/merge-patch+json');
  }

  strategicPatch(): FuzzRequest {
    return this.objectPatch('strategic', 'application/strategic-merge-patch+json');
  }

  /** A merge or strategic merge patch: part of a target, mutated (with directives for SMP). */
  private objectPatch(category: 'merge' | 'strategic', contentType: string): FuzzRequest {
    const t = this.rng.pick(this.targets);
    const { value, what } = this.mutated(this.subPatch(t.object), category === 'strategic');
    const text = JSON.stringify(value);
    return {
      category,
      what,
      method: 'PATCH',
      path: `${t.collection}/${t.name}${this.fieldQuery()}`,
      contentType,
      body: this.rng.chance(0.05) ? this.brokenJson(text) : text,
      target: t.key,
    };
  }

  /** YAML no decoder should accept, or accept into something odd. */
  private brokenYaml(): string {
    return this.rng.pick([
      'a: b: c',
      'key: [unclosed',
      '\t- tab indented',
      'a: &x [*x]',
      'a: &a [1,2]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c]',
      'bin: !!binary AAAA\n',
      '? [complex, key]\n: v\n',
      '---\na: 1\n---\nb: 2\n',
      'a: 1\na: 2\n',
      '<<: {a: 1}\n',
      'x: !frob 1\n',
      '- 1\n- 2\n',
      '"just a string"',
      '~',
      '123',
      'apiVersion: [v1]\nkind: {a: 1}\n',
      '%YAML 9.9\n---\na: 1',
      '{{{{',
    ]);
  }

  apply(): FuzzRequest {
    const r = this.rng;
    const t = r.pick(this.targets);
    const { value, what } = this.mutated(t.object, r.chance(0.3));
    let q = `?fieldManager=${r.pick(['fuzz', 'fuzz', 'fuzz', 'kubectl', '', '%00'])}`;
    if (r.chance(0.2)) q += `&force=${r.pick(['true', 'false', 'x'])}`;
    if (r.chance(0.1)) q = '';
    return {
      category: 'apply',
      what: r.chance(0.15) ? 'broken yaml' : what,
      method: 'PATCH',
      path: `${t.collection}/${t.name}${q}`,
      contentType: 'application/apply-patch+yaml',
      body: r.chance(0.15)
        ? this.brokenYaml()
        : r.chance(0.5)
          ? toYaml(value)
          : JSON.stringify(value),
      target: t.key,
    };
  }

  /** A body nested `depth` deep, as a create or any kind of patch. */
  deepBody(): FuzzRequest {
    const r = this.rng;
    const depth = r.pick([50, 90, 101, 200, 1000, 5000, 100_000]);
    const shape = r.pick(['object', 'array', 'mixed'] as const);
    const deep = deepText(depth, shape);
    const t = r.pick(this.targets);
    const kind = r.int(6);
    const what = `${shape} nested ${depth} deep`;
    const patch = (category: Category, contentType: string, body: string): FuzzRequest => ({
      category,
      what,
      method: 'PATCH',
      path: `${t.collection}/${t.name}${category === 'apply' ? '?fieldManager=fuzz' : ''}`,
      contentType,
      body,
      target: t.key,
    });
    switch (kind) {
      case 0: {
        const c = r.pick(this.collections);
        return {
          category: 'create',
          what,
          method: 'POST',
          path: c.path,
          contentType: 'application/json',
          body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep-${this.n}","labels":${deep}}}`,
        };
      }
      case 1:
        return patch(
          'merge',
          'application/merge-patch+json',
          `{"metadata":{"annotations":${deep}}}`,
        );
      case 2:
        return patch(
          'strategic',
          'application/strategic-merge-patch+json',
          `{"spec":{"template":${deep}}}`,
        );
      case 3:
        return patch(
          'json',
          'application/json-patch+json',
          `[{"op":"add","path":"/metadata/annotations","value":${deep}}]`,
        );
      case 4:
        return patch(
          'apply',
          'application/apply-patch+yaml',
          r.chance(0.5) ? deepYaml(Math.min(depth, 5000), true) : deepYaml(depth, false),
        );
      default:
        return {
          category: 'update',
          what,
          method: 'PUT',
          path: `${t.collection}/${t.name}`,
          contentType: 'application/json',
          body: JSON.stringify({ ...t.object, spec: '@@' }).replace('"@@"', deep),
          target: t.key,
        };
    }
  }

  query(): FuzzRequest {
    const r = this.rng;
    const params: Record<string, string[]> = {
      labelSelector: [
        '=',
        'a in (',
        'a notin b',
        '!',
        'a,,b',
        'a=b=c',
        `${'x'.repeat(70)}=1`,
        'a in ()',
        '!a=b',
        'a>x',
        'a<1',
        'app=',
        '=a',
        'a!=',
        'a==b',
        '$%^',
        '/a=b',
        'a/=b',
        'app=web',
        'a in (b,c),!d',
      ],
      fieldSelector: [
        'metadata.name',
        'spec.nodeName=x',
        'status.phase!=Running',
        'foo=bar',
        'metadata.name==x',
        '=x',
        ',',
        'metadata.name=a,metadata.namespace=b',
        'metadata.name in (a)',
        'spec.nodeName=\\',
        'x\\y=1',
        'metadata.name=\\,',
      ],
      limit: ['-1', '0', 'abc', '1e3', '99999999999999999999', '1.5', ' 5', '', '5'],
      continue: ['abc', 'e30=', 'eyJydiI6MX0', '!!!', Buffer.from('{"rv":"x"}').toString('base64')],
      resourceVersion: ['abc', '-1', '0', '', '99999999999', '1.5', '1'],
      resourceVersionMatch: ['Exact', 'NotOlderThan', 'frob', ''],
      timeoutSeconds: ['-1', 'abc', '1', '99999999999999999999'],
      allowWatchBookmarks: ['true', 'x'],
      sendInitialEvents: ['true', 'false', 'x'],
      pretty: ['true', 'maybe'],
      frob: ['1'],
    };
    const raw = [
      'labelSelector[a]=b',
      'labelSelector=a&labelSelector=b',
      'limit[]=1',
      'fieldSelector[x][y]=1',
      '__proto__[x]=1',
      'constructor[prototype][x]=1',
      'watch[]=1',
      'resourceVersion[a]=1',
      'continue[]=a',
      '%zz=1',
    ];
    const parts: string[] = [];
    const count = 1 + r.int(3);
    for (let i = 0; i < count; i++) {
      if (r.chance(0.2)) parts.push(r.pick(raw));
      else {
        const k = r.pick(Object.keys(params));
        parts.push(`${k}=${encodeURIComponent(r.pick(params[k] ?? ['']))}`);
      }
    }
    if (r.chance(0.25))
      parts.push(`watch=${r.pick(['1', 'true', 'true', 'x'])}`, 'timeoutSeconds=1');
    // Any of these may start a watch stream; the runner then hangs up after the status line.
    const watch = parts.some((p) => p.startsWith('watch'));
    const path = r.pick(this.queryPaths);
    return {
      category: 'query',
      what: parts.join('&'),
      method: 'GET',
      path: `${path}?${parts.join('&')}`,
      watch,
    };
  }
}
