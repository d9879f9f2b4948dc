/**
 * Command-line parsing: every command's flags are declared once here with the runtime's flag
 * declarations (libs/runtime: name, type, default, validation, description); the runtime's
 * parser splits and validates the words, and help.ts generates --help from the same table.
 */
import { z } from 'zod';
import type { FlagSet, FlagValues, ParseResult } from '@kubeling/runtime';
import { flag, FlagError, parseFlags } from '@kubeling/runtime';
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

/** kubeling's whole numbers: digits only, so `--nodes -1` says "must be a whole number". */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const intFlag = (o: { min: number; max: number; default?: number; description: string }) => {
  const { min, max, ...rest } = o;
  return flag.custom({ ...rest, valueName: 'int', schema: wholeNumber(min, max) });
};

const redisUrl = z.string().refine((s) => {
  try {
    return ['redis:', 'rediss:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, 'must be a redis:// or rediss:// URL');

const natsUrl = z.string().min(1, 'must not be empty');

const nameFlag = flag.string({
  default: DEFAULT_CLUSTER_NAME,
  schema: ClusterName,
  description: 'cluster name',
});

/**
 * The flags of each command, in the order --help lists them: each flag's default, validation
 * and description are written here once; parseCommand and help.ts both read them.
 */
export const COMMAND_FLAGS = {
  up: {
    name: nameFlag,
    nodes: intFlag({
      min: 0,
      max: 100_000,
      default: 1,
      description: 'number of worker nodes (0 is allowed: control plane only)',
    }),
    runtime: flag.enum(RUNTIMES, {
      default: 'process',
      description: `kubelet runtime for the nodes: ${RUNTIMES.join(' | ')}`,
    }),
    'api-servers': intFlag({
      min: 1,
      max: 16,
      default: 1,
      description: 'number of api-server replicas',
    }),
    'controller-managers': intFlag({
      min: 0,
      max: 16,
      default: 1,
      description:
        'number of kube-controller-manager replicas (one leads, the others stand by; 0: none)',
    }),
    schedulers: intFlag({
      min: 0,
      max: 16,
      default: 1,
      description: 'number of scheduler replicas (one leads, the others stand by; 0: none)',
    }),
    /** Absent when neither flag nor environment names one: `up` then probes (localServers.ts). */
    'redis-url': flag.string({
      schema: redisUrl,
      // An empty variable counts as unset, as in a shell's ${REDIS_URL:-...}.
      default: (env) => env['REDIS_URL'] || undefined,
      defaultText:
        '$REDIS_URL, else redis://127.0.0.1:6379 if it answers, else a redis-server of its own',
      description: 'Redis that stores the cluster (keys under kubeling:<name>:)',
    }),
    'nats-url': flag.string({
      schema: natsUrl,
      default: (env) => env['NATS_URL'] || undefined,
      defaultText:
        '$NATS_URL, else nats://127.0.0.1:4222 if it answers, else a nats-server of its own',
      description: 'NATS the components talk over (subjects under kubeling.<name>.)',
    }),
    /** First api-server port; replica i listens on port + i. Absent: each gets a free port. */
    port: intFlag({
      min: 1,
      max: 65535,
      description: 'port of the first api-server (replica i gets port+i); default: a free port',
    }),
  },
  down: {
    name: nameFlag,
    'keep-data': flag.bool({
      description:
        'stop the processes but keep the data (Redis keys, its own servers\' files); "kubeling up" starts it again',
    }),
  },
  status: {
    name: flag.string({
      schema: ClusterName,
      defaultText: 'every cluster',
      description: 'cluster name',
    }),
  },
  kubeconfig: { name: nameFlag },
} satisfies Record<string, FlagSet>;

export type CommandName = keyof typeof COMMAND_FLAGS;
export const COMMAND_NAMES = Object.keys(COMMAND_FLAGS) as readonly CommandName[];

type UpValues = FlagValues<(typeof COMMAND_FLAGS)['up']>;
/** `up`'s options; the URLs and the port are absent when not given (`up` decides them). */
export type UpOptions = Omit<UpValues, 'redisUrl' | 'natsUrl' | 'port' | 'schedulers'> &
  Partial<Pick<UpValues, 'redisUrl' | 'natsUrl' | 'port' | 'schedulers'>>;

export type Command =
  | { kind: 'help'; topic?: CommandName }
  | { kind: 'up'; options: UpOptions }
  | { kind: 'down'; name: string; keepData?: true }
  | { kind: 'status'; name?: string }
  | { kind: 'kubeconfig'; name: string };

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
  switch (first) {
    case 'up': {
      const v = parse(first, COMMAND_FLAGS.up, rest, env);
      if (v === 'help') return { kind: 'help', topic: first };
      // Only the options given: an absent URL or port is decided later by `up`.
      const options: UpOptions = {
        name: v.name,
        nodes: v.nodes,
        runtime: v.runtime,
        apiServers: v.apiServers,
        controllerManagers: v.controllerManagers,
        schedulers: v.schedulers,
      };
      if (v.redisUrl !== undefined) options.redisUrl = v.redisUrl;
      if (v.natsUrl !== undefined) options.natsUrl = v.natsUrl;
      if (v.port !== undefined) options.port = v.port;
      return { kind: 'up', options };
    }
    case 'down': {
      const v = parse(first, COMMAND_FLAGS.down, rest, env);
      if (v === 'help') return { kind: 'help', topic: first };
      return v.keepData
        ? { kind: first, name: v.name, keepData: true }
        : { kind: first, name: v.name };
    }
    case 'kubeconfig': {
      const v = parse(first, COMMAND_FLAGS.kubeconfig, rest, env);
      if (v === 'help') return { kind: 'help', topic: first };
      return { kind: first, name: v.name };
    }
    case 'status': {
      const v = parse(first, COMMAND_FLAGS.status, rest, env);
      if (v === 'help') return { kind: 'help', topic: first };
      return v.name === undefined ? { kind: first } : { kind: first, name: v.name };
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
 * Splits and validates the command's words with the runtime's flag parser (pflag's rules and
 * messages, shared by every kubeling process); its errors get the command's usage hint.
 */
function parse<S extends FlagSet>(
  command: CommandName,
  flags: S,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): FlagValues<S> | 'help' {
  const hint = `Run 'kubeling ${command} --help' for usage.`;
  let parsed: ParseResult<S>;
  try {
    parsed = parseFlags(flags, args, { positionals: true, env });
  } catch (err) {
    if (err instanceof FlagError) throw new CliError(err.message, hint);
    throw err;
  }
  if (parsed.help) return 'help';
  if (parsed.positionals.length > 0)
    throw new CliError(
      `unexpected argument "${parsed.positionals[0]}" for "kubeling ${command}"`,
      hint,
    );
  return parsed.values;
}
