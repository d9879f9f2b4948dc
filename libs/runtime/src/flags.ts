/**
 * Command-line flags declared once: each flag's name, type, default and description live in
 * one declaration, from which the parser, the typed values and `--help` all come (the rule
 * "defaults typed once"). Values are validated by zod schemas; the words are split the way
 * spf13/pflag splits them, so upstream spellings work:
 *
 *   --port=6443   --port 6443   -v 2   -v=2   -v2
 *   --leader-elect   --leader-elect=false   --no-leader-elect   (booleans never take the next word)
 *   --                (everything after it is positional)
 *
 * A repeated flag keeps its last value, as pflag does for scalars. Errors are `FlagError`s with
 * pflag's wording (`unknown flag: --foo`, `flag needs an argument: --port`,
 * `invalid argument "x" for "--port" flag: ...`); `--help`/`-h` is reported as
 * `{ help: true }`. Nothing here prints or exits: the entry point decides (see main.ts).
 *
 *   const flags = {
 *     port: flag.int({ default: 10259, min: 0, max: 65535, description: 'port to serve on' }),
 *     'leader-elect': flag.bool({ default: true, description: 'run leader election' }),
 *   };
 *   const parsed = parseFlags(flags, argv);   // parsed.values.leaderElect: boolean
 *   usage('kube-scheduler', flags);           // the --help text
 */
import { z } from 'zod';
import { parseDuration } from './duration';

export type Env = Record<string, string | undefined>;

/** One flag: what --help shows and how its text becomes a typed value. */
export interface Flag<T> {
  readonly kind: 'string' | 'bool' | 'int' | 'float' | 'duration' | 'enum' | 'custom';
  readonly description: string;
  /** How --help names the value (`string`, `int`, `duration`...); empty for booleans. */
  readonly valueName: string;
  /** Text → value; throws FlagValueError (or a ZodError) when invalid. */
  parse(text: string): T;
  /**
   * The value when the flag is absent: a value, or the text of one computed from the
   * environment (parsed and validated like a command-line value). Absent: undefined.
   */
  readonly default?: T | ((env: Env) => string | undefined);
  /** The default as --help shows it when it is computed (`$NATS_URL or nats://...`). */
  readonly defaultText?: string;
  /** One-letter alias (`-v`). */
  readonly short?: string;
  /** --help section, e.g. "Leader election" (pflag/cobra "flag sets" of upstream components). */
  readonly group?: string;
}

export type FlagSet = Record<string, Flag<unknown>>;

/** kebab-case flag name → camelCase value key: `leader-elect-lease-duration` → `leaderElectLeaseDuration`. */
export type CamelCase<S extends string> = S extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<CamelCase<T>>}`
  : S;

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The typed values of a flag set, keyed by camelCase flag name. */
export type FlagValues<S extends FlagSet> = {
  -readonly [K in keyof S & string as CamelCase<K>]: S[K] extends Flag<infer T> ? T : never;
};

/** A command-line mistake: the message is pflag's; the entry point prints it and exits 1. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

/** Thrown by a flag's parse with the reason a value is invalid. */
export class FlagValueError extends Error {}

interface Common<T> {
  description: string;
  default?: T | ((env: Env) => string | undefined);
  defaultText?: string;
  short?: string;
  group?: string;
}

/**
 * A flag's value type: T when it has a default, T | undefined when not — or when its computed
 * default may give none (`(env) => env.REDIS_URL || undefined`: the caller then decides).
 */
type Typed<O, T> = Flag<
  O extends { default: (env: Env) => infer R }
    ? undefined extends R
      ? T | undefined
      : T
    : O extends { default: unknown }
      ? T
      : T | undefined
>;

function viaZod<T>(schema: z.ZodType<T, z.ZodTypeDef, string>): (text: string) => T {
  return (text) => {
    const r = schema.safeParse(text);
    if (r.success) return r.data;
    throw new FlagValueError(r.error.issues[0]?.message ?? 'invalid value');
  };
}

function make<T>(
  kind: Flag<T>['kind'],
  valueName: string,
  parse: (text: string) => T,
  o: Common<T>,
): Flag<T> {
  const f: { -readonly [K in keyof Flag<T>]: Flag<T>[K] } = {
    kind,
    valueName,
    parse,
    description: o.description,
  };
  if (o.default !== undefined) f.default = o.default;
  if (o.defaultText !== undefined) f.defaultText = o.defaultText;
  if (o.short !== undefined) f.short = o.short;
  if (o.group !== undefined) f.group = o.group;
  return f;
}

/** strconv.ParseBool's spellings, which pflag accepts for `--flag=<bool>`. */
const boolWords: Record<string, boolean> = {
  '1': true,
  t: true,
  T: true,
  true: true,
  TRUE: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  false: false,
  FALSE: false,
  False: false,
};

/** Builders for the flag types the components use. */
export const flag = {
  /** A string; `schema` narrows it (an IP, a URL, a DNS label). */
  string<O extends Common<string> & { schema?: z.ZodType<string, z.ZodTypeDef, string> }>(
    o: O,
  ): Typed<O, string> {
    return make('string', 'string', viaZod(o.schema ?? z.string()), o) as Typed<O, string>;
  },
  int<O extends Common<number> & { min?: number; max?: number }>(o: O): Typed<O, number> {
    let n = z.number().int();
    if (o.min !== undefined) n = n.min(o.min, `must be at least ${o.min}`);
    if (o.max !== undefined) n = n.max(o.max, `must be at most ${o.max}`);
    const schema = z
      .string()
      .regex(/^[-+]?\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(n);
    return make('int', 'int', viaZod(schema), o) as Typed<O, number>;
  },
  float<O extends Common<number> & { min?: number; positive?: boolean }>(o: O): Typed<O, number> {
    let n = z.number().finite();
    if (o.min !== undefined) n = n.min(o.min, `must be at least ${o.min}`);
    if (o.positive) n = n.positive('must be positive');
    const schema = z
      .string()
      .regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'must be a number')
      .transform(Number)
      .pipe(n);
    return make('float', 'float', viaZod(schema), o) as Typed<O, number>;
  },
  bool<O extends Common<boolean>>(o: O): Flag<boolean> {
    const parse = (text: string): boolean => {
      const b = boolWords[text];
      if (b === undefined)
        throw new FlagValueError(`strconv.ParseBool: parsing "${text}": invalid syntax`);
      return b;
    };
    // A boolean is false when absent unless it says otherwise, as in pflag.
    return make('bool', '', parse, { ...o, default: o.default ?? false }) as Flag<boolean>;
  },
  /**
   * A Go duration (`15s`, `1m30s`, `500ms`) whose value is in milliseconds; the default is
   * written as text, as --help shows it.
   */
  duration<O extends Omit<Common<number>, 'default'> & { default?: string }>(
    o: O,
  ): Typed<O, number> {
    const parse = (text: string): number => {
      try {
        return parseDuration(text);
      } catch (e) {
        throw new FlagValueError((e as Error).message);
      }
    };
    const { default: d, ...rest } = o;
    const f = make('duration', 'duration', parse, rest);
    if (d !== undefined)
      return { ...f, default: parse(d), defaultText: o.defaultText ?? d } as Typed<O, number>;
    return f as Typed<O, number>;
  },
  /**
   * A value of any type made from its text by a zod schema, whose messages are the errors
   * (`invalid argument "x" for "--f" flag: <message>`); `valueName` is how --help names it.
   */
  custom<T, O extends Common<T> & { valueName: string }>(
    o: O & { schema: z.ZodType<T, z.ZodTypeDef, string> },
  ): Typed<O, T> {
    return make('custom', o.valueName, viaZod(o.schema), o) as Typed<O, T>;
  },
  /** One of a fixed set of words; --help lists them. */
  enum<const V extends readonly [string, ...string[]], O extends Common<V[number]>>(
    values: V,
    o: O,
  ): Typed<O, V[number]> {
    const parse = (text: string): V[number] => {
      if ((values as readonly string[]).includes(text)) return text;
      throw new FlagValueError(`must be one of: ${values.join(', ')}`);
    };
    return make('enum', 'string', parse, o) as Typed<O, V[number]>;
  },
};

/** The same flags with a --help section title (`Leader election flags:`). */
export function flagGroup<S extends FlagSet>(title: string, flags: S): S {
  const out: FlagSet = {};
  for (const [name, f] of Object.entries(flags)) out[name] = { ...f, group: title };
  return out as S;
}

export interface ParseOptions {
  /** Where computed defaults read the environment; default process.env. */
  env?: Env;
  /** Accept positional words (commands with arguments); default: they are an error. */
  positionals?: boolean;
  /** The command's name, for the "does not take any arguments" error. */
  command?: string;
}

export type ParseResult<S extends FlagSet> =
  | { help: true }
  | {
      help: false;
      values: FlagValues<S>;
      positionals: string[];
      /** The flags given on the command line (by flag name), as pflag's Changed. */
      changed: Set<string>;
    };

/** Splits argv into flags (pflag's rules, see the top of this file) and validates every value. */
export function parseFlags<S extends FlagSet>(
  flags: S,
  argv: readonly string[],
  opts: ParseOptions = {},
): ParseResult<S> {
  const byShort = new Map<string, string>();
  for (const [name, f] of Object.entries(flags)) if (f.short) byShort.set(f.short, name);
  const texts = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a === '--help' || a === '-h') return { help: true };
    let name: string;
    let value: string | undefined;
    let shown: string;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      value = eq < 0 ? undefined : a.slice(eq + 1);
      shown = `--${name}`;
      if (!flags[name] && name.startsWith('no-') && flags[name.slice(3)]?.kind === 'bool') {
        if (value !== undefined) throw new FlagError(`flag --${name} does not take a value`);
        texts.set(name.slice(3), 'false');
        continue;
      }
      if (!flags[name]) throw new FlagError(`unknown flag: --${name}`);
    } else if (a.startsWith('-') && a.length > 1) {
      const c = a.slice(1, 2);
      const long = byShort.get(c);
      if (!long) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
      name = long;
      const rest = a.slice(2);
      value = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
      shown = `-${c}`;
    } else {
      positionals.push(a);
      continue;
    }
    const f = flags[name] as Flag<unknown>;
    if (value === undefined) {
      if (f.kind === 'bool') value = 'true';
      else if (i + 1 < argv.length) value = argv[++i] as string;
      else throw new FlagError(`flag needs an argument: ${shown}`);
    }
    texts.set(name, value);
  }
  if (positionals.length > 0 && !opts.positionals)
    throw new FlagError(
      `"${opts.command ?? 'command'}" does not take any arguments, got ${JSON.stringify(positionals)}`,
    );

  const env = opts.env ?? process.env;
  const values: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(flags)) {
    const text = texts.get(name);
    if (text !== undefined) {
      values[camelCase(name)] = parseValue(name, f, text);
    } else if (typeof f.default === 'function') {
      const computed = (f.default as (env: Env) => string | undefined)(env);
      values[camelCase(name)] = computed === undefined ? undefined : parseValue(name, f, computed);
    } else {
      values[camelCase(name)] = f.default;
    }
  }
  return {
    help: false,
    values: values as FlagValues<S>,
    positionals,
    changed: new Set(texts.keys()),
  };
}

function parseValue(name: string, f: Flag<unknown>, text: string): unknown {
  try {
    return f.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new FlagError(`invalid argument "${text}" for "--${name}" flag: ${why}`);
  }
}

/** The default as --help shows it, or undefined when pflag would not show one (zero values). */
function defaultShown(f: Flag<unknown>): string | undefined {
  if (f.defaultText !== undefined) return f.defaultText;
  const d = f.default;
  if (d === undefined || typeof d === 'function') return undefined;
  if (d === false || d === 0 || d === '') return undefined;
  if (typeof d === 'string') return JSON.stringify(d);
  return String(d);
}

/**
 * The flag lines of --help in pflag's layout: `  -v, --v int   description (default 2)`,
 * columns aligned, grouped under `<group> flags:` headings in declaration order.
 */
export function flagUsages(flags: FlagSet): string {
  const rows = Object.entries(flags).map(([name, f]) => {
    const head = `  ${f.short ? `-${f.short}, ` : '    '}--${name}${f.valueName ? ` ${f.valueName}` : ''}`;
    const d = defaultShown(f);
    return { group: f.group ?? '', head, text: f.description + (d ? ` (default ${d})` : '') };
  });
  const width = Math.max(0, ...rows.map((r) => r.head.length)) + 3;
  const groups = [...new Set(rows.map((r) => r.group))];
  return groups
    .map((g) => {
      const lines = rows
        .filter((r) => r.group === g)
        .map((r) => r.head.padEnd(width) + r.text)
        .join('\n');
      return `${g ? `${g} flags` : 'Flags'}:\n${lines}\n`;
    })
    .join('\n');
}

/** The whole --help text of a command. */
export function usage(command: string, flags: FlagSet, summary?: string): string {
  const withHelp: FlagSet = {
    help: flag.bool({ short: 'h', description: `help for ${command}` }),
    ...flags,
  };
  return `${summary ? `${summary}\n\n` : ''}Usage:\n  ${command} [flags]\n\n${flagUsages(withHelp)}`;
}
