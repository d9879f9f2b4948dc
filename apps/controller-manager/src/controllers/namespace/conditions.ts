/**
 * The conditions a terminating namespace carries (upstream's namespace/deletion
 * status_condition_utils.go): every deletion pass writes all five, each False with its "ok"
 * reason and message unless the pass found the problem it names. Messages are upstream's, so
 * `kubectl describe ns` reads the same.
 */
import type { NamespaceCondition } from '@kubeling/api';

export const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = (typeof conditionTypes)[number];

const ok: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: {
    reason: 'ResourcesDiscovered',
    message: 'All resources successfully discovered',
  },
  NamespaceDeletionGroupVersionParsingFailure: {
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  },
  NamespaceDeletionContentFailure: {
    reason: 'ContentDeleted',
    message: 'All content successfully deleted, may be waiting on finalization',
  },
  NamespaceContentRemaining: {
    reason: 'ContentRemoved',
    message: 'All content successfully removed',
  },
  NamespaceFinalizersRemaining: {
    reason: 'ContentHasNoFinalizers',
    message: 'All content-preserving finalizers finished',
  },
};

/** A problem found by this pass: the condition becomes True with this reason and message. */
export interface Problem {
  type: NamespaceConditionType;
  reason: string;
  message: string;
}

export const discoveryFailed = (errors: string[]): Problem => ({
  type: 'NamespaceDeletionDiscoveryFailure',
  reason: 'DiscoveryFailed',
  message: `Discovery failed for some groups, ${errors.length} failing: ${errors.join(', ')}`,
});

export const contentDeletionFailed = (errors: string[]): Problem => ({
  type: 'NamespaceDeletionContentFailure',
  reason: 'ContentDeletionFailed',
  message: `Failed to delete all resource types, ${errors.length} remaining: ${errors.join(', ')}`,
});

/** `configmaps. has 2 resource instances, deployments.apps has 1 resource instances` */
export const resourcesRemain = (counts: Map<string, number>): Problem => ({
  type: 'NamespaceContentRemaining',
  reason: 'SomeResourcesRemain',
  message: `Some resources are remaining: ${[...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([gr, n]) => `${gr} has ${n} resource instances`)
    .join(', ')}`,
});

export const finalizersRemain = (counts: Map<string, number>): Problem => ({
  type: 'NamespaceFinalizersRemaining',
  reason: 'SomeFinalizersRemain',
  message: `Some content in the namespace has finalizers remaining: ${[...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([f, n]) => `${f} in ${n} resource instances`)
    .join(', ')}`,
});

/**
 * The namespace's conditions after a pass: the five deletion conditions as this pass found
 * them (lastTransitionTime kept while a status stays), any other condition untouched.
 */
export function updateConditions(
  current: readonly NamespaceCondition[],
  problems: readonly Problem[],
  now: string,
): NamespaceCondition[] {
  const others = current.filter((c) => !(conditionTypes as readonly string[]).includes(c.type));
  const next = conditionTypes.map((type): NamespaceCondition => {
    const p = problems.find((x) => x.type === type);
    const status = p ? 'True' : 'False';
    const prev = current.find((c) => c.type === type);
    return {
      type,
      status,
      lastTransitionTime: prev?.status === status ? (prev.lastTransitionTime ?? now) : now,
      reason: p?.reason ?? ok[type].reason,
      message: p?.message ?? ok[type].message,
    };
  });
  return [...others, ...next];
}
