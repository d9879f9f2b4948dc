/**
 * The leader-election flags every leader-elected component takes, with kube-scheduler's and
 * kube-controller-manager's names, defaults and descriptions (component-base
 * LeaderElectionConfiguration), declared once with the runtime:
 *
 *   --leader-elect                      run leader election (default true; --leader-elect=false to disable)
 *   --leader-elect-lease-duration       15s
 *   --leader-elect-renew-deadline       10s
 *   --leader-elect-retry-period         2s
 *   --leader-elect-resource-lock        leases (the only lock kubeling supports)
 *   --leader-elect-resource-name        the component's name
 *   --leader-elect-resource-namespace   kube-system
 *
 *   const values = parseComponentFlags('pods-per-node', { ...leaderElectionFlags }, argv);
 *   const le = leaderElectionFromFlags(values, { resourceName: 'pods-per-node' });
 */
import type { FlagValues } from '@kubeling/runtime';
import { flag, flagGroup } from '@kubeling/runtime';
import type { LeaderElectionOptions } from './leaderElector';

export { parseDuration } from '@kubeling/runtime';

export const leaderElectionFlags = flagGroup('Leader election', {
  'leader-elect': flag.bool({
    default: true,
    description:
      'Start a leader election client and gain leadership before executing the main loop. Enable this when running replicated components for high availability.',
  }),
  'leader-elect-lease-duration': flag.duration({
    default: '15s',
    description:
      'The duration that non-leader candidates will wait after observing a leadership renewal until attempting to acquire leadership of a led but unrenewed leader slot.',
  }),
  'leader-elect-renew-deadline': flag.duration({
    default: '10s',
    description:
      'The interval between attempts by the acting master to renew a leadership slot before it stops leading. This must be less than the lease duration.',
  }),
  'leader-elect-retry-period': flag.duration({
    default: '2s',
    description:
      'The duration the clients should wait between attempting acquisition and renewal of a leadership.',
  }),
  'leader-elect-resource-lock': flag.enum(['leases'], {
    default: 'leases',
    description: 'The type of resource object that is used for locking during leader election.',
  }),
  'leader-elect-resource-name': flag.string({
    defaultText: "the component's name",
    description: 'The name of resource object that is used for locking during leader election.',
  }),
  'leader-elect-resource-namespace': flag.string({
    default: 'kube-system',
    description:
      'The namespace of resource object that is used for locking during leader election.',
  }),
});

export type LeaderElectionFlagValues = FlagValues<typeof leaderElectionFlags>;

/** What the flags configure; merge into LeaderElectionOptions with the client and callbacks. */
export interface LeaderElectionFlags {
  enabled: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  leaseName: string;
  leaseNamespace: string;
}

export function leaderElectionFromFlags(
  values: LeaderElectionFlagValues,
  defaults: { resourceName: string },
): LeaderElectionFlags {
  return {
    enabled: values.leaderElect,
    leaseDurationMs: values.leaderElectLeaseDuration,
    renewDeadlineMs: values.leaderElectRenewDeadline,
    retryPeriodMs: values.leaderElectRetryPeriod,
    leaseName: values.leaderElectResourceName ?? defaults.resourceName,
    leaseNamespace: values.leaderElectResourceNamespace,
  };
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
