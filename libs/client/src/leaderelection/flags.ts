/**
 * The leader-election flags every leader-elected component takes, with kube-scheduler's and
 * kube-controller-manager's names and defaults (component-base LeaderElectionConfiguration):
 *
 *   --leader-elect                      run leader election (default true; --leader-elect=false to disable)
 *   --leader-elect-lease-duration       15s
 *   --leader-elect-renew-deadline       10s
 *   --leader-elect-retry-period         2s
 *   --leader-elect-resource-lock        leases (the only lock kubeling supports)
 *   --leader-elect-resource-name        the component's name
 *   --leader-elect-resource-namespace   kube-system
 *
 * For node:util parseArgs:
 *
 *   const { values } = parseArgs({
 *     args: normalizeBoolFlags(argv, ['leader-elect']),
 *     options: { ...leaderElectionFlagOptions, 'cluster-name': { type: 'string' } },
 *     allowNegative: true,
 *   });
 *   const le = leaderElectionFromFlags(values, { resourceName: 'pods-per-node' });
 */
import type { LeaderElectionOptions } from './leaderElector';

export const leaderElectionFlagOptions = {
  'leader-elect': { type: 'boolean', default: true },
  'leader-elect-lease-duration': { type: 'string', default: '15s' },
  'leader-elect-renew-deadline': { type: 'string', default: '10s' },
  'leader-elect-retry-period': { type: 'string', default: '2s' },
  'leader-elect-resource-lock': { type: 'string', default: 'leases' },
  'leader-elect-resource-name': { type: 'string' },
  'leader-elect-resource-namespace': { type: 'string', default: 'kube-system' },
} as const;

export const leaderElectionUsage = `  --leader-elect[=true|false]              start a leader election client and gain leadership before executing the main loop (default true)
  --leader-elect-lease-duration DURATION   how long non-leaders wait after observing a renewal before taking over (default 15s)
  --leader-elect-renew-deadline DURATION   how long the leader retries renewing before it stops leading (default 10s)
  --leader-elect-retry-period DURATION     how long clients wait between attempts (default 2s)
  --leader-elect-resource-lock leases      the lock object type (only leases)
  --leader-elect-resource-name NAME        name of the Lease
  --leader-elect-resource-namespace NS     namespace of the Lease (default kube-system)
`;

/** What the flags configure; merge into LeaderElectionOptions with the client and callbacks. */
export interface LeaderElectionFlags {
  enabled: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  leaseName: string;
  leaseNamespace: string;
}

const durationUnits: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration (`15s`, `1m30s`, `500ms`, `0`) in milliseconds, as time.ParseDuration reads it. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (durationUnits[m[2] as string] as number);
    pos = re.lastIndex;
  }
  if (pos === 0 || pos !== s.length)
    throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  return total;
}

/**
 * Rewrites `--flag=true|false` of boolean flags to the forms parseArgs understands (`--flag`,
 * `--no-flag`, the latter with `allowNegative: true`), so the upstream spelling works.
 */
export function normalizeBoolFlags(argv: readonly string[], names: readonly string[]): string[] {
  return argv.map((a) => {
    for (const n of names) {
      if (a === `--${n}=true`) return `--${n}`;
      if (a === `--${n}=false`) return `--no-${n}`;
    }
    return a;
  });
}

type FlagValues = { [K in keyof typeof leaderElectionFlagOptions]?: string | boolean | undefined };

export function leaderElectionFromFlags(
  values: FlagValues,
  defaults: { resourceName: string },
): LeaderElectionFlags {
  const str = (k: keyof FlagValues, d: string): string => {
    const v = values[k];
    return typeof v === 'string' ? v : d;
  };
  const lock = str('leader-elect-resource-lock', 'leases');
  if (lock !== 'leases')
    throw new Error(
      `--leader-elect-resource-lock: unsupported lock type "${lock}" (only "leases")`,
    );
  const flags: LeaderElectionFlags = {
    enabled: values['leader-elect'] !== false,
    leaseDurationMs: parseDuration(str('leader-elect-lease-duration', '15s')),
    renewDeadlineMs: parseDuration(str('leader-elect-renew-deadline', '10s')),
    retryPeriodMs: parseDuration(str('leader-elect-retry-period', '2s')),
    leaseName: str('leader-elect-resource-name', defaults.resourceName),
    leaseNamespace: str('leader-elect-resource-namespace', 'kube-system'),
  };
  return flags;
}

/** The flag-derived part of LeaderElectionOptions. */
export function leaderElectionOptionsOf(
  f: LeaderElectionFlags,
): Pick<
  LeaderElectionOptions,
  'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs' | 'leaseName' | 'leaseNamespace'
> {
  return {
    leaseDurationMs: f.leaseDurationMs,
    renewDeadlineMs: f.renewDeadlineMs,
    retryPeriodMs: f.retryPeriodMs,
    leaseName: f.leaseName,
    leaseNamespace: f.leaseNamespace,
  };
}
