/**
 * Command-line parsing: the runtime's flag parser (libs/runtime) splits the words, zod turns the
 * strings into typed, validated options. Every command's flags are declared once here; help.ts
 * prints them.
 */
import { z } from 'zod';
import type { FlagSet } from '@kubeling/runtime';
import { camelCase, flag, FlagError, parseFlags } from '@kubeling/runtime';
import { CliError } from './errors';

export const DEFAULT_CLUSTER_NAME = 'kubeling';
export const RUNTIMES = ['process', 'sim'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/**
 * A cluster name becomes a Redis key prefix (`kubeling:<name>:`), a NATS subject token
 * (`kubeling.<name>.`), a directory and the kubeconfig context `kubeling-<name>`. A DNS-1123
 * label without dots is safe in all four (a dot would split the NATS token, `*`/`>` are NATS
 * wildcards and glob characters would break SCAN MATCH).
 */
export const ClusterName = z
  .string()
  .max(50, 'must be at most 50 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must consist of lower case alphanumeric characters or "-", and start and end with an alphanumeric character',
  );

const intFlag = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const redisUrl = z.string().refine((s) => {
  try {
    return ['redis:', 'rediss:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, 'must be a redis:// or rediss:// URL');

const natsUrl = z.string().min(1, 'must not be empty');

export const UpOptions = z.object({
  name: ClusterName,
  nodes: intFlag(0, 100_000),
  runtime: z.enum(RUNTIMES, {
    errorMap: () => ({ message: `must be one of: ${RUNTIMES.join(', ')}` }),
  }),
  apiServers: intFlag(1, 16),
  /** Absent when neither flag nor environment names one: `up` then probes (localServers.ts). */
  redisUrl: redisUrl.optional(),
  natsUrl: natsUrl.optional(),
  /** First api-server port; replica i listens on port + i. Absent: each gets a free port. */
  port: intFlag(1, 65535).optional(),
});
export type UpOptions = z.infer<typeof UpOptions>;

export type CommandName = 'up' | 'down' | 'status' | 'kubeconfig';
export const COMMAND_NAMES: readonly CommandName[] = ['up', 'down', 'status', 'kubeconfig'];

export type Command =
  | { kind: 'help'; topic?: CommandName }
  | { kind: 'up'; options: UpOptions }
  | { kind: 'down'; name: string; keepData?: true }
  | { kind: 'status'; name?: string }
  | { kind: 'kubeconfig'; name: string };

interface FlagSpec {
  type: 'string' | 'boolean';
  /** Shown by --help. */
  description: string;
  /** Shown by --help; the value used when the flag is absent. */
  default?: string;
  /** The key in the zod schema when it differs from the flag name. */
  key?: string;
  /** How --help names the value: "int" or "string". */
  value?: 'int' | 'string';
}

const nameFlag = (description: string): FlagSpec => ({
  type: 'string',
  description,
  default: DEFAULT_CLUSTER_NAME,
});

/** The flags of each command, in the order --help lists them. */
export const COMMAND_FLAGS: Record<CommandName, Record<string, FlagSpec>> = {
  up: {
    name: nameFlag('cluster name'),
    nodes: {
      type: 'string',
      value: 'int',
      default: '1',
      description: 'number of worker nodes (0 is allowed: control plane only)',
    },
    runtime: {
      type: 'string',
      default: 'process',
      description: `kubelet runtime for the nodes: ${RUNTIMES.join(' | ')}`,
    },
    'api-servers': {
      type: 'string',
      value: 'int',
      key: 'apiServers',
      default: '1',
      description: 'number of api-server replicas',
    },
    'redis-url': {
      type: 'string',
      key: 'redisUrl',
      default:
        '$REDIS_URL, else redis://127.0.0.1:6379 if it answers, else a redis-server of its own',
      description: 'Redis that stores the cluster (keys under kubeling:<name>:)',
    },
    'nats-url': {
      type: 'string',
      key: 'natsUrl',
      default: '$NATS_URL, else nats://127.0.0.1:4222 if it answers, else a nats-server of its own',
      description: 'NATS the components talk over (subjects under kubeling.<name>.)',
    },
    port: {
      type: 'string',
      value: 'int',
      description: 'port of the first api-server (replica i gets port+i); default: a free port',
    },
  },
  down: {
    name: nameFlag('cluster name'),
    'keep-data': {
      type: 'boolean',
      key: 'keepData',
      description:
        'stop the processes but keep the data (Redis keys, its own servers\' files); "kubeling up" starts it again',
    },
  },
  status: { name: { type: 'string', description: 'cluster name (default: every cluster)' } },
  kubeconfig: { name: nameFlag('cluster name') },
};

/** Turns argv (without node and the script) into a command, or throws CliError. */
export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommandName(topic)) throw unknownCommand(topic);
    return topic === undefined ? { kind: 'help' } : { kind: 'help', topic };
  }
  if (!isCommandName(first)) {
    if (first.startsWith('-'))
      throw new CliError(`unknown flag: ${first}`, "Run 'kubeling --help' for usage.");
    throw unknownCommand(first);
  }
  const values = splitFlags(first, rest);
  if (values['help'] === true) return { kind: 'help', topic: first };

  switch (first) {
    case 'up': {
      const raw = {
        name: values['name'] ?? DEFAULT_CLUSTER_NAME,
        nodes: values['nodes'] ?? '1',
        runtime: values['runtime'] ?? 'process',
        apiServers: values['apiServers'] ?? '1',
        // An empty variable counts as unset, as in a shell's ${REDIS_URL:-...}.
        redisUrl: values['redisUrl'] ?? (env['REDIS_URL'] || undefined),
        natsUrl: values['natsUrl'] ?? (env['NATS_URL'] || undefined),
        port: values['port'],
      };
      return { kind: 'up', options: validate('up', UpOptions, raw) };
    }
    case 'down': {
      const name = validateName(first, values['name'] ?? DEFAULT_CLUSTER_NAME);
      return values['keepData'] === true
        ? { kind: first, name, keepData: true }
        : { kind: first, name };
    }
    case 'kubeconfig':
      return { kind: first, name: validateName(first, values['name'] ?? DEFAULT_CLUSTER_NAME) };
    case 'status': {
      const name = values['name'];
      return name === undefined
        ? { kind: 'status' }
        : { kind: 'status', name: validateName(first, name) };
    }
  }
}

function isCommandName(s: string): s is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(s);
}

function unknownCommand(word: string): CliError {
  return new CliError(
    `unknown command "${word}" for "kubeling"`,
    "Run 'kubeling --help' for usage.",
  );
}

/**
 * Splits the command's words with the runtime's flag parser (pflag's rules, shared by every
 * kubeling process); returns the given values keyed by schema key. zod validates them after.
 */
function splitFlags(
  command: CommandName,
  args: readonly string[],
): Record<string, string | boolean | undefined> {
  const specs = COMMAND_FLAGS[command];
  const words: FlagSet = {};
  for (const [name, spec] of Object.entries(specs))
    words[name] =
      spec.type === 'boolean'
        ? flag.bool({ description: spec.description })
        : flag.string({ description: spec.description });
  const hint = `Run 'kubeling ${command} --help' for usage.`;
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(words, args, { positionals: true, env: {} });
  } catch (err) {
    if (err instanceof FlagError) throw new CliError(err.message, hint);
    throw err;
  }
  if (parsed.help) return { help: true };
  if (parsed.positionals.length > 0)
    throw new CliError(
      `unexpected argument "${parsed.positionals[0]}" for "kubeling ${command}"`,
      hint,
    );
  const values: Record<string, string | boolean | undefined> = {};
  const given = parsed.values as Record<string, string | boolean | undefined>;
  for (const name of parsed.changed) values[specs[name]?.key ?? name] = given[camelCase(name)];
  return values;
}

function validate<T extends z.ZodTypeAny>(
  command: CommandName,
  schema: T,
  raw: Record<string, unknown>,
): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data as z.infer<T>;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  const flag = flagForKey(command, key);
  throw new CliError(
    `invalid argument "${String(raw[key])}" for "--${flag}" flag: ${issue?.message ?? 'invalid'}`,
    `Run 'kubeling ${command} --help' for usage.`,
  );
}

function validateName(command: CommandName, name: string | boolean): string {
  return validate(command, z.object({ name: ClusterName }), { name }).name;
}

function flagForKey(command: CommandName, key: string): string {
  for (const [flag, spec] of Object.entries(COMMAND_FLAGS[command]))
    if ((spec.key ?? flag) === key) return flag;
  return key;
}
