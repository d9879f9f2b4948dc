/**
 * coordination.k8s.io/v1 Lease: the heartbeat of every kubelet (kube-node-lease/<node>) and the
 * lock of every leader-elected component. Schema and ValidateLease / ValidateLeaseSpec with
 * upstream's messages. Times are metav1.MicroTime strings (`2024-05-01T10:00:00.123456Z`).
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { forbiddenField, invalidValue, notSupported, path } from '../../meta/fieldErrors';
import { isQualifiedName } from '../../meta/names';
import { ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';

/** The namespace kubelets keep their node Leases in. */
export const nodeLeaseNamespace = 'kube-node-lease';

/** CoordinatedLeaseStrategy values Kubernetes defines (others must be prefixed names). */
export const LeaseStrategies = ['OldestEmulationVersion'] as const;

export const LeaseSpec = z
  .object({
    holderIdentity: z.string().optional(),
    leaseDurationSeconds: z.number().int().optional(),
    /** metav1.MicroTime */
    acquireTime: z.string().optional(),
    /** metav1.MicroTime */
    renewTime: z.string().optional(),
    leaseTransitions: z.number().int().optional(),
    /** Coordinated leader election (alpha in 1.32). */
    strategy: z.string().optional(),
    preferredHolder: z.string().optional(),
  })
  .strict();
export type LeaseSpec = z.infer<typeof LeaseSpec>;

export const Lease = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: LeaseSpec.default({}),
  })
  .strict();
export type Lease = z.infer<typeof Lease>;

/** ValidateLeaseSpec (ObjectMeta is validated generically). */
function validateLease(lease: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const spec = lease.spec;
  const p = path('spec');
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0)
    errs.push(
      invalidValue(
        p.child('leaseDurationSeconds'),
        spec.leaseDurationSeconds,
        'must be greater than 0',
      ),
    );
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0)
    errs.push(
      invalidValue(
        p.child('leaseTransitions'),
        spec.leaseTransitions,
        'must be greater than or equal to 0',
      ),
    );
  if (spec.strategy !== undefined) {
    // ValidateCoordinatedLeaseStrategy: a Kubernetes-defined name, or a prefixed qualified name.
    const sp = p.child('strategy');
    if (!spec.strategy.includes('/')) {
      if (!(LeaseStrategies as readonly string[]).includes(spec.strategy))
        errs.push(notSupported(sp, spec.strategy, LeaseStrategies));
    } else {
      for (const m of isQualifiedName(spec.strategy)) errs.push(invalidValue(sp, spec.strategy, m));
    }
  }
  if (spec.preferredHolder && !spec.strategy)
    errs.push(
      forbiddenField(p.child('preferredHolder'), 'may only be specified if `strategy` is defined'),
    );
  return errs;
}

export const leaseKind: KindInfo<Lease> = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  singular: 'lease',
  namespaced: true,
  shortNames: [],
  categories: [],
  schema: Lease,
  validate: validateLease,
  subresources: [],
  tracksGeneration: false,
};
