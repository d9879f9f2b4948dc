/**
 * --config: a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) in YAML or JSON,
 * validated with zod. What kubeling reads of it: percentageOfNodesToScore, podInitialBackoff-
 * Seconds, podMaxBackoffSeconds, and profiles — each a schedulerName with plugins enabled or
 * disabled per extension point (multiPoint included; `disabled: [{name: '*'}]` drops the
 * defaults), score weights, and pluginConfig args. Other upstream fields (leaderElection,
 * clientConnection, parallelism...) are accepted and ignored: flags set those.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { PluginSet, Profile } from '../framework/framework';
import type { Registry } from '../framework/interface';
import type { ExtensionPoint } from './defaults';
import { defaultMultiPoint, extensionPoints, methodOf } from './defaults';

const PluginRef = z
  .object({ name: z.string().min(1), weight: z.number().int().min(0).max(100).optional() })
  .strict();
const PluginsOfPoint = z
  .object({ enabled: z.array(PluginRef).optional(), disabled: z.array(PluginRef).optional() })
  .strict();
const Plugins = z
  .object({
    multiPoint: PluginsOfPoint.optional(),
    queueSort: PluginsOfPoint.optional(),
    preEnqueue: PluginsOfPoint.optional(),
    preFilter: PluginsOfPoint.optional(),
    filter: PluginsOfPoint.optional(),
    postFilter: PluginsOfPoint.optional(),
    preScore: PluginsOfPoint.optional(),
    score: PluginsOfPoint.optional(),
    reserve: PluginsOfPoint.optional(),
    permit: PluginsOfPoint.optional(),
    preBind: PluginsOfPoint.optional(),
    bind: PluginsOfPoint.optional(),
    postBind: PluginsOfPoint.optional(),
  })
  .strict();
const ProfileSchema = z
  .object({
    schedulerName: z.string().min(1).optional(),
    percentageOfNodesToScore: z.number().int().min(0).max(100).optional(),
    plugins: Plugins.optional(),
    pluginConfig: z
      .array(z.object({ name: z.string().min(1), args: z.record(z.unknown()).optional() }).strict())
      .optional(),
  })
  .strict();

export const KubeSchedulerConfiguration = z
  .object({
    apiVersion: z.literal('kubescheduler.config.k8s.io/v1', {
      errorMap: () => ({ message: 'apiVersion must be kubescheduler.config.k8s.io/v1' }),
    }),
    kind: z.literal('KubeSchedulerConfiguration', {
      errorMap: () => ({ message: 'kind must be KubeSchedulerConfiguration' }),
    }),
    parallelism: z.number().int().positive().optional(),
    percentageOfNodesToScore: z.number().int().min(0).max(100).optional(),
    podInitialBackoffSeconds: z.number().int().positive().optional(),
    podMaxBackoffSeconds: z.number().int().positive().optional(),
    profiles: z.array(ProfileSchema).optional(),
    leaderElection: z.record(z.unknown()).optional(),
    clientConnection: z.record(z.unknown()).optional(),
    extenders: z.array(z.unknown()).max(0, 'extenders are not supported').optional(),
    delayCacheUntilActive: z.boolean().optional(),
  })
  .strict();
export type KubeSchedulerConfiguration = z.infer<typeof KubeSchedulerConfiguration>;

export interface SchedulerConfig {
  profiles: Profile[];
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function zodMessage(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '<root>'}: ${i.message}`).join('; ');
}

/** Plugins of one profile: defaults, then multiPoint, then each point's own enable/disable. */
function buildPluginSet(
  plugins: z.infer<typeof Plugins> | undefined,
  registry: Registry,
  where: string,
): PluginSet {
  const set: PluginSet = {
    preFilter: [],
    filter: [],
    postFilter: [],
    preScore: [],
    score: [],
    reserve: [],
    bind: [],
  };
  // Which points a plugin implements: build it once without args to look (factories are cheap
  // and pure; args are checked when the framework builds it for real).
  const implementsPoint = (name: string, point: ExtensionPoint): boolean => {
    const f = registry[name];
    if (!f) throw new ConfigError(`${where}: plugin "${name}" does not exist`);
    const p = f({}, stubHandle) as unknown as Record<string, unknown>;
    return typeof p[methodOf[point]] === 'function';
  };
  const mpDisabled = new Set((plugins?.multiPoint?.disabled ?? []).map((d) => d.name));
  const multi = [
    ...(mpDisabled.has('*') ? [] : defaultMultiPoint.filter((p) => !mpDisabled.has(p.name))),
    ...(plugins?.multiPoint?.enabled ?? []),
  ];
  for (const point of extensionPoints) {
    const own = plugins?.[point];
    const disabled = new Set((own?.disabled ?? []).map((d) => d.name));
    const enabledHere = own?.enabled ?? [];
    const names = new Map<string, number>();
    if (!disabled.has('*'))
      for (const p of multi)
        if (!disabled.has(p.name) && implementsPoint(p.name, point))
          names.set(p.name, p.weight ?? 1);
    for (const p of enabledHere) {
      if (!implementsPoint(p.name, point))
        throw new ConfigError(`${where}: plugin "${p.name}" does not extend ${point} plugin`);
      names.delete(p.name);
      names.set(p.name, p.weight ?? 1);
    }
    if (point === 'score')
      set.score = [...names].map(([name, weight]) => ({ name, weight: weight || 1 }));
    else set[point] = [...names.keys()];
  }
  if (set.bind.length === 0) throw new ConfigError(`${where}: at least one bind plugin is needed`);
  return set;
}

const stubHandle = {
  snapshot: () => ({ nodes: [], get: () => undefined, havePodsWithAffinity: () => [] }),
  namespace: () => undefined,
  clock: { now: () => 0, setTimer: () => () => undefined },
  client: undefined,
  framework: () => {
    throw new Error('no framework');
  },
  withSnapshot: <T>(_s: unknown, fn: () => T) => fn(),
};

/** Validates and resolves a configuration (undefined: the defaults). */
export function resolveConfig(raw: unknown, registry: Registry): SchedulerConfig {
  let cfg: KubeSchedulerConfiguration;
  if (raw === undefined)
    cfg = { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' };
  else {
    const r = KubeSchedulerConfiguration.safeParse(raw);
    if (!r.success)
      throw new ConfigError(`invalid KubeSchedulerConfiguration: ${zodMessage(r.error)}`);
    cfg = r.data;
  }
  const profiles = cfg.profiles && cfg.profiles.length > 0 ? cfg.profiles : [{}];
  const seen = new Set<string>();
  const out: Profile[] = profiles.map((p, i) => {
    const schedulerName = p.schedulerName ?? 'default-scheduler';
    const where = `profiles[${i}] (${schedulerName})`;
    if (seen.has(schedulerName))
      throw new ConfigError(`${where}: duplicate profile with scheduler name "${schedulerName}"`);
    seen.add(schedulerName);
    const pluginArgs: Record<string, Record<string, unknown>> = {};
    for (const pc of p.pluginConfig ?? []) {
      if (!registry[pc.name])
        throw new ConfigError(`${where}: pluginConfig for unknown plugin "${pc.name}"`);
      if (pluginArgs[pc.name])
        throw new ConfigError(`${where}: repeated pluginConfig for plugin "${pc.name}"`);
      pluginArgs[pc.name] = pc.args ?? {};
    }
    return {
      schedulerName,
      plugins: buildPluginSet(p.plugins, registry, where),
      pluginArgs,
      percentageOfNodesToScore: p.percentageOfNodesToScore ?? cfg.percentageOfNodesToScore ?? 0,
    };
  });
  return {
    profiles: out,
    percentageOfNodesToScore: cfg.percentageOfNodesToScore ?? 0,
    podInitialBackoffMs: (cfg.podInitialBackoffSeconds ?? 1) * 1000,
    podMaxBackoffMs: (cfg.podMaxBackoffSeconds ?? 10) * 1000,
  };
}

/** Reads --config (YAML or JSON). */
export function loadConfigFile(path: string, registry: Registry): SchedulerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read --config ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`--config ${path} is not valid YAML: ${(e as Error).message}`);
  }
  return resolveConfig(raw, registry);
}
